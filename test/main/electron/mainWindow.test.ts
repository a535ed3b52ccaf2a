import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MainWindow } from '../../../src/main/electron/mainWindow';
import { EVENTS } from '../../../src/shared/ipc';
import { FakeBrowserWindow, fakeState } from './fakes';

function setup(position?: { x: number; y: number }) {
  FakeBrowserWindow.created = [];
  const onFirstHide = vi.fn();
  const keeper = new MainWindow({ create: () => new FakeBrowserWindow(), position: () => position, onFirstHide });
  return { keeper, onFirstHide, win: () => FakeBrowserWindow.created.at(-1)! };
}

describe('MainWindow', () => {
  beforeEach(() => {
    FakeBrowserWindow.created = [];
  });

  it('makes the window once and shows, restores and focuses it', () => {
    const { keeper, win } = setup({ x: 10, y: 20 });
    keeper.ensure();
    keeper.ensure();
    expect(FakeBrowserWindow.created).toHaveLength(1);
    win().minimized = true;
    keeper.show();
    expect(win().calls).toEqual(['restore', 'show', 'focus']);
    expect(win().position).toEqual([10, 20]);
    expect(keeper.isVisible()).toBe(true);
  });

  it('closing hides to the tray, with the notice only the first time', () => {
    const { keeper, win, onFirstHide } = setup();
    keeper.show();
    const first = win().userClose();
    expect(first.preventDefault).toHaveBeenCalled();
    expect(win().visible).toBe(false);
    expect(win().destroyed).toBe(false);
    keeper.show();
    win().userClose();
    expect(onFirstHide).toHaveBeenCalledTimes(1);
  });

  it('once quitting, closing really closes, and a later show makes a new window', () => {
    const { keeper, win } = setup();
    keeper.show();
    const first = win();
    keeper.setQuitting();
    const event = first.userClose();
    expect(event.preventDefault).not.toHaveBeenCalled();
    expect(first.destroyed).toBe(true);
    expect(keeper.current).toBeUndefined();
    keeper.show();
    expect(FakeBrowserWindow.created).toHaveLength(2);
  });

  it('holds events until the page has loaded, then delivers them in order', () => {
    const { keeper, win } = setup();
    keeper.ensure();
    keeper.send('state', fakeState({ unread: 1 }));
    keeper.send('navigate', { view: 'settings' });
    expect(win().webContents.sent).toEqual([]);
    win().webContents.finishLoad();
    keeper.send('ordersChanged', ['1']);
    expect(win().webContents.sent).toEqual([
      { channel: EVENTS.state, payload: fakeState({ unread: 1 }) },
      { channel: EVENTS.navigate, payload: { view: 'settings' } },
      { channel: EVENTS.ordersChanged, payload: ['1'] },
    ]);
  });

  it('drops events when there is no window, and bounds the queue of a page that never loads', () => {
    const { keeper, win } = setup();
    keeper.send('state', fakeState());
    keeper.ensure();
    for (let i = 0; i < 500; i++) keeper.send('ordersChanged', [String(i + 1)]);
    win().webContents.finishLoad();
    expect(win().webContents.sent.length).toBe(100);
  });

  it('knows its own webContents (the IPC sender check)', () => {
    const { keeper, win } = setup();
    expect(keeper.owns({})).toBe(false);
    keeper.ensure();
    const kept = win();
    expect(keeper.owns(kept.webContents)).toBe(true);
    expect(keeper.owns(new FakeBrowserWindow().webContents)).toBe(false);
    kept.destroyed = true;
    expect(keeper.owns(kept.webContents)).toBe(false);
  });
});

describe('MainWindow placement', () => {
  it('places the window by its current size (the user may have resized it), not the default', () => {
    FakeBrowserWindow.created = [];
    const position = vi.fn((size: { width: number; height: number }) => ({
      x: 1000 - size.width,
      y: 900 - size.height,
    }));
    const keeper = new MainWindow({ create: () => new FakeBrowserWindow(), position });
    const win = keeper.ensure();
    win.size = [600, 800];
    keeper.show();
    expect(position).toHaveBeenCalledWith({ width: 600, height: 800 });
    expect(win.position).toEqual([400, 100]);
  });
});
