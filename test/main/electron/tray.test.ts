import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MUTE_MINUTES,
  TrayController,
  tooltipText,
  trayIconFiles,
  type TrayActions,
} from '../../../src/main/electron/tray';
import { appError } from '../../../src/shared/errors';
import { MESSAGES } from '../../../src/shared/i18n';
import {
  FakeApp,
  FakeBrowserWindow,
  FakeTray,
  clickMenuItem,
  fakeMenu,
  fakeNativeImage,
  fakeState,
  imagePath,
  menuIds,
} from './fakes';

const NOW = 1_700_000_000_000;
const listening = (n: number) => Array.from({ length: n }, (_, i) => ({ shop: `s${i}`, state: 'listening' as const }));

function setup(platform: NodeJS.Platform, withWindow = true) {
  FakeTray.created = [];
  const app = new FakeApp();
  const win = new FakeBrowserWindow();
  const actions = {
    open: vi.fn<() => void>(),
    pause: vi.fn<() => void>(),
    resume: vi.fn<() => void>(),
    mute: vi.fn<(minutes: number) => void>(),
    settings: vi.fn<() => void>(),
    openLogFolder: vi.fn<() => void>(),
    restartToUpdate: vi.fn<() => void>(),
    quit: vi.fn<() => void>(),
  } satisfies TrayActions;
  const controller = new TrayController({
    Tray: FakeTray,
    Menu: fakeMenu,
    nativeImage: fakeNativeImage,
    app,
    platform,
    iconDir: '/res/tray',
    window: () => (withWindow ? win : undefined),
    actions,
    now: () => NOW,
  });
  return { controller, tray: FakeTray.created[0]!, app, win, actions };
}

describe('tooltipText', () => {
  it('says how many new orders and how many shops are listening', () => {
    expect(tooltipText(fakeState({ unread: 3, shops: listening(2) }), 'zh-CN', NOW)).toBe(
      'TradeBell · 3 个新订单 · 正在监听 2 个店铺',
    );
    expect(tooltipText(fakeState({ unread: 1, shops: listening(1) }), 'en', NOW)).toBe(
      'TradeBell · 1 new order · Listening to 1 shop',
    );
    expect(tooltipText(fakeState({ unread: 0, shops: listening(2) }), 'en', NOW)).toBe(
      'TradeBell · No new orders · Listening to 2 shops',
    );
  });

  it('says paused, muted, demo, failing shops', () => {
    expect(tooltipText(fakeState({ paused: true }), 'zh-CN', NOW)).toBe('TradeBell · 已暂停');
    expect(tooltipText(fakeState({ paused: true, demo: true, mutedUntil: NOW + 1000 }), 'en', NOW)).toBe(
      'TradeBell · Demo mode · Paused · Muted',
    );
    expect(tooltipText(fakeState({ mutedUntil: NOW - 1 }), 'en', NOW)).not.toContain('Muted');
    const shops = [...listening(1), { shop: 'x', state: 'error' as const }];
    expect(tooltipText(fakeState({ shops }), 'zh-CN', NOW)).toBe(
      'TradeBell · 没有新订单 · 正在监听 1 个店铺 · 1 个店铺出错',
    );
  });

  it('shows a global error with its advice, within the Windows 127-character cap', () => {
    const auth = appError('auth', 'gateway_code', { gatewayCode: 401, msg: '身份凭证无效' });
    const text = tooltipText(fakeState({ globalError: auth }), 'zh-CN', NOW);
    expect(text).toBe(`TradeBell · ${MESSAGES['zh-CN'].describe(auth)}`);
    expect(text).toContain('网关返回 401：身份凭证无效');
    expect(text).toContain('access_token');
    const en = tooltipText(fakeState({ globalError: auth }), 'en', NOW);
    expect(en).toMatch(/^TradeBell · The gateway answered with code 401 — The access token is invalid/);
    expect(en).not.toMatch(/[\u4e00-\u9fff]/);
    const long = tooltipText(
      fakeState({ globalError: appError('internal', 'internal', { detail: 'x'.repeat(300) }) }),
      'en',
      NOW,
    );
    expect(long.length).toBe(127);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('trayIconFiles', () => {
  it('uses template images on macOS, .ico on Windows, PNG on Linux', () => {
    expect(trayIconFiles('darwin')).toEqual({ normal: 'trayTemplate.png', unread: 'trayUnreadTemplate.png' });
    expect(trayIconFiles('win32')).toMatchObject({
      normal: 'tray.ico',
      unread: 'trayUnread.ico',
      overlay: 'overlay.png',
    });
    expect(trayIconFiles('linux')).toEqual({ normal: 'tray.png', unread: 'trayUnread.png' });
  });
});

describe('TrayController', () => {
  beforeEach(() => {
    FakeTray.created = [];
  });

  it('starts with the normal icon and switches to unread and back', () => {
    const { controller, tray } = setup('linux');
    expect(tray.images).toEqual([join('/res/tray', 'tray.png')]);
    controller.update(fakeState({ unread: 2 }), 'zh-CN');
    controller.update(fakeState({ unread: 3 }), 'zh-CN');
    controller.update(fakeState({ unread: 0 }), 'zh-CN');
    expect(tray.images.slice(1)).toEqual([join('/res/tray', 'trayUnread.png'), join('/res/tray', 'tray.png')]);
  });

  it('rebuilds the menu only when what it shows changes', () => {
    const { controller, tray } = setup('win32');
    controller.update(fakeState({ unread: 1 }), 'zh-CN');
    controller.update(fakeState({ unread: 5 }), 'zh-CN');
    controller.update(fakeState({ unread: 5, shops: listening(3) }), 'zh-CN');
    expect(tray.menus).toHaveLength(1);
    expect(tray.tooltips).toHaveLength(3);
    controller.update(fakeState({ unread: 5, paused: true }), 'zh-CN');
    controller.update(fakeState({ unread: 5, paused: true, mutedUntil: NOW + 60_000 }), 'zh-CN');
    controller.update(fakeState({ unread: 5, paused: true, mutedUntil: NOW + 60_000 }), 'en');
    expect(tray.menus).toHaveLength(4);
  });

  it('offers pause or resume, mute or unmute, as the state says', () => {
    const { controller, tray, actions } = setup('linux');
    controller.update(fakeState(), 'zh-CN');
    expect(menuIds(tray.menus.at(-1))).toEqual(['open', 'pause', 'mute', 'settings', 'logs', 'quit']);
    clickMenuItem(tray.menus.at(-1), 'pause');
    clickMenuItem(tray.menus.at(-1), 'mute');
    expect(actions.pause).toHaveBeenCalled();
    expect(actions.mute).toHaveBeenCalledWith(MUTE_MINUTES);
    controller.update(fakeState({ paused: true, mutedUntil: NOW + 1 }), 'zh-CN');
    expect(menuIds(tray.menus.at(-1))).toEqual(['open', 'resume', 'unmute', 'settings', 'logs', 'quit']);
    clickMenuItem(tray.menus.at(-1), 'resume');
    clickMenuItem(tray.menus.at(-1), 'unmute');
    clickMenuItem(tray.menus.at(-1), 'settings');
    clickMenuItem(tray.menus.at(-1), 'logs');
    clickMenuItem(tray.menus.at(-1), 'quit');
    clickMenuItem(tray.menus.at(-1), 'open');
    expect(actions.resume).toHaveBeenCalled();
    expect(actions.mute).toHaveBeenLastCalledWith(0);
    for (const a of ['settings', 'openLogFolder', 'quit', 'open'] as const) expect(actions[a]).toHaveBeenCalledTimes(1);
  });

  it('labels the menu in the chosen language and follows a language change', () => {
    const { controller, tray } = setup('linux');
    controller.update(fakeState(), 'zh-CN');
    const label = () => (tray.menus.at(-1) as { label?: string }[]).find((i) => i.label)?.label;
    expect(label()).toBe('打开 TradeBell');
    controller.setLanguage('en');
    expect(label()).toBe('Open TradeBell');
    expect(tray.tooltips.at(-1)).toContain('No new orders');
  });

  it('macOS: template icons and a dock badge', () => {
    const { controller, tray, app } = setup('darwin');
    expect(tray.images).toEqual([join('/res/tray', 'trayTemplate.png')]);
    expect(tray.count('click')).toBe(0);
    controller.update(fakeState({ unread: 4 }), 'zh-CN');
    controller.update(fakeState({ unread: 4 }), 'zh-CN');
    controller.update(fakeState({ unread: 0 }), 'zh-CN');
    expect(app.dockBadges).toEqual(['4', '']);
    expect(tray.images.at(-2)).toBe(join('/res/tray', 'trayUnreadTemplate.png'));
    expect(app.badgeCounts).toEqual([]);
  });

  it('Windows: .ico icons, an overlay icon on the taskbar, click opens the window', () => {
    const { controller, tray, win, app, actions } = setup('win32');
    expect(tray.images).toEqual([join('/res/tray', 'tray.ico')]);
    controller.update(fakeState({ unread: 2 }), 'en');
    controller.update(fakeState({ unread: 0 }), 'en');
    expect(win.overlay.map((o) => [imagePath(o.image), o.description])).toEqual([
      [join('/res/tray', 'overlay.png'), '2 new orders'],
      [undefined, ''],
    ]);
    expect(app.dockBadges).toEqual([]);
    tray.emit('click');
    expect(actions.open).toHaveBeenCalled();
  });

  it('Windows without a window yet: no crash', () => {
    const { controller } = setup('win32', false);
    expect(() => controller.update(fakeState({ unread: 2 }), 'en')).not.toThrow();
  });

  it('Linux: PNG icons and the launcher badge count', () => {
    const { controller, app } = setup('linux');
    controller.update(fakeState({ unread: 7 }), 'zh-CN');
    controller.update(fakeState({ unread: 0 }), 'zh-CN');
    expect(app.badgeCounts).toEqual([7, 0]);
  });

  it('destroys the tray icon', () => {
    const { controller, tray } = setup('linux');
    controller.destroy();
    expect(tray.destroyed).toBe(true);
  });
});
