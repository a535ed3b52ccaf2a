/**
 * The app's life around the window: one instance, start at login (hidden), polling that sleeps
 * with the machine, and a clean stop when the OS ends the session.
 */

/** Passed by the login item on Windows; macOS tells through `wasOpenedAtLogin`. */
export const HIDDEN_ARG = '--hidden';

/** True when the window should stay in the tray at start: launched by the login item. */
export function launchedHidden(argv: readonly string[], login: { wasOpenedAtLogin?: boolean }): boolean {
  return argv.includes(HIDDEN_ARG) || login.wasOpenedAtLogin === true;
}

export type LoginItemStatus = 'not-registered' | 'enabled' | 'requires-approval' | 'not-found';

export interface LoginItemApp {
  readonly isPackaged: boolean;
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
  getLoginItemSettings(options?: { args?: string[] }): {
    openAtLogin: boolean;
    wasOpenedAtLogin?: boolean;
    executableWillLaunchAtLogin?: boolean;
    status?: LoginItemStatus;
  };
}

/**
 * Whether this run can have a login item: Electron has them on macOS and Windows only (on Linux
 * it is the desktop's autostart folder), and `npm start` runs the bare electron binary, which
 * must never be registered.
 */
export function loginItemSupported(app: Pick<LoginItemApp, 'isPackaged'>, platform: NodeJS.Platform): boolean {
  return app.isPackaged && (platform === 'darwin' || platform === 'win32');
}

/** What the OS says now; the settings follow it (the user may have changed it in the OS). */
export function readStartAtLogin(
  app: LoginItemApp,
  platform: NodeJS.Platform,
): { enabled: boolean; status?: LoginItemStatus } | undefined {
  if (!loginItemSupported(app, platform)) return undefined;
  const s = app.getLoginItemSettings(platform === 'win32' ? { args: [HIDDEN_ARG] } : undefined);
  // Windows: openAtLogin also compares the args; executableWillLaunchAtLogin also sees a run key
  // the user turned off in Task Manager.
  const enabled = platform === 'win32' ? s.executableWillLaunchAtLogin === true : s.openAtLogin;
  return { enabled, ...(s.status !== undefined && { status: s.status }) };
}

/** Registers or removes the login item, where supported; answers what the OS says afterwards. */
export function applyStartAtLogin(
  app: LoginItemApp,
  enabled: boolean,
  platform: NodeJS.Platform,
): { enabled: boolean; status?: LoginItemStatus } | undefined {
  if (!loginItemSupported(app, platform)) return undefined;
  app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] });
  return readStartAtLogin(app, platform);
}

export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'second-instance', listener: () => void): unknown;
}

/**
 * Claims the single-instance lock before anything opens the data folder. A second launch quits
 * at once and the first instance shows its window instead.
 */
export function claimSingleInstance(app: SingleInstanceApp, onSecondInstance: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', onSecondInstance);
  return true;
}

interface PreventableEvent {
  preventDefault(): void;
}

/** One signature per event, as Electron's powerMonitor declares them. */
export interface PowerMonitorLike {
  on(event: 'suspend', listener: () => void): unknown;
  on(event: 'resume', listener: () => void): unknown;
  on(event: 'lock-screen', listener: () => void): unknown;
  on(event: 'unlock-screen', listener: () => void): unknown;
  on(event: 'shutdown', listener: (event?: PreventableEvent) => void): unknown;
  removeListener(event: 'suspend', listener: () => void): unknown;
  removeListener(event: 'resume', listener: () => void): unknown;
  removeListener(event: 'lock-screen', listener: () => void): unknown;
  removeListener(event: 'unlock-screen', listener: () => void): unknown;
  removeListener(event: 'shutdown', listener: (event?: PreventableEvent) => void): unknown;
}

export interface PowerTargets {
  /** The machine sleeps: stop calling. */
  suspend(): void;
  /** It woke up: resume and catch up at once. */
  wake(): void;
  /** The screen locked: notifications wait; polling goes on (a locked shop PC still stores orders). */
  locked(): void;
  unlocked(): void;
  /** macOS/Linux shutdown or logout, which skips before-quit/will-quit: stop cleanly now. */
  shutdown(): void;
}

export function followPower(power: PowerMonitorLike, target: PowerTargets): () => void {
  const sleep = () => target.suspend();
  const wake = () => target.wake();
  const locked = () => target.locked();
  const unlocked = () => target.unlocked();
  const shutdown = (event?: PreventableEvent) => {
    // Electron then delays the shutdown until the app quits.
    event?.preventDefault();
    target.shutdown();
  };
  power.on('suspend', sleep);
  power.on('resume', wake);
  power.on('lock-screen', locked);
  power.on('unlock-screen', unlocked);
  power.on('shutdown', shutdown);
  return () => {
    power.removeListener('suspend', sleep);
    power.removeListener('resume', wake);
    power.removeListener('lock-screen', locked);
    power.removeListener('unlock-screen', unlocked);
    power.removeListener('shutdown', shutdown);
  };
}
