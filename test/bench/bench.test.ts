/**
 * Each benchmark still runs on a tiny input and produces sane figures: counts, every message
 * stored once, the shape of the result. Never timings: those are `npm run bench`'s to report.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { B1_BASELINES, B1_POLICIES, runB1, type B1Run } from '../../bench/b1Day';
import { runB2 } from '../../bench/b2Drain';
import { runB3 } from '../../bench/b3Store';
import { backlog, BENCH_SHOP } from '../../bench/backlog';
import { HOUR_MS, MINUTE_MS } from '../../bench/dayTraffic';
import { DEFAULT_QUANTITY } from '../../src/main/core/intake/pauses';

const VERDICTS = ['MET', 'MISSED'];

function saneRun(run: B1Run, shops: number, messages: number): void {
  expect(run.shops).toBe(shops);
  expect(run.published).toBe(shops * messages);
  expect(run.stored).toBe(run.published);
  expect(run.undecoded).toBe(0);
  expect(run.calls).toBeGreaterThan(0);
  expect(run.points).toBeLessThanOrEqual(run.calls);
  expect(run.points).toBe(run.calls - run.refused);
  expect(run.maxCallsPerSecond).toBeGreaterThanOrEqual(1);
  expect(run.maxCallsPerSecond).toBeLessThanOrEqual(10);
  expect(run.windowsAbove).toBe(0);
  // The app's quantity, for the scheduler's rows and the baselines alike.
  expect(run.quantities).toEqual([DEFAULT_QUANTITY]);
  const { p50, p95, max } = run.latencyMs;
  expect(p50).toBeGreaterThanOrEqual(0);
  expect(p50).toBeLessThanOrEqual(p95);
  expect(p95).toBeLessThanOrEqual(max);
}

describe('B1 on a 20-minute window', () => {
  it('runs every poller for one shop and for several, and stores every message once', async () => {
    const r = await runB1({
      messagesPerDay: 24,
      burst: 12,
      fromMs: 19.9 * HOUR_MS,
      toMs: 20.2 * HOUR_MS,
      shops: 2,
      tailMs: 3 * MINUTE_MS,
      historyDays: 8,
    });
    const runners = [...B1_POLICIES, ...B1_BASELINES];
    expect(r.single.map((x) => x.runner)).toEqual(runners);
    expect(r.multi.map((x) => x.runner)).toEqual(runners);
    for (const run of r.single) saneRun(run, 1, 24);
    for (const run of r.multi) saneRun(run, 2, 24);
    // Redeliveries reach the store and are dropped there, not stored twice.
    const dropped = r.single.find((x) => x.runner === 'documented')!.duplicatesDropped;
    expect(dropped).toBe(r.redeliveriesPerShop);
    expect(r.deliveriesPerShop).toBe(24 + r.redeliveriesPerShop);
    // The documented loop calls after every answer; the balanced scheduler pauses when idle.
    const calls = (runner: string) => r.single.find((x) => x.runner === runner)!.calls;
    expect(calls('documented')).toBeGreaterThan(calls('balanced'));
    expect(r.targets).toHaveLength(6);
    for (const t of r.targets) expect(VERDICTS).toContain(t.verdict);
  });
});

describe('B2 on a small backlog', () => {
  it('drains it over HTTP with the scheduler and the baseline, each message stored once', async () => {
    const messages = 400;
    const r = await runB2({ messages, serviceTimesMs: [50], repeats: 1, baselineWindowMs: 10_000 });
    const distinct = new Set(backlog(r.settings.seed, BENCH_SHOP, messages, Date.now()).map((m) => m.id)).size;
    expect(r.runs.map((x) => x.runner)).toEqual(['scheduler', 'documented']);
    for (const run of r.runs) {
      expect(run.complete).toBe(true);
      expect(run.drained).toBe(messages);
      expect(run.queuedIds).toBe(distinct);
      expect(run.sentIds).toBe(distinct);
      expect(run.journalIds).toBe(distinct);
      expect(run.journalLines).toBe(distinct);
      expect(run.storedOnce).toBe(true);
      expect(run.calls).toBeGreaterThanOrEqual(messages / DEFAULT_QUANTITY);
      expect(run.windowsAbove).toBe(0);
      expect(run.messagesPerSecond).toBeGreaterThan(0);
      expect(run.boundShare).toBeCloseTo(run.messagesPerSecond / r.boundPerSecond);
      expect(run.callsPerSecond.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(run.calls);
    }
    expect(r.targets).toHaveLength(1);
    expect(VERDICTS).toContain(r.targets[0]!.verdict);
  });
});

describe('B2 windows', () => {
  it('end a drain that cannot finish in them, garbage collected meanwhile (nodejs/node#57736)', async () => {
    // Collections while the drains run: Node 20 can collect a timeout signal held only by an
    // AbortSignal.any() before it fires, and a drain waiting on one then never ended.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const collecting = setInterval(gc, 20);
    try {
      // A drain that never ends fails the test by its time-out.
      const r = await runB2({
        messages: 5_000,
        serviceTimesMs: [1_000],
        repeats: 1,
        baselineWindowMs: 1_500,
        timeoutMs: 1_500,
      });
      expect(r.runs.map((x) => [x.runner, x.complete])).toEqual([
        ['scheduler', false],
        ['documented', false],
      ]);
    } finally {
      clearInterval(collecting);
    }
  }, 30_000);
});

describe('B3 on a small store', () => {
  it('stores every message once and measures start-up, heap and append cost in child processes', async () => {
    const r = await runB3({ messages: 600, smallStore: 200, appendSamples: 3, rounds: 1 });
    const t = r.throughput;
    expect(t.stored).toBe(600);
    expect(t.fed).toBeGreaterThanOrEqual(600);
    expect(t.batches).toBe(Math.ceil(t.fed / r.settings.batch));
    expect(r.storedOnce).toBe(true);
    expect(t.messagesPerSecond).toBeGreaterThan(0);
    expect(t.decodeMessagesPerSecond).toBeGreaterThan(0);
    expect(t.losslessParseUs).toBeGreaterThan(0);
    expect(t.journalBytes).toBeGreaterThan(0);
    expect(r.small.messages).toBe(200);
    expect(r.large.messages).toBe(600);
    for (const store of [r.small, r.large]) {
      expect(store.openMs).toBeGreaterThan(0);
      expect(store.journalReadMs).toBeGreaterThan(0);
      expect(store.heapUsedBytes).toBeGreaterThan(0);
      expect(store.appendSamples).toBe(3);
      expect(store.appendMedianUs).toBeGreaterThan(0);
    }
    expect(r.targets).toHaveLength(4);
    for (const target of r.targets) expect(VERDICTS).toContain(target.verdict);
  }, 60_000);
});
