import { describe, expect, it } from 'vitest';
import type { ConsumeOk } from '../../../../src/main/core/gateway/types';
import { Scheduler, describeSchedulerState, type SchedulerDeps, type SchedulerShopStatus } from '../../../../src/main/core/intake/scheduler';
import type { PollPolicy } from '../../../../src/main/core/intake/policy';
import { VIRTUAL_EPOCH, VirtualClock } from '../../../../src/main/core/virtualClock';
import { appError, type AppError, type ErrorKind } from '../../../../src/shared/errors';
import { err, ok } from '../../../../src/shared/result';
import { FakeGateway, Queues, batch, empty, failing, full, type Source } from './fakes';

const SEC = 1_000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;

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
  opts: { latencyMs?: number | ((shop: string) => number); polling?: PollPolicy; shops?: string[] } & Partial<SchedulerDeps> = {},
): Setup {
  const clock = new VirtualClock();
  const gw = new FakeGateway(clock, source, opts.latencyMs ?? 0);
  const batches: Setup['batches'] = [];
  const errors: Setup['errors'] = [];
  const states: SchedulerShopStatus[] = [];
  const sch = new Scheduler({
    gateway: gw,
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

  it('full batches from an instant gateway never exceed 10 calls a second', async () => {
    const t = setup(full);
    t.sch.start();
    await t.clock.advance(10 * MIN);
    await t.stop();
    expect(t.gw.maxStartsIn(SEC)).toBeLessThanOrEqual(10);
    expect(t.gw.calls.length).toBeGreaterThan(5_900);
    expect(t.gw.calls.length).toBeLessThanOrEqual(6_001);
    expect(t.batches.every((b) => b.ok.messages.length === 100)).toBe(true);
  });

  it('a slow gateway with full batches gets several calls in flight, up to 10, and the rate stays bounded', async () => {
    const t = setup(full, { latencyMs: 1_100 });
    t.sch.start();
    await t.clock.advance(5 * MIN);
    await t.stop();
    expect(t.gw.maxInFlight.get('A')).toBe(10);
    expect(t.gw.maxStartsIn(SEC)).toBeLessThanOrEqual(10);
    // One call in flight at a time would manage 5 min / 1.1 s = 272 calls.
    expect(t.gw.calls.length).toBeGreaterThan(2_500);
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

  it('with jitter the back-off grows to minutes (transient) and longer for code 200', async () => {
    const fast = setup(failing('transient'), { random: () => 1 });
    fast.sch.start();
    await fast.clock.advance(2 * HOUR);
    const fg = gaps(fast.gw.calls.map((c) => c.at));
    expect(fg.slice(0, 5)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000]);
    expect(Math.max(...fg)).toBe(300_000);
    expect(fast.sch.status('A')).toMatchObject({ state: 'error', error: { kind: 'transient' } });
    await fast.stop();

    const slow = setup(failing('server', { code: 200 }), { random: () => 0.5 });
    slow.sch.start();
    await slow.clock.advance(2 * HOUR);
    await slow.stop();
    expect(Math.min(...gaps(slow.gw.calls.map((c) => c.at)))).toBeGreaterThanOrEqual(30_000);
    expect(slow.gw.calls.length).toBeLessThan(20);
  });

  it('recovers from errors: the next answer clears the error and the pauses start over', async () => {
    let n = 0;
    const t = setup(() => (n++ < 3 ? err(appError('timeout', 'slow')) : ok(batch(0))), { random: () => 0 });
    t.sch.start();
    await t.clock.advance(16 * SEC);
    expect(t.sch.status('A').state).toBe('listening');
    expect(t.sch.status('A').error).toBeUndefined();
    const g = gaps(t.gw.calls.map((c) => c.at));
    expect(g.slice(0, 4)).toEqual([5_000, 5_000, 5_000, 1_000]);
    await t.stop();
    expect(t.states.map((s) => s.state)).toEqual(['stopped', 'listening', 'error', 'listening', 'stopped']);
  });
});

const always5 = (_shop: string) => ok(batch(5));

describe('Scheduler: stopping errors', () => {
  it.each<ErrorKind>(['auth', 'quota', 'unsupported', 'not_found'])('%s stops every shop until the user resumes', async (kind) => {
    let broken = true;
    const t = setup((shop) => (shop === 'A' && broken ? err(appError(kind, 'nope')) : ok(batch(0))), { shops: ['A', 'B'] });
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
  });

  it('a new token clears a token-wide stop', async () => {
    let auth = true;
    const t = setup(() => (auth ? err(appError('auth', 'token invalid', { code: 401 })) : ok(batch(0))));
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
    const t = setup((shop) => (shop === 'A' ? err(appError('shop_unauthorized', 'shop not authorised', { code: 302, authUrl: url })) : ok(batch(0))), {
      shops: ['A', 'B'],
    });
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

  it('a store that fails stops the shop instead of consuming more', async () => {
    const t = setup(always5, {
      onBatch: async () => {
        throw new Error('disk full');
      },
    });
    t.sch.start();
    await t.clock.advance(HOUR);
    expect(t.gw.calls).toHaveLength(1);
    expect(t.sch.status('A')).toMatchObject({ state: 'stopped', error: { kind: 'internal' } });
    expect(t.sch.status('A').error?.message).toContain('disk full');
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
    await clock.advance(MIN);
    expect(storing.length).toBeGreaterThan(3);
    for (const [i, [, end]] of storing.entries()) {
      const next = gw.calls[i + 1];
      if (next) expect(next.at).toBeGreaterThanOrEqual(end + 1_000);
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
      (shop, q, now) => ok({ ...batch(q, shop), messages: batch(q, shop).messages.map((m) => ({ ...m, msgData: now })) }),
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
    expect(t.gw.calls).toHaveLength(1);
    let stopped = false;
    const p = t.sch.stop().then(() => (stopped = true));
    await t.clock.advance(1_000);
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
    q.add('B', Array.from({ length: 25 }, (_, i) => VIRTUAL_EPOCH + 3_000 + i * 7_000));
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

describe('describeSchedulerState', () => {
  it('writes one line per shop with state, times and advice, in either language', () => {
    const now = Date.UTC(2024, 5, 1, 4, 0, 0);
    const statuses: SchedulerShopStatus[] = [
      { shop: 'A', state: 'listening', lastCallAt: now - 2_000, nextCallAt: now + 8_000, inFlight: 0 },
      { shop: 'B', state: 'stopped', error: appError('auth', 'token invalid', { code: 401 }), inFlight: 0 },
      { shop: 'C', state: 'listening', lastCallAt: now, inFlight: 2 },
    ];
    const zh = describeSchedulerState(statuses, now).split('\n');
    expect(zh).toHaveLength(3);
    expect(zh[0]).toBe('A  监听中  上次调用 2024-06-01 11:59:58  8.0 秒后调用');
    expect(zh[1]).toContain('已停止');
    expect(zh[1]).toContain('(401)');
    expect(zh[1]).toContain('access_token');
    expect(zh[2]).toContain('2 个请求进行中');
    const en = describeSchedulerState(statuses, now, 'en').split('\n');
    expect(en[0]).toBe('A  listening  last call 2024-06-01 11:59:58  next in 8.0 s');
    expect(en[1]).toContain('new one in Settings');
  });
});
