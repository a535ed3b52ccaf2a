/**
 * Updates through electron-updater. The default feed is the release feed electron-builder writes
 * into the packaged app (resources/app-update.yml, from `publish` in electron-builder.yml); a
 * mirror URL from the settings (a plain folder holding the same latest*.yml and installers)
 * takes its place, since release downloads are slow from mainland China. Checked at start and
 * every 6 hours, downloaded in the background; the tray then offers to restart to update. TradeBell never
 * restarts on its own (a seller may be typing a memo): an update not applied by the tray item is
 * installed when the app next quits, unless the OS session is ending.
 */
import type { Logger } from '../core/ports';

export const CHECK_EVERY_MS = 6 * 60 * 60 * 1000;
/**
 * How long a check may take. electron-updater's own request timeout never fires under Electron:
 * it is set when the request emits `socket` (builder-util-runtime's addTimeOutHandler), which
 * Electron's net requests never do. A feed that accepts the connection and then says nothing
 * would hold the check, and every later one, for as long as the app runs.
 */
export const CHECK_DEADLINE_MS = 2 * 60 * 1000;

/** The part of electron-updater's AppUpdater used here. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'update-available', listener: (info: { version: string }) => void): unknown;
  on(
    event: 'download-progress',
    listener: (progress: { percent: number; transferred: number; total: number }) => void,
  ): unknown;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface UpdateControllerDeps {
  updater: UpdaterLike;
  /** Packaged only: from `npm start` there is nothing to update. */
  enabled: boolean;
  logger: Logger;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** An update is downloaded and waits for the tray's restart-to-update item. */
  onReady(version: string): void;
}

export class UpdateController {
  private timer: unknown;
  private mirror = '';
  private ready?: string;
  private lastPercent = -1;
  private checking = false;
  private checkAgain = false;

  constructor(private readonly deps: UpdateControllerDeps) {
    const { updater, logger } = deps;
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    updater.on('update-available', (info) => logger.info('update available', { version: info.version }));
    updater.on('download-progress', (p) => {
      const percent = Math.floor(p.percent);
      if (percent === this.lastPercent) return;
      this.lastPercent = percent;
      logger.info('update download progress', { percent, transferred: p.transferred, total: p.total });
    });
    updater.on('update-downloaded', (info) => {
      logger.info('update downloaded', { version: info.version });
      this.ready = info.version;
      deps.onReady(info.version);
    });
    updater.on('error', (e) => logger.warn('update check failed', { error: e.message }));
  }

  /** Checks now and every 6 hours, from the mirror when one is set. */
  start(mirror: string): void {
    if (!this.deps.enabled) return;
    this.applyMirror(mirror);
    this.check();
    this.timer = this.deps.setInterval(() => this.check(), CHECK_EVERY_MS);
  }

  /** The settings changed. A new mirror is used at once; a cleared one falls back to the release feed at the next start. */
  mirrorChanged(mirror: string): void {
    if (!this.deps.enabled || mirror === this.mirror) return;
    this.applyMirror(mirror);
    if (mirror !== '') this.check();
  }

  /** The version waiting for a restart, if any. */
  get readyVersion(): string | undefined {
    return this.ready;
  }

  /** The tray's restart-to-update item: the caller has already let the window close and the core stop on quit. */
  restartToUpdate(): void {
    if (this.ready === undefined) return;
    this.deps.logger.info('restarting to update', { version: this.ready });
    this.deps.updater.quitAndInstall(false, true);
  }

  /**
   * The OS session is ending (shutdown, sign-out): an installer started as the app quits now
   * would be killed half way, leaving no working app (electron-builder#7807). The download stays
   * in electron-updater's cache: the next start finds it, offers 重启以更新 again, and installs it
   * at the next ordinary quit. Windows and Linux only: Squirrel.Mac, once handed the update at
   * download, installs it at any quit.
   */
  keepForNextStart(): void {
    this.deps.updater.autoInstallOnAppQuit = false;
  }

  stop(): void {
    if (this.timer !== undefined) this.deps.clearInterval(this.timer);
    this.timer = undefined;
  }

  private applyMirror(mirror: string): void {
    this.mirror = mirror;
    if (mirror !== '') this.deps.updater.setFeedURL({ provider: 'generic', url: mirror });
  }

  /**
   * electron-updater answers a check asked while one is in flight with that same check, made
   * against the feed it started with: a mirror saved meanwhile (the release feed slow or
   * unreachable, which is why a mirror is set) would wait for the next 6-hourly check. It is
   * checked as soon as the one in flight ends, or is given up (CHECK_DEADLINE_MS).
   */
  private check(): void {
    if (this.ready !== undefined) return;
    if (this.checking) {
      this.checkAgain = true;
      return;
    }
    this.checking = true;
    let over = false;
    const end = () => {
      over = true;
      this.checking = false;
      if (!this.checkAgain) return;
      this.checkAgain = false;
      this.check();
    };
    const deadline = this.deps.setTimeout(() => {
      if (over) return;
      this.deps.logger.warn('update check failed', {
        error: 'no answer from the update feed',
        afterMs: CHECK_DEADLINE_MS,
      });
      forgetCheckInFlight(this.deps.updater);
      end();
    }, CHECK_DEADLINE_MS);
    this.deps.updater
      .checkForUpdates()
      .catch((e: unknown) => {
        if (!over) this.deps.logger.warn('update check failed', { error: e instanceof Error ? e.message : String(e) });
      })
      .finally(() => {
        if (over) return;
        this.deps.clearTimeout(deadline);
        end();
      });
  }
}

/**
 * Lets electron-updater start a new check although one never ended: it keeps the check in flight
 * in `checkForUpdatesPromise` and hands it back to every later call until it settles (AppUpdater,
 * pinned in package.json; test/main/electron/updater.test.ts reads the installed source for it).
 * The request given up stays open until the network drops it; its answer, if one ever comes, is
 * as good as any.
 */
function forgetCheckInFlight(updater: UpdaterLike): void {
  (updater as { checkForUpdatesPromise?: unknown }).checkForUpdatesPromise = null;
}
