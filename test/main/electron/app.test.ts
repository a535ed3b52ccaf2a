import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { runApp, type AppDeps } from '../../../src/main/electron/app';
import { rendererSource } from '../../../src/main/electron/appUrl';
import { HIDDEN_ARG } from '../../../src/main/electron/lifecycle';
import { APP_ID } from '../../../src/shared/appId';
import { EVENTS, INVOKE } from '../../../src/shared/ipc';
import { ok } from '../../../src/shared/result';
import {
  Emitter,
  FakeApp,
  FakeBrowserWindow,
  FakeIpcMain,
  FakeNotification,
  FakeTray,
  clickMenuItem,
  fakeCore,
  fakeMenu,
  fakeNativeImage,
  fakePublicSettings,
  fakeState,
  orderSpec,
} from './fakes';

const indexHtml = '/app/out/renderer/index.html';
const source = rendererSource({ indexHtml, isPackaged: true });

function setup(opts: { platform?: NodeJS.Platform; argv?: string[]; lock?: boolean; demo?: boolean } = {}) {
  FakeBrowserWindow.created = [];
  FakeTray.created = [];
  FakeNotification.created = [];
  FakeNotification.supported = true;
  const app = new FakeApp();
  app.lock = opts.lock ?? true;
  const fake = fakeCore(
    fakeState({ demo: opts.demo ?? false, unread: 2, shops: [{ shop: 's1', state: 'listening' }] }),
  );
  const ipcMain = new FakeIpcMain();
  const powerMonitor = new Emitter();
  const shell = { openExternal: vi.fn(async () => undefined), openPath: vi.fn(async () => '') };
  const clipboard = { writeText: vi.fn() };
  const createCore = vi.fn(async () => fake.core);
  const deps: AppDeps<FakeBrowserWindow> = {
    app,
    argv: opts.argv ?? ['tradebell'],
    platform: opts.platform ?? 'linux',
    ipcMain,
    powerMonitor,
    shell,
    clipboard,
    screen: { getDisplayNearestPoint: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }) },
    tray: { Tray: FakeTray, Menu: fakeMenu, nativeImage: fakeNativeImage, iconDir: '/res/tray' },
    Notification: FakeNotification,
    createWindow: () => new FakeBrowserWindow(),
    source,
    createCore,
    logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    logDir: '/data/logs',
    now: () => 1_700_000_000_000,
  };
  return { deps, app, ...fake, ipcMain, powerMonitor, shell, clipboard, createCore };
}

const win = () => FakeBrowserWindow.created[0]!;
const tray = () => FakeTray.created[0]!;
const trustedEvent = () => ({
  sender: win().webContents,
  senderFrame: { url: pathToFileURL(indexHtml).href, parent: null },
});

beforeEach(() => {
  FakeBrowserWindow.created = [];
});

describe('runApp', () => {
  it('a second instance quits before opening anything', async () => {
    const { deps, app, createCore } = setup({ lock: false });
    expect(await runApp(deps)).toBeNull();
    expect(app.quitCalls).toBe(1);
    expect(createCore).not.toHaveBeenCalled();
    expect(FakeBrowserWindow.created).toHaveLength(0);
  });

  it('starts the core, sets the AppUserModelId, shows the window and the tray', async () => {
    const { deps, app, core } = setup();
    const running = await runApp(deps);
    expect(running).not.toBeNull();
    expect(app.appUserModelId).toBe(APP_ID);
    expect(core.start).toHaveBeenCalledTimes(1);
    expect(FakeBrowserWindow.created).toHaveLength(1);
    expect(win().visible).toBe(true);
    expect(tray().tooltips.at(-1)).toBe('TradeBell · 2 个新订单 · 正在监听 1 个店铺');
  });

  it.each([
    ['the --hidden argument', { argv: ['TradeBell.exe', HIDDEN_ARG], loginItem: false }],
    ['macOS login item', { platform: 'darwin' as const, loginItem: true }],
  ])('stays in the tray when launched by %s', async (_name, opts) => {
    const { deps, app } = setup(opts);
    app.loginItem.wasOpenedAtLogin = opts.loginItem;
    await runApp(deps);
    expect(FakeBrowserWindow.created).toHaveLength(1);
    expect(win().visible).toBe(false);
  });

  it('a second launch shows the first instance’s window', async () => {
    const { deps, app } = setup({ argv: [HIDDEN_ARG] });
    await runApp(deps);
    expect(win().visible).toBe(false);
    app.emit('second-instance', {}, ['tradebell'], '/');
    expect(win().visible).toBe(true);
  });

  it('closing hides to the tray with a one-time notice; Quit from the tray really quits after the core stops', async () => {
    const { deps, app, core } = setup();
    await runApp(deps);
    expect(win().userClose().preventDefault).toHaveBeenCalled();
    expect(win().destroyed).toBe(false);
    expect(FakeNotification.created.map((n) => n.options.title)).toEqual(['TradeBell 仍在后台运行']);
    win().show();
    win().userClose();
    expect(FakeNotification.created).toHaveLength(1);

    let finishStop: () => void = () => undefined;
    core.stop.mockImplementationOnce(
      () => new Promise<undefined>((resolve) => (finishStop = () => resolve(undefined))),
    );
    clickMenuItem(tray().menus.at(-1), 'quit');
    expect(app.quitCalls).toBe(1);
    // Electron now runs before-quit and will-quit: the core must stop before the process ends.
    expect(app.runQuit().prevented).toBe(true);
    expect(win().userClose().preventDefault).not.toHaveBeenCalled();
    expect(win().destroyed).toBe(true);
    expect(core.stop).toHaveBeenCalledTimes(1);
    expect(app.runQuit().prevented).toBe(true);
    expect(core.stop).toHaveBeenCalledTimes(1);
    finishStop();
    await vi.waitFor(() => expect(app.quitCalls).toBe(2));
    expect(tray().destroyed).toBe(true);
    expect(app.runQuit().prevented).toBe(false);
  });

  it('quits even when the core fails to stop', async () => {
    const { deps, app, core } = setup();
    await runApp(deps);
    core.stop.mockRejectedValueOnce(new Error('journal locked'));
    app.runQuit();
    await vi.waitFor(() => expect(app.quitCalls).toBe(1));
    expect(deps.logger.error).toHaveBeenCalled();
  });

  it('pauses polling on suspend and lock, resumes on resume and unlock', async () => {
    const { deps, powerMonitor, core } = setup();
    await runApp(deps);
    powerMonitor.emit('suspend');
    powerMonitor.emit('lock-screen');
    expect(core.suspend).toHaveBeenCalledTimes(2);
    powerMonitor.emit('resume');
    powerMonitor.emit('unlock-screen');
    expect(core.wake).toHaveBeenCalledTimes(2);
  });

  it('turns core events into tray, window and notification changes', async () => {
    const { deps, emit } = setup();
    await runApp(deps);
    win().webContents.finishLoad();
    emit('state', fakeState({ unread: 5, shops: [{ shop: 's1', state: 'listening' }] }));
    expect(tray().tooltips.at(-1)).toContain('5 个新订单');
    emit('orders', ['1588826713157361977']);
    emit('notify', orderSpec());
    expect(FakeNotification.created.at(-1)!.options.title).toBe('新订单 ¥48.00');
    win().hide();
    FakeNotification.created.at(-1)!.emit('click');
    expect(win().visible).toBe(true);
    expect(win().webContents.sent.map((s) => s.channel)).toEqual([EVENTS.state, EVENTS.ordersChanged, EVENTS.navigate]);
    expect(win().webContents.sent[2]!.payload).toEqual({
      view: 'order',
      shop: 'shop1',
      tid: '1234567890123456789',
      focusPanel: true,
    });
  });

  it('tray actions drive the core and the window', async () => {
    const { deps, core, shell } = setup();
    await runApp(deps);
    win().webContents.finishLoad();
    clickMenuItem(tray().menus.at(-1), 'pause');
    expect(core.pause).toHaveBeenCalled();
    expect(tray().tooltips.at(-1)).toBe('TradeBell · 已暂停');
    clickMenuItem(tray().menus.at(-1), 'resume');
    expect(core.resume).toHaveBeenCalled();
    clickMenuItem(tray().menus.at(-1), 'mute');
    expect(core.mute).toHaveBeenCalledWith(60);
    clickMenuItem(tray().menus.at(-1), 'logs');
    expect(shell.openPath).toHaveBeenCalledWith('/data/logs');
    win().hide();
    clickMenuItem(tray().menus.at(-1), 'settings');
    expect(win().visible).toBe(true);
    expect(win().webContents.sent.at(-1)).toEqual({ channel: EVENTS.navigate, payload: { view: 'settings' } });
  });

  it('answers IPC from its own window only', async () => {
    const { deps, ipcMain, core, clipboard } = setup();
    await runApp(deps);
    expect(await ipcMain.invoke(INVOKE.getState.channel, trustedEvent())).toEqual(ok(core.getState()));
    expect(await ipcMain.invoke(INVOKE.copyText.channel, trustedEvent(), '1588826713157361977')).toEqual(ok(undefined));
    expect(clipboard.writeText).toHaveBeenCalledWith('1588826713157361977');
    const stranger = new FakeBrowserWindow();
    const foreign = { sender: stranger.webContents, senderFrame: { url: pathToFileURL(indexHtml).href, parent: null } };
    expect(await ipcMain.invoke(INVOKE.mute.channel, foreign, 60)).toMatchObject({ ok: false, error: { kind: 'ipc' } });
    expect(core.mute).not.toHaveBeenCalled();
  });

  it('opens only allowlisted links in the browser', async () => {
    const { deps, ipcMain, shell } = setup();
    await runApp(deps);
    expect(await ipcMain.invoke(INVOKE.openExternal.channel, trustedEvent(), 'https://evil.example/')).toMatchObject({
      ok: false,
    });
    expect(shell.openExternal).not.toHaveBeenCalled();
    await ipcMain.invoke(INVOKE.openExternal.channel, trustedEvent(), 'https://trade.taobao.com/x');
    expect(shell.openExternal).toHaveBeenCalledWith('https://trade.taobao.com/x');
  });

  it('follows settings: tray language, and the login item only when start-at-login changes', async () => {
    const { deps, ipcMain, core, app } = setup({ platform: 'darwin' });
    await runApp(deps);
    core.updateSettings.mockResolvedValueOnce(ok(fakePublicSettings({ language: 'en', startAtLogin: true })));
    await ipcMain.invoke(INVOKE.updateSettings.channel, trustedEvent(), { language: 'en', startAtLogin: true });
    expect(tray().tooltips.at(-1)).toContain('2 new orders');
    expect(app.loginItemSettings).toEqual([{ openAtLogin: true, args: [HIDDEN_ARG] }]);
    core.updateSettings.mockResolvedValueOnce(ok(fakePublicSettings({ language: 'en', startAtLogin: true })));
    await ipcMain.invoke(INVOKE.updateSettings.channel, trustedEvent(), { vvtype: 2 });
    expect(app.loginItemSettings).toHaveLength(1);
  });

  it('shows the demo → real switch: entering a token leaves demo mode in the tray', async () => {
    const { deps, ipcMain, core, emit } = setup({ demo: true });
    await runApp(deps);
    expect(tray().tooltips.at(-1)).toContain('演示模式');
    core.setSecret.mockImplementationOnce(async () => {
      emit('state', fakeState({ demo: false, shops: [{ shop: 's1', state: 'listening' }] }));
      return ok(fakePublicSettings({ tokenSet: true, demo: false }));
    });
    expect(await ipcMain.invoke(INVOKE.setSecret.channel, trustedEvent(), 'token', 'tk_real_123')).toMatchObject({
      ok: true,
      value: { demo: false, tokenSet: true },
    });
    expect(core.setSecret).toHaveBeenCalledWith('token', 'tk_real_123');
    expect(tray().tooltips.at(-1)).not.toContain('演示模式');
  });
});
