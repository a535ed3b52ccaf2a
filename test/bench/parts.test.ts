/** The parts the benchmark figures rest on: statistics, the day of traffic, B1's gateway, the baselines. */
import { describe, expect, it } from 'vitest';
import { documentedLoop, fixedPoll } from '../../bench/baselines';
import { DayGateway } from '../../bench/dayGateway';
import { HOUR_MS, MINUTE_MS, planDay } from '../../bench/dayTraffic';
import type { B4Result, WindowRun } from '../../bench/b4Window';
import type { B5Result } from '../../bench/b5Team';
import type { Machine } from '../../bench/machine';
import { drainCeiling, spliceB4, spliceB5 } from '../../bench/report';
import { latencyOf, maxInWindow, median, percentile, windowsAbove } from '../../bench/stats';
import { planTraffic, type TimedMessage } from '../../src/simulator';
import { VIRTUAL_EPOCH, VirtualClock } from '../support/virtualClock';
import { gatewayCodeOf } from '../../src/shared/errors';

describe('stats', () => {
  it('takes nearest-rank percentiles and medians', () => {
    const v = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(v, 50)).toBe(5);
    expect(percentile(v, 95)).toBe(10);
    expect(percentile(v, 10)).toBe(1);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(percentile([], 50)).toBeNaN();
    expect(latencyOf([2, 9, 4])).toEqual({ p50: 4, p95: 9, max: 9 });
  });

  it('counts the busiest half-open second', () => {
    const spaced = Array.from({ length: 30 }, (_, i) => i * 100);
    expect(maxInWindow(spaced)).toBe(10);
    expect(maxInWindow([0, 999, 1000, 1999])).toBe(2);
    expect(maxInWindow([500, 0, 400, 300])).toBe(4);
    expect(maxInWindow([])).toBe(0);
  });

  it('counts the windows in which the gateway saw more than its limit', () => {
    const spaced = Array.from({ length: 30 }, (_, i) => i * 100);
    expect(windowsAbove(spaced, 10)).toBe(0);
    // Twelve calls within 1 s: the 11th and the 12th each close a window of more than 10.
    expect(windowsAbove([...Array.from({ length: 11 }, (_, i) => i * 90), 980], 10)).toBe(2);
    expect(windowsAbove([0, 999, 1000, 1999], 1)).toBe(3);
    expect(windowsAbove([], 10)).toBe(0);
  });

  it('the best a drain can do: one first call and one last answer time beside its calls at the limit', () => {
    // 100 calls behind 1 s answers: 10 s at the limit, in 11 s.
    expect(drainCeiling(100, 1_000)).toBeCloseTo(10 / 11);
    expect(drainCeiling(500, 1_000)).toBeCloseTo(50 / 51);
    expect(drainCeiling(500, 50)).toBeCloseTo(50 / 49.1);
  });
});

describe('planDay', () => {
  const day = (seed: number) => planDay({ seed, shop: 'shop-a', dayStart: VIRTUAL_EPOCH, messages: 300, burst: 120 });

  it('holds exactly the asked distinct messages, in time order, inside the day', () => {
    const plan = day(1);
    const ids = new Set(plan.deliveries.map((d) => d.message.id));
    expect(ids.size).toBe(300);
    expect(plan.unique).toBe(300);
    expect(plan.redeliveries).toBe(plan.deliveries.length - 300);
    const times = plan.deliveries.map((d) => d.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(VIRTUAL_EPOCH);
    expect(Math.max(...times)).toBeLessThan(VIRTUAL_EPOCH + 24 * HOUR_MS);
    expect(day(1)).toEqual(plan);
    expect(day(2).deliveries[0]?.message.id).not.toBe(plan.deliveries[0]?.message.id);
  });

  it('puts the burst in the minute after 20:00 and leaves the night quiet', () => {
    const firsts = new Map<string, TimedMessage>();
    for (const d of day(3).deliveries) if (!firsts.has(d.message.id)) firsts.set(d.message.id, d);
    const at20 = VIRTUAL_EPOCH + 20 * HOUR_MS;
    const inBurst = [...firsts.values()].filter((d) => d.at >= at20 && d.at < at20 + MINUTE_MS);
    expect(inBurst.length).toBeGreaterThanOrEqual(120);
    expect(inBurst.filter((d) => d.message.topic === 'taobao_trade_TradeCreate').length).toBeGreaterThanOrEqual(120);
    const night = [...firsts.values()].filter((d) => d.at < VIRTUAL_EPOCH + 5 * HOUR_MS).length;
    const evening = [...firsts.values()].filter(
      (d) => d.at >= VIRTUAL_EPOCH + 19 * HOUR_MS && !inBurst.includes(d),
    ).length;
    expect(evening).toBeGreaterThan(night);
  });
});

describe('DayGateway', () => {
  const plans = (messages: TimedMessage[]) => new Map([['shop-a', messages]]);

  it('answers after the service time with what was published by then, and bills each answer', async () => {
    const clock = new VirtualClock();
    const msgs = planTraffic(7, 'shop-a', 3, VIRTUAL_EPOCH, { duplicateRate: 0 }).slice(0, 3);
    const times = [500, 1000, 1001].map((t) => VIRTUAL_EPOCH + t);
    const gw = new DayGateway({
      clock,
      plans: plans(msgs.map((m, i) => ({ ...m, at: times[i]! }))),
      serviceTimeMs: 1000,
    });
    const first = gw.consume('shop-a', { quantity: 10 });
    await clock.advance(999);
    await clock.advance(1);
    const r1 = await first;
    expect(r1.ok && r1.value.messages.length).toBe(2);
    expect(r1.ok && r1.value.cost).toBe(1);
    const second = gw.consume('shop-a', { quantity: 10 });
    await clock.advance(1000);
    const r2 = await second;
    expect(r2.ok && r2.value.messages.map((m) => m.msgData)).toEqual([expect.stringContaining(msgs[2]!.message.id)]);
    expect(gw.calls.map((c) => c.billed)).toEqual([true, true]);
  });

  it('refuses the 11th call in a second with a free 202', async () => {
    const clock = new VirtualClock();
    const gw = new DayGateway({ clock, plans: plans([]), serviceTimeMs: 1000 });
    const calls = Array.from({ length: 11 }, () => gw.consume('shop-a', {}));
    await clock.advance(1000);
    const results = await Promise.all(calls);
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    const refused = results.find((r) => !r.ok);
    expect(refused && !refused.ok && gatewayCodeOf(refused.error)).toBe(202);
    expect(gw.calls.filter((c) => !c.billed)).toHaveLength(1);
    const later = gw.consume('shop-a', {});
    await clock.advance(1000);
    expect((await later).ok).toBe(true);
  });
});

describe('baselines', () => {
  async function run(loop: typeof documentedLoop, ms: number) {
    const clock = new VirtualClock({ start: VIRTUAL_EPOCH });
    const gw = new DayGateway({ clock, plans: new Map([['shop-a', []]]), serviceTimeMs: 1000 });
    const stop = new AbortController();
    const batches: number[] = [];
    const done = loop({
      gateway: gw,
      clock,
      shop: 'shop-a',
      quantity: 100,
      signal: stop.signal,
      onBatch: async (_s, ok) => void batches.push(ok.messages.length),
    });
    await clock.advance(ms);
    stop.abort();
    await clock.advance(2000);
    await done;
    return { starts: gw.calls.map((c) => c.at - VIRTUAL_EPOCH), batches };
  }

  it('documented loop: call, sleep 100 ms after an empty answer, call again', async () => {
    const { starts, batches } = await run(documentedLoop, 3500);
    expect(starts).toEqual([0, 1100, 2200, 3300]);
    expect(batches).toEqual([0, 0, 0, 0]);
  });

  it('fixed poll: a call every 5 s, start to start', async () => {
    const { starts } = await run(fixedPoll, 16_000);
    expect(starts).toEqual([0, 5000, 10_000, 15_000]);
  });
});

describe('spliceB4 (npm run bench -- --only B4)', () => {
  const machine = (loadAverage: number): Machine => ({
    cpu: 'CPU',
    cores: 2,
    memoryGiB: 8,
    node: 'v20',
    os: 'Linux',
    loadAverage,
    date: '2026-12-01T00:00:00.000Z',
  });
  const run = (variant: WindowRun['variant'], warmMs: number): WindowRun => ({
    variant,
    orders: 10_000,
    coldMs: 900,
    warmMs,
    warmRunsMs: [warmMs],
    warmDomContentLoadedMs: 50,
    warmScriptFetchMs: 5,
    roundTripMs: 2,
    arrivals: 200,
    longestFrameMs: 16.7,
    longFrames: 0,
    frames: 60,
    longestTaskMs: 0,
    ...(variant === 'current' && { pageWork: { longestTaskMs: 9.1, busiestFrameMs: 12.34, frames: 70 } }),
  });
  const b4: B4Result = {
    settings: { sizes: [10_000], arrivals: 200, warmLoads: 1, baseline: true },
    runs: [run('baseline', 321), run('current', 123)],
    targets: [{ bench: 'B4', statement: 'first render new', verdict: 'MET', reason: '123 ms' }],
  };
  const doc = (b4Last: boolean) =>
    [
      '# Benchmarks',
      '',
      '| Machine |  |',
      '|---|---|',
      '| Date | then |',
      '',
      '## Targets',
      '',
      '|  | Target | Verdict | Figures |',
      '|---|---|---|---|',
      '| B1 | calls | **MET** | few |',
      '| B4 | first render old | **MET** | 199 ms |',
      '| B4 | longest frame old | **MET** | 16.8 ms |',
      '| B5 | other | **MET** | x |',
      '',
      ...(b4Last ? ['## B1 — a day', '', 'B1 text', ''] : []),
      '## B4 — the window',
      '',
      'Old B4 text.',
      '',
      ...(b4Last ? [] : ['## B1 — a day', '', 'B1 text', '']),
    ].join('\n');

  it('replaces only B4’s target rows and section, says how it ran, and gives the same file run again', () => {
    for (const b4Last of [true, false]) {
      const before = doc(b4Last);
      const after = spliceB4(before, b4, { machine: machine(3.2), endLoad: 0.4 });
      const lines = after.split('\n');
      const targets = (text: string) => {
        const all = text.split('\n');
        const from = all.indexOf('## Targets');
        return all.slice(
          from,
          all.findIndex((l, i) => i > from && l.startsWith('## ')),
        );
      };
      const notB4 = (l: string) => !l.startsWith('| B4 |');
      expect(targets(after).filter(notB4)).toEqual(targets(before).filter(notB4));
      expect(targets(after).filter((l) => !notB4(l))).toEqual(['| B4 | first render new | **MET** | 123 ms |']);
      expect(lines.indexOf('| B4 | first render new | **MET** | 123 ms |')).toBe(
        lines.indexOf('| B1 | calls | **MET** | few |') + 1,
      );
      expect(after).not.toContain('Old B4 text.');
      expect(after).toContain('B1 text');
      expect(after).toContain('| 10,000 stored · baseline | 321 ms |');
      // The traced round's column: what the page's main thread did, or that no frame was traced.
      expect(after).toMatch(/\| 10,000 stored · current \| 123 ms \|.*\| 12\.3 ms, 9\.1 ms \|$/m);
      expect(after).toMatch(/\| 10,000 stored · baseline \| 321 ms \|.*\| no frames traced \|$/m);
      expect(after).toContain(
        'load average 3.2 at the start and 0.4 at the end: the machine was shared with other work',
      );
      expect(after.endsWith('\n')).toBe(true);
      expect(spliceB4(after, b4, { machine: machine(3.2), endLoad: 0.4 })).toBe(after);
    }
    expect(spliceB4(doc(true), b4, { machine: machine(0.1), endLoad: 0.2 })).not.toContain('shared');
    expect(spliceB4(doc(true), b4, { machine: machine(0.1), endLoad: 5 })).toContain('shared');
    expect(() => spliceB4('# Benchmarks\n', b4, { machine: machine(0), endLoad: 0 })).toThrow(/no "## Targets" table/);
  });
});

describe('spliceB5 (npm run bench -- --only B5)', () => {
  const machine: Machine = {
    cpu: 'Test CPU',
    cores: 2,
    memoryGiB: 4,
    node: 'v20.20.2',
    os: 'Linux',
    loadAverage: 6.5,
    date: '2026-12-01T06:00:00.000Z',
  };
  const lat = (p95: number) => ({ p50: p95 / 2, p95, max: p95 * 2 });
  const b5 = (p95: number): B5Result => ({
    settings: { latencyBatches: 400, drainMessages: 20_000, seats: 3 },
    ran: true,
    latency: { stream: lat(p95), direct: lat(5), perSeatP95: [p95, p95, p95] },
    drain: { offeredMs: 9_900, perSeat: [{ stored: 19_616, ms: 10_000, rate: 2_000 }] },
    targets: [
      { bench: 'B5', statement: 'stream latency', verdict: 'MET', reason: `p95 ${p95} ms` },
      { bench: 'B5', statement: 'drain', verdict: 'MET', reason: '2,000 msg/s' },
    ],
  });
  const doc = [
    '# Benchmarks',
    '',
    '## Targets',
    '',
    '|  | Target | Verdict | Figures |',
    '|---|---|---|---|',
    '| B1 | cost | **MET** | b1 figures |',
    '| B4 | frame | **MISSED** | b4 figures |',
    '',
    '## B4 — the window',
    '',
    'Target: frame. **MISSED**: b4 figures.',
    '',
  ].join('\n');

  it('adds B5 beside the other rows and leaves them as they were, then replaces only its own', () => {
    const once = spliceB5(doc, b5(20), { machine, endLoad: machine.loadAverage });
    expect(once).toContain(
      '| B1 | cost | **MET** | b1 figures |\n| B4 | frame | **MISSED** | b4 figures |\n| B5 | stream latency | **MET** | p95 20 ms |\n| B5 | drain |',
    );
    expect(once).toContain('Target: frame. **MISSED**: b4 figures.\n\n## B5 — team mode: the stream');
    expect(once).toMatch(/load average 6.5 at the start and 6.5 at the end: the machine was shared/);
    const twice = spliceB5(`${once}\n## After\n\ntext\n`, b5(30), {
      machine: { ...machine, loadAverage: 0.2 },
      endLoad: 0.2,
    });
    expect(twice.match(/\| B5 \| stream latency/g)).toHaveLength(1);
    expect(twice).toContain('p95 30 ms');
    expect(twice).not.toContain('p95 20 ms');
    expect(twice.match(/## B5 /g)).toHaveLength(1);
    expect(twice).not.toMatch(/machine was shared/);
    expect(twice).toContain('## After\n\ntext\n');
    // Everything before B5's section is the file as it was, but B5's target rows.
    expect(twice.split('## B5')[0]!.replace(/\| B5 .*\n/g, '')).toBe(`${doc}\n`);
  });
});
