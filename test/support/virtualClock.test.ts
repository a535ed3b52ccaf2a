import { afterEach, describe, expect, it, vi } from 'vitest';
import { VIRTUAL_EPOCH, VirtualClock } from './virtualClock';

describe('VirtualClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts at the given time and stands still until advanced', async () => {
    const clock = new VirtualClock({ start: 1_000 });
    expect(clock.now()).toBe(1_000);
    expect(new VirtualClock().now()).toBe(VIRTUAL_EPOCH);
    let fired = false;
    void clock.sleep(10).then(() => (fired = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(fired).toBe(false);
    expect(clock.pending).toBe(1);
    await clock.advance(10);
    expect(fired).toBe(true);
    expect(clock.now()).toBe(1_010);
  });

  it('fires sleepers in time order, ties in the order they were scheduled, each at its own time', async () => {
    const clock = new VirtualClock({ start: 0 });
    const log: string[] = [];
    const at = (name: string, ms: number) => void clock.sleep(ms).then(() => log.push(`${name}@${clock.now()}`));
    at('c', 300);
    at('a', 100);
    at('b1', 200);
    at('b2', 200);
    at('late', 2_000);
    await clock.runUntil(1_000);
    expect(log).toEqual(['a@100', 'b1@200', 'b2@200', 'c@300']);
    expect(clock.now()).toBe(1_000);
    expect(clock.nextAt()).toBe(2_000);
  });

  it('lets promise chains run to their next sleep between timers', async () => {
    const clock = new VirtualClock({ start: 0 });
    const seen: number[] = [];
    const worker = async () => {
      for (let i = 0; i < 5; i++) {
        await clock.sleep(100);
        // Several awaits between two sleeps: all must settle before the next timer.
        await Promise.resolve();
        await new Promise<void>((r) => queueMicrotask(r));
        seen.push(clock.now());
      }
    };
    const done = worker();
    await clock.advance(1_000);
    await done;
    expect(seen).toEqual([100, 200, 300, 400, 500]);
  });

  it('fires a sleep scheduled by a sleeper inside the same run, at its due time', async () => {
    const clock = new VirtualClock({ start: 0 });
    const times: number[] = [];
    void clock.sleep(50).then(async () => {
      await clock.sleep(25);
      times.push(clock.now());
    });
    await clock.runUntil(100);
    expect(times).toEqual([75]);
  });

  it('rejects an aborted sleep with the signal reason and forgets it', async () => {
    const clock = new VirtualClock({ start: 0 });
    const ctl = new AbortController();
    const p = clock.sleep(1_000, ctl.signal);
    expect(clock.pending).toBe(1);
    ctl.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(clock.pending).toBe(0);
    expect(clock.nextAt()).toBeUndefined();
    await expect(clock.sleep(1, ctl.signal)).rejects.toThrow('stop');
    // Aborting after it fired changes nothing.
    const ctl2 = new AbortController();
    const q = clock.sleep(10, ctl2.signal);
    await clock.advance(10);
    ctl2.abort();
    await expect(q).resolves.toBeUndefined();
  });

  it('treats sleep(0) and negative sleeps as due now, still only when run', async () => {
    const clock = new VirtualClock({ start: 0 });
    let n = 0;
    void clock.sleep(0).then(() => n++);
    void clock.sleep(-5).then(() => n++);
    await new Promise((r) => setImmediate(r));
    expect(n).toBe(0);
    await clock.advance(0);
    expect(n).toBe(2);
    expect(clock.now()).toBe(0);
  });

  it('refuses to go back in time and to run twice at once', async () => {
    const clock = new VirtualClock({ start: 100 });
    await expect(clock.runUntil(50)).rejects.toThrow(/back/);
    const a = clock.advance(10);
    await expect(clock.advance(10)).rejects.toThrow(/already running/);
    await a;
  });

  it('throws on a loop that never lets time pass instead of spinning forever', async () => {
    const clock = new VirtualClock({ start: 0, maxTimersPerInstant: 500 });
    let spins = 0;
    void (async () => {
      for (;;) {
        await clock.sleep(0);
        spins++;
      }
    })();
    await expect(clock.advance(1_000)).rejects.toThrow(/never waits/);
    expect(spins).toBe(500);
  });

  it('keeps working while vitest fake timers are installed', async () => {
    vi.useFakeTimers();
    const clock = new VirtualClock({ start: 0 });
    let fired = false;
    void clock.sleep(5).then(() => (fired = true));
    await clock.advance(5);
    expect(fired).toBe(true);
  });

  it('handles many timers in order (heap)', async () => {
    const clock = new VirtualClock({ start: 0 });
    const out: number[] = [];
    const delays = Array.from({ length: 2_000 }, (_, i) => (i * 7919) % 1_000);
    for (const d of delays) void clock.sleep(d).then(() => out.push(clock.now()));
    await clock.advance(1_000);
    expect(out).toHaveLength(delays.length);
    expect(out).toEqual([...delays].sort((a, b) => a - b));
  });
});
