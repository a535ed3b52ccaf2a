/**
 * The built main bundle (`out/main/index.js`), unmodified, booted under Node with the Electron
 * double (test/boot/double/README.md), in demo mode: real window in Chromium, real preload, real
 * IPC handlers, real CSP. Run against the production page (file://, packaged) and against the
 * page `npm start` serves (electron-vite's dev server, under the dev CSP).
 * Skipped, with the reason printed, where no Chromium is installed (.ci/run installs it).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../e2e/harness';
import type { DoubleRecord } from './double/electron';
import { bootApp, buildApp, freshDir, startDevServer, type BootedApp } from './launch';

const chromium = findChromium();
if (!chromium) console.warn('[boot] skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)');

const MEMO = '已核对地址，加急发顺丰';

const kinds = (app: BootedApp, kind: string) => app.records.filter((r) => r.kind === kind);
const problems = (app: BootedApp) =>
  app.records.filter((r) => r.kind === 'pageerror' || (r.kind === 'console' && r.type === 'error'));

/** The tid of a paid-order notification (its body ends with 订单号：<tid>). */
function paidTid(r: DoubleRecord): string | undefined {
  if (r.kind !== 'Notification.show' || !String(r.title).startsWith('新付款订单')) return undefined;
  return /订单号：(\d{19})/.exec(String(r.body))?.[1];
}

/** The fields of a multipart/form-data body, as the gateway reads them. */
function formFields(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of body.matchAll(/name="([^"]+)"\r\n\r\n([\s\S]*?)\r\n--/g)) fields[m[1]!] = m[2]!;
  return fields;
}

async function runScenario(app: BootedApp): Promise<void> {
  // 1. The window shows the inbox with its stylesheet applied.
  await app.call({ cmd: 'waitForSelector', selector: '.row-main', timeout: 30_000 });
  const styles = await app.call<{ font: string; display: string; tradebell: string }>({
    cmd: 'evaluate',
    source: `() => ({
      font: getComputedStyle(document.body).fontFamily,
      display: getComputedStyle(document.querySelector('.row-main')).display,
      tradebell: typeof window.tradebell,
    })`,
  });
  expect(styles.font).toContain('system-ui');
  expect(styles.display).toBe('flex');
  expect(styles.tradebell).toBe('object');

  // 2. A demo paid order rings one notification; a click opens the panel for that tid.
  const shown = await app.waitFor((r) => paidTid(r) !== undefined, 'a paid-order notification', 60_000);
  const tid = paidTid(shown)!;
  expect(tid).toMatch(/^\d{19}$/);
  expect(kinds(app, 'Notification.show').filter((r) => paidTid(r) === tid)).toHaveLength(1);
  await app.call({ cmd: 'clickNotification', index: shown.index });
  await app.call({ cmd: 'waitForSelector', selector: `[role=dialog][aria-label*="${tid}"]` });

  // 3. Flag 2, a Chinese memo, Ctrl+Enter: the local gateway receives exactly that.
  await app.call({ cmd: 'press', key: '2' });
  await app.call({ cmd: 'focus', selector: '[role=dialog] textarea' });
  await app.call({ cmd: 'insertText', text: MEMO });
  await app.call({ cmd: 'press', key: 'Control+Enter' });
  const remark = await app.waitFor(
    (r) => r.kind === 'http.server.request' && formFields(String(r.body)).tid === tid,
    'the remark at the local gateway',
  );
  expect(remark.url).toBe('/tool/accounts/bcro');
  expect(formFields(String(remark.body))).toMatchObject({ tid, memo: MEMO, flag: '2' });
  await app.call({ cmd: 'waitForSelector', selector: '[role=dialog] [role=status]' });
  expect(problems(app)).toEqual([]);
}

async function quitFromTray(app: BootedApp, userData: string): Promise<void> {
  const clickedAt = Date.now();
  await app.call({ cmd: 'clickTrayItem', id: 'quit' });
  const exit = await app.exited;
  expect(exit).toEqual({ code: 0, signal: null });
  const order = app.records.map((r) => r.kind);
  expect(order.indexOf('Tray.destroy')).toBeGreaterThan(-1);
  expect(order.indexOf('Tray.destroy')).toBeLessThan(order.indexOf('process.exit'));
  // The core stopped (core.stop() saves the cost meter, then closes the journal): the log says so
  // and the meter on disk was written after the click and counts the consume calls the gateway saw.
  expect(readFileSync(join(userData, 'logs', 'main.log'), 'utf8')).toContain('core stopped');
  const costFile = join(userData, 'data', 'cost.json');
  expect(statSync(costFile).mtimeMs).toBeGreaterThanOrEqual(clickedAt - 5);
  const cost = JSON.parse(readFileSync(costFile, 'utf8')) as { total: { byEndpoint: { consume: { calls: number } } } };
  const consumes = app.records.filter((r) => r.kind === 'http.server.request' && r.url === '/tool/erps/tbconsume');
  // A call in flight when polling stopped reached the gateway but was aborted: at most one per shop.
  expect(cost.total.byEndpoint.consume.calls).toBeGreaterThanOrEqual(consumes.length - 2);
  expect(cost.total.byEndpoint.consume.calls).toBeLessThanOrEqual(consumes.length);
}

describe.skipIf(!chromium)('the built app booted under Node with the Electron double', () => {
  let dir: string;
  beforeAll(() => {
    dir = buildApp();
  }, 180_000);

  describe('production page (file://, packaged)', () => {
    const userData = freshDir('tradebell-boot-prod-');
    let app: BootedApp;
    beforeAll(() => {
      app = bootApp(dir, { userData, chromium: chromium!, packaged: true });
    });
    afterAll(() => app.kill());

    it('inbox styled, one notification, its click opens the panel, flag 2 + Chinese memo reach the gateway', async () => {
      await runScenario(app);
      const load = app.records.find((r) => r.kind === 'BrowserWindow.loadFile');
      expect(load?.path).toBe(join(dir, 'out/renderer/index.html'));
    }, 120_000);

    it('Quit from the tray stops the core, closes the journal, saves the cost meter and ends the process', async () => {
      await quitFromTray(app, userData);
    }, 60_000);
  });

  describe('the page `npm start` serves (dev server, dev CSP)', () => {
    const userData = freshDir('tradebell-boot-dev-');
    let app: BootedApp;
    let dev: Awaited<ReturnType<typeof startDevServer>>;
    beforeAll(async () => {
      dev = await startDevServer();
      app = bootApp(dir, { userData, chromium: chromium!, packaged: false, rendererUrl: dev.url });
    });
    afterAll(async () => {
      app.kill();
      await dev.close();
    });

    it('the same scenario, with hot reload connected', async () => {
      await runScenario(app);
      expect(app.records.find((r) => r.kind === 'BrowserWindow.loadURL')?.url).toBe(`${dev.url}/`);
      await app.waitFor((r) => r.kind === 'console' && String(r.text).includes('[vite] connected'), 'the HMR socket');
    }, 120_000);

    it('Quit from the tray ends it cleanly too', async () => {
      await quitFromTray(app, userData);
    }, 60_000);
  });
});
