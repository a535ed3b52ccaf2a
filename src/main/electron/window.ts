/**
 * Every BrowserWindow is made here, locked down the same way (Electron's security checklist):
 * isolated, sandboxed, no Node, no navigation away from the app, no new windows, no permissions,
 * a strict Content-Security-Policy. Links the page tries to open go to the browser only when the
 * allowlist admits them.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { isAllowedExternalUrl } from '../../shared/links';
import { isAppUrl, type RendererSource } from './appUrl';
import type { Rectangle } from './tray';

/**
 * The renderer's policy: its own scripts and styles only, images from itself or data: URLs, no
 * network at all (all HTTP goes through main), no plugins, frames, forms or <base>.
 * `style-src` needs no 'unsafe-inline': React writes `style` props through the CSSOM
 * (element.style.setProperty), which CSP does not govern; only style attributes in markup and
 * <style> elements are blocked, and the built renderer uses neither.
 * The app's scheme sends it with every file (appScheme.ts), and the built index.html carries the
 * same policy in a meta tag (metaContentSecurityPolicy, added by electron.vite.config.ts at build
 * time only), so that it holds however the page is loaded. The session's onHeadersReceived sets it
 * too, for http answers (the dev server): Electron emits webRequest's header events for http(s)
 * only, not for a custom scheme's answers (electron#6021), so the scheme's header is its own.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The meta-tag form: `frame-ancestors` is ignored in a meta tag (with a console warning). */
export function metaContentSecurityPolicy(): string {
  return CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", '');
}

/**
 * Development only (`npm start`): Vite's dev server injects the React Refresh preamble as an
 * inline script, puts every stylesheet in a <style> element, and talks to the page over a
 * WebSocket for hot reload. The dev page has no meta policy, so this header is the only one.
 */
export function devContentSecurityPolicy(devOrigin: string): string {
  const ws = devOrigin.replace(/^http/, 'ws');
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
    .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    .replace("connect-src 'none'", `connect-src 'self' ${ws}`);
}

export const WINDOW_SIZE = { width: 420, height: 640 } as const;

interface PreventableEvent {
  preventDefault(): void;
}

/** The parts of a BrowserWindow this module touches; Electron's BrowserWindow satisfies it. */
export interface AppWindow {
  webContents: {
    on(event: 'will-navigate', listener: (event: PreventableEvent, url: string) => void): unknown;
    on(event: 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
    on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
    session: {
      setPermissionRequestHandler(
        handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
      ): void;
      setPermissionCheckHandler(handler: () => boolean): void;
      webRequest: {
        onHeadersReceived(
          listener: (
            details: { responseHeaders?: Record<string, string[]> },
            callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
          ) => void,
        ): void;
      };
    };
  };
  loadURL(url: string): Promise<void>;
}

export type WindowConstructor<W extends AppWindow> = new (options: BrowserWindowConstructorOptions) => W;

export interface WindowOptions<W extends AppWindow> {
  BrowserWindow: WindowConstructor<W>;
  source: RendererSource;
  /** Absolute path of out/preload/index.cjs. */
  preload: string;
  /** Opens an allowed link in the browser (external.ts). */
  openExternal(url: string): void;
  title: string;
  icon?: string;
  position?: { x: number; y: number };
  /** The page did not load (a missing file, the dev server down): logged, never an unhandled rejection. */
  onLoadFailed(error: unknown): void;
}

export function windowOptions(opts: {
  preload: string;
  title: string;
  icon?: string;
  position?: { x: number; y: number };
  devTools: boolean;
}): BrowserWindowConstructorOptions {
  return {
    ...WINDOW_SIZE,
    ...opts.position,
    minWidth: 360,
    minHeight: 480,
    resizable: true,
    show: false,
    title: opts.title,
    ...(opts.icon !== undefined && { icon: opts.icon }),
    autoHideMenuBar: true,
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: opts.devTools,
    },
  };
}

/** Creates a hardened window and starts loading the app's page into it. */
export function createAppWindow<W extends AppWindow>(opts: WindowOptions<W>): W {
  const win = new opts.BrowserWindow(
    windowOptions({
      preload: opts.preload,
      title: opts.title,
      icon: opts.icon,
      position: opts.position,
      devTools: opts.source.kind === 'dev',
    }),
  );
  harden(win, opts);
  win.loadURL(opts.source.url).catch((e: unknown) => opts.onLoadFailed(e));
  return win;
}

function harden(win: AppWindow, opts: Pick<WindowOptions<AppWindow>, 'source' | 'openExternal'>): void {
  const contents = win.webContents;
  const stayInApp = (event: PreventableEvent, url: string) => {
    if (!isAppUrl(url, opts.source)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) opts.openExternal(url);
    return { action: 'deny' };
  });
  const session = contents.session;
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  const csp = opts.source.kind === 'dev' ? devContentSecurityPolicy(opts.source.origin) : CONTENT_SECURITY_POLICY;
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(
        ([name]) => name.toLowerCase() !== 'content-security-policy',
      ),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [csp] } });
  });
}

/**
 * Where the window goes so it appears next to the tray icon: below it when the tray is at the top
 * of the screen (macOS menu bar), above it otherwise (Windows taskbar), kept inside the work area.
 * Undefined when the tray's position is unknown (most Linux trays report zeros): the OS decides.
 */
export function positionNearTray(
  tray: Rectangle,
  workArea: Rectangle,
  size: { width: number; height: number } = WINDOW_SIZE,
): { x: number; y: number } | undefined {
  if (tray.width === 0 && tray.height === 0) return undefined;
  const margin = 8;
  const clamp = (v: number, lo: number, hi: number) => Math.round(Math.min(Math.max(v, lo), Math.max(lo, hi)));
  const x = clamp(
    tray.x + tray.width / 2 - size.width / 2,
    workArea.x + margin,
    workArea.x + workArea.width - size.width - margin,
  );
  const trayAtTop = tray.y + tray.height / 2 < workArea.y + workArea.height / 2;
  const y = trayAtTop ? workArea.y + margin : workArea.y + workArea.height - size.height - margin;
  return { x, y: clamp(y, workArea.y, workArea.y + workArea.height - size.height) };
}
