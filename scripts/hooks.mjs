// `npm install` runs this (prepare): git runs .githooks/pre-commit (lint + format of the staged
// files). Outside a git checkout, or without git, it does nothing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (existsSync('.git')) {
  try {
    execFileSync('git', ['config', 'core.hooksPath', '.githooks'], { stdio: 'ignore' });
  } catch {
    // No git on this machine: nothing to hook into.
  }
}
