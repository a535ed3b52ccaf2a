/**
 * The Electron face, wired: one instance, the core, the window, the tray, notifications, IPC,
 * power and session events, updates. Every Electron object comes in through `AppDeps`, so tests run all of this with
 * fakes; main.ts only gathers the real ones.
 */
import type { AppState } from '../../shared/api';
import { AppFailure } from '../../shared/errors';
import { messagesFor } from '../../shared/i18n';
import { APP_ID } from '../../shared/appId';
import type { Language, PublicSettings } from '../../shared/settings';
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
  loginItemSupported,
  readStartAtLogin,
  type LoginItemApp,
  type LoginItemStatus,
  type PowerMonitorLike,
  type SingleInstanceApp,
} from './lifecycle';
import { MainWindow, type KeptWindow } from './mainWindow';
import { Notifier, type NotifierDeps } from './notifications';
import { TrayController, type BadgeApp, type OverlayWindow, type Rectangle, type TrayDeps } from './tray';
import { UpdateController, type UpdaterLike } from './updater';
import { positionNearTray } from './window';

interface PreventableEvent {
  preventDefault(): void;
}

/** The part of Electron's `app` used here. */
export interface ShellApp extends SingleInstanceApp, LoginItemApp, BadgeApp {
  whenReady(): Promise<void>;
  setAppUserModelId(id: string): void;
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
  /** process.execPath: from source, Windows files toasts under the electron binary's own id. */
  execPath: string;
  ipcMain: IpcMainLike;
  powerMonitor: PowerMonitorLike;
  shell: ExternalShell & { openPath(path: string): Promise<string> };
  clipboard: { writeText(text: string): void };
  screen: { getDisplayNearestPoint(point: { x: number; y: number }): { workArea: Rectangle } };
  tray: Pick<TrayDeps, 'Tray' | 'Menu' | 'nativeImage' | 'iconDir'>;
  /** Electron's Menu: the application menu is set here. */
  applicationMenu: { setApplicationMenu(menu: unknown): void };
  Notification: NotifierDeps['Notification'] & {
    isSupported(): boolean;
    /** Windows toast activations, whether or not the Notification object still exists. */
    handleActivation?(callback: (details: { arguments: string }) => void): void;
  };
  /** electron-updater's autoUpdater. */
  updater: UpdaterLike;
  /** Starts serving the window's page (appScheme.ts): called once the app is ready, before any
   * window is made. */
  servePage(): void;
  /** Makes the app window (createAppWindow with the real BrowserWindow). */
  createWindow(): W;
  /** Where the window's page comes from: the IPC sender check compares against it. */
  source: RendererSource;
  /** Made after `ready` (safeStorage needs it on Linux) and after the single-instance lock. */
  createCore(): Promise<TradebellCore>;
  logger: Logger;
  logDir: string;
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RunningApp<W extends KeptWindow> {
  core: TradebellCore;
  window: MainWindow<W>;
  tray: TrayController;
  notifier: Notifier;
  updates: UpdateController;
  /** Quit from the tray: the window really closes and the core stops before the process ends. */
  quit(): void;
}

/**
 * macOS keeps an app menu (Cmd+Q, and the Edit menu that makes Cmd+C/V work in the memo field);
 * Windows and Linux get none, so Alt shows no menu with Reload or DevTools. `npm start` keeps
 * Electron's default menu, DevTools included.
 */
export function applicationMenuTemplate(platform: NodeJS.Platform): { role: 'appMenu' | 'editMenu' }[] | null {
  return platform === 'darwin' ? [{ role: 'appMenu' }, { role: 'editMenu' }] : null;
}

/**
 * What the start-up failure box says: a failure the core describes as data (the data folder in
 * use, an inbox from a newer version) in the user's words; anything else is a bug, shown with its
 * stack for the report.
 */
export function startFailureText(e: unknown, language: Language): string {
  const m = messagesFor(language);
  const what = e instanceof AppFailure ? m.errorText(e.error) : e instanceof Error ? (e.stack ?? e.message) : String(e);
  return m.dialogs.startFailed(what);
}

/** Starts the app; null when another instance already runs (this one then quits). */
export async function runApp<W extends KeptWindow & OverlayWindow>(deps: AppDeps<W>): Promise<RunningApp<W> | null> {
  const { app, logger, platform } = deps;
  // Made once the app is ready; a second launch before that has nothing to show yet.
  const shown: { window?: MainWindow<W> } = {};
  if (!claimSingleInstance(app, () => shown.window?.show())) return null;
  // Windows files toasts under the AppUserModelId: the installer's shortcut carries APP_ID;
  // from source there is no shortcut, and only the electron binary's own path works.
  if (platform === 'win32') app.setAppUserModelId(app.isPackaged ? APP_ID : deps.execPath);
  // Closing the window hides it; the app lives in the tray until Quit.
  app.on('window-all-closed', () => undefined);
  await app.whenReady();
  deps.servePage();
  if (app.isPackaged) {
    const template = applicationMenuTemplate(platform);
    deps.applicationMenu.setApplicationMenu(template && deps.tray.Menu.buildFromTemplate(template));
  }

  const core = await deps.createCore();
  let language: Language = core.getSettings().language;
  let loginItem: { supported: boolean; status?: LoginItemStatus } = {
    supported: loginItemSupported(app, platform),
  };

  const notifier = new Notifier({
    Notification: deps.Notification,
    isSupported: () => deps.Notification.isSupported(),
    platform,
    language: () => language,
    showWindow: () => window.show(),
    navigate: (nav) => window.send('navigate', nav),
    onFailed: (id, error) => logger.warn('notification failed', { id, error }),
  });
  if (platform === 'win32') deps.Notification.handleActivation?.((details) => notifier.activate(details.arguments));

  const publish = (state: AppState) => {
    tray.update(state, language);
    window.send('state', state);
  };

  const updates = new UpdateController({
    updater: deps.updater,
    enabled: app.isPackaged,
    logger,
    setInterval: deps.setInterval,
    clearInterval: deps.clearInterval,
    setTimeout: deps.setTimeout,
    clearTimeout: deps.clearTimeout,
    onReady: () => tray.setUpdateReady(),
  });

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
      restartToUpdate: () => {
        // The window must really close, and will-quit stops the core before the installer runs.
        window.setQuitting();
        updates.restartToUpdate();
      },
      quit: () => quit(),
    },
  });

  const window: MainWindow<W> = new MainWindow<W>({
    create: deps.createWindow,
    position: (size) => {
      const bounds = tray.bounds();
      return positionNearTray(bounds, deps.screen.getDisplayNearestPoint({ x: bounds.x, y: bounds.y }).workArea, size);
    },
    onFirstHide: () => notifier.showStillRunning(),
    onShow: () => tray.windowShown(),
    onSessionEnd: () => endSession('Windows session end'),
    onRendererGone: (details, reloaded) =>
      logger.error('the window renderer is gone', { reason: details.reason, exitCode: details.exitCode, reloaded }),
    now: deps.now,
  });
  shown.window = window;

  core.on('state', publish);
  core.on('orders', (tids) => window.send('ordersChanged', tids));
  core.on('notify', (spec) => notifier.show(spec));
  // The shop's status in the state carries the error to the window; here it is logged, and
  // having a listener keeps the emitter from throwing it back into the poller.
  core.on('error', ({ shop, error }) => {
    logger.warn('shop error shown in the window', { shop, kind: error.kind, code: error.code });
    publish(core.getState());
  });

  const describeSettings = (settings: PublicSettings): PublicSettings => ({ ...settings, loginItem });
  const syncLoginItem = (os: { enabled: boolean; status?: LoginItemStatus } | undefined, wanted: boolean) => {
    if (!os) return;
    loginItem = { supported: true, ...(os.status !== undefined && { status: os.status }) };
    if (os.status === 'requires-approval' && wanted) notifier.showLoginApprovalNeeded();
  };

  let startAtLogin = core.getSettings().startAtLogin;
  const unregisterIpc = registerIpc(
    deps.ipcMain,
    coreHandlers(core, {
      openExternal: (url) => openAllowedExternal(deps.shell, url),
      copyText: (text) => deps.clipboard.writeText(text),
      settingsChanged: (settings) => {
        language = settings.language;
        tray.setLanguage(language);
        updates.mirrorChanged(settings.updateMirrorUrl);
        if (settings.startAtLogin !== startAtLogin) {
          startAtLogin = settings.startAtLogin;
          syncLoginItem(applyStartAtLogin(app, startAtLogin, platform), startAtLogin);
        }
      },
      describeSettings,
    }),
    (event) => isTrustedSender(event, deps.source, (contents) => window.owns(contents)),
    logger,
  );
  const unfollowPower = followPower(deps.powerMonitor, {
    suspend: () => core.suspend(),
    wake: () => core.wake(),
    locked: () => notifier.hold(),
    unlocked: () => notifier.release(),
    shutdown: () => endSession('system shutdown'),
  });

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
    updates.stop();
    core
      .stop()
      .then(
        () => logger.info('core stopped'),
        (e: unknown) =>
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
  // The OS ends the session: before-quit and will-quit may never come, so quit through them now.
  const endSession = (why: string) => {
    if (stop !== 'running') return;
    logger.info('the session is ending: stopping', { why });
    updates.keepForNextStart();
    quit();
  };

  window.ensure();
  tray.update(core.getState(), language);
  // The OS is the truth about the login item (the user may have changed it there).
  const os = readStartAtLogin(app, platform);
  if (os) {
    syncLoginItem(os, os.enabled);
    if (os.enabled !== startAtLogin) {
      startAtLogin = os.enabled;
      await core.updateSettings({ startAtLogin: os.enabled });
    }
  }
  await core.start();
  updates.start(core.getSettings().updateMirrorUrl);
  if (!launchedHidden(deps.argv, app.getLoginItemSettings())) window.show();
  return { core, window, tray, notifier, updates, quit };
}
