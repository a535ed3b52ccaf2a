import { describe, expect, it } from 'vitest';
import type { ConsumeOk, Gateway } from '../../../../src/main/core/gateway/types';
import {
  DRAIN_SAVE_ATTEMPTS,
  Scheduler,
  type SchedulerDeps,
  type SchedulerShopStatus,
} from '../../../../src/main/core/intake/scheduler';
import { ARRIVAL_MARGIN_MS, type PollPolicy } from '../../../../src/main/core/intake/pauses';
import { createRng } from '../../../../src/simulator';
import { VIRTUAL_EPOCH, VirtualClock } from '../../../support/virtualClock';
import { appError, gatewayCodeOf, type AppError, type ErrorKind } from '../../../../src/shared/errors';
import { gatewayError } from '../../../support/errors';
import { err, ok } from '../../../../src/shared/result';
import { FakeGateway, LimitedGateway, Queues, always, batch, busy, empty, failing, full, type Source } from './fakes';

const SEC = 1_000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
/** Calls the fakes answer without the gateway's run time: the pacing keeps the arrival margin. */
const PACING_WINDOW_MS = SEC + ARRIVAL_MARGIN_MS;

interface Setup {
  clock: VirtualClock;
  gw: FakeGateway;
  sch: Scheduler;
  batches: { shop: string; ok: ConsumeOk; at: number }[];
  errors: { shop: string; error: AppError }[];
  states: SchedulerShopStatus[];
  stop(): Promise<void>;
}

function setup(
  source: Source,
  opts: {
    latencyMs?: number | ((shop: string) => number);
    polling?: PollPolicy;
    shops?: string[];
    /** What the scheduler calls, in front of the recording fake. */
    front?: (gw: FakeGateway, clock: VirtualClock) => Gateway;
    /** The answers say the gateway's run time, as the real gateway's do. */
    msec?: boolean;
  } & Partial<SchedulerDeps> = {},
): Setup {
  const clock = new VirtualClock();
  const gw = new FakeGateway(clock, source, opts.latencyMs ?? 0, opts.msec);
  const batches: Setup['batches'] = [];
  const errors: Setup['errors'] = [];
  const states: SchedulerShopStatus[] = [];
  const sch = new Scheduler({
    gateway: opts.front?.(gw, clock) ?? gw,
    clock,
    random: () => 0.5,
    onBatch: async (shop, b, at) => {
      batches.push({ shop, ok: b, at });
    },
    onError: (shop, error) => errors.push({ shop, error }),
    onStateChange: (st) => states.push(st),
    ...opts,
  });
  sch.setShops(opts.shops ?? ['A']);
  const stop = async () => {
    let done = false;
    const p = sch.stop().then(() => (done = true));
    while (!done) await clock.advance(SEC);
    await p;
  };
  return { clock, gw, sch, batches, errors, states, stop };
}

function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}

describe('Scheduler: bounded calls on every path', () => {
  it('a quiet shop costs about one call per ceiling (balanced: 10 s)', async () => {
    const t = setup(empty);
    t.sch.start();
    await t.clock.advance(24 * HOUR);
    await t.stop();
    const calls = t.gw.calls.length;
    // 0, 1, 3, 7, 15 s, then every 10 s.
    expect(calls).toBeGreaterThan(8_600);
    expect(calls).toBeLessThan(8_700);
    const g = gaps(t.gw.calls.map((c) => c.at));
    expect(g.slice(0, 5)).toEqual([1_000, 2_000, 4_000, 8_000, 10_000]);
    expect(Math.max(...g)).toBe(10_000);
    expect(t.sch.status('A').state).toBe('stopped');
  });

  it.each([
    ['realtime', undefined, 2_000],
    ['saver', undefined, 60_000],
    ['custom', 30_000, 30_000],
  ] as const)('the idle pause stops growing at the %s ceiling', async (mode, custom, ceiling) => {
    const t = setup(empty, { polling: { mode, customCeilingMs: custom } });
    t.sch.start();
    await t.clock.advance(2 * HOUR);
    await t.stop();
    const g = gaps(t.gw.calls.map((c) => c.at));
    expect(Math.max(...g)).toBe(ceiling);
    expect(t.gw.calls.length).toBeLessThanOrEqual(Math.ceil((2 * HOUR) / ceiling) + 8);
    expect(t.gw.calls.length).toBeGreaterThanOrEqual(Math.floor((2 * HOUR) / ceiling));
  });

  it('full batches from an instant gateway never exceed 10 calls a second, and use every slot of it', async () => {
    const t = setup(full);
    t.sch.start();
    await t.clock.advance(10 * MIN);
    await t.stop();
    // An answer at the instant of its call bounds when the call arrived: no margin is needed.
    expect(t.gw.maxStartsIn(SEC)).toBeLessThanOrEqual(10);
    expect(t.gw.calls.length).toBeGreaterThan(10 * 600 - 20);
    expect(t.batches.every((b) => b.ok.messages.length === 200)).toBe(true);
    expect(t.gw.calls.every((c) => c.quantity === 200)).toBe(true);
  });

  it('a slow gateway with full batches gets as many calls in flight as its answer time needs, and the rate stays bounded', async () => {
    const t = setup(full, { latencyMs: 1_100 });
    t.sch.start();
    await t.clock.advance(5 * MIN);
    await t.stop();
    // 1.1 s at one start per 105 ms is 11 calls out; the lanes allow two more, at most 14.
    expect(t.gw.maxInFlight.get('A')).toBeGreaterThanOrEqual(11);
    expect(t.gw.maxInFlight.get('A')).toBeLessThanOrEqual(13);
    expect(t.gw.maxStartsIn(SEC)).toBeLessThanOrEqual(10);
    // Every slot of the rate used: 10 calls per pacing window, less the first answer time.
    expect(t.gw.calls.length).toBeGreaterThan((10 * (5 * MIN)) / PACING_WINDOW_MS - 20);
  });

  it('a burst drains with several calls in flight, then drops back to one at a time', async () => {
    const q = new Queues();
    q.add('A', Array(3_000).fill(0));
    const t = setup(q.source, { latencyMs: 1_000 });
    t.sch.start();
    await t.clock.advance(20 * SEC);
    expect(q.left('A')).toBe(0);
    const drainedAt = Math.max(...t.batches.filter((b) => b.ok.messages.length > 0).map((b) => b.at));
    // Thirty full batches one at a time would take 30 s.
    expect(drainedAt).toBeLessThan(t.clock.now() - 10 * SEC);
    expect(t.gw.maxInFlight.get('A')).toBeGreaterThan(3);
    t.gw.maxInFlight.clear();
    await t.clock.advance(10 * MIN);
    await t.stop();
    expect(t.gw.maxInFlight.get('A')).toBe(1);
  });

  it('a partial batch is followed by a short pause (1 s balanced, 500 ms realtime)', async () => {
    for (const [mode, pause] of [
      ['balanced', 1_000],
      ['realtime', 500],
    ] as const) {
      const t = setup(always5, { polling: { mode } });
      t.sch.start();
      await t.clock.advance(10 * SEC);
      await t.stop();
      expect(new Set(gaps(t.gw.calls.map((c) => c.at)))).toEqual(new Set([pause]));
    }
  });

  it('a gateway that always fails backs off exponentially with a floor, never a hot loop', async () => {
    const t = setup(failing('network'), { random: () => 0 });
    t.sch.start();
    await t.clock.advance(6 * HOUR);
    await t.stop();
    const g = gaps(t.gw.calls.map((c) => c.at));
    expect(Math.min(...g)).toBeGreaterThanOrEqual(5_000);
    expect(t.gw.calls.length).toBeLessThanOrEqual((6 * HOUR) / 5_000 + 1);
    expect(t.sch.status('A').state).toBe('stopped');
    expect(t.errors.length).toBe(t.gw.calls.length);
  });

  it('with jitter the back-off stays within the mode’s ceiling (transient) and a minute (code 200)', async () => {
    const fast = setup(failing('transient'), { random: () => 1 });
    fast.sch.start();
    await fast.clock.advance(2 * HOUR);
    const fg = gaps(fast.gw.calls.map((c) => c.at));
    expect(fg.slice(0, 4)).toEqual([6_250, 12_500, 12_500, 12_500]);
    expect(Math.max(...fg)).toBe(12_500);
    expect(fast.sch.status('A')).toMatchObject({ state: 'error', error: { kind: 'transient' } });
    await fast.stop();

    const slow = setup(failing('server', 200), { random: () => 0.5 });
    slow.sch.start();
    await slow.clock.advance(2 * HOUR);
    await slow.stop();
    const sg = gaps(slow.gw.calls.map((c) => c.at));
    expect(Math.min(...sg)).toBeGreaterThanOrEqual(30_000);
    expect(Math.max(...sg)).toBe(60_000);
    expect(slow.gw.calls.length).toBeLessThan((2 * HOUR) / 60_000 + 3);
  });

  it('recovers from errors: the next answer clears the error and the pauses start over', async () => {
    let n = 0;
    const t = setup(
      () =>
        n++ < 3
          ? err(appError('timeout', 'timed_out', { stage: 'headers', sys: 'UND_ERR_HEADERS_TIMEOUT' }))
          : ok(batch(0)),
      { random: () => 0 },
    );
    t.sch.start();
    await t.clock.advance(26 * SEC);
    expect(t.sch.status('A').state).toBe('listening');
    expect(t.sch.status('A').error).toBeUndefined();
    const g = gaps(t.gw.calls.map((c) => c.at));
    expect(g.slice(0, 4)).toEqual([5_000, 10_000, 10_000, 1_000]);
    await t.stop();
    expect(t.states.map((s) => s.state)).toEqual(['stopped', 'listening', 'error', 'listening', 'stopped']);
  });
});

const always5 = (_shop: string) => ok(batch(5));

describe('Scheduler: stopping errors', () => {
  it.each<ErrorKind>(['auth', 'quota', 'unsupported', 'not_found'])(
    '%s stops every shop until the user resumes',
    async (kind) => {
      let broken = true;
      const t = setup((shop) => (shop === 'A' && broken ? err(gatewayError(kind)) : ok(batch(0))), {
        shops: ['A', 'B'],
      });
      t.sch.start();
      await t.clock.advance(HOUR);
      expect(t.gw.callsOf('A')).toHaveLength(1);
      expect(t.gw.callsOf('B').length).toBeLessThanOrEqual(1);
      for (const shop of ['A', 'B']) expect(t.sch.status(shop)).toMatchObject({ state: 'stopped', error: { kind } });
      expect(t.sch.globalError?.kind).toBe(kind);
      expect(t.sch.status('B').nextCallAt).toBeUndefined();

      const before = t.gw.calls.length;
      broken = false;
      t.sch.resume();
      await t.clock.advance(100);
      expect(t.gw.calls.length).toBeGreaterThan(before);
      expect(t.sch.globalError).toBeUndefined();
      expect(t.sch.status('B').state).toBe('listening');
      await t.stop();
    },
  );

  it('a new token clears a token-wide stop', async () => {
    let auth = true;
    const t = setup(() => (auth ? err(gatewayError('auth', 401)) : ok(batch(0))));
    t.sch.start();
    await t.clock.advance(HOUR);
    expect(t.gw.calls).toHaveLength(1);
    auth = false;
    t.sch.tokenChanged();
    await t.clock.advance(SEC);
    expect(t.gw.calls.length).toBeGreaterThan(1);
    expect(t.sch.status('A').state).toBe('listening');
    await t.stop();
  });

  it('an unauthorised shop stops alone and keeps its authorisation link', async () => {
    const url = 'https://vv-tool.example/auth?shop=A';
    const t = setup(
      (shop) => (shop === 'A' ? err(gatewayError('shop_unauthorized', 302, { authUrl: url })) : ok(batch(0))),
      {
        shops: ['A', 'B'],
      },
    );
    t.sch.start();
    await t.clock.advance(HOUR);
    expect(t.gw.callsOf('A')).toHaveLength(1);
    expect(t.gw.callsOf('B').length).toBeGreaterThan(300);
    expect(t.sch.status('A')).toMatchObject({ state: 'stopped', error: { kind: 'shop_unauthorized', authUrl: url } });
    expect(t.sch.status('B').state).toBe('listening');
    expect(t.sch.globalError).toBeUndefined();
    t.sch.resume('A');
    await t.clock.advance(100);
    expect(t.gw.callsOf('A')).toHaveLength(2);
    await t.stop();
  });

  it('a gateway that throws is treated as an error, not a crash', async () => {
    const t = setup(() => {
      throw new Error('boom');
    });
    t.sch.start();
    await t.clock.advance(MIN);
    expect(t.errors[0]?.error.kind).toBe('internal');
    expect(t.gw.calls.length).toBeLessThanOrEqual(2);
    await t.stop();
  });
});

describe('Scheduler: store before the next call, stop, pause, suspend', () => {
  it('awaits onBatch before that shop calls again', async () => {
    const clock = new VirtualClock();
    const gw = new FakeGateway(clock, always5, 200);
    const storing: [number, number][] = [];
    const sch = new Scheduler({
      gateway: gw,
      clock,
      onBatch: async () => {
        const start = clock.now();
        await clock.sleep(5_000);
        storing.push([start, clock.now()]);
      },
      onError: () => undefined,
    });
    sch.setShops(['A']);
    sch.start();
    await clock.advance(2 * MIN);
    expect(storing.length).toBeGreaterThan(6);
    // Partial batches: one lane, which calls again only when its batch is stored and the 1 s
    // pause is over.
    const later = gw.calls.slice(1);
    expect(later.length).toBeGreaterThan(3);
    for (const c of later) {
      const last = storing.filter(([start]) => start <= c.at).at(-1)!;
      expect(c.at).toBeGreaterThanOrEqual(last[1] + 1_000);
    }
    const stopped = sch.stop();
    await clock.advance(10_000);
    await stopped;
  });

  it('stores one shop’s batches one at a time, in arrival order, even with several calls in flight', async () => {
    const clock = new VirtualClock();
    // Full batches stamped with their answer time; latencies vary so answers overtake each other.
    let n = 0;
    const gw = new FakeGateway(
      clock,
      (shop, q, now) =>
        ok({ ...batch(q, shop), messages: batch(q, shop).messages.map((m) => ({ ...m, msgData: now })) }),
      () => 500 + ((n++ * 337) % 900),
    );
    let storing = 0;
    let most = 0;
    const order: number[] = [];
    const sch = new Scheduler({
      gateway: gw,
      clock,
      onBatch: async (_shop, b) => {
        storing++;
        most = Math.max(most, storing);
        order.push(b.messages[0]!.msgData as number);
        await clock.sleep(300);
        storing--;
      },
      onError: () => undefined,
    });
    sch.setShops(['A']);
    sch.start();
    await clock.advance(MIN);
    const stopped = sch.stop();
    await clock.advance(MIN);
    await stopped;
    expect(gw.maxInFlight.get('A')).toBeGreaterThan(1);
    expect(most).toBe(1);
    expect(order.length).toBeGreaterThan(100);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('stop() waits for the call in flight and its storing, then no call follows', async () => {
    const t = setup(always5, { latencyMs: 3_000 });
    t.sch.start();
    await t.clock.advance(1_000);
    // One call at start: nothing is known to wait yet.
    expect(t.gw.calls).toHaveLength(1);
    let stopped = false;
    const p = t.sch.stop().then(() => (stopped = true));
    await t.clock.advance(1_500);
    expect(stopped).toBe(false);
    await t.clock.advance(1_000);
    await p;
    expect(stopped).toBe(true);
    expect(t.batches).toHaveLength(1);
    await t.clock.advance(HOUR);
    expect(t.gw.calls).toHaveLength(1);
    expect(t.clock.pending).toBe(0);
  });

  it('pause(shop) silences one shop, resume(shop) calls it at once', async () => {
    const t = setup(empty, { shops: ['A', 'B'], polling: { mode: 'saver' } });
    t.sch.start();
    await t.clock.advance(MIN);
    t.sch.pause('A');
    expect(t.sch.status('A').state).toBe('paused');
    const a = t.gw.callsOf('A').length;
    await t.clock.advance(HOUR);
    expect(t.gw.callsOf('A')).toHaveLength(a);
    expect(t.gw.callsOf('B').length).toBeGreaterThan(50);
    const at = t.clock.now();
    t.sch.resume('A');
    await t.clock.advance(200);
    expect(t.gw.callsOf('A')).toHaveLength(a + 1);
    expect(t.gw.callsOf('A').at(-1)!.at - at).toBeLessThanOrEqual(100);
    await t.stop();
  });

  it('pause() silences all shops; resume(one) leaves the others paused', async () => {
    const t = setup(empty, { shops: ['A', 'B'] });
    t.sch.start();
    await t.clock.advance(MIN);
    t.sch.pause();
    expect(t.sch.paused).toBe(true);
    const n = t.gw.calls.length;
    await t.clock.advance(HOUR);
    expect(t.gw.calls).toHaveLength(n);
    t.sch.resume('B');
    expect(t.sch.paused).toBe(false);
    expect(t.sch.status('A').state).toBe('paused');
    await t.clock.advance(MIN);
    expect(t.gw.callsOf('A').length).toBe(t.gw.calls.length - t.gw.callsOf('B').length);
    expect(t.gw.calls.length).toBeGreaterThan(n);
    expect(t.gw.calls.slice(n).every((c) => c.shop === 'B')).toBe(true);
    t.sch.resume();
    expect(t.sch.status('A').state).toBe('listening');
    await t.stop();
  });

  it('suspend() stops calling; wake() catches up at once instead of finishing the pause', async () => {
    const t = setup(empty, { shops: ['A', 'B'], polling: { mode: 'saver' } });
    t.sch.start();
    await t.clock.advance(10 * MIN);
    t.sch.suspend();
    expect(t.sch.status('A').state).toBe('paused');
    const n = t.gw.calls.length;
    await t.clock.advance(2 * HOUR + 17 * SEC);
    expect(t.gw.calls).toHaveLength(n);
    const woke = t.clock.now();
    t.sch.wake();
    await t.clock.advance(500);
    const after = t.gw.calls.slice(n);
    expect(after.map((c) => c.shop).sort()).toEqual(['A', 'B']);
    for (const c of after) expect(c.at - woke).toBeLessThanOrEqual(100);
    // And the idle ladder starts over: the next empty answer waits 1 s, not 60 s.
    await t.clock.advance(1_000);
    expect(t.gw.calls.length).toBe(n + 4);
    await t.stop();
  });

  it('setMode shortens a pending pause to the new ceiling', async () => {
    const t = setup(empty, { polling: { mode: 'saver' } });
    t.sch.start();
    // Calls at 0, 1, 3, 7, 15, 31, 63, 123, 183, 243, 303 s.
    await t.clock.advance(303_500);
    const last = t.gw.calls.at(-1)!.at;
    expect(last - VIRTUAL_EPOCH).toBe(303_000);
    expect(t.sch.status('A').nextCallAt! - last).toBe(60_000);
    t.sch.setMode('realtime');
    expect(t.sch.polling.mode).toBe('realtime');
    await t.clock.advance(3 * SEC);
    const next = t.gw.calls.find((c) => c.at > last)!;
    expect(next.at - last).toBe(2_000);
    await t.stop();
  });

  it('setShops: a removed shop is no longer called and reads as disabled; a new one starts at once', async () => {
    const t = setup(empty, { shops: ['A', 'B'] });
    t.sch.start();
    await t.clock.advance(MIN);
    t.sch.setShops(['B', 'C']);
    const a = t.gw.callsOf('A').length;
    await t.clock.advance(200);
    expect(t.gw.callsOf('C')).toHaveLength(1);
    await t.clock.advance(HOUR);
    expect(t.gw.callsOf('A')).toHaveLength(a);
    expect(t.sch.status('A').state).toBe('disabled');
    expect(t.sch.status('nobody').state).toBe('disabled');
    expect(t.sch.statuses().map((s) => s.shop)).toEqual(['B', 'C']);
    await t.stop();
  });

  it('reports state changes only when they change', async () => {
    const t = setup(empty);
    t.sch.start();
    await t.clock.advance(HOUR);
    t.sch.pause();
    t.sch.resume();
    await t.stop();
    expect(t.states.map((s) => s.state)).toEqual(['stopped', 'listening', 'paused', 'listening', 'stopped']);
  });
});

describe('Scheduler: fairness between shops', () => {
  it('a shop draining a huge burst does not starve a trickling shop', async () => {
    const q = new Queues();
    q.add('A', Array(50_000).fill(VIRTUAL_EPOCH));
    // B: one message every 7 s for 3 minutes.
    q.add(
      'B',
      Array.from({ length: 25 }, (_, i) => VIRTUAL_EPOCH + 3_000 + i * 7_000),
    );
    // 10 messages a batch: A's burst is 5,000 full batches, more than 3 minutes at the rate limit.
    const t = setup(q.source, { shops: ['A', 'B'], latencyMs: 1_000, quantity: 10 });
    t.sch.start();
    await t.clock.advance(3 * MIN);
    expect(q.left('B')).toBe(0);
    expect(q.left('A')).toBeGreaterThan(0);
    const latencies = t.batches
      .filter((b) => b.shop === 'B')
      .flatMap((b) => b.ok.messages.map((m) => b.at - (m.msgData as number)));
    expect(latencies).toHaveLength(25);
    // B's ceiling is 10 s; sharing the rate with A's burst adds about a second at most.
    expect(Math.max(...latencies)).toBeLessThan(12_000);
    // A still drains at close to the rate: no fewer than 8 of 10 calls a second.
    expect(t.gw.callsOf('A').length).toBeGreaterThan(8 * 180);
    expect(t.gw.maxStartsIn(SEC)).toBeLessThanOrEqual(10);
    await t.stop();
  });
});

/** Each shop's stored batches that were full, by the time they were received. */
function fullBatchTimes(t: Setup, shop = 'A', quantity = 100): number[] {
  return t.batches.filter((b) => b.shop === shop && b.ok.messages.length >= quantity).map((b) => b.at);
}

describe('Scheduler: draining a backlog at the rate', () => {
  it('a backlog waiting at start: one call, then the second round at full width, with 1 s answers', async () => {
    const q = new Queues();
    q.add('A', Array(4_000).fill(VIRTUAL_EPOCH));
    const t = setup(q.source, { latencyMs: 1_000, msec: true });
    t.sch.start();
    await t.clock.advance(10 * SEC);
    expect(t.gw.calls.filter((c) => c.at < VIRTUAL_EPOCH + SEC)).toHaveLength(1);
    // The first full answer is back at 1 s: the next round takes every slot the window leaves.
    expect(t.gw.calls.filter((c) => c.at >= VIRTUAL_EPOCH + SEC && c.at < VIRTUAL_EPOCH + 2 * SEC)).toHaveLength(10);
    expect(q.left('A')).toBe(0);
    // 20 calls: the probe, then 19 at 10 per pacing window; the last answer takes one more second.
    const drainedAt = Math.max(...fullBatchTimes(t));
    expect(drainedAt - VIRTUAL_EPOCH).toBeLessThanOrEqual(SEC + PACING_WINDOW_MS + 500 + SEC);
    await t.stop();
  });

  it('a burst into a listening shop reaches the rate within one answer time of its first full batch', async () => {
    const q = new Queues();
    const t = setup(q.source, { latencyMs: 1_000 });
    t.sch.start();
    await t.clock.advance(MIN);
    q.add('A', Array(5_000).fill(t.clock.now()));
    await t.clock.advance(20 * SEC);
    const first = fullBatchTimes(t)[0]!;
    // Before it, one call at a time (the idle ladder); after it, a call at every slot of the rate.
    expect(t.gw.calls.filter((c) => c.at >= first - 10 * SEC && c.at < first)).toHaveLength(1);
    expect(t.gw.calls.filter((c) => c.at >= first && c.at < first + SEC).length).toBeGreaterThanOrEqual(9);
    await t.stop();
  });

  /** Five minutes of full batches from `gw`, each stored in 80 ms. */
  async function fiveMinutesFull(clock: VirtualClock, gw: FakeGateway): Promise<void> {
    const sch = new Scheduler({ gateway: gw, clock, onBatch: () => clock.sleep(80), onError: () => undefined });
    sch.setShops(['A']);
    sch.start();
    await clock.advance(5 * MIN);
    const stopped = sch.stop();
    await clock.advance(MIN);
    await stopped;
  }

  it('lanes follow the turnaround: a slow store behind a slow gateway still gets every slot of the rate', async () => {
    const clock = new VirtualClock();
    const gw = new FakeGateway(clock, full, 1_000);
    await fiveMinutesFull(clock, gw);
    // Ten lanes (answer time × rate) would manage 10 calls per 1.08 s turnaround: 2,777 in 5 min.
    expect(gw.calls.length).toBeGreaterThan((10 * (5 * MIN)) / PACING_WINDOW_MS - 30);
    expect(gw.maxStartsIn(SEC)).toBeLessThanOrEqual(10);
  });

  it('answers awaited by the pacing free their slot as they come, not once their batch is stored', async () => {
    const clock = new VirtualClock();
    // The gateway says its run time: it answers within a window, so the pacing waits for answers.
    const gw = new FakeGateway(clock, full, 990, true);
    await fiveMinutesFull(clock, gw);
    // Each call a window after the one whose answer frees its slot: 10 calls per second or so.
    expect(gw.calls.length).toBeGreaterThan(10 * 5 * 60 - 60);
    expect(gw.maxStartsIn(SEC)).toBeLessThanOrEqual(10);
  });

  it('a fast gateway drains on a few lanes, so few empty calls follow the drain', async () => {
    const q = new Queues();
    q.add('A', Array(3_000).fill(VIRTUAL_EPOCH));
    const t = setup(q.source, { latencyMs: 50 });
    t.sch.start();
    await t.clock.advance(MIN);
    expect(q.left('A')).toBe(0);
    expect(t.gw.maxInFlight.get('A')).toBeLessThanOrEqual(3);
    // 30 full batches at the rate, then the calls already in flight and the idle ladder's few.
    const drainedAt = Math.max(...fullBatchTimes(t));
    expect(drainedAt - VIRTUAL_EPOCH).toBeLessThanOrEqual(3 * PACING_WINDOW_MS);
    expect(t.gw.calls.filter((c) => c.at <= drainedAt + 500).length).toBeLessThanOrEqual(30 + 3);
    await t.stop();
  });

  it('the pacing keeps a jittery network within the gateway’s limit: no 202 in ten minutes of full batches', async () => {
    const rng = createRng(11);
    let limited: LimitedGateway | undefined;
    // Each call reaches the gateway 0–40 ms after it was sent.
    const t = setup(full, {
      latencyMs: 50,
      front: (gw, clock) => (limited = new LimitedGateway(clock, gw, { delayMs: () => rng.next() * 40 })),
    });
    t.sch.start();
    await t.clock.advance(10 * MIN);
    await t.stop();
    expect(t.errors).toEqual([]);
    expect(limited!.refusedAt).toEqual([]);
    expect(t.gw.calls.length).toBeGreaterThan((10 * (10 * MIN)) / PACING_WINDOW_MS - 20);
  });
});

describe('Scheduler: a call that never left (team mode’s lease check said no)', () => {
  it('teaches the pacing nothing: the answers after it still set the spacing by their run time', async () => {
    const drain = async (notSentFirst: boolean) => {
      let first = notSentFirst;
      const t = setup(full, {
        latencyMs: 1_100,
        msec: true,
        quantity: 200,
        front: (gw) => ({
          consume: async (shop, req) => {
            if (!first) return gw.consume(shop, req);
            first = false;
            return ok({ messages: [], malformed: [], cost: 0, notSent: true });
          },
          remark: () => gw.remark(),
        }),
      });
      t.sch.start();
      await t.clock.advance(70 * SEC);
      const steady = t.gw.calls.filter((c) => c.at >= VIRTUAL_EPOCH + 10 * SEC && c.at < VIRTUAL_EPOCH + 60 * SEC);
      await t.stop();
      return steady.length;
    };
    const plain = await drain(false);
    // Answers that say the gateway's run time (and come later than a window) space the calls by
    // the window alone: about 500 in 50 s. Were the unsent call taken for a gateway that does not
    // say its run time, the fixed margin would stay for good: about 476.
    expect(plain).toBeGreaterThanOrEqual(495);
    expect(await drain(true)).toBeGreaterThanOrEqual(plain - 5);
  });
});

describe('Scheduler: 202, the gateway busy or over its limit', () => {
  it('a 202 while draining costs that call a retry, not the drain', async () => {
    const drain = async (refuse: (n: number) => boolean) => {
      const q = new Queues();
      q.add('A', Array(8_000).fill(VIRTUAL_EPOCH));
      let limited: LimitedGateway | undefined;
      const t = setup(q.source, {
        latencyMs: 1_000,
        front: (gw, clock) => (limited = new LimitedGateway(clock, gw, { refuse })),
      });
      t.sch.start();
      await t.clock.advance(30 * SEC);
      expect(q.left('A')).toBe(0);
      const drainedAt = Math.max(...fullBatchTimes(t));
      await t.stop();
      return { drainedAt, errors: t.errors.length, calls: t.gw.calls, refusedAt: limited!.refusedAt };
    };
    const clean = await drain(() => false);
    const refused = await drain((n) => n === 25);
    expect(clean.errors).toBe(0);
    expect(refused.errors).toBe(1);
    // The other lanes went on: in the two seconds after it, as many calls as without it, but one.
    const at = refused.refusedAt[0]!;
    const after = (calls: typeof clean.calls) => calls.filter((c) => c.at > at && c.at <= at + 2 * SEC).length;
    expect(after(refused.calls)).toBeGreaterThanOrEqual(after(clean.calls) - 1);
    // At most the slot the refused call took: one more call for the drain, in the next window.
    expect(refused.drainedAt - clean.drainedAt).toBeLessThanOrEqual(PACING_WINDOW_MS);
  });

  it('a 202 is retried after a second, twice; the third in a row backs off like any transient error', async () => {
    let n = 0;
    const t = setup(() => (n++ < 3 ? busy() : ok(batch(0))), { random: () => 0 });
    t.sch.start();
    await t.clock.advance(MIN);
    expect(gaps(t.gw.calls.map((c) => c.at)).slice(0, 4)).toEqual([1_000, 1_000, 5_000, 1_000]);
    expect(t.sch.status('A').state).toBe('listening');
    await t.stop();
  });

  it('code 101 (timed out) backs off at once', async () => {
    const t = setup(failing('transient', 101), { random: () => 0 });
    t.sch.start();
    await t.clock.advance(MIN);
    expect(Math.min(...gaps(t.gw.calls.map((c) => c.at)))).toBe(5_000);
    await t.stop();
  });

  it('a gateway that answers 202 for ever is called no more often than an idle shop, never faster', async () => {
    const grows = setup(always(busy()), { random: () => 1 });
    grows.sch.start();
    await grows.clock.advance(6 * HOUR);
    await grows.stop();
    const g = gaps(grows.gw.calls.map((c) => c.at));
    expect(g.slice(0, 5)).toEqual([1_000, 1_000, 6_250, 12_500, 12_500]);
    expect(Math.max(...g)).toBe(12_500);
    expect(grows.gw.calls.length).toBeLessThan((6 * HOUR) / 12_500 + 5);

    const floor = setup(always(busy()), { random: () => 0 });
    floor.sch.start();
    await floor.clock.advance(6 * HOUR);
    await floor.stop();
    const f = gaps(floor.gw.calls.map((c) => c.at));
    expect(Math.min(...f)).toBe(1_000);
    expect(Math.min(...f.slice(2))).toBe(5_000);
    expect(floor.gw.calls.length).toBeLessThanOrEqual((6 * HOUR) / 10_000 + 4);
  });

  it('a draining shop whose gateway turns to 202 for ever drops its lanes and backs off', async () => {
    let broken = false;
    const t = setup((shop, q) => (broken ? busy() : ok(batch(q, shop))), { latencyMs: 1_000 });
    t.sch.start();
    await t.clock.advance(MIN);
    expect(t.gw.maxInFlight.get('A')).toBeGreaterThan(9);
    broken = true;
    const before = t.gw.calls.length;
    await t.clock.advance(HOUR);
    // The calls already out and those the lanes start while two rounds of 202 mean "slow down",
    // then one lane on the back-off: never more often than the ceiling.
    const after = t.gw.calls.slice(before);
    expect(after.filter((c) => c.at >= t.clock.now() - HOUR + 10 * SEC).length).toBeLessThan(HOUR / 5_000);
    const late = after.filter((c) => c.at >= after[0]!.at + 10 * SEC).map((c) => c.at);
    expect(Math.min(...gaps(late))).toBeGreaterThanOrEqual(5_000);
    expect(after.length).toBeLessThan(3 * 14 + HOUR / 10_000);
    expect(t.gw.maxInFlight.get('A')).toBeLessThanOrEqual(14);
    expect(t.sch.status('A')).toMatchObject({ state: 'error', error: { params: { gatewayCode: 202 } } });
    await t.stop();
  });
});

describe('Scheduler: catching up after a time without polling', () => {
  it('a quiet shop behind a slow gateway pays one call at start, then climbs the idle ladder from the bottom', async () => {
    const t = setup(empty, { latencyMs: 1_000 });
    t.sch.start();
    await t.clock.advance(HOUR);
    await t.stop();
    const at = t.gw.calls.map((c) => c.at - VIRTUAL_EPOCH);
    expect(at.filter((x) => x < 1_000)).toEqual([0]);
    // Each answer takes a second, then the pause: 1 s, 2 s, 4 s, 8 s, 10 s.
    expect(gaps(at.slice(0, 6))).toEqual([2_000, 3_000, 5_000, 9_000, 11_000]);
    expect(t.gw.calls.length).toBeLessThan(HOUR / 11_000 + 5);
  });

  it('wake(), resume() and a new shop start with one call, however long the time without polling', async () => {
    const t = setup(empty, { latencyMs: 1_000, shops: ['A'] });
    t.sch.start();
    await t.clock.advance(10 * MIN);
    const callsIn = (from: number) => t.gw.calls.filter((c) => c.at >= from && c.at < from + SEC).length;

    for (const away of [5 * SEC, HOUR]) {
      t.sch.suspend();
      await t.clock.advance(away);
      const woke = t.clock.now();
      t.sch.wake();
      await t.clock.advance(10 * SEC);
      expect(callsIn(woke)).toBe(1);
    }
    t.sch.pause();
    await t.clock.advance(HOUR);
    const resumed = t.clock.now();
    t.sch.resume();
    t.sch.setShops(['A', 'B']);
    await t.clock.advance(10 * SEC);
    expect(callsIn(resumed)).toBe(2);
    expect(t.gw.callsOf('B').filter((c) => c.at < resumed + SEC)).toHaveLength(1);
    await t.stop();
  });

  it('the first answer that is not full closes the lanes while it is being stored', async () => {
    const clock = new VirtualClock();
    const q = new Queues();
    q.add('A', Array(230).fill(VIRTUAL_EPOCH));
    const gw = new FakeGateway(clock, q.source, 150);
    const sch = new Scheduler({ gateway: gw, clock, onBatch: () => clock.sleep(5_000), onError: () => undefined });
    sch.setShops(['A']);
    sch.start();
    await clock.advance(MIN);
    // The probe comes back full at 150 ms and is stored at 5.15 s: lanes open, starts 25 ms apart
    // until the next answer (30 entries) at 5.3 s; none while it and the others are stored.
    const since = (c: { at: number }) => c.at - VIRTUAL_EPOCH;
    expect(gw.calls.filter((c) => since(c) < 5_150)).toHaveLength(1);
    expect(gw.calls.filter((c) => since(c) >= 5_150 && since(c) < 5_300)).toHaveLength(6);
    expect(gw.calls.filter((c) => since(c) >= 5_300 && since(c) < 6 * 5_000)).toHaveLength(0);
    const stopped = sch.stop();
    await clock.advance(MIN);
    await stopped;
  });
});

describe('Scheduler: one call at start', () => {
  it.each([
    ['auth', 401],
    ['quota', 204],
    ['shop_unauthorized', 302],
  ] as const)(
    '%s (%i) at start behind a slow gateway: exactly one call, then stopped with the reason',
    async (kind, code) => {
      const t = setup(failing(kind, code), { latencyMs: 1_000 });
      t.sch.start();
      await t.clock.advance(2 * HOUR);
      expect(t.gw.calls).toHaveLength(1);
      expect(t.sch.status('A')).toMatchObject({ state: 'stopped', error: { kind, params: { gatewayCode: code } } });
      expect(t.errors.map((e) => gatewayCodeOf(e.error))).toEqual([code]);
      await t.stop();
    },
  );

  it('a token-wide stop at start costs each shop at most its one call', async () => {
    const t = setup(failing('auth', 401), { latencyMs: 1_000, shops: ['A', 'B', 'C'] });
    t.sch.start();
    await t.clock.advance(HOUR);
    for (const shop of ['A', 'B', 'C']) expect(t.gw.callsOf(shop).length).toBeLessThanOrEqual(1);
    expect(t.sch.globalError && gatewayCodeOf(t.sch.globalError)).toBe(401);
    await t.stop();
  });
});

describe('Scheduler: a refused store keeps the batch', () => {
  /** onBatch that refuses like a full disk while `full` is set, recording what it stored. */
  function disk() {
    const d = {
      full: true,
      tries: [] as number[],
      stored: [] as number[][],
      onBatch: async (_shop: string, b: ConsumeOk) => {
        d.tries.push(b.messages.length);
        if (d.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        d.stored.push(b.messages.map((m) => m.msgData as number));
      },
    };
    return d;
  }

  it('holds the batch, calls nothing more for that shop, retries with back-off and goes on once stored', async () => {
    const q = new Queues();
    q.add('A', [VIRTUAL_EPOCH, VIRTUAL_EPOCH]);
    q.add(
      'B',
      Array.from({ length: 100 }, (_, i) => VIRTUAL_EPOCH + i * 30 * SEC),
    );
    const d = disk();
    const t = setup(q.source, {
      shops: ['A', 'B'],
      onBatch: async (shop, b) => (shop === 'A' ? d.onBatch(shop, b) : undefined),
    });
    t.sch.start();
    await t.clock.advance(MIN);
    expect(t.gw.callsOf('A')).toHaveLength(1);
    expect(t.gw.callsOf('B').length).toBeGreaterThan(3);
    const st = t.sch.status('A');
    expect(st).toMatchObject({
      state: 'error',
      error: {
        kind: 'storage',
        code: 'store_failed',
        params: { cause: 'disk_full', sys: 'ENOSPC', messages: 2 },
        retryable: true,
      },
    });
    expect(st.nextCallAt).toBeUndefined();
    // Tried at 0, then 1, 2, 4, 8, 16, 30 s later...
    expect(d.tries.length).toBeGreaterThanOrEqual(6);
    expect(t.errors.filter((e) => e.shop === 'A').every((e) => e.error.kind === 'storage')).toBe(true);
    await t.clock.advance(30 * MIN);
    expect(t.gw.callsOf('A')).toHaveLength(1);

    q.add('A', [t.clock.now()]);
    d.full = false;
    await t.clock.advance(31 * SEC);
    expect(d.stored[0]).toEqual([VIRTUAL_EPOCH, VIRTUAL_EPOCH]);
    expect(t.sch.status('A').state).toBe('listening');
    // Once stored, the shop calls again at once and takes what came meanwhile.
    await t.clock.advance(2 * SEC);
    expect(d.stored.flat()).toHaveLength(3);
    expect(t.gw.callsOf('A').length).toBeGreaterThanOrEqual(2);
    await t.stop();
  });

  it('keeps the batches of calls in flight together in order behind the refused one', async () => {
    const q = new Queues();
    q.add(
      'A',
      Array.from({ length: 1_000 }, (_, i) => VIRTUAL_EPOCH + i),
    );
    const d = disk();
    d.full = false;
    let n = 0;
    const t = setup(q.source, {
      latencyMs: 1_000,
      onBatch: async (shop, b) => {
        // The third batch meets a full disk.
        if (++n === 3) d.full = true;
        return d.onBatch(shop, b);
      },
    });
    t.sch.start();
    await t.clock.advance(MIN);
    const called = t.gw.calls.length;
    expect(called).toBeGreaterThan(3);
    await t.clock.advance(10 * MIN);
    expect(t.gw.calls).toHaveLength(called);
    d.full = false;
    await t.clock.advance(MIN);
    const stored = d.stored.flat();
    expect(stored).toEqual([...stored].sort((a, b) => a - b));
    expect(new Set(stored).size).toBe(1_000);
    await t.stop();
  });

  it('stop() tries once more, and what is still held is handed over; a batch held from before is stored before the shop calls', async () => {
    const d = disk();
    const t = setup(always5, { onBatch: (shop, b) => d.onBatch(shop, b) });
    t.sch.start();
    await t.clock.advance(10 * SEC);
    const tries = d.tries.length;
    await t.stop();
    expect(d.tries.length).toBe(tries + 1);
    const held = t.sch.takeHeld();
    expect(held.map((h) => [h.shop, h.answer.messages.length])).toEqual([['A', 5]]);
    expect(t.sch.takeHeld()).toEqual([]);

    d.full = false;
    const again = setup(always5, { onBatch: (shop, b) => d.onBatch(shop, b) });
    let removed = 0;
    again.sch.hold({ ...held[0]!, onStored: () => void removed++ });
    again.sch.start();
    await again.clock.advance(100);
    expect(removed).toBe(1);
    expect(d.stored[0]).toHaveLength(5);
    expect(again.gw.calls.length).toBe(1);
    expect(again.gw.calls[0]!.at).toBeGreaterThanOrEqual(VIRTUAL_EPOCH);
    await again.stop();
  });

  it('an answer larger than asked is stored, reported, and the shop backs off instead of calling at once', async () => {
    let n = 0;
    const t = setup((shop) => (n++ === 0 ? ok(batch(250, shop)) : ok(batch(0))), { random: () => 0 });
    t.sch.start();
    await t.clock.advance(MIN);
    expect(t.batches[0]!.ok.messages).toHaveLength(250);
    expect(t.errors[0]!.error).toMatchObject({
      kind: 'bad_answer',
      code: 'over_quantity',
      params: { count: 250, quantity: 200 },
    });
    expect(t.gw.calls[1]!.at - t.gw.calls[0]!.at).toBe(5_000);
    expect(t.gw.maxInFlight.get('A')).toBe(1);
    await t.stop();
  });
});

describe('Scheduler: quiet hours and learned hours', () => {
  const quietUntil = (end: number) => (now: number) => now < end;

  it('polls an idle shop at saver’s ceiling in quiet hours, still drains a burst, and wakes at their end', async () => {
    const q = new Queues();
    const end = VIRTUAL_EPOCH + 8 * HOUR;
    const t = setup(q.source, { quiet: quietUntil(end), latencyMs: 200 });
    t.sch.start();
    await t.clock.advance(2 * HOUR);
    const g = gaps(t.gw.calls.map((c) => c.at));
    expect(Math.max(...g)).toBe(60_200);
    expect(t.sch.ceilingFor('A', t.clock.now())).toEqual({ ceilingMs: 60_000, reason: 'quiet' });
    // A night order is still stored, and a burst drains at once.
    q.add('A', Array(1_000).fill(t.clock.now()));
    await t.clock.advance(2 * MIN);
    expect(q.left('A')).toBe(0);
    await t.clock.runUntil(end + 10 * SEC);
    // The last pause of the night ended with it: the first call of the day within balanced's ceiling.
    expect(t.gw.calls.some((c) => c.at >= end && c.at <= end + 10 * SEC)).toBe(true);
    const day = t.gw.calls.filter((c) => c.at >= end).map((c) => c.at);
    await t.clock.advance(HOUR);
    expect(Math.max(...gaps(t.gw.calls.filter((c) => c.at >= end).map((c) => c.at)))).toBeLessThanOrEqual(10_200);
    expect(day.length).toBeGreaterThan(0);
    expect(t.sch.ceilingFor('A', t.clock.now())).toEqual({ ceilingMs: 10_000, reason: 'mode' });
    await t.stop();
  });

  it('a learned ceiling applies in balanced mode only, quiet hours on top', async () => {
    const t = setup(empty, { learnedCeilingMs: () => 60_000, quiet: () => false });
    expect(t.sch.ceilingFor('A', VIRTUAL_EPOCH)).toEqual({ ceilingMs: 60_000, reason: 'learned' });
    t.sch.setMode('realtime');
    expect(t.sch.ceilingFor('A', VIRTUAL_EPOCH)).toEqual({ ceilingMs: 2_000, reason: 'mode' });
    t.sch.setMode('balanced');
    t.sch.start();
    await t.clock.advance(HOUR);
    expect(Math.max(...gaps(t.gw.calls.map((c) => c.at)))).toBe(60_000);
    expect(t.gw.calls.length).toBeLessThan(HOUR / 60_000 + 8);
    await t.stop();
  });
});

async function drainAll(t: Setup): Promise<void> {
  let done = false;
  const drained = t.sch.drain().finally(() => (done = true));
  while (!done) await t.clock.advance(SEC);
  await drained;
}

describe('Scheduler: drain mode (the CLI’s --once)', () => {
  it('drains a backlog at full width and ends after the first answer that is not full', async () => {
    const q = new Queues();
    q.add('A', Array(4_100).fill(VIRTUAL_EPOCH));
    q.add('B', Array(30).fill(VIRTUAL_EPOCH));
    const t = setup(q.source, { latencyMs: 1_000, shops: ['A', 'B'] });
    await drainAll(t);
    expect(q.left('A') + q.left('B')).toBe(0);
    expect(t.gw.callsOf('B')).toHaveLength(1);
    // 21 answers with messages; the lanes still out when the partial one came back end empty.
    expect(t.gw.callsOf('A').length).toBeGreaterThanOrEqual(21);
    expect(t.gw.callsOf('A').length).toBeLessThanOrEqual(21 + 14);
    expect(t.clock.now() - VIRTUAL_EPOCH).toBeLessThan(6 * SEC);
    expect(t.gw.maxStartsIn(SEC)).toBeLessThanOrEqual(10);
    const calls = t.gw.calls.length;
    await t.clock.advance(HOUR);
    expect(t.gw.calls).toHaveLength(calls);
    expect(t.sch.status('A').state).toBe('stopped');
  });

  it('gives a shop up after a few failures in a row, and stops at once on a stopping error', async () => {
    const t = setup(
      (shop) =>
        shop === 'A'
          ? err(appError('network', 'connection_failed', { cause: 'refused', sys: 'ECONNREFUSED' }))
          : err(gatewayError('shop_unauthorized', 302)),
      {
        shops: ['A', 'B'],
        random: () => 0,
      },
    );
    await drainAll(t);
    expect(t.gw.callsOf('A')).toHaveLength(5);
    expect(t.gw.callsOf('B')).toHaveLength(1);
    // A second drain starts the shops over: A fails once more and is given up at once.
    await drainAll(t);
    expect(t.gw.callsOf('A')).toHaveLength(6);
    expect(t.gw.callsOf('B')).toHaveLength(1);
  });

  it('leaves batches the store keeps refusing held for the caller', async () => {
    const t = setup(always5, {
      onBatch: async () => {
        throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
      },
    });
    await drainAll(t);
    expect(t.gw.calls).toHaveLength(1);
    expect(t.errors.length).toBe(DRAIN_SAVE_ATTEMPTS);
    expect(t.errors[0]!.error).toMatchObject({ code: 'store_failed', params: { cause: 'io', sys: 'EIO' } });
    expect(t.sch.takeHeld()).toHaveLength(1);
  });
});
