import { describe, expect, it, vi } from 'vitest';
import { CHECK_EVERY_MS, UpdateController } from '../../../src/main/electron/updater';
import { FakeUpdater } from './fakes';

/** electron-updater's checks as they really go: one at a time, each ending when the test says. */
class SlowUpdater extends FakeUpdater {
  readonly pending: Array<{ feed: unknown; end(): void; fail(e: Error): void }> = [];
  override checkForUpdates(): Promise<unknown> {
    this.checks += 1;
    return new Promise((resolve, reject) =>
      this.pending.push({ feed: this.feeds.at(-1), end: () => resolve(null), fail: reject }),
    );
  }
}

function setup() {
  const updater = new SlowUpdater();
  const intervals: Array<{ fn: () => void; ms: number }> = [];
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const controller = new UpdateController({
    updater,
    enabled: true,
    logger,
    setInterval: (fn, ms) => intervals.push({ fn, ms }),
    clearInterval: () => undefined,
    onReady: vi.fn(),
  });
  return { updater, intervals, logger, controller };
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
});
