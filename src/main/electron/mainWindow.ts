/**
 * The one app window. It is made at start (hidden unless wanted) so the page is loaded and
 * subscribed before the first notification click; closing it only hides it to the tray, until the
 * app is quitting. Events to the page wait for the page to finish loading.
 */
import { EVENTS, type EventName, type EventPayload } from '../../shared/ipc';

interface PreventableEvent {
  preventDefault(): void;
}

/** The parts of a BrowserWindow the keeper uses; Electron's BrowserWindow satisfies it. */
export interface KeptWindow {
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isVisible(): boolean;
  isDestroyed(): boolean;
  setPosition(x: number, y: number): void;
  getSize(): number[];
  on(event: 'close', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  on(event: 'show', listener: () => void): unknown;
  /** Windows only: the OS session ends (shutdown, restart, log-off). */
  on(event: 'query-session-end', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'session-end', listener: (event: PreventableEvent) => void): unknown;
  webContents: {
    send(channel: string, ...args: unknown[]): void;
    isLoading(): boolean;
    reload(): void;
    on(event: 'did-finish-load', listener: () => void): unknown;
    on(
      event: 'render-process-gone',
      listener: (event: PreventableEvent, details: { reason: string; exitCode: number }) => void,
    ): unknown;
  };
}

export interface MainWindowDeps<W extends KeptWindow> {
  create(): W;
  /** Where to put the window when it is shown (next to the tray), given its current size; undefined: leave it. */
  position?(size: { width: number; height: number }): { x: number; y: number } | undefined;
  /** The first time a close hides the window to the tray. */
  onFirstHide?(): void;
  /** The window became visible (the taskbar overlay can only be set on a shown window). */
  onShow?(): void;
  /** Windows is ending the session: quit cleanly now, before-quit and will-quit will not come. */
  onSessionEnd?(): void;
  /** The renderer died; `reloaded` is false once it crashed too often to try again. */
  onRendererGone?(details: { reason: string; exitCode: number }, reloaded: boolean): void;
  now?(): number;
}

/** Events waiting for the page; a page that never loads must not grow it without bound. */
const MAX_QUEUED = 100;
/** A renderer that keeps crashing is reloaded this many times a window of RELOAD_WINDOW_MS, then left. */
export const MAX_RELOADS = 3;
export const RELOAD_WINDOW_MS = 60_000;

export class MainWindow<W extends KeptWindow> {
  private win: W | undefined;
  private loaded = false;
  private queue: Array<{ channel: string; payload: unknown }> = [];
  private quitting = false;
  private hidOnce = false;
  private reloads: number[] = [];

  constructor(private readonly deps: MainWindowDeps<W>) {}

  /** The live window, made if there is none. */
  ensure(): W {
    if (this.win && !this.win.isDestroyed()) return this.win;
    const win = this.deps.create();
    this.win = win;
    this.loaded = false;
    win.on('close', (event) => {
      if (this.quitting) return;
      event.preventDefault();
      win.hide();
      if (!this.hidOnce) {
        this.hidOnce = true;
        this.deps.onFirstHide?.();
      }
    });
    win.on('closed', () => {
      if (this.win === win) this.win = undefined;
    });
    win.on('show', () => this.deps.onShow?.());
    win.on('query-session-end', () => this.deps.onSessionEnd?.());
    win.on('session-end', () => this.deps.onSessionEnd?.());
    // Also after a reload: the new page subscribes again, so the events wait for it.
    win.webContents.on('did-finish-load', () => {
      if (this.win !== win) return;
      this.loaded = true;
      for (const { channel, payload } of this.queue.splice(0)) win.webContents.send(channel, payload);
    });
    win.webContents.on('render-process-gone', (_event, details) => {
      if (this.win !== win || details.reason === 'clean-exit') return;
      this.loaded = false;
      const now = this.deps.now?.() ?? Date.now();
      this.reloads = this.reloads.filter((t) => now - t < RELOAD_WINDOW_MS);
      const reload = this.reloads.length < MAX_RELOADS;
      if (reload) {
        this.reloads.push(now);
        win.webContents.reload();
      }
      this.deps.onRendererGone?.(details, reload);
    });
    return win;
  }

  show(): void {
    const win = this.ensure();
    if (win.isMinimized()) win.restore();
    if (!win.isVisible()) {
      const [width = 0, height = 0] = win.getSize();
      const at = this.deps.position?.({ width, height });
      if (at) win.setPosition(at.x, at.y);
    }
    win.show();
    win.focus();
  }

  hide(): void {
    if (this.win && !this.win.isDestroyed()) this.win.hide();
  }

  isVisible(): boolean {
    return this.win !== undefined && !this.win.isDestroyed() && this.win.isVisible();
  }

  send<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const win = this.win;
    if (!win || win.isDestroyed()) return;
    if (this.loaded) win.webContents.send(EVENTS[event], payload);
    else if (this.queue.length < MAX_QUEUED) this.queue.push({ channel: EVENTS[event], payload });
  }

  /** Whether `contents` is this window's page (the IPC sender check). */
  owns(contents: unknown): boolean {
    return this.win !== undefined && !this.win.isDestroyed() && this.win.webContents === contents;
  }

  get current(): W | undefined {
    return this.win && !this.win.isDestroyed() ? this.win : undefined;
  }

  /** From now on a close really closes (Quit from the tray, OS shutdown). */
  setQuitting(): void {
    this.quitting = true;
  }
}
