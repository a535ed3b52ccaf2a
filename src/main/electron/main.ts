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
  safeStorage,
  screen,
  shell,
} from 'electron';
import log from 'electron-log/main';
import Store from 'electron-store';
import { PRODUCT_NAME } from '../../shared/appId';
import { languageForLocales } from '../../shared/settings';
import { createCore } from '../core/core';
import { startSimulator } from '../../simulator';
import { runApp } from './app';
import { rendererSource } from './appUrl';
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

runApp({
  app,
  argv: process.argv,
  platform: process.platform,
  ipcMain,
  powerMonitor,
  shell,
  clipboard,
  screen,
  tray: { Tray, Menu, nativeImage, iconDir },
  Notification,
  source,
  createWindow: () =>
    createAppWindow({
      BrowserWindow,
      source,
      preload: here('../preload/index.cjs'),
      title: PRODUCT_NAME,
      openExternal: (url) => void openAllowedExternal(shell, url),
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
      demo: { start: startSimulator },
      confirmHostChange: confirmHostChangeWith(dialog, () => BrowserWindow.getFocusedWindow()),
    });
  },
  logger,
  logDir,
  now: Date.now,
}).catch((e: unknown) => {
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  logger.error('TradeBell failed to start', { error: message });
  dialog.showErrorBox('TradeBell', `TradeBell 无法启动 (TradeBell could not start):\n${message}`);
  app.exit(1);
});
