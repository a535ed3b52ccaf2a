/**
 * Native notifications from the core's notification policy. A live notification stays referenced
 * here until it is clicked, closed or fails: on some platforms a notification object that is
 * garbage-collected loses its click handler. A click opens the window where the seller acts.
 */
import type { Navigation } from '../../shared/api';
import type { NotificationSpec } from '../../shared/domain';
import type { Language } from '../../shared/settings';

export interface NativeNotification {
  show(): void;
  close(): void;
  on(event: 'click', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'failed', listener: (event: unknown, error: string) => void): unknown;
}

export interface NotificationOptions {
  title: string;
  body: string;
  silent: boolean;
  icon?: string;
}

export interface NotifierDeps {
  Notification: new (options: NotificationOptions) => NativeNotification;
  isSupported(): boolean;
  showWindow(): void;
  navigate(nav: Navigation): void;
  icon?: string;
  onFailed?(key: string, error: string): void;
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

const STILL_RUNNING: Record<Language, { title: string; body: string }> = {
  'zh-CN': { title: 'TradeBell 仍在后台运行', body: '新订单仍会提醒。点击托盘图标打开窗口，或从托盘菜单退出。' },
  en: {
    title: 'TradeBell is still running',
    body: 'New orders will still be announced. Click the tray icon to open the window, or quit from its menu.',
  },
};

export class Notifier {
  private readonly live = new Map<string, NativeNotification>();

  constructor(private readonly deps: NotifierDeps) {}

  /** Shows a notification the core's policy decided on. A newer one with the same key replaces the old. */
  show(spec: NotificationSpec): void {
    this.present(spec.key, { title: spec.title, body: spec.body, silent: !spec.sound }, clickTarget(spec));
  }

  /** The one-time notice when the window is first closed to the tray. */
  showStillRunning(language: Language): void {
    const text = STILL_RUNNING[language];
    this.present('tradebell:still-running', { ...text, silent: true }, undefined);
  }

  /** Notifications shown and not yet clicked, closed or failed. */
  get liveCount(): number {
    return this.live.size;
  }

  private present(key: string, options: NotificationOptions, target: Navigation | undefined): void {
    if (!this.deps.isSupported()) return;
    const previous = this.live.get(key);
    if (previous) {
      this.live.delete(key);
      previous.close();
    }
    const n = new this.deps.Notification({ ...options, ...(this.deps.icon !== undefined && { icon: this.deps.icon }) });
    const forget = () => {
      if (this.live.get(key) === n) this.live.delete(key);
    };
    n.on('click', () => {
      forget();
      this.deps.showWindow();
      if (target) this.deps.navigate(target);
    });
    n.on('close', forget);
    n.on('failed', (_event, error) => {
      forget();
      this.deps.onFailed?.(key, error);
    });
    this.live.set(key, n);
    n.show();
  }
}
