import { beforeEach, describe, expect, it, vi } from 'vitest';
import { rendererSource } from '../../../src/main/electron/appUrl';
import {
  CONTENT_SECURITY_POLICY,
  createAppWindow,
  devContentSecurityPolicy,
  positionNearTray,
  WINDOW_SIZE,
} from '../../../src/main/electron/window';
import { orderPageUrl } from '../../../src/shared/links';
import { FakeBrowserWindow, fakeEvent } from './fakes';

const indexHtml = '/app/out/renderer/index.html';
const appSource = rendererSource({ indexHtml, isPackaged: true });
const devSource = rendererSource({ indexHtml, devUrl: 'http://localhost:5173', isPackaged: false });

function make(source = appSource) {
  const openExternal = vi.fn();
  const onLoadFailed = vi.fn();
  const win = createAppWindow({
    BrowserWindow: FakeBrowserWindow,
    source,
    preload: '/app/out/preload/index.cjs',
    openExternal,
    title: 'TradeBell',
    onLoadFailed,
  });
  return { win, openExternal, onLoadFailed, contents: win.webContents, session: win.webContents.session };
}

beforeEach(() => {
  FakeBrowserWindow.created = [];
});

describe('createAppWindow', () => {
  it('makes a small, resizable, hidden window with every web preference locked down', () => {
    const { win } = make();
    expect(win.options).toMatchObject({
      width: WINDOW_SIZE.width,
      height: WINDOW_SIZE.height,
      resizable: true,
      show: false,
    });
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
  });

  it("loads the built page from the app's scheme, never file://, or the dev server in development", () => {
    expect(make().win.loadedUrl).toBe('tradebell://app/index.html');
    const dev = make(devSource).win;
    expect(dev.loadedUrl).toBe('http://localhost:5173/');
    expect(dev.options.webPreferences?.devTools).toBe(true);
  });

  it('denies navigation away from the app page', () => {
    const { contents } = make();
    for (const url of [
      'https://evil.example/',
      'https://trade.taobao.com/x',
      'file:///etc/passwd',
      `file://${indexHtml}`,
      'tradebell://app/other.html',
      'tradebell://evil/index.html',
      'javascript:alert(1)',
    ]) {
      for (const event of ['will-navigate', 'will-redirect']) {
        const e = fakeEvent();
        contents.emit(event, e, url);
        expect(e.preventDefault, `${event} ${url}`).toHaveBeenCalled();
      }
    }
    const same = fakeEvent();
    contents.emit('will-navigate', same, 'tradebell://app/index.html#/settings');
    expect(same.preventDefault).not.toHaveBeenCalled();
  });

  it('denies <webview>', () => {
    const { contents } = make();
    const e = fakeEvent();
    contents.emit('will-attach-webview', e);
    expect(e.preventDefault).toHaveBeenCalled();
  });

  it('denies window.open, sending only allowlisted links to the browser', () => {
    const { contents, openExternal } = make();
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: 'http://trade.taobao.com/' })).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
    expect(contents.openHandler?.({ url: orderPageUrl('123') })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith(orderPageUrl('123'));
  });

  it('denies every permission request and check', () => {
    const { session } = make();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      session.permissionRequest?.({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(session.permissionCheck?.()).toBe(false);
  });

  it('sets the strict CSP on every response, replacing any other', () => {
    const { session } = make();
    const callback = vi.fn();
    session.headers?.(
      { responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } },
      callback,
    );
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
    const bare = vi.fn();
    session.headers?.({}, bare);
    expect(bare).toHaveBeenCalledWith({ responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  it('relaxes the CSP in development only as far as Vite needs', () => {
    const { session } = make(devSource);
    const callback = vi.fn();
    session.headers?.({}, callback);
    const csp = callback.mock.calls[0]![0].responseHeaders['Content-Security-Policy'][0] as string;
    expect(csp).toBe(devContentSecurityPolicy('http://localhost:5173'));
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self' ws://localhost:5173");
  });
});

describe('the CSP', () => {
  it('gives the renderer no network, no plugins, no frames, no inline script', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives).toEqual({
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'font-src': "'self'",
      'connect-src': "'none'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });
});

describe('positionNearTray', () => {
  const screen = { x: 0, y: 0, width: 1920, height: 1040 };

  it('puts the window under a menu-bar icon (macOS)', () => {
    expect(
      positionNearTray({ x: 1500, y: 0, width: 22, height: 24 }, { x: 0, y: 25, width: 1920, height: 1055 }),
    ).toEqual({ x: 1301, y: 33 });
  });

  it('puts the window above a taskbar icon, inside the work area (Windows)', () => {
    expect(positionNearTray({ x: 1880, y: 1045, width: 24, height: 32 }, screen)).toEqual({
      x: 1920 - WINDOW_SIZE.width - 8,
      y: 1040 - WINDOW_SIZE.height - 8,
    });
  });

  it('leaves it to the OS when the tray does not say where it is (Linux)', () => {
    expect(positionNearTray({ x: 0, y: 0, width: 0, height: 0 }, screen)).toBeUndefined();
  });
});

describe('page load failures', () => {
  it('a page that does not load is reported, not left as an unhandled rejection', async () => {
    class FailingWindow extends FakeBrowserWindow {
      override loadURL(): Promise<void> {
        return Promise.reject(new Error('ERR_FILE_NOT_FOUND'));
      }
    }
    const onLoadFailed = vi.fn();
    createAppWindow({
      BrowserWindow: FailingWindow,
      source: appSource,
      preload: '/app/out/preload/index.cjs',
      openExternal: vi.fn(),
      title: 'TradeBell',
      onLoadFailed,
    });
    await vi.waitFor(() =>
      expect(onLoadFailed).toHaveBeenCalledWith(expect.objectContaining({ message: 'ERR_FILE_NOT_FOUND' })),
    );
  });

  it('the dev policy lets Vite inject styles and open its hot-reload socket; production does not', () => {
    const dev = devContentSecurityPolicy('http://localhost:5173');
    expect(dev).toContain("style-src 'self' 'unsafe-inline'");
    expect(dev).toContain("connect-src 'self' ws://localhost:5173");
    expect(CONTENT_SECURITY_POLICY).toContain("style-src 'self';");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'none'");
  });
});
