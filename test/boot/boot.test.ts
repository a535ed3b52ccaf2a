/**
 * The built main bundle (`out/main/index.js`), unmodified, booted under Node with the Electron
 * double (test/boot/double/README.md), in demo mode: real window in Chromium, real preload, real
 * IPC handlers, real CSP, real electron-updater. Run against the production page (the app's
 * tradebell:// scheme, packaged, with an update feed on loopback) and against the page `npm start` serves
 * (electron-vite's dev server, under the dev CSP).
 * Skipped, with the reason printed, where no Chromium is installed (.ci/run installs it).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../e2e/harness';
import type { DoubleRecord } from './double/electron';
import { bootApp, buildApp, freshDir, startDevServer, type BootedApp } from './launch';
import { linuxChannelFile, startUpdateFeed, type UpdateFeed } from './updateFeed';

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
  // The demo gateway queues one paid order now (not whenever its random traffic gets to one): it
  // reaches the app with its next consume call.
  const order = await app.call<{ shop: string; tid: string }>({ cmd: 'demoPaidOrder' });
  expect(order.tid).toMatch(/^\d{19}$/);

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
  const { tid } = order;
  const shown = await app.waitFor((r) => paidTid(r) === tid, `the notification of paid order ${tid}`, 30_000);
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

const PKG = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
/** The version the built app reports, and the one the mirror offers. */
const CURRENT = PKG.version;
const NEWER = CURRENT.replace(
  /^(\d+)\.(\d+)\..*$/,
  (_, major: string, minor: string) => `${major}.${Number(minor) + 1}.0`,
);

/**
 * The newer version's AppImage, as far as installing goes: once electron-updater has moved the
 * download into place it runs it (the AppImage runtime finishes the install). This one notes the
 * run beside itself.
 */
const NEWER_APPIMAGE = Buffer.from(
  `#!/bin/sh\n# TradeBell ${NEWER}\necho "silent=$APPIMAGE_SILENT_INSTALL exit-after-install=$APPIMAGE_EXIT_AFTER_INSTALL" > "$0.ran"\n`,
);

/** What the update log lines say (UpdateController's, through the app's logger). */
function updateLog(userData: string) {
  const log = readFileSync(join(userData, 'logs', 'main.log'), 'utf8');
  return {
    log,
    progress: [...log.matchAll(/update download progress \{ percent: (\d+), transferred: (\d+), total: (\d+) \}/g)].map(
      (m) => ({ percent: Number(m[1]), transferred: Number(m[2]), total: Number(m[3]) }),
    ),
  };
}

const menuHas = (r: DoubleRecord, id: string) =>
  r.kind === 'Tray.setContextMenu' && ((r.items as { id?: string }[] | null) ?? []).some((i) => i.id === id);

describe.skipIf(!chromium)('the built app booted under Node with the Electron double', () => {
  let dir: string;
  beforeAll(() => {
    dir = buildApp();
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe("production page (the app's scheme, packaged, an update feed on loopback)", () => {
    const userData = freshDir('tradebell-boot-prod-');
    // Where the packaged app lives: resources/app-update.yml, the running AppImage, the OS cache.
    const install = freshDir('tradebell-boot-install-');
    const resources = join(install, 'resources');
    const appImage = join(install, `TradeBell-${CURRENT}.AppImage`);
    const cache = join(install, 'cache');
    let feed: UpdateFeed;
    let app: BootedApp;
    beforeAll(async () => {
      feed = await startUpdateFeed({
        release: { version: CURRENT, appImage: Buffer.from('#!/bin/sh\n# the running build\n') },
        mirror: { version: NEWER, appImage: NEWER_APPIMAGE },
      });
      // electron-builder writes app-update.yml from `publish`; the release feed here stands in for
      // the GitHub release, which this machine cannot reach.
      mkdirSync(resources);
      writeFileSync(
        join(resources, 'app-update.yml'),
        dump({ provider: 'generic', url: `${feed.url}/release`, updaterCacheDirName: 'tradebell-updater' }),
      );
      writeFileSync(appImage, '#!/bin/sh\n# the running build\n', { mode: 0o755 });
      app = bootApp(dir, {
        userData,
        chromium: chromium!,
        packaged: true,
        resources,
        // electron-updater updates a Linux build only inside an AppImage, which sets APPIMAGE.
        env: { APPIMAGE: appImage, XDG_CACHE_HOME: cache },
      });
    });
    afterAll(async () => {
      app.kill();
      await feed.close();
      for (const d of [userData, install]) rmSync(d, { recursive: true, force: true });
    });

    it('inbox styled, one notification, its click opens the panel, flag 2 + Chinese memo reach the gateway', async () => {
      await runScenario(app);
      // From the app's scheme, never file://: every file the page asked for came through the app's
      // own handler, found and typed.
      expect(kinds(app, 'BrowserWindow.loadFile')).toEqual([]);
      expect(app.records.find((r) => r.kind === 'BrowserWindow.loadURL')?.url).toBe('tradebell://app/index.html');
      expect(kinds(app, 'protocol.registerSchemesAsPrivileged')).toHaveLength(1);
      const served = kinds(app, 'protocol.request');
      expect(served.filter((r) => r.status !== 200)).toEqual([]);
      const types = served.map((r) => [new URL(String(r.url)).pathname.split('.').at(-1), r.type]);
      expect(types).toContainEqual(['html', 'text/html; charset=utf-8']);
      expect(types).toContainEqual(['js', 'text/javascript; charset=utf-8']);
      expect(types).toContainEqual(['css', 'text/css; charset=utf-8']);
    }, 120_000);

    it('checks the release feed at start; a mirror saved in 设置 brings the newer version, downloaded with progress, and the tray offers 重启以更新', async () => {
      const channel = linuxChannelFile();
      const fetched = (folder: string, name: string) => (r: DoubleRecord) =>
        r.kind === 'net.response' && String(r.url).split('?')[0] === `${feed.url}/${folder}/${name}`;

      // At start, the release feed: nothing newer there.
      const releaseAnswer = await app.waitFor(fetched('release', channel), 'the release feed checked at start');
      expect(releaseAnswer.statusCode).toBe(200);
      const releaseAsk = app.records.find((r) => r.kind === 'net.request' && r.url === releaseAnswer.url);
      // Through Electron's net, in electron-updater's own session.
      expect(releaseAsk).toMatchObject({ method: 'GET', partition: 'electron-updater' });

      // The seller opens 设置 from the tray and saves the mirror's address.
      await app.call({ cmd: 'clickTrayItem', id: 'settings' });
      const mirrorField = 'form.settings label:has-text("更新镜像地址") input';
      await app.call({ cmd: 'waitForSelector', selector: mirrorField });
      // The settings view is a lazy chunk: it too came through the scheme.
      expect(
        kinds(app, 'protocol.request').find((r) => /\/assets\/SettingsView-[^/]+\.js$/.test(String(r.url))),
      ).toMatchObject({ status: 200 });
      await app.call({ cmd: 'focus', selector: mirrorField });
      await app.call({ cmd: 'insertText', text: `${feed.url}/mirror/` });
      await app.call({ cmd: 'click', selector: 'form.settings button[type=submit]' });
      await app.call({ cmd: 'waitForSelector', selector: 'form.settings [role=status]:has-text("设置已保存")' });

      // The mirror is checked at once, its newer AppImage downloaded, and the tray offers the restart.
      const offered = await app.waitFor((r) => menuHas(r, 'restartToUpdate'), 'the tray item 重启以更新', 60_000);
      const item = (offered.items as { id?: string; label?: string }[]).find((i) => i.id === 'restartToUpdate');
      expect(item?.label).toBe('重启以更新');
      const newer = `TradeBell-${NEWER}.AppImage`;
      const at = (match: (r: DoubleRecord) => boolean) => app.records.findIndex(match);
      expect(at(fetched('mirror', channel))).toBeGreaterThan(at(fetched('release', channel)));
      expect(at(fetched('mirror', newer))).toBeGreaterThan(at(fetched('mirror', channel)));
      expect(app.records.indexOf(offered)).toBeGreaterThan(at(fetched('mirror', newer)));
      // Nothing was downloaded from the release feed, nor any other OS's files from the mirror.
      expect(feed.requests.filter((r) => !r.path.endsWith(channel)).map((r) => r.path)).toEqual([`/mirror/${newer}`]);

      const { log, progress } = updateLog(userData);
      expect(log).toContain(`update available { version: '${NEWER}' }`);
      expect(log).toContain(`update downloaded { version: '${NEWER}' }`);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)).toEqual({
        percent: 100,
        transferred: NEWER_APPIMAGE.length,
        total: NEWER_APPIMAGE.length,
      });
      // electron-updater checked the sha512 from latest-linux.yml before it kept the file.
      expect(readFileSync(join(cache, 'tradebell-updater', 'pending', newer))).toEqual(NEWER_APPIMAGE);
      expect(problems(app)).toEqual([]);
    }, 120_000);

    it('Quit from the tray stops the core, closes the journal, saves the cost meter, installs the downloaded update and ends the process', async () => {
      await quitFromTray(app, userData);
      // Not restarted from the tray, the update is installed as the app quits: electron-updater
      // replaces the AppImage and runs the new one to finish (NSIS and Squirrel.Mac cannot run here).
      expect(existsSync(appImage)).toBe(false);
      const installed = join(install, `TradeBell-${NEWER}.AppImage`);
      expect(readFileSync(installed)).toEqual(NEWER_APPIMAGE);
      expect(readFileSync(`${installed}.ran`, 'utf8')).toBe('silent=true exit-after-install=true\n');
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
      rmSync(userData, { recursive: true, force: true });
    });

    it('the same scenario, with hot reload connected', async () => {
      await runScenario(app);
      expect(app.records.find((r) => r.kind === 'BrowserWindow.loadURL')?.url).toBe(`${dev.url}/`);
      await app.waitFor((r) => r.kind === 'console' && String(r.text).includes('[vite] connected'), 'the HMR socket');
      // From source there is nothing to update: no feed is asked.
      expect(app.records.filter((r) => r.kind === 'net.request')).toEqual([]);
    }, 120_000);

    it('Quit from the tray ends it cleanly too', async () => {
      await quitFromTray(app, userData);
    }, 60_000);
  });
});
