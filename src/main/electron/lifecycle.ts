/**
 * The app's life around the window: one instance, start at login (hidden), and polling that
 * sleeps with the machine.
 */

/** Passed by the login item on Windows; macOS tells through `wasOpenedAtLogin`. */
export const HIDDEN_ARG = '--hidden';

/** True when the window should stay in the tray at start: launched by the login item. */
export function launchedHidden(argv: readonly string[], login: { wasOpenedAtLogin?: boolean }): boolean {
  return argv.includes(HIDDEN_ARG) || login.wasOpenedAtLogin === true;
}

export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
}

/**
 * Registers or removes the login item. Electron supports it on macOS and Windows only; on Linux
 * this answers false and the setting has no effect (an autostart .desktop file is the desktop's job).
 */
export function applyStartAtLogin(app: LoginItemApp, enabled: boolean, platform: NodeJS.Platform): boolean {
  if (platform !== 'darwin' && platform !== 'win32') return false;
  app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] });
  return true;
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

/** One signature per event, as Electron's powerMonitor declares them. */
export interface PowerMonitorLike {
  on(event: 'suspend', listener: () => void): unknown;
  on(event: 'resume', listener: () => void): unknown;
  on(event: 'lock-screen', listener: () => void): unknown;
  on(event: 'unlock-screen', listener: () => void): unknown;
  removeListener(event: 'suspend', listener: () => void): unknown;
  removeListener(event: 'resume', listener: () => void): unknown;
  removeListener(event: 'lock-screen', listener: () => void): unknown;
  removeListener(event: 'unlock-screen', listener: () => void): unknown;
}

/** Polling stops while the machine sleeps or the screen is locked, and catches up on return. */
export function followPower(power: PowerMonitorLike, target: { suspend(): void; wake(): void }): () => void {
  const sleep = () => target.suspend();
  const wake = () => target.wake();
  power.on('suspend', sleep);
  power.on('lock-screen', sleep);
  power.on('resume', wake);
  power.on('unlock-screen', wake);
  return () => {
    power.removeListener('suspend', sleep);
    power.removeListener('lock-screen', sleep);
    power.removeListener('resume', wake);
    power.removeListener('unlock-screen', wake);
  };
}
