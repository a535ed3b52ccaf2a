/**
 * CI only (the Electron binary cannot run on the build machine): launches the packaged app with
 * Playwright's `_electron` and checks that the window opens with `window.tradebell`, the tray
 * exists (read in the main process), a paid order queued at the demo gateway reaches the inbox,
 * and Quit ends the process cleanly. Usage: tsx test/smoke/packaged.ts [release-smoke]
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { DEMO_SHOPS } from '../../src/shared/demo';

const RUNNING = 'tradebell.running';
/** Demo mode's gateway, which the main process publishes while it runs (src/main/electron/main.ts). */
const DEMO_GATEWAY = 'tradebell.demoGateway';

function executable(dir: string): string {
  const candidates = [
    join(dir, 'win-unpacked', 'TradeBell.exe'),
    join(dir, 'linux-unpacked', 'tradebell'),
    ...readdirSync(dir)
      .filter((d) => d.startsWith('mac'))
      .map((d) => join(dir, d, 'TradeBell.app', 'Contents', 'MacOS', 'TradeBell')),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`no packaged app in ${dir} (looked for ${candidates.join(', ')})`);
  return found;
}

async function main(): Promise<void> {
  const exe = executable(process.argv[2] ?? 'release-smoke');
  const home = mkdtempSync(join(tmpdir(), 'tradebell-smoke-'));
  console.log(`launching ${exe}`);
  const app = await electron.launch({
    executablePath: exe,
    args: [`--user-data-dir=${home}`],
    env: { ...process.env, TRADEBELL_SMOKE: '1' },
    timeout: 60_000,
  });
  const exited = new Promise<number | null>((r) => app.process().on('exit', (code) => r(code)));
  const page = await app.firstWindow();
  await page.waitForFunction(() => typeof (globalThis as { tradebell?: object }).tradebell === 'object');
  console.log('window open, window.tradebell exists');
  const tray = await app.evaluate((_electron, key) => {
    const running = (globalThis as Record<symbol, { tray?: { bounds(): unknown } } | undefined>)[Symbol.for(key)];
    return running?.tray ? JSON.stringify(running.tray.bounds()) : null;
  }, RUNNING);
  if (tray === null) throw new Error('no tray in the main process');
  console.log(`tray exists (bounds ${tray})`);
  // A paid order queued now rather than one of the demo's random ones, whenever that comes.
  const tid = await app.evaluate(
    async (_electron, { key, shops }) => {
      type Gateway = { generate(shop: string, n: number, o: object): { tid?: string }[] };
      for (let i = 0; i < 300; i++) {
        const gateway = (globalThis as Record<symbol, Gateway | undefined>)[Symbol.for(key)];
        if (gateway)
          for (let j = 0; j < 50; j++) {
            const shop = shops[j % shops.length]!;
            const queued = gateway.generate(shop, 1, { topics: ['TradeBuyerPay'], duplicateRate: 0 })[0]?.tid;
            if (queued) return queued;
          }
        await new Promise((r) => setTimeout(r, 100));
      }
      return null;
    },
    { key: DEMO_GATEWAY, shops: [...DEMO_SHOPS] },
  );
  if (tid === null) throw new Error('no demo gateway in the main process: the app did not start in demo mode');
  console.log(`a paid order ${tid} queued at the demo gateway`);
  await page.waitForSelector('.row-main', { timeout: 30_000 });
  console.log('the order is in the inbox');
  await app.evaluate((_electron, key) => {
    (globalThis as Record<symbol, { quit(): void } | undefined>)[Symbol.for(key)]?.quit();
  }, RUNNING);
  const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 30_000))]);
  if (code !== 0) throw new Error(`Quit did not end the process cleanly: ${String(code)}`);
  console.log('Quit ended the process with code 0');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
