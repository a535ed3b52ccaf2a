import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import { CHECK_DEADLINE_MS, CHECK_EVERY_MS, UpdateController } from '../../../src/main/electron/updater';
import { FakeUpdater } from './fakes';

/** electron-updater's checks as they really go: one at a time, each ending when the test says;
 * asked again while one is in flight, it hands back that one (AppUpdater.checkForUpdatesPromise). */
class SlowUpdater extends FakeUpdater {
  readonly pending: Array<{ feed: unknown; end(): void; fail(e: Error): void }> = [];
  checkForUpdatesPromise: Promise<unknown> | null = null;
  override checkForUpdates(): Promise<unknown> {
    if (this.checkForUpdatesPromise) return this.checkForUpdatesPromise;
    this.checks += 1;
    const check = new Promise((resolve, reject) =>
      this.pending.push({ feed: this.feeds.at(-1), end: () => resolve(null), fail: reject }),
    ).finally(() => {
      if (this.checkForUpdatesPromise === check) this.checkForUpdatesPromise = null;
    });
    this.checkForUpdatesPromise = check;
    return check;
  }
}

function setup() {
  const updater = new SlowUpdater();
  const intervals: Array<{ fn: () => void; ms: number }> = [];
  const timeouts: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const controller = new UpdateController({
    updater,
    enabled: true,
    logger,
    setInterval: (fn, ms) => intervals.push({ fn, ms }),
    clearInterval: () => undefined,
    setTimeout: (fn, ms) => timeouts[timeouts.push({ fn, ms, cleared: false }) - 1],
    clearTimeout: (t) => void ((t as { cleared: boolean }).cleared = true),
    onReady: vi.fn(),
  });
  return { updater, intervals, timeouts, logger, controller };
}

const settle = () => new Promise((r) => setImmediate(r));
const MIRROR = 'https://mirror.example.cn/tradebell/';

describe('UpdateController', () => {
  it('a mirror saved while the release feed is still being checked is checked once that check ends', async () => {
    const { updater, controller, logger } = setup();
    controller.start('');
    expect(updater.pending.map((p) => p.feed)).toEqual([undefined]);
    controller.mirrorChanged(MIRROR);
    expect(updater.feeds).toEqual([{ provider: 'generic', url: MIRROR }]);
    // Not asked while one is in flight: electron-updater would hand back the release feed's check.
    expect(updater.checks).toBe(1);
    updater.pending[0]!.fail(new Error('net::ERR_CONNECTION_TIMED_OUT'));
    await settle();
    expect(logger.warn).toHaveBeenCalledWith('update check failed', { error: 'net::ERR_CONNECTION_TIMED_OUT' });
    expect(updater.checks).toBe(2);
    expect(updater.pending[1]!.feed).toEqual({ provider: 'generic', url: MIRROR });
    updater.pending[1]!.end();
    await settle();
    expect(updater.checks).toBe(2);
  });

  it('checks at start and every 6 hours, one check at a time, none once an update waits', async () => {
    const { updater, controller, intervals } = setup();
    controller.start('');
    expect(intervals.map((i) => i.ms)).toEqual([CHECK_EVERY_MS]);
    intervals[0]!.fn();
    intervals[0]!.fn();
    expect(updater.checks).toBe(1);
    updater.pending[0]!.end();
    await settle();
    // The ticks that came during the check make one more, not two.
    expect(updater.checks).toBe(2);
    updater.pending[1]!.end();
    await settle();
    updater.emit('update-downloaded', { version: '0.2.0' });
    intervals[0]!.fn();
    controller.mirrorChanged(MIRROR);
    expect(updater.checks).toBe(2);
    expect(controller.readyVersion).toBe('0.2.0');
  });

  it('a check the feed never answers is given up after the deadline, and the next one asks again', async () => {
    const { updater, controller, intervals, timeouts, logger } = setup();
    controller.start('');
    expect(updater.checks).toBe(1);
    expect(timeouts.map((t) => t.ms)).toEqual([CHECK_DEADLINE_MS]);
    // The feed accepted the connection and says nothing. A 6-hourly tick meanwhile waits.
    intervals[0]!.fn();
    expect(updater.checks).toBe(1);
    timeouts[0]!.fn();
    await settle();
    expect(logger.warn).toHaveBeenCalledWith('update check failed', {
      error: 'no answer from the update feed',
      afterMs: CHECK_DEADLINE_MS,
    });
    // The tick that came meanwhile asks again, and electron-updater makes a new request for it.
    expect(updater.checks).toBe(2);
    updater.pending[1]!.end();
    await settle();
    expect(timeouts[1]!.cleared).toBe(true);
    // The stalled request answering at last changes nothing.
    updater.pending[0]!.fail(new Error('net::ERR_CONNECTION_RESET'));
    await settle();
    expect(updater.checks).toBe(2);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('electron-updater keeps the check in flight where the deadline forgets it (the installed version)', () => {
    const require = createRequire(import.meta.url);
    const source = readFileSync(require.resolve('electron-updater/out/AppUpdater.js'), 'utf8');
    expect(source).toMatch(
      /let checkForUpdatesPromise = this\.checkForUpdatesPromise;\s*if \(checkForUpdatesPromise != null\)/,
    );
    expect(source).toContain('this.checkForUpdatesPromise = checkForUpdatesPromise;');
  });
});
