/**
 * Native notifications from the core's notification policy. A click opens the window where the
 * seller acts. Each notification has an id; where it leads is kept (bounded) until the seller
 * clicks it or dismisses it, with the native object itself, whose click handler dies with it.
 * Windows: a toast that moved to the Action Center fires `close` (timed out) but can still be
 * clicked, possibly after the object is gone, so clicks also arrive through
 * `Notification.handleActivation`, by the id carried in the toast's launch arguments.
 */
import type { Navigation } from '../../shared/api';
import type { NotificationSpec } from '../../shared/domain';
import { messagesFor } from '../../shared/i18n';
import type { Language } from '../../shared/settings';

export interface NativeNotification {
  show(): void;
  close(): void;
  on(event: 'click', listener: () => void): unknown;
  on(event: 'close', listener: (event: { reason?: string }) => void): unknown;
  on(event: 'failed', listener: (event: unknown, error: string) => void): unknown;
}

export interface NotificationOptions {
  title: string;
  body: string;
  silent: boolean;
  id?: string;
  icon?: string;
  toastXml?: string;
}

export interface NotifierDeps {
  Notification: new (options: NotificationOptions) => NativeNotification;
  isSupported(): boolean;
  platform: NodeJS.Platform;
  /** The user's language now: a notification is worded when it is shown. */
  language(): Language;
  showWindow(): void;
  navigate(nav: Navigation): void;
  icon?: string;
  onFailed?(id: string, error: string): void;
}

/** Where a click on this notification should take the seller. */
export function clickTarget(spec: NotificationSpec): Navigation | undefined {
  const tid = spec.tids[0];
  if (spec.kind === 'order' && spec.shop !== undefined && tid !== undefined)
    return { view: 'order', shop: spec.shop, tid, focusPanel: true };
  if (spec.kind === 'summary' || (spec.kind === 'order' && spec.tids.length > 0))
    return { view: 'inbox', tids: [...spec.tids] };
  return undefined;
}

/** Notifications whose click target is kept; the oldest is dropped (and its object released) beyond. */
export const MAX_KEPT = 100;
/** Held while the screen is locked; the newest win. */
export const MAX_HELD = 20;

/** libnotify reads a body as markup (b, i, u, a, img): buyer text must not be. */
export function escapeNotificationMarkup(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function xmlText(text: string): string {
  return escapeNotificationMarkup(text);
}

/** Windows: the toast Electron would make, plus launch arguments naming it (parsed back on activation). */
export function toastXml(id: string, title: string, body: string, silent: boolean): string {
  const launch = `type=click&tag=${id}`;
  return (
    `<toast launch="${xmlText(launch)}" activationType="foreground">` +
    '<visual><binding template="ToastGeneric">' +
    `<text>${xmlText(title)}</text><text>${xmlText(body)}</text>` +
    '</binding></visual>' +
    (silent ? '<audio silent="true"/>' : '') +
    '</toast>'
  );
}

/** The notification id in Windows activation arguments (`type=click&tag=<id>`). */
export function activationId(args: string): string | undefined {
  for (const pair of args.split('&')) {
    const [k, v] = pair.split('=');
    if (k === 'tag' && v) return v;
  }
  return undefined;
}

interface Kept {
  key: string;
  target: Navigation | undefined;
  native: NativeNotification;
}

export class Notifier {
  /** By notification id, oldest first. */
  private readonly kept = new Map<string, Kept>();
  private readonly held = new Map<string, NotificationSpec>();
  private holding = false;
  private seq = 0;
  private readonly prefix = Date.now().toString(36);

  constructor(private readonly deps: NotifierDeps) {}

  /** Shows a notification the core's policy decided on; a newer one with the same key replaces the old. */
  show(spec: NotificationSpec): void {
    if (this.holding) {
      this.held.delete(spec.key);
      this.held.set(spec.key, spec);
      if (this.held.size > MAX_HELD) this.held.delete(this.held.keys().next().value!);
      return;
    }
    const { title, body } = messagesFor(this.deps.language()).notification(spec);
    this.present(spec.key, { title, body, silent: !spec.sound }, clickTarget(spec));
  }

  /** The screen is locked: notifications wait (orders are still stored). */
  hold(): void {
    this.holding = true;
  }

  /** Unlocked: what waited is shown. */
  release(): void {
    this.holding = false;
    const waiting = [...this.held.values()];
    this.held.clear();
    for (const spec of waiting) this.show(spec);
  }

  /** The one-time notice when the window is first closed to the tray. */
  showStillRunning(): void {
    const text = messagesFor(this.deps.language()).notify.stillRunning;
    const body = this.deps.platform === 'darwin' ? text.bodyMac : text.body;
    this.present('tradebell:still-running', { title: text.title, body, silent: true }, undefined);
  }

  /** macOS: the login item waits for the user's approval in System Settings. */
  showLoginApprovalNeeded(): void {
    const text = messagesFor(this.deps.language()).notify.loginApproval;
    this.present('tradebell:login-approval', { ...text, silent: true }, undefined);
  }

  /** Windows: a toast activation (from the banner or the Action Center, object alive or not). */
  activate(args: string): void {
    const id = activationId(args);
    const kept = id === undefined ? undefined : this.kept.get(id);
    if (id !== undefined && !kept) {
      // Already handled through the object's own click, or from a previous run.
      this.deps.showWindow();
      return;
    }
    this.open(id, kept?.target);
  }

  /** Notifications whose click target is still kept. */
  get liveCount(): number {
    return this.kept.size;
  }

  get heldCount(): number {
    return this.held.size;
  }

  private open(id: string | undefined, target: Navigation | undefined): void {
    if (id !== undefined) this.kept.delete(id);
    this.deps.showWindow();
    if (target) this.deps.navigate(target);
  }

  private present(key: string, options: NotificationOptions, target: Navigation | undefined): void {
    if (!this.deps.isSupported()) return;
    for (const [id, k] of this.kept) {
      if (k.key !== key) continue;
      this.kept.delete(id);
      k.native.close();
    }
    const id = `${this.prefix}-${++this.seq}`;
    const { platform } = this.deps;
    const body = platform === 'linux' ? escapeNotificationMarkup(options.body) : options.body;
    const n = new this.deps.Notification({
      ...options,
      body,
      ...(platform === 'win32' && { id, toastXml: toastXml(id, options.title, options.body, options.silent) }),
      ...(platform === 'darwin' && { id }),
      ...(this.deps.icon !== undefined && { icon: this.deps.icon }),
    });
    const forget = () => {
      if (this.kept.get(id)?.native === n) this.kept.delete(id);
    };
    n.on('click', () => {
      if (!this.kept.has(id)) return;
      this.open(id, target);
    });
    // Only the user's own dismissal ends it: Windows' timeout moves it to the Action Center.
    n.on('close', (event) => {
      if (event?.reason === 'userCanceled' || platform !== 'win32') forget();
    });
    n.on('failed', (_event, error) => {
      forget();
      this.deps.onFailed?.(id, error);
    });
    this.kept.set(id, { key, target, native: n });
    if (this.kept.size > MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
    n.show();
  }
}
