/**
 * A small Electron double for booting the built main bundle under Node (see README.md here for
 * what it emulates and what it does not). Windows are real Chromium pages (playwright-core);
 * everything the OS would show (tray, menus, notifications, badges, login items) is recorded and
 * reported to the test process over the fork IPC channel, which can also drive it (click a menu
 * item or a notification, fire a power event, type into the page).
 */
import diagnostics from 'node:diagnostics_channel';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { dirname, join, resolve } from 'node:path';
import { format, pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page, type Route } from 'playwright-core';
import { DEMO_SHOPS } from '../../../src/shared/demo';
import type { Simulator } from '../../../src/simulator';
import { preloadHost } from './page';

// ---- configuration (environment set by the test) and the report channel -----------------------

const env = (name: string): string | undefined => process.env[`TRADEBELL_DOUBLE_${name}`] || undefined;
const appRoot = resolve(dirname(process.argv[1] ?? '.'), '../..');
const pkg = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as {
  version: string;
  productName?: string;
};
const userData = env('USER_DATA') ?? join(appRoot, '.double-user-data');

/** What Electron adds to `process`; electron-updater reads resourcesPath for app-update.yml. */
Object.assign(process, { resourcesPath: env('RESOURCES') ?? join(appRoot, 'resources') });

export type DoubleRecord = { kind: string; [key: string]: unknown };
const records: DoubleRecord[] = [];

function record(kind: string, data: Record<string, unknown> = {}): void {
  const r = { kind, ...data };
  records.push(r);
  process.send?.({ type: 'record', record: r });
}

/**
 * Not Electron: the test's window into the demo gateway, which runs inside the app. Every request
 * an in-process HTTP server receives is recorded with its body. The tap pauses the request so the
 * server's own reader still gets every byte.
 */
diagnostics.subscribe('http.server.request.start', (message) => {
  const { request } = message as { request: NodeJS.ReadableStream & { url?: string; method?: string } };
  const chunks: Buffer[] = [];
  request.on('data', (c: Buffer) => chunks.push(c));
  request.pause();
  request.on('end', () =>
    record('http.server.request', {
      method: request.method,
      url: request.url,
      body: Buffer.concat(chunks).toString('utf8'),
    }),
  );
});

// ---- events with Electron's preventable-event shape -------------------------------------------

function preventable(extra: Record<string, unknown> = {}): { preventDefault(): void; defaultPrevented: boolean } {
  const event = {
    ...extra,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

// ---- app ------------------------------------------------------------------------------------

class AppDouble extends EventEmitter {
  readonly name = pkg.productName ?? 'TradeBell';
  readonly isPackaged = env('PACKAGED') === '1';
  readonly commandLine = { appendSwitch() {}, hasSwitch: () => false, getSwitchValue: () => '' };
  private ready = false;
  private readonly readyPromise: Promise<void>;
  private loginItem = { openAtLogin: false, args: [] as string[] };
  private quitting = false;

  constructor() {
    super();
    // Electron emits `ready` once the app's ESM entry has been evaluated, top-level awaits
    // included (process.appCodeLoaded in lib/browser/init.ts): hooks.mjs calls this at its end.
    this.readyPromise = new Promise((r) => {
      Object.defineProperty(globalThis, Symbol.for('tradebell.appCodeLoaded'), {
        configurable: true,
        value: () =>
          setImmediate(() => {
            this.ready = true;
            this.emit('ready', {}, {});
            r();
          }),
      });
    });
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  isReady(): boolean {
    return this.ready;
  }
  getName(): string {
    return this.name;
  }
  getVersion(): string {
    return pkg.version;
  }
  getAppPath(): string {
    return appRoot;
  }
  getLocale(): string {
    return 'zh-CN';
  }
  getPreferredSystemLanguages(): string[] {
    return ['zh-CN'];
  }
  getPath(name: string): string {
    if (name === 'userData') return userData;
    if (name === 'logs') return join(userData, 'logs');
    if (name === 'exe') return process.execPath;
    return join(userData, `.${name}`);
  }
  requestSingleInstanceLock(): boolean {
    record('app.requestSingleInstanceLock');
    return true;
  }
  setAppUserModelId(id: string): void {
    record('app.setAppUserModelId', { id });
  }
  setLoginItemSettings(settings: { openAtLogin?: boolean; args?: string[]; path?: string }): void {
    record('app.setLoginItemSettings', { settings });
    this.loginItem = { openAtLogin: settings.openAtLogin ?? false, args: settings.args ?? [] };
  }
  getLoginItemSettings(options?: unknown): Record<string, unknown> {
    record('app.getLoginItemSettings', { options });
    return { ...this.loginItem, wasOpenedAtLogin: false, executableWillLaunchAtLogin: this.loginItem.openAtLogin };
  }
  setBadgeCount(count?: number): boolean {
    record('app.setBadgeCount', { count });
    return true;
  }
  relaunch(options?: unknown): void {
    record('app.relaunch', { options });
  }
  /** Electron: before-quit, then every window is closed (a prevented close cancels), then will-quit, quit, exit. */
  quit(): void {
    record('app.quit');
    if (this.quitting) return;
    this.quitting = true;
    setImmediate(() => void this.runQuit());
  }
  exit(code = 0): void {
    record('app.exit', { code });
    void shutdown(code);
  }
  private async runQuit(): Promise<void> {
    const before = preventable();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return void (this.quitting = false);
    for (const win of [...BrowserWindowDouble.all]) {
      if (!win.requestClose()) return void (this.quitting = false);
    }
    const willQuit = preventable();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) return void (this.quitting = false);
    this.emit('quit', preventable(), 0);
    await shutdown(0);
  }
}

export const app = new AppDouble();

async function shutdown(code: number): Promise<void> {
  record('process.exit', { code });
  await browser.close();
  process.exit(code);
}

// ---- Chromium: one browser, one context (Electron's default session), one page per window ---

class ChromiumHost {
  private browser?: Promise<{ browser: Browser; context: BrowserContext }>;

  context(): Promise<BrowserContext> {
    this.browser ??= (async () => {
      const executablePath = env('CHROMIUM');
      if (!executablePath) throw new Error('TRADEBELL_DOUBLE_CHROMIUM is not set');
      const browser = await chromium.launch({
        executablePath,
        headless: true,
        args: [
          // Electron's browser process always adds it (shell/app/electron_main_delegate.cc): pages
          // from file:// may load other file:// URLs, module scripts included.
          '--allow-file-access-from-files',
          // The double's own artifact: a response fulfilled by the webRequest emulation (route.fulfill)
          // carries no IP address space, so Chromium counts the dev page as public and blocks its
          // hot-reload socket to localhost. A page Electron loads from the dev server is local.
          '--disable-features=LocalNetworkAccessChecks',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      const context = await browser.newContext({ locale: 'zh-CN', viewport: null });
      await context.route(/^https?:/, (route) => defaultSession.webRequest.apply(route));
      // Registered last, so asked first: the stand-in origins of the app's own schemes.
      await context.route(
        (url) => url.hostname.endsWith(SCHEME_STAND_IN),
        (route) => protocol.serve(route),
      );
      return { browser, context };
    })();
    return this.browser.then((b) => b.context);
  }

  async close(): Promise<void> {
    const b = this.browser;
    this.browser = undefined;
    if (b) await (await b).browser.close().catch(() => undefined);
  }
}

const browser = new ChromiumHost();

// ---- protocol: the app's own schemes -----------------------------------------------------------

/**
 * Chromium under Playwright cannot register a scheme. A page of a standard scheme the app
 * registered and handles (`tradebell://app/index.html`) is loaded from a stand-in http origin
 * (`http://app.tradebell.scheme.invalid/index.html`); every request to it goes to the app's own
 * protocol.handle handler with its real URL put back, and every URL the page reports to main
 * (senderFrame.url, getURL) is put back the same way. What this cannot show: Chromium's handling
 * of the scheme's privileges (module scripts under it, its V8 code cache).
 */
const SCHEME_STAND_IN = '.scheme.invalid';
type Privileges = { standard?: boolean; [name: string]: boolean | undefined };

class ProtocolDouble {
  private readonly privileges = new Map<string, Privileges>();
  private readonly handlers = new Map<string, (request: Request) => Response | Promise<Response>>();

  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Privileges }[]): void {
    // Electron: only before ready, and only once.
    if (app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    if (this.privileges.size > 0) throw new Error('protocol.registerSchemesAsPrivileged can be called only once');
    for (const { scheme, privileges } of schemes) this.privileges.set(scheme, privileges);
    record('protocol.registerSchemesAsPrivileged', { schemes });
  }

  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    if (!app.isReady()) throw new Error('protocol.handle should be called after app is ready');
    if (this.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    if (!this.privileges.get(scheme)?.standard)
      throw new Error(`the double emulates standard schemes only, and '${scheme}' is not registered as one`);
    this.handlers.set(scheme, handler);
    record('protocol.handle', { scheme });
  }

  /** The URL Chromium loads for a URL of a handled scheme; any other URL as it is. */
  toPage(raw: string): string {
    const url = new URL(raw);
    const scheme = url.protocol.slice(0, -1);
    if (!this.handlers.has(scheme)) return raw;
    return `http://${url.host}.${scheme}${SCHEME_STAND_IN}${url.pathname}${url.search}${url.hash}`;
  }

  /** The URL Electron would report for a URL Chromium reports. */
  fromPage(raw: string): string {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return raw;
    }
    if (!url.hostname.endsWith(SCHEME_STAND_IN)) return raw;
    const [host, scheme] = url.hostname.slice(0, -SCHEME_STAND_IN.length).split('.');
    return `${scheme}://${host}${url.pathname}${url.search}${url.hash}`;
  }

  async serve(route: Route): Promise<void> {
    const request = route.request();
    const url = this.fromPage(request.url());
    const handler = this.handlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) return route.abort('failed');
    const response = await handler(new Request(url, { method: request.method() }));
    record('protocol.request', { url, status: response.status, type: response.headers.get('content-type') });
    await route.fulfill({
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: Buffer.from(await response.arrayBuffer()),
    });
  }
}

export const protocol = new ProtocolDouble();

// ---- session ----------------------------------------------------------------------------------

type HeadersListener = (
  details: {
    url: string;
    method: string;
    resourceType: string;
    statusCode: number;
    responseHeaders: Record<string, string[]>;
  },
  callback: (response: { cancel?: boolean; responseHeaders?: Record<string, string[]> }) => void,
) => void;

class WebRequestDouble {
  private headersListener?: HeadersListener;

  onHeadersReceived(filterOrListener: unknown, maybeListener?: HeadersListener): void {
    this.headersListener = (maybeListener ?? filterOrListener) as HeadersListener;
    record('session.webRequest.onHeadersReceived');
  }

  /** Every http(s) response of the session passes the app's listener, as Electron's network service does. */
  async apply(route: Route): Promise<void> {
    const listener = this.headersListener;
    if (!listener) return route.continue();
    const response = await route.fetch();
    const responseHeaders: Record<string, string[]> = {};
    for (const { name, value } of response.headersArray()) (responseHeaders[name] ??= []).push(value);
    const request = route.request();
    const answer = await new Promise<{ cancel?: boolean; responseHeaders?: Record<string, string[]> }>((r) =>
      listener(
        {
          url: request.url(),
          method: request.method(),
          resourceType: request.resourceType() === 'document' ? 'mainFrame' : request.resourceType(),
          statusCode: response.status(),
          responseHeaders,
        },
        r,
      ),
    );
    if (answer.cancel) return route.abort('blockedbyclient');
    const headers: Record<string, string> = {};
    for (const [name, values] of Object.entries(answer.responseHeaders ?? responseHeaders))
      headers[name] = values.join(name.toLowerCase() === 'set-cookie' ? '\n' : ', ');
    await route.fulfill({ response, headers });
  }
}

class SessionDouble {
  constructor(readonly partition = '') {}
  readonly webRequest = new WebRequestDouble();
  permissionRequest?: unknown;
  setPermissionRequestHandler(handler: unknown): void {
    this.permissionRequest = handler;
    record('session.setPermissionRequestHandler');
  }
  setPermissionCheckHandler(): void {
    record('session.setPermissionCheckHandler');
  }
  setPreloads(): void {}
  getPreloads(): string[] {
    return [];
  }
}

const defaultSession = new SessionDouble();
const partitions = new Map<string, SessionDouble>([['', defaultSession]]);
export const session = {
  defaultSession,
  /** One session per partition name, as in Electron (electron-updater downloads through its own). */
  fromPartition(partition: string): SessionDouble {
    let s = partitions.get(partition);
    if (!s) partitions.set(partition, (s = new SessionDouble(partition)));
    return s;
  },
};

// ---- ipcMain ----------------------------------------------------------------------------------

export interface InvokeEventDouble {
  sender: WebContentsDouble;
  senderFrame: { url: string; parent: unknown } | null;
  frameId: number;
  processId: number;
}

class IpcMainDouble extends EventEmitter {
  readonly handlers = new Map<string, (event: InvokeEventDouble, ...args: unknown[]) => unknown>();
  handle(channel: string, handler: (event: InvokeEventDouble, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  handleOnce(channel: string, handler: (event: InvokeEventDouble, ...args: unknown[]) => unknown): void {
    this.handle(channel, (event, ...args) => {
      this.handlers.delete(channel);
      return handler(event, ...args);
    });
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

export const ipcMain = new IpcMainDouble();

// ---- webContents and BrowserWindow ------------------------------------------------------------

let nextId = 1;

class WebContentsDouble extends EventEmitter {
  readonly id = nextId++;
  readonly session = defaultSession;
  private page?: Page;
  private pageReady: Promise<Page>;
  private loading = false;
  private lastUrl?: string;
  private sendChain: Promise<unknown> = Promise.resolve();
  private destroyed = false;
  windowOpenHandler?: (details: { url: string }) => { action: string };

  constructor(
    private readonly preload: string | undefined,
    private readonly size: { width: number; height: number },
  ) {
    super();
    this.pageReady = this.openPage();
  }

  private async openPage(): Promise<Page> {
    const context = await browser.context();
    const page = await context.newPage();
    await page.setViewportSize(this.size);
    this.page = page;
    page.on('console', (m) => record('console', { type: m.type(), text: m.text() }));
    page.on('pageerror', (e) => record('pageerror', { text: String(e) }));
    page.on('load', () => {
      this.loading = false;
      this.emit('did-finish-load', preventable());
    });
    page.on('crash', () => {
      record('webContents.render-process-gone');
      this.emit('render-process-gone', preventable(), { reason: 'crashed', exitCode: 139 });
    });
    // The preload's ipcRenderer.invoke lands here, with the frame as Chromium reports it.
    await page.exposeBinding('__electronDoubleInvoke', async (source, channel: string, args: unknown[]) => {
      const handler = ipcMain.handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      const parent = source.frame.parentFrame();
      const event: InvokeEventDouble = {
        sender: this,
        senderFrame: {
          url: protocol.fromPage(source.frame.url()),
          parent: parent ? { url: protocol.fromPage(parent.url()) } : null,
        },
        frameId: 1,
        processId: 1,
      };
      return handler(event, ...args);
    });
    if (this.preload) await page.addInitScript({ content: preloadHost(readFileSync(this.preload, 'utf8')) });
    return page;
  }

  async currentPage(): Promise<Page> {
    return this.pageReady;
  }

  async load(url: string): Promise<void> {
    record('webContents.load', { url });
    const page = await this.pageReady;
    this.loading = true;
    this.lastUrl = url;
    const response = await page.goto(protocol.toPage(url));
    if (response && !response.ok())
      throw new Error(`ERR_HTTP_RESPONSE_CODE_FAILURE (${response.status()}) loading '${url}'`);
  }

  isLoading(): boolean {
    return this.loading;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getURL(): string {
    return protocol.fromPage(this.page?.url() ?? '');
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
    record('webContents.setWindowOpenHandler');
  }
  /** Main → renderer, in order, as Electron's IPC keeps it. */
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) return;
    this.sendChain = this.sendChain
      .then(() => this.pageReady)
      .then((page) =>
        page.evaluate(
          ([c, a]) =>
            (globalThis as unknown as { __electronDoubleEmit(c: string, a: unknown[]): void }).__electronDoubleEmit(
              c,
              a,
            ),
          [channel, args] as const,
        ),
      )
      .catch((e: unknown) => {
        if (!this.destroyed) record('webContents.send failed', { channel, error: String(e) });
      });
  }
  /** A crashed page cannot be reloaded in Playwright: a fresh page takes its place, same webContents. */
  reload(): void {
    record('webContents.reload');
    const old = this.page;
    this.pageReady = this.openPage();
    void old?.close().catch(() => undefined);
    if (this.lastUrl)
      void this.load(this.lastUrl).catch((e: unknown) => record('webContents.reload failed', { error: String(e) }));
  }
  /** Test hook: kill the renderer as a crash would. */
  async crash(): Promise<void> {
    const page = await this.pageReady;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Page.crash').catch(() => undefined);
  }
  destroy(): void {
    this.destroyed = true;
    void this.page?.close().catch(() => undefined);
  }
}

interface WindowOptions {
  width?: number;
  height?: number;
  show?: boolean;
  webPreferences?: { preload?: string };
  [key: string]: unknown;
}

class BrowserWindowDouble extends EventEmitter {
  static readonly all: BrowserWindowDouble[] = [];
  static getAllWindows(): BrowserWindowDouble[] {
    return [...BrowserWindowDouble.all];
  }
  static getFocusedWindow(): BrowserWindowDouble | null {
    return BrowserWindowDouble.all.find((w) => w.visible) ?? null;
  }

  readonly id: number;
  readonly webContents: WebContentsDouble;
  private visible: boolean;
  private destroyed = false;
  private bounds: { x: number; y: number; width: number; height: number };

  constructor(readonly options: WindowOptions = {}) {
    super();
    const size = { width: options.width ?? 800, height: options.height ?? 600 };
    this.bounds = { x: 0, y: 0, ...size };
    this.webContents = new WebContentsDouble(options.webPreferences?.preload, size);
    this.id = this.webContents.id;
    this.visible = options.show !== false;
    BrowserWindowDouble.all.push(this);
    record('BrowserWindow.new', { options: { ...options, webPreferences: { ...options.webPreferences } } });
  }

  loadFile(path: string): Promise<void> {
    record('BrowserWindow.loadFile', { path });
    return this.webContents.load(pathToFileURL(path).href);
  }
  loadURL(url: string): Promise<void> {
    record('BrowserWindow.loadURL', { url });
    return this.webContents.load(url);
  }
  show(): void {
    record('BrowserWindow.show');
    const was = this.visible;
    this.visible = true;
    if (!was) this.emit('show');
  }
  showInactive(): void {
    this.show();
  }
  hide(): void {
    record('BrowserWindow.hide');
    const was = this.visible;
    this.visible = false;
    if (was) this.emit('hide');
  }
  focus(): void {
    record('BrowserWindow.focus');
  }
  restore(): void {}
  minimize(): void {}
  isMinimized(): boolean {
    return false;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isFocused(): boolean {
    return this.visible;
  }
  setPosition(x: number, y: number): void {
    record('BrowserWindow.setPosition', { x, y });
    this.bounds = { ...this.bounds, x, y };
  }
  getPosition(): [number, number] {
    return [this.bounds.x, this.bounds.y];
  }
  getSize(): [number, number] {
    return [this.bounds.width, this.bounds.height];
  }
  setSize(width: number, height: number): void {
    this.bounds = { ...this.bounds, width, height };
  }
  getBounds() {
    return { ...this.bounds };
  }
  setMenu(menu: unknown): void {
    record('BrowserWindow.setMenu', { menu: menu === null ? null : 'menu' });
  }
  removeMenu(): void {
    record('BrowserWindow.removeMenu');
  }
  setMenuBarVisibility(visible: boolean): void {
    record('BrowserWindow.setMenuBarVisibility', { visible });
  }
  setOverlayIcon(image: NativeImageDouble | null, description: string): void {
    record('BrowserWindow.setOverlayIcon', { image: image?.path ?? null, description, visible: this.visible });
  }
  /** A close the user or app.quit() asks for; false when a listener prevented it. */
  requestClose(): boolean {
    if (this.destroyed) return true;
    const event = preventable();
    this.emit('close', event);
    if (event.defaultPrevented) return false;
    this.destroy();
    return true;
  }
  close(): void {
    this.requestClose();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroy();
    BrowserWindowDouble.all.splice(BrowserWindowDouble.all.indexOf(this), 1);
    this.emit('closed');
  }
}

export const BrowserWindow = BrowserWindowDouble;
export const webContents = {
  getAllWebContents: () => BrowserWindowDouble.all.map((w) => w.webContents),
  fromId: (id: number) => BrowserWindowDouble.all.find((w) => w.webContents.id === id)?.webContents,
};

// ---- images, tray, menus ----------------------------------------------------------------------

class NativeImageDouble {
  constructor(readonly path: string) {}
  isEmpty(): boolean {
    return this.path === '' || !existsSync(this.path);
  }
  getSize() {
    return { width: 16, height: 16 };
  }
  setTemplateImage(): void {}
}

export const nativeImage = {
  createFromPath(path: string): NativeImageDouble {
    const image = new NativeImageDouble(path);
    record('nativeImage.createFromPath', { path, empty: image.isEmpty() });
    return image;
  },
  createEmpty: () => new NativeImageDouble(''),
};

interface MenuItemOptions {
  id?: string;
  label?: string;
  type?: string;
  enabled?: boolean;
  visible?: boolean;
  click?: (...args: unknown[]) => void;
  submenu?: MenuItemOptions[];
}

class MenuDouble {
  constructor(readonly items: MenuItemOptions[]) {}
  static buildFromTemplate(template: MenuItemOptions[]): MenuDouble {
    return new MenuDouble(template);
  }
  static setApplicationMenu(menu: MenuDouble | null): void {
    record('Menu.setApplicationMenu', { menu: menu === null ? null : describeMenu(menu) });
  }
  static getApplicationMenu(): null {
    return null;
  }
}

function describeMenu(menu: MenuDouble) {
  return menu.items.map(({ id, label, type, enabled }) => ({ id, label, type, enabled }));
}

export const Menu = MenuDouble;

class TrayDouble extends EventEmitter {
  static readonly all: TrayDouble[] = [];
  menu?: MenuDouble;
  destroyed = false;
  constructor(image: NativeImageDouble) {
    super();
    TrayDouble.all.push(this);
    record('Tray.new', { image: image.path, empty: image.isEmpty() });
  }
  setImage(image: NativeImageDouble): void {
    record('Tray.setImage', { image: image.path, empty: image.isEmpty() });
  }
  setToolTip(text: string): void {
    record('Tray.setToolTip', { text });
  }
  setContextMenu(menu: MenuDouble | null): void {
    this.menu = menu ?? undefined;
    record('Tray.setContextMenu', { items: menu ? describeMenu(menu) : null });
  }
  getBounds() {
    return { x: 0, y: 0, width: 0, height: 0 };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    record('Tray.destroy');
  }
}

export const Tray = TrayDouble;

// ---- notifications ----------------------------------------------------------------------------

class NotificationDouble extends EventEmitter {
  static readonly all: NotificationDouble[] = [];
  static activation?: (details: { type: string; arguments: string }) => void;
  static isSupported(): boolean {
    return true;
  }
  static handleActivation(callback: (details: { type: string; arguments: string }) => void): void {
    NotificationDouble.activation = callback;
    record('Notification.handleActivation');
  }
  readonly index: number;
  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    this.index = NotificationDouble.all.push(this) - 1;
  }
  show(): void {
    const { title, body, silent, id, toastXml } = this.options;
    record('Notification.show', { index: this.index, title, body, silent, id, toastXml });
  }
  close(): void {
    record('Notification.close', { index: this.index });
    this.emit('close', { ...preventable(), reason: undefined });
  }
}

export const Notification = NotificationDouble;

// ---- power, storage, shell, clipboard, screen, dialog -----------------------------------------

class PowerMonitorDouble extends EventEmitter {
  constructor() {
    super();
    this.on('newListener', (event: string) => record('powerMonitor.on', { event }));
  }
  getSystemIdleState(): string {
    return 'active';
  }
}

export const powerMonitor = new PowerMonitorDouble();

/** A reversible stand-in: it proves what is stored went through encryptString, not that it is secret. */
export const safeStorage = {
  isEncryptionAvailable(): boolean {
    return true;
  },
  getSelectedStorageBackend(): string {
    return 'gnome_libsecret';
  },
  encryptString(plain: string): Buffer {
    record('safeStorage.encryptString');
    return Buffer.concat([Buffer.from('DOUBLE1:'), Buffer.from(plain, 'utf8').reverse()]);
  },
  decryptString(encrypted: Buffer): string {
    record('safeStorage.decryptString');
    const prefix = Buffer.from('DOUBLE1:');
    if (!encrypted.subarray(0, prefix.length).equals(prefix)) throw new Error('Error while decrypting the ciphertext');
    return Buffer.from(encrypted.subarray(prefix.length)).reverse().toString('utf8');
  },
};

export const shell = {
  async openExternal(url: string): Promise<void> {
    record('shell.openExternal', { url });
  },
  async openPath(path: string): Promise<string> {
    record('shell.openPath', { path });
    return '';
  },
};

export const clipboard = {
  writeText(text: string): void {
    record('clipboard.writeText', { text });
  },
};

const display = {
  id: 1,
  workArea: { x: 0, y: 0, width: 1920, height: 1040 },
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  scaleFactor: 1,
};
export const screen = {
  getDisplayNearestPoint: () => display,
  getPrimaryDisplay: () => display,
  getAllDisplays: () => [display],
};

export const dialog = {
  showErrorBox(title: string, content: string): void {
    record('dialog.showErrorBox', { title, content });
    console.error(`${title}: ${content}`);
  },
};

// ---- net (electron-updater's HTTP) and autoUpdater ----------------------------------------------

type RedirectPolicy = 'follow' | 'error' | 'manual';
/** The statuses Chromium's network stack follows (net/http/http_response_headers.cc). */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

interface NetRequestOptions {
  url?: string;
  method?: string;
  protocol?: string;
  host?: string;
  hostname?: string;
  port?: number | string;
  path?: string;
  headers?: Record<string, string | string[]>;
  redirect?: RedirectPolicy;
  session?: SessionDouble;
  partition?: string;
}

/** The request URL as Electron's ClientRequest builds it (lib/common/api/net-client-request.ts). */
function netRequestUrl(options: NetRequestOptions | string): string {
  if (typeof options === 'string') return new URL(options).href;
  if (options.url) return options.url;
  const path = new URL(options.path ?? '/', 'http://localhost');
  return format({
    protocol: options.protocol ?? 'http:',
    ...(options.host
      ? { host: options.host }
      : { hostname: options.hostname ?? 'localhost', ...(options.port ? { port: options.port } : {}) }),
    pathname: path.pathname,
    search: path.search,
  });
}

/**
 * Electron's ClientRequest over Node's http/https: the same events ('response', 'redirect' under
 * each redirect policy, 'error', 'abort'; never Node's 'socket'), the response handed over as
 * Node's IncomingMessage (Electron's follows Node's header rules). Not emulated: the session's
 * proxy, cache, cookies and webRequest, the 'login' event, chunked uploads, upload progress, the
 * method change of a redirected POST.
 */
class ClientRequestDouble extends EventEmitter {
  private readonly method: string;
  private readonly redirectPolicy: RedirectPolicy;
  private readonly headers = new Map<string, { name: string; value: string | string[] }>();
  private readonly body: Buffer[] = [];
  private url: string;
  private started = false;
  private aborted = false;
  private current?: http.ClientRequest;
  private following?: () => void;

  constructor(options: NetRequestOptions | string, callback?: (response: IncomingMessage) => void) {
    super();
    this.url = netRequestUrl(options);
    if (!['http:', 'https:'].includes(new URL(this.url).protocol))
      throw new Error('ClientRequest only supports http: and https: protocols');
    const o = typeof options === 'string' ? {} : options;
    this.method = (o.method ?? 'GET').toUpperCase();
    this.redirectPolicy = o.redirect ?? 'follow';
    if (!['follow', 'error', 'manual'].includes(this.redirectPolicy))
      throw new Error('redirect mode should be one of follow, error or manual');
    for (const [name, value] of Object.entries(o.headers ?? {})) this.headers.set(name.toLowerCase(), { name, value });
    if (callback) this.once('response', callback);
    record('net.request', {
      method: this.method,
      url: this.url,
      partition: o.session?.partition ?? o.partition ?? '',
      redirect: this.redirectPolicy,
    });
  }

  setHeader(name: string, value: string): void {
    if (this.started) throw new Error("Can't set headers after they are sent");
    this.headers.set(name.toLowerCase(), { name, value });
  }
  getHeader(name: string): string | string[] | undefined {
    return this.headers.get(name.toLowerCase())?.value;
  }
  removeHeader(name: string): void {
    if (this.started) throw new Error("Can't remove headers after they are sent");
    this.headers.delete(name.toLowerCase());
  }
  write(chunk: string | Buffer): boolean {
    this.body.push(Buffer.from(chunk));
    return true;
  }
  end(chunk?: string | Buffer): this {
    if (chunk !== undefined) this.write(chunk);
    if (!this.started) {
      this.started = true;
      this.send();
    }
    return this;
  }
  followRedirect(): void {
    if (!this.following) throw new Error('followRedirect() called, but was not waiting for a redirect');
    this.following();
  }
  abort(): void {
    if (!this.aborted) process.nextTick(() => this.emit('abort'));
    this.aborted = true;
    this.current?.destroy();
  }

  private send(): void {
    const headers: Record<string, string> = {};
    for (const { name, value } of this.headers.values()) headers[name] = value.toString();
    const target = new URL(this.url);
    const request = (target.protocol === 'https:' ? https : http).request(target, { method: this.method, headers });
    this.current = request;
    request.on('error', (e) => {
      if (!this.aborted) this.emit('error', e);
    });
    request.on('response', (response) => {
      const location = response.headers.location;
      const status = response.statusCode ?? 0;
      if (REDIRECT_STATUSES.has(status) && location) {
        response.resume();
        this.redirect(status, new URL(location, this.url).href, response.headers);
        return;
      }
      record('net.response', { url: this.url, statusCode: status });
      this.emit('response', response);
    });
    request.end(Buffer.concat(this.body));
  }

  private redirect(statusCode: number, newUrl: string, headers: http.IncomingHttpHeaders): void {
    if (this.redirectPolicy === 'error')
      return void this.emit('error', new Error("Attempted to redirect, but redirect policy was 'error'"));
    let follow = this.redirectPolicy === 'follow';
    this.following = () => (follow = true);
    try {
      this.emit('redirect', statusCode, this.method, newUrl, headers);
    } finally {
      this.following = undefined;
    }
    if (this.aborted) return;
    if (!follow) return void this.emit('error', new Error('Redirect was cancelled'));
    this.url = newUrl;
    this.send();
  }
}

export const net = {
  request(options: NetRequestOptions | string, callback?: (response: IncomingMessage) => void): ClientRequestDouble {
    if (!app.isReady()) throw new Error('net module can only be used after app is ready');
    return new ClientRequestDouble(options, callback);
  },
};

/**
 * Electron's autoUpdater on Linux: an event emitter whose native methods do nothing
 * (shell/browser/auto_updater.cc). electron-updater emits 'before-quit-for-update' on it before it
 * quits to install; the events are recorded. Squirrel (Windows, macOS) is not emulated.
 */
class AutoUpdaterDouble extends EventEmitter {
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    record('autoUpdater.emit', { event: String(event) });
    return super.emit(event, ...args);
  }
  setFeedURL(): void {}
  getFeedURL(): string {
    return '';
  }
  checkForUpdates(): void {}
  quitAndInstall(): void {}
}

export const autoUpdater = new AutoUpdaterDouble();

export const electron = {
  app,
  autoUpdater,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  net,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
  webContents,
};

// ---- the test's remote control (fork IPC) ----------------------------------------------------

type Command =
  | { cmd: 'records' }
  | { cmd: 'clickTrayItem'; id: string }
  | { cmd: 'clickTray' }
  | { cmd: 'clickNotification'; index: number }
  | { cmd: 'activateToast'; arguments: string }
  | { cmd: 'emit'; target: 'app' | 'powerMonitor' | 'window'; event: string; preventable?: boolean }
  | { cmd: 'crashRenderer' }
  | { cmd: 'evaluate'; source: string; arg?: unknown }
  | { cmd: 'press'; key: string }
  | { cmd: 'insertText'; text: string }
  | { cmd: 'waitForSelector'; selector: string; timeout?: number }
  | { cmd: 'focus'; selector: string }
  | { cmd: 'click'; selector: string }
  | { cmd: 'demoPaidOrder' };

/** The app's window; commands sent while the app is still starting wait for it. */
async function mainWindow(): Promise<BrowserWindowDouble> {
  for (let i = 0; i < 300 && !BrowserWindowDouble.all[0]; i++) await new Promise((r) => setTimeout(r, 100));
  const win = BrowserWindowDouble.all[0];
  if (!win) throw new Error('no window');
  return win;
}

async function mainPage(): Promise<Page> {
  return (await mainWindow()).webContents.currentPage();
}

/**
 * Not Electron: the app's demo gateway, which main.ts publishes to the main process (never the
 * page) once demo mode has started it. Commands sent while the app is still starting wait for it.
 */
async function demoGateway(): Promise<Simulator> {
  const key = Symbol.for('tradebell.demoGateway');
  for (let i = 0; i < 300; i++) {
    const gateway = (globalThis as Record<symbol, unknown>)[key];
    if (gateway) return gateway as Simulator;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no demo gateway: the app did not start in demo mode');
}

/**
 * One paid order from the demo gateway's own traffic model, queued for the app's next consume call
 * (Simulator.generate: a whole order lifecycle, only its TradeBuyerPay messages kept). A lifecycle
 * that ends unpaid has none: the next one is drawn.
 */
async function demoPaidOrder(): Promise<{ shop: string; tid: string }> {
  const gateway = await demoGateway();
  for (let i = 0; i < 50; i++) {
    const shop = DEMO_SHOPS[i % DEMO_SHOPS.length]!;
    const tid = gateway.generate(shop, 1, { topics: ['TradeBuyerPay'], duplicateRate: 0 })[0]?.tid;
    if (tid) {
      record('demo.paidOrder', { shop, tid });
      return { shop, tid };
    }
  }
  throw new Error('the demo gateway drew no paid order in 50 lifecycles');
}

function findItem(items: MenuItemOptions[], id: string): MenuItemOptions | undefined {
  for (const item of items) {
    if (item.id === id) return item;
    const inner = item.submenu && findItem(item.submenu, id);
    if (inner) return inner;
  }
  return undefined;
}

async function run(command: Command): Promise<unknown> {
  switch (command.cmd) {
    case 'records':
      return records;
    case 'clickTrayItem': {
      const item = findItem(TrayDouble.all.at(-1)?.menu?.items ?? [], command.id);
      if (!item?.click) throw new Error(`no tray menu item ${command.id}`);
      if (item.enabled === false) throw new Error(`tray menu item ${command.id} is disabled`);
      item.click(item, BrowserWindowDouble.getFocusedWindow() ?? undefined, {});
      return null;
    }
    case 'clickTray':
      TrayDouble.all.at(-1)?.emit('click', preventable(), display.bounds);
      return null;
    case 'clickNotification': {
      const n = NotificationDouble.all[command.index];
      if (!n) throw new Error(`no notification ${command.index}`);
      n.emit('click', preventable());
      return null;
    }
    case 'activateToast':
      NotificationDouble.activation?.({ type: 'click', arguments: command.arguments });
      return NotificationDouble.activation !== undefined;
    case 'emit': {
      const target =
        command.target === 'app' ? app : command.target === 'powerMonitor' ? powerMonitor : await mainWindow();
      const event = preventable();
      target.emit(command.event, event);
      return { defaultPrevented: event.defaultPrevented };
    }
    case 'crashRenderer':
      await (await mainWindow()).webContents.crash();
      return null;
    case 'evaluate': {
      const page = await mainPage();
      return page.evaluate(`(${command.source})(${JSON.stringify(command.arg ?? null)})`);
    }
    case 'press':
      await (await mainPage()).keyboard.press(command.key);
      return null;
    case 'insertText':
      await (await mainPage()).keyboard.insertText(command.text);
      return null;
    case 'waitForSelector':
      await (
        await mainPage()
      ).waitForSelector(command.selector, {
        timeout: command.timeout ?? 15_000,
      });
      return null;
    case 'focus':
      await (await mainPage()).focus(command.selector);
      return null;
    case 'click':
      await (await mainPage()).click(command.selector);
      return null;
    case 'demoPaidOrder':
      return demoPaidOrder();
  }
}

process.on('message', (message: { requestId: number; command: Command }) => {
  if (typeof message?.requestId !== 'number') return;
  const { requestId } = message;
  run(message.command).then(
    (result) => process.send?.({ type: 'reply', requestId, result }),
    (e: unknown) => process.send?.({ type: 'reply', requestId, error: e instanceof Error ? e.message : String(e) }),
  );
});
// The app runs for weeks; the test decides when it ends (Quit, or a kill in teardown).
process.channel?.unref();
