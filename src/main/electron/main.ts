/**
 * The main-process entry (out/main/index.js): it gathers the real Electron objects and hands them
 * to runApp. Everything with a decision in it lives in the tested modules beside this one.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BrowserWindow,
  Menu,
  Notification,
  Tray,
  app,
  clipboard,
  dialog,
  ipcMain,
  nativeImage,
  powerMonitor,
  protocol,
  safeStorage,
  screen,
  shell,
} from 'electron';
import log from 'electron-log/main';
import Store from 'electron-store';
import electronUpdater from 'electron-updater';
import { PRODUCT_NAME } from '../../shared/appId';
import { languageForLocales, type Language } from '../../shared/settings';
import { createCore, type DemoOptions } from '../core/core';
import { startSimulator } from '../../simulator';
import { runApp, startFailureText } from './app';
import { appFileHandler, registerAppScheme } from './appScheme';
import { APP_SCHEME, rendererSource } from './appUrl';
import { openAllowedExternal } from './external';
import { confirmHostChangeWith } from './confirmHost';
import { configureLogging } from './log';
import { ElectronSettingsStore, openSettingsFile, settingsStoreOptions, type StoredSettings } from './settingsStore';
import { createAppWindow } from './window';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
// Tray images are unpacked from the asar archive (electron-builder asarUnpack): the OS tray reads files.
const iconDir = here('../../resources/tray').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
const userData = app.getPath('userData');
const logDir = join(userData, 'logs');

let settings: ElectronSettingsStore | undefined;
const logger = configureLogging(log, { logDir, secrets: () => settings?.secretValues() ?? [] });
const source = rendererSource({
  indexHtml: here('../renderer/index.html'),
  devUrl: process.env.ELECTRON_RENDERER_URL,
  isPackaged: app.isPackaged,
});
// Before `ready`, as Electron requires; served once ready (servePage below).
if (source.kind === 'app') registerAppScheme(protocol);
/**
 * Demo mode's local gateway, published to the main process (never the page) while it runs, like
 * tradebell.running below: the boot test has it queue a paid order at the moment its scenario
 * needs one rather than wait for the random demo traffic. Nothing in the app reads it.
 */
const DEMO_GATEWAY = Symbol.for('tradebell.demoGateway');
const startDemoGateway: DemoOptions['start'] = async (options) => {
  const gateway = await startSimulator(options);
  Object.defineProperty(globalThis, DEMO_GATEWAY, { value: gateway, configurable: true });
  return {
    url: gateway.url,
    close: () => {
      Reflect.deleteProperty(globalThis, DEMO_GATEWAY);
      return gateway.close();
    },
  };
};
const { autoUpdater } = electronUpdater;
autoUpdater.logger = logger;

/** The user's language when start-up fails: the settings may be what failed. */
function startLanguage(): Language {
  try {
    if (settings) return settings.load().language;
  } catch {
    // Fall back to the system's languages below.
  }
  return languageForLocales(app.getPreferredSystemLanguages());
}

runApp({
  app,
  argv: process.argv,
  platform: process.platform,
  execPath: process.execPath,
  ipcMain,
  powerMonitor,
  shell,
  clipboard,
  screen,
  tray: { Tray, Menu, nativeImage, iconDir },
  applicationMenu: Menu,
  Notification,
  updater: autoUpdater,
  source,
  servePage: () => {
    if (source.kind !== 'app') return;
    protocol.handle(
      APP_SCHEME,
      appFileHandler(source.dir, {
        onError: (file, e) => logger.error('a window file could not be read', { file, error: String(e) }),
      }),
    );
  },
  createWindow: () =>
    createAppWindow({
      BrowserWindow,
      source,
      preload: here('../preload/index.cjs'),
      title: PRODUCT_NAME,
      openExternal: (url) => void openAllowedExternal(shell, url),
      onLoadFailed: (e) =>
        logger.error('the window page did not load', { error: e instanceof Error ? e.message : String(e) }),
    }),
  createCore: async () => {
    const store = openSettingsFile(
      () =>
        new Store<StoredSettings>(
          settingsStoreOptions(userData, languageForLocales(app.getPreferredSystemLanguages())),
        ),
      userData,
      Date.now(),
      logger,
    );
    settings = new ElectronSettingsStore(store, safeStorage, logger);
    if (!settings.secretsPersisted) logger.warn('OS encryption unavailable: secrets are kept in memory only');
    return createCore({
      dataDir: join(userData, 'data'),
      settings,
      logger,
      demo: { start: startDemoGateway },
      confirmHostChange: confirmHostChangeWith(
        dialog,
        () => BrowserWindow.getFocusedWindow(),
        () => settings?.load().language ?? 'zh-CN',
      ),
    });
  },
  logger,
  logDir,
  now: Date.now,
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
})
  .then((running) => {
    // Main-process only (never the page): the packaged smoke test reads the tray and quits through it.
    if (running) Object.defineProperty(globalThis, Symbol.for('tradebell.running'), { value: running });
  })
  .catch((e: unknown) => {
    const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
    logger.error('TradeBell failed to start', { error: message });
    dialog.showErrorBox('TradeBell', startFailureText(e, startLanguage()));
    app.exit(1);
  });
