/**
 * Words live in the catalogue: the lint rule refuses Chinese text in a string anywhere in src/
 * but the catalogue and the demo gateway, and leaves comments alone.
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function wordErrors(file: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'tradebell/words').length;
}

describe('words', () => {
  const refused: Array<[string, string]> = [
    ['src/main/core/x.ts', "export const a = '未设置访问令牌';"],
    ['src/main/core/intake/x.ts', 'export const a = (n: number) => `${n} 笔订单`;'],
    ['src/main/electron/x.ts', "export const a = { zh: '退出', en: 'Quit' };"],
    ['src/main/cli.ts', "export const a = '错误';"],
    ['src/shared/x.ts', "export const a = '待发货';"],
    ['src/renderer/components/X.tsx', 'export const A = () => <span>保存</span>;'],
    ['src/preload/x.ts', "export const a = '请求无效';"],
  ];
  it.each(refused)('%s may not hold words: %s', async (file, code) => {
    expect(await wordErrors(file, code)).toBe(1);
  });

  const allowed: Array<[string, string]> = [
    ['src/shared/i18n/zh-CN.ts', "export const a = '未设置访问令牌';"],
    ['src/simulator/gateway.ts', "export const a = '系统错误,请稍后再试';"],
    ['src/main/core/x.ts', "/** The tray's 重启以更新. */\nexport const a = 'restart';"],
    ['src/main/core/x.ts', "export const a = 'plain English for the log';"],
    ['test/main/x.test.ts', "export const a = '新付款订单';"],
  ];
  it.each(allowed)('%s may: %s', async (file, code) => {
    expect(await wordErrors(file, code)).toBe(0);
  });
});
