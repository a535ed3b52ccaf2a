/**
 * Hand-written stand-ins for the Electron objects the glue receives through its constructors,
 * and a fake core. They record what was done to them and let a test fire their events.
 */
import { vi } from 'vitest';
import type { BrowserWindowConstructorOptions, NativeImage } from 'electron';
import type { AppState } from '../../../src/shared/api';
import type { OrderNotification, SummaryNotification } from '../../../src/shared/domain';
import { ok } from '../../../src/shared/result';
import { DEFAULT_SETTINGS, type PublicSettings } from '../../../src/shared/settings';
import type { CoreEvents, TradebellCore } from '../../../src/main/core/service';
import type { InvokeEvent } from '../../../src/main/electron/ipc';
import type { NotificationOptions } from '../../../src/main/electron/notifications';

type Listener = (...args: any[]) => unknown;

/** A tiny event emitter with the `on / once / removeListener` shape Electron objects have. */
export class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    const once: Listener = (...args) => {
      this.removeListener(event, once);
      return listener(...args);
    };
    return this.on(event, once);
  }
  removeListener(event: string, listener: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener),
    );
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of [...(this.listeners.get(event) ?? [])]) l(...args);
  }
  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

export function fakeEvent(): { preventDefault: ReturnType<typeof vi.fn>; defaultPrevented: () => boolean } {
  const preventDefault = vi.fn();
  return { preventDefault, defaultPrevented: () => preventDefault.mock.calls.length > 0 };
}

// ---- windows ------------------------------------------------------------------------------

export class FakeSession {
  permissionRequest?: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void;
  permissionCheck?: () => boolean;
  headers?: (
    details: { responseHeaders?: Record<string, string[]> },
    callback: (r: { responseHeaders?: Record<string, string[]> }) => void,
  ) => void;
  setPermissionRequestHandler(h: NonNullable<FakeSession['permissionRequest']>): void {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: () => boolean): void {
    this.permissionCheck = h;
  }
  webRequest = {
    onHeadersReceived: (h: NonNullable<FakeSession['headers']>) => {
      this.headers = h;
    },
  };
}

export class FakeWebContents extends Emitter {
  readonly session = new FakeSession();
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  openHandler?: (details: { url: string }) => { action: 'deny' };
  loading = true;
  setWindowOpenHandler(h: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = h;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, payload: args[0] });
  }
  isLoading(): boolean {
    return this.loading;
  }
  reloads = 0;
  reload(): void {
    this.reloads += 1;
    this.loading = true;
  }
  finishLoad(): void {
    this.loading = false;
    this.emit('did-finish-load');
  }
}

export class FakeBrowserWindow extends Emitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  visible = false;
  minimized = false;
  destroyed = false;
  position?: [number, number];
  overlay: Array<{ image: unknown; description: string }> = [];
  loadedUrl?: string;
  readonly calls: string[] = [];

  constructor(readonly options: BrowserWindowConstructorOptions = {}) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show(): void {
    this.calls.push('show');
    this.visible = true;
  }
  hide(): void {
    this.calls.push('hide');
    this.visible = false;
  }
  focus(): void {
    this.calls.push('focus');
  }
  restore(): void {
    this.calls.push('restore');
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setPosition(x: number, y: number): void {
    this.position = [x, y];
  }
  size: [number, number] = [420, 640];
  getSize(): number[] {
    return [...this.size];
  }
  setOverlayIcon(image: NativeImage | null, description: string): void {
    this.overlay.push({ image, description });
  }
  /** What the OS does when the user clicks the close button. */
  userClose(): { preventDefault: ReturnType<typeof vi.fn> } {
    const event = fakeEvent();
    this.emit('close', event);
    if (!event.defaultPrevented()) {
      this.destroyed = true;
      this.visible = false;
      this.emit('closed');
    }
    return event;
  }
}

// ---- tray, menu, images, notifications ------------------------------------------------------

export interface FakeImage {
  path: string;
}

export const fakeNativeImage = {
  createFromPath: (path: string) => ({ path }) as FakeImage as unknown as NativeImage,
};

export function imagePath(image: unknown): string | undefined {
  return (image as FakeImage | null)?.path;
}

export class FakeTray extends Emitter {
  static created: FakeTray[] = [];
  images: string[] = [];
  tooltips: string[] = [];
  menus: unknown[] = [];
  destroyed = false;
  bounds = { x: 0, y: 0, width: 0, height: 0 };
  constructor(image: NativeImage) {
    super();
    this.images.push(imagePath(image)!);
    FakeTray.created.push(this);
  }
  setImage(image: NativeImage): void {
    this.images.push(imagePath(image)!);
  }
  setToolTip(text: string): void {
    this.tooltips.push(text);
  }
  setContextMenu(menu: unknown): void {
    this.menus.push(menu);
  }
  getBounds() {
    return this.bounds;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

/** Menu.buildFromTemplate returns the template itself, so tests can read and click it. */
export const fakeMenu = {
  buildFromTemplate: (template: import('electron').MenuItemConstructorOptions[]) => template,
};

export function clickMenuItem(menu: unknown, id: string): void {
  const item = (menu as import('electron').MenuItemConstructorOptions[]).find((i) => i.id === id);
  if (!item?.click) throw new Error(`no menu item ${id}`);
  (item.click as () => void)();
}

export function menuIds(menu: unknown): string[] {
  return (menu as import('electron').MenuItemConstructorOptions[]).flatMap((i) => (i.id ? [i.id] : []));
}

export class FakeNotification extends Emitter {
  static created: FakeNotification[] = [];
  static supported = true;
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  shown = false;
  closed = false;
  constructor(readonly options: NotificationOptions) {
    super();
    FakeNotification.created.push(this);
  }
  show(): void {
    this.shown = true;
  }
  close(): void {
    this.closed = true;
    this.emit('close', {});
  }
  static activation?: (details: { arguments: string }) => void;
  static handleActivation(callback: (details: { arguments: string }) => void): void {
    FakeNotification.activation = callback;
  }
}

/** electron-updater's autoUpdater, as far as UpdateController uses it. */
export class FakeUpdater extends Emitter {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  feeds: unknown[] = [];
  checks = 0;
  installs: unknown[][] = [];
  setFeedURL(options: unknown): void {
    this.feeds.push(options);
  }
  checkForUpdates(): Promise<unknown> {
    this.checks += 1;
    return Promise.resolve(null);
  }
  quitAndInstall(...args: unknown[]): void {
    this.installs.push(args);
  }
}

// ---- app, ipcMain, power -----------------------------------------------------------------

export class FakeApp extends Emitter {
  isPackaged = true;
  lock = true;
  quitCalls = 0;
  appUserModelId?: string;
  loginItem: {
    openAtLogin: boolean;
    wasOpenedAtLogin: boolean;
    executableWillLaunchAtLogin?: boolean;
    status?: 'not-registered' | 'enabled' | 'requires-approval' | 'not-found';
  } = { openAtLogin: false, wasOpenedAtLogin: false };
  loginItemQueries: unknown[] = [];
  loginItemSettings: Array<{ openAtLogin: boolean; args?: string[] }> = [];
  badgeCounts: number[] = [];
  dockBadges: string[] = [];
  dock? = { setBadge: (text: string) => void this.dockBadges.push(text) };
  requestSingleInstanceLock(): boolean {
    return this.lock;
  }
  quit(): void {
    this.quitCalls += 1;
  }
  ready = false;
  whenReady(): Promise<void> {
    this.ready = true;
    return Promise.resolve();
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
  getLoginItemSettings(options?: unknown) {
    this.loginItemQueries.push(options);
    return this.loginItem;
  }
  setLoginItemSettings(s: { openAtLogin: boolean; args?: string[] }): void {
    this.loginItemSettings.push(s);
    this.loginItem = { ...this.loginItem, openAtLogin: s.openAtLogin, executableWillLaunchAtLogin: s.openAtLogin };
  }
  setBadgeCount(count?: number): boolean {
    this.badgeCounts.push(count ?? 0);
    return true;
  }
  /** What Electron does on app.quit(): before-quit, then will-quit unless a listener prevents it. */
  runQuit(): { prevented: boolean } {
    this.emit('before-quit', fakeEvent());
    const event = fakeEvent();
    this.emit('will-quit', event);
    return { prevented: event.defaultPrevented() };
  }
}

export class FakeIpcMain {
  readonly handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(channel: string, event: InvokeEvent, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h(event, ...args);
  }
}

// ---- the core -------------------------------------------------------------------------------

export function fakeState(over: Partial<AppState> = {}): AppState {
  return {
    demo: false,
    paused: false,
    unread: 0,
    shops: [],
    cost: { today: { calls: 0, points: 0 }, total: { calls: 0, points: 0 }, projectedDailyPoints: 0 },
    ...over,
  };
}

export function fakePublicSettings(over: Partial<PublicSettings> = {}): PublicSettings {
  return {
    ...structuredClone(DEFAULT_SETTINGS),
    tokenSet: false,
    topSecretSet: false,
    topSessionSet: false,
    demo: true,
    ...over,
  };
}

/** Every method a spy; `emit` plays a core event. */
export function fakeCore(state: AppState = fakeState(), settings: PublicSettings = fakePublicSettings()) {
  const events = new Emitter();
  const core = {
    start: vi.fn(async () => undefined),
    stop: vi.fn(async () => undefined),
    getState: vi.fn(() => state),
    listOrders: vi.fn(() => ({ orders: [], total: 0, unread: 0 })),
    changedOrders: vi.fn(() => ({ orders: [], total: 0, unread: 0 })),
    orderHistory: vi.fn(() => []),
    markSeen: vi.fn(async () => undefined),
    remark: vi.fn(async (req: { tid: string }) => ok({ tid: req.tid })),
    getSettings: vi.fn(() => settings),
    updateSettings: vi.fn(async () => ok(settings)),
    setSecret: vi.fn(async () => ok(settings)),
    pause: vi.fn(() => ({ ...state, paused: true })),
    resume: vi.fn(() => ({ ...state, paused: false })),
    mute: vi.fn(() => state),
    suspend: vi.fn(),
    wake: vi.fn(),
    getSubscriptions: vi.fn(async () => ok({ subscribed: {} })),
    changeSubscriptions: vi.fn(async () => ok({ subscribed: {} })),
    on: vi.fn(<K extends keyof CoreEvents>(event: K, listener: (payload: CoreEvents[K]) => void) => {
      events.on(event, listener);
      return () => void events.removeListener(event, listener);
    }),
  } satisfies TradebellCore;
  const emit = <K extends keyof CoreEvents>(event: K, payload: CoreEvents[K]) => events.emit(event, payload);
  return { core, emit, events };
}

export type FakeCore = ReturnType<typeof fakeCore>['core'];

/** The core methods that change something; a refused IPC call must reach none of them. */
export const MUTATING_CORE_METHODS = [
  'markSeen',
  'remark',
  'updateSettings',
  'setSecret',
  'pause',
  'resume',
  'mute',
  'changeSubscriptions',
] as const;

/** Worded in Chinese: 新订单 ¥48.00 / 买家：小明, 连衣裙, 订单号：1234567890123456789. */
export function orderSpec(over: Partial<OrderNotification> = {}): OrderNotification {
  return {
    key: 'order:shop1:1234567890123456789',
    kind: 'order',
    shop: 'shop1',
    tids: ['1234567890123456789'],
    topic: 'taobao_trade_TradeCreate',
    sound: true,
    amountFen: 4_800,
    buyer: '小明',
    items: ['连衣裙'],
    ...over,
  };
}

export function summarySpec(over: Partial<SummaryNotification> = {}): SummaryNotification {
  return {
    key: 'summary|TradeBuyerPay|1',
    kind: 'summary',
    shop: 'shop1',
    tids: ['1', '2', '3', '4'],
    topic: 'taobao_trade_TradeBuyerPay',
    sound: true,
    count: 4,
    shopNames: [],
    ...over,
  };
}
