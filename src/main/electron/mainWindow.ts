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
  on(event: 'close', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  webContents: {
    send(channel: string, ...args: unknown[]): void;
    isLoading(): boolean;
    once(event: 'did-finish-load', listener: () => void): unknown;
  };
}

export interface MainWindowDeps<W extends KeptWindow> {
  create(): W;
  /** Where to put the window when it is shown (next to the tray); undefined: leave it. */
  position?(): { x: number; y: number } | undefined;
  /** The first time a close hides the window to the tray. */
  onFirstHide?(): void;
}

/** Events waiting for the page; a page that never loads must not grow it without bound. */
const MAX_QUEUED = 100;

export class MainWindow<W extends KeptWindow> {
  private win: W | undefined;
  private loaded = false;
  private queue: Array<{ channel: string; payload: unknown }> = [];
  private quitting = false;
  private hidOnce = false;

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
    win.webContents.once('did-finish-load', () => {
      if (this.win !== win) return;
      this.loaded = true;
      for (const { channel, payload } of this.queue.splice(0)) win.webContents.send(channel, payload);
    });
    return win;
  }

  show(): void {
    const win = this.ensure();
    if (win.isMinimized()) win.restore();
    if (!win.isVisible()) {
      const at = this.deps.position?.();
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
