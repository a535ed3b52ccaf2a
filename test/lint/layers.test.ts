/**
 * The layering is a lint error: each case lints a line of code as if it were in a file of that
 * layer, with the project's own ESLint config, and expects the layer rule to fire (or not).
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'tradebell/layers').map((m) => m.message);
}

describe('layers', () => {
  const refused: Array<[string, string]> = [
    ['src/main/core/inbox/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['src/main/core/x.ts', "import type { App } from 'electron';\nexport type A = App;"],
    ['src/main/core/x.ts', "import { runApp } from '../electron/app';\nexport const a = runApp;"],
    ['src/main/core/intake/x.ts', "import { main } from '../../cli';\nexport const a = main;"],
    ['src/main/core/x.ts', "export { x } from '../../renderer/format';"],
    ['src/main/core/x.ts', "import { startSimulator } from '../../simulator';\nexport const a = startSimulator;"],
    ['src/shared/x.ts', "import { join } from 'node:path';\nexport const a = join;"],
    ['src/shared/x.ts', "import { readFile } from 'fs';\nexport const a = readFile;"],
    ['src/shared/x.ts', "import { Core } from '../main/core/core';\nexport const a = Core;"],
    ['src/shared/x.ts', "import { App } from '../renderer/App';\nexport const a = App;"],
    ['src/renderer/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;"],
    ['src/renderer/components/x.ts', "import { join } from 'node:path';\nexport const a = join;"],
    ['src/renderer/x.ts', "export async function f() { return import('../main/core/json'); }"],
    ['src/preload/x.ts', "import { Core } from '../main/core/core';\nexport const a = Core;"],
    ['src/simulator/x.ts', "import { app } from 'electron';\nexport const a = app;"],
  ];
  it.each(refused)('%s may not: %s', async (file, code) => {
    expect(await layerErrors(file, code)).toHaveLength(1);
  });

  const allowed: Array<[string, string]> = [
    [
      'src/main/core/x.ts',
      "import { join } from 'node:path';\nimport { isFlag } from '../../shared/flag';\nexport const a = [join, isFlag];",
    ],
    [
      'src/main/electron/x.ts',
      "import { app } from 'electron';\nimport { Core } from '../core/core';\nexport const a = [app, Core];",
    ],
    ['src/main/cli.ts', "import { startSimulator } from '../simulator';\nexport const a = startSimulator;"],
    [
      'src/renderer/x.ts',
      "import { FLAGS } from '../shared/flag';\nimport { z } from 'zod';\nexport const a = [FLAGS, z];",
    ],
    [
      'src/preload/x.ts',
      "import { contextBridge } from 'electron';\nimport { CHANNELS } from '../shared/ipc';\nexport const a = [contextBridge, CHANNELS];",
    ],
  ];
  it.each(allowed)('%s may: %s', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
