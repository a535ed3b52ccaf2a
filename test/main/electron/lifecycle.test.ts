import { describe, expect, it, vi } from 'vitest';
import {
  HIDDEN_ARG,
  applyStartAtLogin,
  claimSingleInstance,
  followPower,
  launchedHidden,
  loginItemSupported,
  readStartAtLogin,
} from '../../../src/main/electron/lifecycle';
import { Emitter, FakeApp, fakeEvent } from './fakes';

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
  it('registers the login item with the hidden flag on macOS and Windows, and answers what the OS says', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const app = new FakeApp();
      expect(applyStartAtLogin(app, true, platform)).toEqual({ enabled: true });
      expect(applyStartAtLogin(app, false, platform)).toEqual({ enabled: false });
      expect(app.loginItemSettings).toEqual([
        { openAtLogin: true, args: [HIDDEN_ARG] },
        { openAtLogin: false, args: [HIDDEN_ARG] },
      ]);
    }
  });

  it('is not offered on Linux, nor from `npm start` (never registers the bare electron binary)', () => {
    const linux = new FakeApp();
    expect(loginItemSupported(linux, 'linux')).toBe(false);
    expect(applyStartAtLogin(linux, true, 'linux')).toBeUndefined();
    const fromSource = new FakeApp();
    fromSource.isPackaged = false;
    expect(loginItemSupported(fromSource, 'win32')).toBe(false);
    expect(applyStartAtLogin(fromSource, true, 'win32')).toBeUndefined();
    expect(readStartAtLogin(fromSource, 'darwin')).toBeUndefined();
    expect([...linux.loginItemSettings, ...fromSource.loginItemSettings]).toEqual([]);
  });

  it('reads the state back from the OS: Windows by the run key with our args, macOS with its approval status', () => {
    const win = new FakeApp();
    win.loginItem = { openAtLogin: false, wasOpenedAtLogin: false, executableWillLaunchAtLogin: true };
    expect(readStartAtLogin(win, 'win32')).toEqual({ enabled: true });
    expect(win.loginItemQueries).toEqual([{ args: [HIDDEN_ARG] }]);
    const mac = new FakeApp();
    mac.loginItem = { openAtLogin: true, wasOpenedAtLogin: false, status: 'requires-approval' };
    expect(readStartAtLogin(mac, 'darwin')).toEqual({ enabled: true, status: 'requires-approval' });
  });

  it('stays hidden when launched by the login item', () => {
    expect(launchedHidden(['TradeBell.exe', HIDDEN_ARG], { wasOpenedAtLogin: false })).toBe(true);
    expect(launchedHidden(['TradeBell'], { wasOpenedAtLogin: true })).toBe(true);
    expect(launchedHidden(['TradeBell'], { wasOpenedAtLogin: false })).toBe(false);
    expect(launchedHidden(['TradeBell'], {})).toBe(false);
  });
});

describe('followPower', () => {
  const targets = () => ({ suspend: vi.fn(), wake: vi.fn(), locked: vi.fn(), unlocked: vi.fn(), shutdown: vi.fn() });

  it('suspends polling on sleep and wakes it on resume; a locked screen only holds notifications', () => {
    const power = new Emitter();
    const target = targets();
    const stop = followPower(power, target);
    power.emit('suspend');
    expect(target.suspend).toHaveBeenCalledTimes(1);
    power.emit('lock-screen');
    // A locked, unattended shop PC must keep storing orders: polling goes on.
    expect(target.suspend).toHaveBeenCalledTimes(1);
    expect(target.locked).toHaveBeenCalledTimes(1);
    power.emit('resume');
    power.emit('unlock-screen');
    expect(target.wake).toHaveBeenCalledTimes(1);
    expect(target.unlocked).toHaveBeenCalledTimes(1);
    stop();
    for (const e of ['suspend', 'lock-screen', 'resume', 'unlock-screen', 'shutdown']) expect(power.count(e)).toBe(0);
  });

  it('macOS/Linux shutdown delays the OS and stops cleanly', () => {
    const power = new Emitter();
    const target = targets();
    followPower(power, target);
    const event = fakeEvent();
    power.emit('shutdown', event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(target.shutdown).toHaveBeenCalledTimes(1);
  });
});
