import { describe, expect, it, vi } from 'vitest';
import {
  HIDDEN_ARG,
  applyStartAtLogin,
  claimSingleInstance,
  followPower,
  launchedHidden,
} from '../../../src/main/electron/lifecycle';
import { Emitter, FakeApp } from './fakes';

describe('claimSingleInstance', () => {
  it('the first instance keeps the lock and shows its window when a second one starts', () => {
    const app = new FakeApp();
    const show = vi.fn();
    expect(claimSingleInstance(app, show)).toBe(true);
    expect(app.quitCalls).toBe(0);
    app.emit('second-instance', {}, ['tradebell'], '/');
    expect(show).toHaveBeenCalledTimes(1);
  });

  it('a second instance quits at once', () => {
    const app = new FakeApp();
    app.lock = false;
    const show = vi.fn();
    expect(claimSingleInstance(app, show)).toBe(false);
    expect(app.quitCalls).toBe(1);
    expect(app.count('second-instance')).toBe(0);
  });
});

describe('start at login', () => {
  it('registers the login item with the hidden flag on macOS and Windows', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const app = new FakeApp();
      expect(applyStartAtLogin(app, true, platform)).toBe(true);
      expect(applyStartAtLogin(app, false, platform)).toBe(true);
      expect(app.loginItemSettings).toEqual([
        { openAtLogin: true, args: [HIDDEN_ARG] },
        { openAtLogin: false, args: [HIDDEN_ARG] },
      ]);
    }
  });

  it('does nothing on Linux, where Electron has no login items', () => {
    const app = new FakeApp();
    expect(applyStartAtLogin(app, true, 'linux')).toBe(false);
    expect(app.loginItemSettings).toEqual([]);
  });

  it('stays hidden when launched by the login item', () => {
    expect(launchedHidden(['TradeBell.exe', HIDDEN_ARG], { wasOpenedAtLogin: false })).toBe(true);
    expect(launchedHidden(['TradeBell'], { wasOpenedAtLogin: true })).toBe(true);
    expect(launchedHidden(['TradeBell'], { wasOpenedAtLogin: false })).toBe(false);
    expect(launchedHidden(['TradeBell'], {})).toBe(false);
  });
});

describe('followPower', () => {
  it('suspends polling on sleep and lock, wakes it on resume and unlock, and can be undone', () => {
    const power = new Emitter();
    const target = { suspend: vi.fn(), wake: vi.fn() };
    const stop = followPower(power, target);
    power.emit('suspend');
    power.emit('lock-screen');
    expect(target.suspend).toHaveBeenCalledTimes(2);
    expect(target.wake).not.toHaveBeenCalled();
    power.emit('resume');
    power.emit('unlock-screen');
    expect(target.wake).toHaveBeenCalledTimes(2);
    stop();
    for (const e of ['suspend', 'lock-screen', 'resume', 'unlock-screen']) expect(power.count(e)).toBe(0);
  });
});
