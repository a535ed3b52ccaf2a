import { beforeEach, describe, expect, it, vi } from 'vitest';
import { runApp, startFailureText, type AppDeps } from '../../../src/main/electron/app';
import { FolderInUseError } from '../../../src/main/core/inbox/folderLock';
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
  FakeUpdater,
  clickMenuItem,
  fakeCore,
  fakeMenu,
  fakeNativeImage,
  fakePublicSettings,
  fakeState,
  menuIds,
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
  const updater = new FakeUpdater();
  const applicationMenu = { setApplicationMenu: vi.fn() };
  const intervals: Array<{ fn: () => void; ms: number }> = [];
  /** What happened, in order: the page is served once the app is ready, before any window. */
  const steps: string[] = [];
  const deps: AppDeps<FakeBrowserWindow> = {
    app,
    argv: opts.argv ?? ['tradebell'],
    platform: opts.platform ?? 'linux',
    execPath: '/usr/lib/electron/electron',
    ipcMain,
    powerMonitor,
    shell,
    clipboard,
    screen: { getDisplayNearestPoint: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }) },
    tray: { Tray: FakeTray, Menu: fakeMenu, nativeImage: fakeNativeImage, iconDir: '/res/tray' },
    applicationMenu,
    Notification: FakeNotification,
    updater,
    servePage: () => void steps.push(app.ready ? 'servePage (ready)' : 'servePage (not ready)'),
    createWindow: () => {
      steps.push('createWindow');
      return new FakeBrowserWindow();
    },
    source,
    createCore,
    logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    logDir: '/data/logs',
    now: () => 1_700_000_000_000,
    setInterval: (fn, ms) => intervals.push({ fn, ms }),
    clearInterval: () => undefined,
    setTimeout: () => undefined,
    clearTimeout: () => undefined,
  };
  return {
    deps,
    steps,
    app,
    ...fake,
    ipcMain,
    powerMonitor,
    shell,
    clipboard,
    createCore,
    updater,
    applicationMenu,
    intervals,
  };
}

const win = () => FakeBrowserWindow.created[0]!;
const tray = () => FakeTray.created[0]!;
const trustedEvent = () => ({
  sender: win().webContents,
  senderFrame: { url: source.url, parent: null },
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
    const { deps, app, core, steps } = setup();
    const running = await runApp(deps);
    expect(running).not.toBeNull();
    expect(steps).toEqual(['servePage (ready)', 'createWindow']);
    // Only Windows files toasts under an AppUserModelId.
    expect(app.appUserModelId).toBeUndefined();
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

  it('Windows: the AppUserModelId is APP_ID when installed, the electron binary itself from source', async () => {
    const installed = setup({ platform: 'win32' });
    await runApp(installed.deps);
    expect(installed.app.appUserModelId).toBe(APP_ID);
    const fromSource = setup({ platform: 'win32' });
    fromSource.app.isPackaged = false;
    await runApp(fromSource.deps);
    expect(fromSource.app.appUserModelId).toBe('/usr/lib/electron/electron');
  });

  it('pauses polling on suspend only; a locked screen holds notifications and polling goes on', async () => {
    const { deps, powerMonitor, core, emit } = setup();
    await runApp(deps);
    powerMonitor.emit('suspend');
    powerMonitor.emit('resume');
    expect(core.suspend).toHaveBeenCalledTimes(1);
    expect(core.wake).toHaveBeenCalledTimes(1);
    powerMonitor.emit('lock-screen');
    expect(core.suspend).toHaveBeenCalledTimes(1);
    emit('notify', orderSpec());
    expect(FakeNotification.created).toHaveLength(0);
    powerMonitor.emit('unlock-screen');
    expect(FakeNotification.created.map((n) => n.options.title)).toEqual(['新订单 ¥48.00']);
  });

  it('the OS ending the session (Windows session-end, macOS/Linux shutdown) stops the core through quit, and installs no update then', async () => {
    for (const how of ['session-end', 'query-session-end', 'shutdown'] as const) {
      const { deps, app, core, powerMonitor, updater } = setup({ platform: how === 'shutdown' ? 'darwin' : 'win32' });
      await runApp(deps);
      updater.emit('update-downloaded', { version: '0.2.0' });
      expect(updater.autoInstallOnAppQuit).toBe(true);
      if (how === 'shutdown') powerMonitor.emit('shutdown', { preventDefault: vi.fn() });
      else win().emit(how, { preventDefault: vi.fn() });
      // An installer the OS kills half way leaves no working app: the download waits for the next start.
      expect(updater.autoInstallOnAppQuit).toBe(false);
      expect(updater.installs).toEqual([]);
      expect(app.quitCalls).toBe(1);
      expect(app.runQuit().prevented).toBe(true);
      await vi.waitFor(() => expect(core.stop).toHaveBeenCalledTimes(1));
      FakeBrowserWindow.created = [];
    }
  });

  it('a core error event is logged and shown through the state, never thrown back into the poller', async () => {
    const { deps, events } = setup();
    await runApp(deps);
    win().webContents.finishLoad();
    // Node's EventEmitter throws an 'error' event that has no listener.
    expect(events.count('error')).toBe(1);
    events.emit('error', { shop: 's1', error: { kind: 'network', message: 'connect ECONNREFUSED', retryable: true } });
    expect(deps.logger.warn).toHaveBeenCalledWith(
      'shop error shown in the window',
      expect.objectContaining({ shop: 's1', kind: 'network' }),
    );
    expect(win().webContents.sent.at(-1)?.channel).toBe(EVENTS.state);
  });

  it('production menus: none on Windows/Linux, the app and Edit menus on macOS; npm start keeps the default', async () => {
    const linux = setup();
    await runApp(linux.deps);
    expect(linux.applicationMenu.setApplicationMenu).toHaveBeenCalledWith(null);
    const mac = setup({ platform: 'darwin' });
    await runApp(mac.deps);
    expect(mac.applicationMenu.setApplicationMenu).toHaveBeenCalledWith([{ role: 'appMenu' }, { role: 'editMenu' }]);
    const dev = setup();
    dev.app.isPackaged = false;
    await runApp(dev.deps);
    expect(dev.applicationMenu.setApplicationMenu).not.toHaveBeenCalled();
  });

  it('the taskbar overlay set while hidden is applied again when the window shows (Windows)', async () => {
    const { deps, emit } = setup({ platform: 'win32', argv: [HIDDEN_ARG] });
    await runApp(deps);
    emit('state', fakeState({ unread: 3 }));
    const before = win().overlay.length;
    win().show();
    win().emit('show');
    expect(win().overlay.length).toBe(before + 1);
    expect(win().overlay.at(-1)?.description).toBe('3 个新订单');
  });

  it('a crashed renderer is reloaded, a few times a minute at most', async () => {
    const { deps } = setup();
    await runApp(deps);
    for (let i = 0; i < 5; i++) win().webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    expect(win().webContents.reloads).toBe(3);
    expect(deps.logger.error).toHaveBeenCalledWith(
      'the window renderer is gone',
      expect.objectContaining({ reloaded: false }),
    );
  });

  it('start at login: the OS is read back at start, macOS approval is shown, the window learns if it is offered', async () => {
    const { deps, app, core, ipcMain } = setup({ platform: 'darwin' });
    app.loginItem = { openAtLogin: true, wasOpenedAtLogin: false, status: 'requires-approval' };
    await runApp(deps);
    expect(core.updateSettings).toHaveBeenCalledWith({ startAtLogin: true });
    expect(FakeNotification.created.map((n) => n.options.title)).toContain('开机启动需要你的允许');
    expect(await ipcMain.invoke(INVOKE.getSettings.channel, trustedEvent())).toMatchObject({
      ok: true,
      value: { loginItem: { supported: true, status: 'requires-approval' } },
    });
    const linux = setup();
    await runApp(linux.deps);
    expect(await linux.ipcMain.invoke(INVOKE.getSettings.channel, trustedEvent())).toMatchObject({
      value: { loginItem: { supported: false } },
    });
  });

  it('updates: checked at start and every 6 hours when packaged; 重启以更新 appears once downloaded', async () => {
    const { deps, updater, intervals } = setup();
    await runApp(deps);
    expect(updater.checks).toBe(1);
    expect(intervals.map((i) => i.ms)).toEqual([6 * 60 * 60 * 1000]);
    // The start check has ended (a check in flight would absorb the tick).
    await new Promise((r) => setImmediate(r));
    intervals[0]!.fn();
    expect(updater.checks).toBe(2);
    expect(menuIds(tray().menus.at(-1))).not.toContain('restartToUpdate');
    updater.emit('update-downloaded', { version: '0.2.0' });
    expect(menuIds(tray().menus.at(-1))).toContain('restartToUpdate');
    win().show();
    expect(updater.installs).toEqual([]);
    clickMenuItem(tray().menus.at(-1), 'restartToUpdate');
    expect(updater.installs).toEqual([[false, true]]);
    expect(win().userClose().preventDefault).not.toHaveBeenCalled();
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
    const foreign = { sender: stranger.webContents, senderFrame: { url: source.url, parent: null } };
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

describe('startFailureText', () => {
  it("words a failure the core describes as data in the user's language, and shows a bug with its stack", () => {
    const inUse = new FolderInUseError('/data/inbox', 4242, 'another-pc');
    const en = startFailureText(inUse, 'en');
    expect(en).toMatch(
      /^TradeBell could not start:\nThe data folder \/data\/inbox is in use by another TradeBell process \(pid 4242 on another-pc\)/,
    );
    expect(en).not.toMatch(/[\u3400-\u9fff]/);
    const zh = startFailureText(inUse, 'zh-CN');
    expect(zh).toMatch(
      /^TradeBell 无法启动：\n数据文件夹 \/data\/inbox 正被另一个 TradeBell 进程使用（another-pc 上的进程 4242）/,
    );
    expect(zh).not.toMatch(/in use|could not/);
    const bug = new Error('x is undefined');
    expect(startFailureText(bug, 'en')).toBe(`TradeBell could not start:\n${bug.stack}`);
  });
});
