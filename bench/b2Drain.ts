/**
 * B2: a backlog drained over real HTTP. The local gateway simulator on loopback, in a process of
 * its own (as the real gateway is another machine), holds the queued messages, answers after its
 * service time and refuses (202) past 10 calls a second; the real GatewayClient (undici, its rate
 * budget) and the real Scheduler consume it, and every answer is decoded and appended to a real
 * Inbox (journal + datasync) in a temporary directory. The same pipeline behind the documented
 * one-call-at-a-time loop is the baseline.
 *
 * Messages per second = messages drained / time from the first call to the last of them stored.
 * At 10 calls a second of `quantity` messages the bound is 10 × quantity.
 *
 * The scheduler is built as the app builds it (appScheduler): the app's quantity, pacing, lanes
 * and pauses, balanced mode (the default), no quiet hours (the default), no history.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ShopId } from '../src/shared/domain';
import { systemClock } from '../src/main/core/clock';
import { GatewayClient } from '../src/main/core/gateway/client';
import { RateBudgets } from '../src/main/core/gateway/rate';
import type { ConsumeOk } from '../src/main/core/gateway/types';
import { Inbox } from '../src/main/core/inbox/inbox';
import { decodeBatch } from '../src/main/core/intake/decoder';
import { CONSUME_RATE_PER_SECOND, DEFAULT_QUANTITY } from '../src/main/core/intake/pauses';
import { Rhythm } from '../src/main/core/intake/rhythm';
import { appScheduler } from '../src/main/core/intake/scheduler';
import { DEFAULT_SETTINGS } from '../src/shared/settings';
import { documentedLoop } from './baselines';
import { backlog, BENCH_SHOP } from './backlog';
import { tallyJournal } from './journalTally';
import { RemoteSimulator } from './remoteSimulator';
import { maxInWindow, windowsAbove } from './stats';
import { check, type Target } from './targets';

export interface B2Options {
  messages?: number;
  serviceTimesMs?: number[];
  /** The one-call loop is stopped after this long (it would take 100 s at 1 s a call). */
  baselineWindowMs?: number;
  /** A drain that has not finished by then is reported as such. */
  timeoutMs?: number;
  /** Drains by the Scheduler per service time: one 202 changes a drain's figure a lot. */
  repeats?: number;
  seed?: number;
}

export type B2Settings = Required<B2Options>;

export const B2_DEFAULTS: B2Settings = {
  messages: 100_000,
  serviceTimesMs: [1000, 50],
  baselineWindowMs: 15_000,
  timeoutMs: 120_000,
  repeats: 2,
  seed: 7,
};

export type B2Runner = 'scheduler' | 'documented';

export interface B2Run {
  runner: B2Runner;
  serviceTimeMs: number;
  queued: number;
  /** Messages taken off the gateway and stored (redeliveries included). */
  drained: number;
  /** Every queued message drained; false when the window (baseline) or the timeout ended it first. */
  complete: boolean;
  elapsedMs: number;
  messagesPerSecond: number;
  /** messagesPerSecond over the physical bound. */
  boundShare: number;
  calls: number;
  /** The most calls that reached the gateway within one second. */
  busiestSecond: number;
  /** Sliding 1,000 ms windows in which the gateway saw more than 10 calls. */
  windowsAbove: number;
  /** Calls reaching the gateway in each second from the first one: how fast the drain gets going. */
  callsPerSecond: number[];
  /** The longest time the gateway saw no call, before the drain was over: a back-off shows here. */
  longestGapMs: number;
  /** Calls the gateway refused with 202 (over its rate limit). */
  refused: number;
  /** Failed calls as the client saw them, 202 included. */
  errors: number;
  /** Distinct ids queued, distinct ids the gateway sent, message lines in the journal, distinct ids among them. */
  queuedIds: number;
  sentIds: number;
  journalLines: number;
  journalIds: number;
  /** Each message the gateway sent is in the journal exactly once; after a whole drain, each one queued. */
  storedOnce: boolean;
}

export interface B2Result {
  settings: B2Settings;
  boundPerSecond: number;
  runs: B2Run[];
  targets: Target[];
}

const TOKEN = 'bench-token';

function perSecond(times: readonly number[]): number[] {
  const first = times[0] ?? 0;
  const counts: number[] = [];
  for (const t of times) {
    const i = Math.floor((t - first) / 1000);
    while (counts.length <= i) counts.push(0);
    counts[i]!++;
  }
  return counts;
}

function longestGap(times: readonly number[]): number {
  let gap = 0;
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i]! - times[i - 1]!);
  return gap;
}

async function drainOnce(
  runner: B2Runner,
  serviceTimeMs: number,
  now: number,
  queuedIds: ReadonlySet<string>,
  s: B2Settings,
): Promise<B2Run> {
  const queued = s.messages;
  const sim = await RemoteSimulator.start(
    { serviceTimeMs, rateLimitPerSecond: CONSUME_RATE_PER_SECOND, shops: [BENCH_SHOP], tokens: [TOKEN], seed: s.seed },
    { seed: s.seed, shop: BENCH_SHOP, count: queued, now },
  );
  const dir = await mkdtemp(path.join(tmpdir(), 'tradebell-b2-'));
  const client = new GatewayClient({
    baseUrl: sim.url,
    token: () => TOKEN,
    vvtype: () => 1,
    budgets: new RateBudgets(),
  });
  let deadline: NodeJS.Timeout | undefined;
  try {
    const inbox = await Inbox.open(dir);
    const stopping = new AbortController();
    let drained = 0;
    let errors = 0;
    let lastStoredAt = 0;
    // The simulator stamps calls with Date.now() too: this bounds the calls that belong to the drain.
    let lastStoredWall = 0;
    const onBatch = async (shop: ShopId, answer: ConsumeOk, receivedAt: number) => {
      const batch = decodeBatch(shop, answer.messages, answer.malformed, receivedAt);
      await inbox.append(batch.messages, batch.undecoded);
      const n = answer.messages.length + answer.malformed.length;
      drained += n;
      if (n > 0) [lastStoredAt, lastStoredWall] = [performance.now(), Date.now()];
      if (drained >= queued) stopping.abort();
    };
    const onError = () => void errors++;
    const timeout = runner === 'documented' ? Math.min(s.baselineWindowMs, s.timeoutMs) : s.timeoutMs;
    // A timer of our own, not AbortSignal.any([…, AbortSignal.timeout()]): Node can collect a
    // timeout signal held only by such a composite before it fires (nodejs/node#57736), and the
    // documented loop, which never drains the backlog in its window, then ran on for good.
    deadline = setTimeout(() => stopping.abort(), timeout);
    const stop = stopping.signal;
    const started = performance.now();

    if (runner === 'scheduler') {
      const scheduler = appScheduler({
        gateway: client,
        clock: systemClock,
        onBatch,
        onError,
        polling: DEFAULT_SETTINGS.polling,
        quietHours: () => DEFAULT_SETTINGS.notify.quietHours,
        rhythm: new Rhythm(),
      });
      scheduler.setShops([BENCH_SHOP]);
      scheduler.start();
      await new Promise<void>((resolve) =>
        stop.aborted ? resolve() : stop.addEventListener('abort', () => resolve(), { once: true }),
      );
      await scheduler.stop();
    } else {
      await documentedLoop({
        gateway: client,
        clock: systemClock,
        shop: BENCH_SHOP,
        quantity: DEFAULT_QUANTITY,
        onBatch,
        onError,
        signal: stop,
      });
    }
    await inbox.close();

    const complete = drained >= queued;
    // A finished drain ends with its last message stored; a capped one with its window.
    const elapsedMs = (complete ? lastStoredAt : performance.now()) - started;
    const messagesPerSecond = drained / (elapsedMs / 1000);
    const report = await sim.report();
    const sent = new Set(report.answers.flatMap((a) => a.ids));
    const drainCalls = report.consumeCallTimes.filter((t) => t <= lastStoredWall);
    const tally = await tallyJournal(dir);
    return {
      runner,
      serviceTimeMs,
      queued,
      drained,
      complete,
      elapsedMs,
      messagesPerSecond,
      boundShare: messagesPerSecond / (CONSUME_RATE_PER_SECOND * DEFAULT_QUANTITY),
      calls: report.consumeCallTimes.length,
      busiestSecond: maxInWindow(report.consumeCallTimes),
      windowsAbove: windowsAbove(report.consumeCallTimes, CONSUME_RATE_PER_SECOND),
      callsPerSecond: perSecond(drainCalls),
      longestGapMs: longestGap(drainCalls),
      refused: report.answers.filter((a) => a.code === 202).length,
      errors,
      queuedIds: queuedIds.size,
      sentIds: sent.size,
      journalLines: tally.messageLines,
      journalIds: tally.ids.size,
      storedOnce:
        tally.messageLines === tally.ids.size &&
        tally.ids.size === sent.size &&
        [...sent].every((id) => tally.ids.has(id)) &&
        (!complete || (sent.size === queuedIds.size && [...queuedIds].every((id) => sent.has(id)))),
    };
  } finally {
    clearTimeout(deadline);
    await client.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runB2(options: B2Options = {}): Promise<B2Result> {
  const s: B2Settings = { ...B2_DEFAULTS, ...options };
  const now = Date.now();
  // The simulator process builds the same backlog from the same arguments.
  const queuedIds = new Set(backlog(s.seed, BENCH_SHOP, s.messages, now).map((m) => m.id));
  const runs: B2Run[] = [];
  for (const serviceTimeMs of s.serviceTimesMs) {
    for (let i = 0; i < s.repeats; i++) runs.push(await drainOnce('scheduler', serviceTimeMs, now, queuedIds, s));
    runs.push(await drainOnce('documented', serviceTimeMs, now, queuedIds, s));
  }
  const bound = CONSUME_RATE_PER_SECOND * DEFAULT_QUANTITY;
  const targets = s.serviceTimesMs.map((serviceTimeMs) => {
    const mine = runs.filter((r) => r.runner === 'scheduler' && r.serviceTimeMs === serviceTimeMs);
    const pct = (r: B2Run) => `${(r.boundShare * 100).toFixed(1)} %`;
    const stored = mine.every((r) => r.storedOnce)
      ? 'every message stored once in every drain'
      : `a message missing or stored twice (${mine.map((r) => `${r.journalLines} lines, ${r.journalIds} ids, ${r.sentIds} sent, ${r.queuedIds} queued`).join('; ')})`;
    return check(
      'B2',
      `drain at ≥ 95 % of ${bound.toLocaleString('en')} msg/s with a ${serviceTimeMs} ms service time and the app's defaults, every message stored once, 0 windows above 10 calls`,
      mine.every((r) => r.complete && r.boundShare >= 0.95 && r.storedOnce && r.windowsAbove === 0),
      `${mine.length} drain${mine.length > 1 ? 's' : ''} of ${s.messages.toLocaleString('en')}: ${mine.map(pct).join(', ')} of the bound ` +
        `(${mine.map((r) => r.windowsAbove).join(', ')} windows above 10 calls at the gateway, busiest ${Math.max(...mine.map((r) => r.busiestSecond))}; ` +
        `${mine.map((r) => r.refused).join(', ')} calls refused with 202); ${stored}`,
    );
  });
  return { settings: s, boundPerSecond: bound, runs, targets };
}
