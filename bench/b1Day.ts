/**
 * B1: cost and latency over a simulated day. The real Scheduler (and the two baselines) call an
 * in-process gateway on the VirtualClock, so a day of calls runs in seconds of wall time; every
 * answer goes through the real decoder into an in-memory dedupe store (no disk: fs I/O does not
 * happen in virtual time). Latency is from a message's first publication to its storing.
 *
 * The scheduler is built as the app builds it (appScheduler), with the app's defaults. The rows
 * differ only in what a seller would have: a mode, quiet hours switched on, weeks of history.
 */
import { performance } from 'node:perf_hooks';
import type { ShopId } from '../src/shared/domain';
import { DEFAULT_NOTIFY, POLL_CEILINGS_MS, type NotifySettings, type PollMode } from '../src/shared/settings';
import type { Clock } from '../src/main/core/clock';
import type { ConsumeOk } from '../src/main/core/gateway/types';
import { decodeBatch } from '../src/main/core/intake/decoder';
import { CONSUME_RATE_PER_SECOND, DEFAULT_QUANTITY } from '../src/main/core/intake/pauses';
import { Rhythm } from '../src/main/core/intake/rhythm';
import { appScheduler } from '../src/main/core/intake/scheduler';
import { createRng, type TimedMessage } from '../src/simulator';
import { VIRTUAL_EPOCH, VirtualClock } from '../test/support/virtualClock';
import { documentedLoop, fixedPoll } from './baselines';
import { DayGateway } from './dayGateway';
import { DAY_MS, MINUTE_MS, planDay } from './dayTraffic';
import { latencyOf, maxInWindow, windowsAbove, type Latency } from './stats';
import { check, type Target } from './targets';

/** The scheduler's rows: a mode, and what the seller has set or the shop has lived. */
export const B1_POLICIES = ['realtime', 'balanced', 'saver', 'balanced-quiet', 'balanced-learned'] as const;
export const B1_BASELINES = ['documented', 'fixed5s'] as const;
export type B1Policy = (typeof B1_POLICIES)[number];
export type B1Runner = B1Policy | (typeof B1_BASELINES)[number];

const ROWS: Record<B1Policy, { mode: PollMode; quiet: boolean; learned: boolean }> = {
  realtime: { mode: 'realtime', quiet: false, learned: false },
  balanced: { mode: 'balanced', quiet: false, learned: false },
  saver: { mode: 'saver', quiet: false, learned: false },
  'balanced-quiet': { mode: 'balanced', quiet: true, learned: false },
  'balanced-learned': { mode: 'balanced', quiet: false, learned: true },
};

/** The quiet hours of the "balanced + quiet hours" row; refunds allowed through, as by default. */
export const B1_QUIET_HOURS: NotifySettings['quietHours'] = {
  enabled: true,
  start: '23:00',
  end: '08:00',
  allowRefunds: true,
};
/** The daytime the quiet-hours row is compared in: outside 23:00–08:00. */
const DAYTIME = { fromMs: 8 * 3_600_000, toMs: 23 * 3_600_000 };

export interface B1Options {
  /** First deliveries per shop in the window, the burst included. */
  messagesPerDay?: number;
  burst?: number;
  /** The simulated part of the day, ms after China midnight: [fromMs, toMs). */
  fromMs?: number;
  toMs?: number;
  /** Shops of the shared-budget run. */
  shops?: number;
  serviceTimeMs?: number;
  seed?: number;
  /** Days of history before the simulated day that the learned row has. */
  historyDays?: number;
  /** Time after the window for the last messages to come in; its calls are not counted. */
  tailMs?: number;
}

export type B1Settings = Required<B1Options>;

export const B1_DEFAULTS: B1Settings = {
  messagesPerDay: 800,
  burst: 500,
  fromMs: 0,
  toMs: DAY_MS,
  shops: 5,
  serviceTimeMs: 1000,
  seed: 20240601,
  historyDays: 28,
  tailMs: 5 * MINUTE_MS,
};

export interface B1Run {
  runner: B1Runner;
  shops: number;
  /** Calls started in the window, refused ones included. */
  calls: number;
  /** Billed calls in the window (1 点券 each). */
  points: number;
  /** Calls refused by the gateway's rate limit (code 202), whole run. */
  refused: number;
  /** The most calls started in any one second, whole run, refused ones included. */
  maxCallsPerSecond: number;
  /** Sliding 1,000 ms windows in which the gateway saw more than 10 calls, whole run. */
  windowsAbove: number;
  /** The quantities the calls asked for, as the gateway saw them. */
  quantities: number[];
  /** Distinct messages published in the window, and how many of them were stored. */
  published: number;
  stored: number;
  /** Redeliveries the dedupe store dropped. */
  duplicatesDropped: number;
  undecoded: number;
  latencyMs: Latency;
  /** Of the messages published 08:00–23:00, outside the quiet-hours row's quiet hours. */
  daytimeLatencyMs: Latency;
  /** Wall time the run took. */
  wallMs: number;
}

export interface B1Result {
  settings: B1Settings;
  /** Deliveries per shop, redeliveries included, and the redeliveries among them. */
  deliveriesPerShop: number;
  redeliveriesPerShop: number;
  single: B1Run[];
  multi: B1Run[];
  targets: Target[];
}

/** The store of B1: message ids and when each was first stored. */
class MemoryStore {
  readonly storedAt = new Map<string, number>();
  duplicates = 0;
  undecoded = 0;

  constructor(private readonly clock: Clock) {}

  readonly onBatch = async (shop: ShopId, answer: ConsumeOk, receivedAt: number): Promise<void> => {
    const batch = decodeBatch(shop, answer.messages, answer.malformed, receivedAt);
    this.undecoded += batch.undecoded.length;
    for (const m of batch.messages) {
      if (this.storedAt.has(m.id)) this.duplicates++;
      else this.storedAt.set(m.id, this.clock.now());
    }
  };
}

/** Drives the virtual clock until `work` has finished (calls in flight need time to answer). */
async function finish(clock: VirtualClock, work: Promise<unknown>): Promise<void> {
  let done = false;
  const settled = work.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) await clock.advance(1000);
  await settled;
  await work;
}

async function runOne(
  runner: B1Runner,
  plans: Map<ShopId, TimedMessage[]>,
  history: Rhythm,
  s: B1Settings,
): Promise<B1Run> {
  const wallStart = performance.now();
  const start = VIRTUAL_EPOCH + s.fromMs;
  const end = VIRTUAL_EPOCH + s.toMs;
  const clock = new VirtualClock({ start });
  const gateway = new DayGateway({
    clock,
    plans,
    serviceTimeMs: s.serviceTimeMs,
    ratePerSecond: CONSUME_RATE_PER_SECOND,
  });
  const store = new MemoryStore(clock);
  const shops = [...plans.keys()];

  if (runner === 'documented' || runner === 'fixed5s') {
    const stop = new AbortController();
    const loop = runner === 'documented' ? documentedLoop : fixedPoll;
    const loops = Promise.all(
      shops.map((shop) =>
        loop({ gateway, clock, shop, quantity: DEFAULT_QUANTITY, onBatch: store.onBatch, signal: stop.signal }),
      ),
    );
    await clock.runUntil(end + s.tailMs);
    stop.abort();
    await finish(clock, loops);
  } else {
    const row = ROWS[runner];
    const scheduler = appScheduler({
      gateway,
      clock,
      random: createRng(s.seed).next,
      onBatch: store.onBatch,
      onError: () => undefined,
      polling: { mode: row.mode },
      quietHours: () => (row.quiet ? B1_QUIET_HOURS : DEFAULT_NOTIFY.quietHours),
      rhythm: row.learned ? history : new Rhythm(),
    });
    scheduler.setShops(shops);
    scheduler.start();
    await clock.runUntil(end + s.tailMs);
    await finish(clock, scheduler.stop());
  }

  const firstAt = new Map<string, number>();
  for (const plan of plans.values())
    for (const d of plan) if (!firstAt.has(d.message.id)) firstAt.set(d.message.id, d.at);
  const latencies: number[] = [];
  const daytime: number[] = [];
  for (const [id, at] of firstAt) {
    const stored = store.storedAt.get(id);
    if (stored === undefined) continue;
    latencies.push(stored - at);
    const sinceMidnight = at - VIRTUAL_EPOCH;
    if (sinceMidnight >= DAYTIME.fromMs && sinceMidnight < DAYTIME.toMs) daytime.push(stored - at);
  }
  const inWindow = gateway.calls.filter((c) => c.at < end);
  const times = gateway.calls.map((c) => c.at);
  return {
    runner,
    shops: shops.length,
    calls: inWindow.length,
    points: inWindow.filter((c) => c.billed).length,
    refused: gateway.calls.filter((c) => !c.billed).length,
    maxCallsPerSecond: maxInWindow(times),
    windowsAbove: windowsAbove(times, CONSUME_RATE_PER_SECOND),
    quantities: [...new Set(gateway.calls.map((c) => c.quantity))].sort((a, b) => a - b),
    published: firstAt.size,
    stored: latencies.length,
    duplicatesDropped: store.duplicates,
    undecoded: store.undecoded,
    latencyMs: latencyOf(latencies),
    daytimeLatencyMs: latencyOf(daytime),
    wallMs: performance.now() - wallStart,
  };
}

function plansFor(count: number, s: B1Settings): Map<ShopId, TimedMessage[]> {
  const plans = new Map<ShopId, TimedMessage[]>();
  for (let i = 0; i < count; i++) {
    const shop = `bench-shop-${i + 1}`;
    const plan = planDay({
      seed: s.seed + i,
      shop,
      dayStart: VIRTUAL_EPOCH,
      fromMs: s.fromMs,
      toMs: s.toMs,
      messages: s.messagesPerDay,
      burst: s.burst,
    });
    plans.set(shop, plan.deliveries);
  }
  return plans;
}

/** The weeks before the simulated day, for each shop: days of the same shape (the model's day
 * curve and its evening sale) with other seeds, as the inbox would hold them. */
function historyFor(count: number, s: B1Settings): Rhythm {
  const rhythm = new Rhythm();
  for (let i = 0; i < count; i++) {
    const shop = `bench-shop-${i + 1}`;
    for (let d = 1; d <= s.historyDays; d++) {
      const day = planDay({
        seed: s.seed + i + 1_000 * d,
        shop,
        dayStart: VIRTUAL_EPOCH - d * DAY_MS,
        messages: s.messagesPerDay,
        burst: s.burst,
      });
      const seen = new Set<string>();
      for (const x of day.deliveries) if (!seen.has(x.message.id) && seen.add(x.message.id)) rhythm.add(shop, x.at);
    }
  }
  return rhythm;
}

const RUNNERS: readonly B1Runner[] = [...B1_POLICIES, ...B1_BASELINES];

export async function runB1(options: B1Options = {}): Promise<B1Result> {
  const s: B1Settings = { ...B1_DEFAULTS, ...options };
  const one = plansFor(1, s);
  const many = plansFor(s.shops, s);
  const history = historyFor(s.shops, s);
  const single: B1Run[] = [];
  for (const r of RUNNERS) single.push(await runOne(r, one, history, s));
  const multi: B1Run[] = [];
  for (const r of RUNNERS) multi.push(await runOne(r, many, history, s));
  const deliveries = [...one.values()][0] ?? [];
  const unique = new Set(deliveries.map((d) => d.message.id)).size;
  return {
    settings: s,
    deliveriesPerShop: deliveries.length,
    redeliveriesPerShop: deliveries.length - unique,
    single,
    multi,
    targets: b1Targets(single, multi, s),
  };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const int = (n: number): string => n.toLocaleString('en');

function b1Targets(single: B1Run[], multi: B1Run[], s: B1Settings): Target[] {
  const find = (r: B1Runner) => single.find((x) => x.runner === r)!;
  const balanced = find('balanced');
  const quiet = find('balanced-quiet');
  const learned = find('balanced-learned');
  const documented = find('documented');
  const realtime = find('realtime');
  const p95Bound = POLL_CEILINGS_MS.balanced + s.serviceTimeMs;
  const policyRuns = [...single, ...multi].filter((r) => (B1_POLICIES as readonly string[]).includes(r.runner));
  const worst = policyRuns.reduce((a, b) => (b.maxCallsPerSecond > a.maxCallsPerSecond ? b : a));
  const refused = policyRuns.reduce((n, r) => n + r.refused, 0);
  const above = policyRuns.reduce((n, r) => n + r.windowsAbove, 0);
  const fewer = 1 - quiet.calls / balanced.calls;
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  return [
    check(
      'B1',
      'balanced: at most 1/8 of the documented loop’s calls',
      balanced.calls * 8 <= documented.calls,
      `balanced ${int(balanced.calls)} calls vs documented loop ${int(documented.calls)} (1/8 = ${int(Math.floor(documented.calls / 8))}; ratio 1/${(documented.calls / balanced.calls).toFixed(1)})`,
    ),
    check(
      'B1',
      `balanced: p95 latency within its ceiling plus one answer time (${seconds(p95Bound)})`,
      balanced.latencyMs.p95 <= p95Bound,
      `balanced p95 ${seconds(balanced.latencyMs.p95)}`,
    ),
    check(
      'B1',
      'realtime: p95 latency under 3 s',
      realtime.latencyMs.p95 < 3000,
      `realtime p95 ${seconds(realtime.latencyMs.p95)}`,
    ),
    check(
      'B1',
      'balanced + quiet hours 23:00–08:00: at least a quarter fewer calls than balanced (about a third expected), daytime p95 within 0.5 s of balanced’s',
      fewer >= 0.25 && quiet.daytimeLatencyMs.p95 <= balanced.daytimeLatencyMs.p95 + 500,
      `${int(quiet.calls)} calls vs balanced ${int(balanced.calls)} (${pct(fewer)} fewer); daytime (08:00–23:00) p95 ${seconds(quiet.daytimeLatencyMs.p95)} vs ${seconds(balanced.daytimeLatencyMs.p95)}; ` +
        `p95 over the whole day ${seconds(quiet.latencyMs.p95)}`,
    ),
    check(
      'B1',
      `balanced, learned (${s.historyDays} days of history): at most 1/12 of the documented loop’s calls, p95 within ${seconds(p95Bound)}`,
      learned.calls * 12 <= documented.calls && learned.latencyMs.p95 <= p95Bound,
      `${int(learned.calls)} calls vs documented loop ${int(documented.calls)} (1/12 = ${int(Math.floor(documented.calls / 12))}; ratio 1/${(documented.calls / learned.calls).toFixed(1)}); ` +
        `p95 ${seconds(learned.latencyMs.p95)} (balanced without history: ${int(balanced.calls)} calls, p95 ${seconds(balanced.latencyMs.p95)})`,
    ),
    check(
      'B1',
      'no scheduler run ever above 10 calls in any 1,000 ms window at the gateway',
      above === 0 && worst.maxCallsPerSecond <= CONSUME_RATE_PER_SECOND,
      `${above} windows above 10 over every scheduler row (1 and ${s.shops} shops); busiest window ${worst.maxCallsPerSecond} calls (${worst.runner}, ${worst.shops} shop${worst.shops > 1 ? 's' : ''}); ${refused} calls refused with 202`,
    ),
  ];
}
