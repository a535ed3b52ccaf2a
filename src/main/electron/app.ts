/**
 * The Electron face, wired: one instance, the core, the window, the tray, notifications, IPC and
 * power events. Every Electron object comes in through `AppDeps`, so tests run all of this with
 * fakes; main.ts only gathers the real ones.
 */
import type { AppState } from '../../shared/api';
import { APP_ID } from '../../shared/appId';
import type { Language } from '../../shared/settings';
import type { Logger } from '../core/ports';
import type { TradebellCore } from '../core/service';
import type { RendererSource } from './appUrl';
import { openAllowedExternal, type ExternalShell } from './external';
import { coreHandlers, isTrustedSender, registerIpc, type IpcMainLike } from './ipc';
import {
  applyStartAtLogin,
  claimSingleInstance,
  followPower,
  launchedHidden,
  type LoginItemApp,
  type PowerMonitorLike,
  type SingleInstanceApp,
} from './lifecycle';
import { MainWindow, type KeptWindow } from './mainWindow';
import { Notifier, type NotifierDeps } from './notifications';
import { TrayController, type BadgeApp, type OverlayWindow, type Rectangle, type TrayDeps } from './tray';
import { positionNearTray } from './window';

interface PreventableEvent {
  preventDefault(): void;
}

/** The part of Electron's `app` used here. */
export interface ShellApp extends SingleInstanceApp, LoginItemApp, BadgeApp {
  whenReady(): Promise<void>;
  setAppUserModelId(id: string): void;
  getLoginItemSettings(): { wasOpenedAtLogin?: boolean };
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'before-quit', listener: () => void): unknown;
  on(event: 'will-quit', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'activate', listener: () => void): unknown;
}

export interface AppDeps<W extends KeptWindow & OverlayWindow> {
  app: ShellApp;
  argv: readonly string[];
  platform: NodeJS.Platform;
  ipcMain: IpcMainLike;
  powerMonitor: PowerMonitorLike;
  shell: ExternalShell & { openPath(path: string): Promise<string> };
  clipboard: { writeText(text: string): void };
  screen: { getDisplayNearestPoint(point: { x: number; y: number }): { workArea: Rectangle } };
  tray: Pick<TrayDeps, 'Tray' | 'Menu' | 'nativeImage' | 'iconDir'>;
  Notification: NotifierDeps['Notification'] & { isSupported(): boolean };
  /** Makes the app window (createAppWindow with the real BrowserWindow). */
  createWindow(): W;
  /** Where the window's page comes from: the IPC sender check compares against it. */
  source: RendererSource;
  /** Made after `ready` (safeStorage needs it on Linux) and after the single-instance lock. */
  createCore(): Promise<TradebellCore>;
  logger: Logger;
  logDir: string;
  now(): number;
}

export interface RunningApp<W extends KeptWindow> {
  core: TradebellCore;
  window: MainWindow<W>;
  tray: TrayController;
  notifier: Notifier;
  /** Quit from the tray: the window really closes and the core stops before the process ends. */
  quit(): void;
}

/** Starts the app; null when another instance already runs (this one then quits). */
export async function runApp<W extends KeptWindow & OverlayWindow>(deps: AppDeps<W>): Promise<RunningApp<W> | null> {
  const { app, logger, platform } = deps;
  // Made once the app is ready; a second launch before that has nothing to show yet.
  const shown: { window?: MainWindow<W> } = {};
  if (!claimSingleInstance(app, () => shown.window?.show())) return null;
  // Windows toasts only show for an AppUserModelId equal to the installer's appId.
  app.setAppUserModelId(APP_ID);
  // Closing the window hides it; the app lives in the tray until Quit.
  app.on('window-all-closed', () => undefined);
  await app.whenReady();

  const core = await deps.createCore();
  let language: Language = core.getSettings().language;
  let startAtLogin = core.getSettings().startAtLogin;

  const notifier = new Notifier({
    Notification: deps.Notification,
    isSupported: () => deps.Notification.isSupported(),
    showWindow: () => window.show(),
    navigate: (nav) => window.send('navigate', nav),
    onFailed: (key, error) => logger.warn('notification failed', { key, error }),
  });

  const publish = (state: AppState) => {
    tray.update(state, language);
    window.send('state', state);
  };

  const tray: TrayController = new TrayController({
    ...deps.tray,
    app,
    platform,
    window: () => window.current,
    now: deps.now,
    actions: {
      open: () => window.show(),
      pause: () => publish(core.pause()),
      resume: () => publish(core.resume()),
      mute: (minutes) => publish(core.mute(minutes)),
      settings: () => {
        window.show();
        window.send('navigate', { view: 'settings' });
      },
      openLogFolder: () => void deps.shell.openPath(deps.logDir),
      quit: () => quit(),
    },
  });

  const window: MainWindow<W> = new MainWindow<W>({
    create: deps.createWindow,
    position: () => {
      const bounds = tray.bounds();
      return positionNearTray(bounds, deps.screen.getDisplayNearestPoint({ x: bounds.x, y: bounds.y }).workArea);
    },
    onFirstHide: () => notifier.showStillRunning(language),
  });
  shown.window = window;

  core.on('state', publish);
  core.on('orders', (tids) => window.send('ordersChanged', tids));
  core.on('notify', (spec) => notifier.show(spec));

  const unregisterIpc = registerIpc(
    deps.ipcMain,
    coreHandlers(core, {
      openExternal: (url) => openAllowedExternal(deps.shell, url),
      copyText: (text) => deps.clipboard.writeText(text),
      settingsChanged: (settings) => {
        language = settings.language;
        tray.setLanguage(language);
        if (settings.startAtLogin !== startAtLogin) {
          startAtLogin = settings.startAtLogin;
          applyStartAtLogin(app, startAtLogin, platform);
        }
      },
    }),
    (event) => isTrustedSender(event, deps.source, (contents) => window.owns(contents)),
    logger,
  );
  const unfollowPower = followPower(deps.powerMonitor, core);

  // Quitting: let the window close, then stop the core (it flushes the inbox) before the process ends.
  let stop: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', () => window.setQuitting());
  app.on('will-quit', (event) => {
    if (stop === 'stopped') return;
    event.preventDefault();
    if (stop === 'stopping') return;
    stop = 'stopping';
    unfollowPower();
    unregisterIpc();
    core
      .stop()
      .catch((e: unknown) =>
        logger.error('core did not stop cleanly', { error: e instanceof Error ? e.message : String(e) }),
      )
      .finally(() => {
        stop = 'stopped';
        tray.destroy();
        app.quit();
      });
  });
  app.on('activate', () => window.show());
  const quit = () => {
    window.setQuitting();
    app.quit();
  };

  window.ensure();
  tray.update(core.getState(), language);
  await core.start();
  if (!launchedHidden(deps.argv, app.getLoginItemSettings())) window.show();
  return { core, window, tray, notifier, quit };
}
