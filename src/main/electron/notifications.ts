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

const STILL_RUNNING: Record<Language, { title: string; body: string; bodyMac: string }> = {
  'zh-CN': {
    title: 'TradeBell 仍在后台运行',
    body: '新订单仍会提醒。点击托盘图标打开窗口，或从托盘菜单退出。',
    bodyMac: '新订单仍会提醒。点击菜单栏图标，选择「打开 TradeBell」或「退出」。',
  },
  en: {
    title: 'TradeBell is still running',
    body: 'New orders will still be announced. Click the tray icon to open the window, or quit from its menu.',
    bodyMac: 'New orders will still be announced. Click the menu bar icon and choose Open TradeBell or Quit.',
  },
};

const LOGIN_APPROVAL: Record<Language, { title: string; body: string }> = {
  'zh-CN': {
    title: '开机启动需要你的允许',
    body: '请在「系统设置 › 通用 › 登录项」中允许 TradeBell。',
  },
  en: {
    title: 'Start at login needs your approval',
    body: 'Allow TradeBell in System Settings › General › Login Items.',
  },
};

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
    this.present(spec.key, { title: spec.title, body: spec.body, silent: !spec.sound }, clickTarget(spec));
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
  showStillRunning(language: Language): void {
    const text = STILL_RUNNING[language];
    const body = this.deps.platform === 'darwin' ? text.bodyMac : text.body;
    this.present('tradebell:still-running', { title: text.title, body, silent: true }, undefined);
  }

  /** macOS: the login item waits for the user's approval in System Settings. */
  showLoginApprovalNeeded(language: Language): void {
    this.present('tradebell:login-approval', { ...LOGIN_APPROVAL[language], silent: true }, undefined);
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
