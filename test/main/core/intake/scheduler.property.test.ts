/**
 * Properties of the scheduler over random gateways on the virtual clock (fast-check):
 * - the gateway, counting calls as they reach it, never sees more than 10 in any 1,000 ms window,
 *   whatever the answer times, the network's jitter, the cost of new connections, the gateway's
 *   own hold-ups, the shops, the backlogs and the failures;
 * - after any run of at most five transient failures, the first message waiting is stored within
 *   a minute of the gateway's return to health (realtime and balanced), and no mode waits more
 *   than a minute between a failure and its next call.
 * The seed is fixed so CI sees the same inputs; TRADEBELL_FUZZ_SEED explores others.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../../src/main/core/clock';
import type { ConsumeOk, ConsumeRequest, Gateway, RemarkOk } from '../../../../src/main/core/gateway/types';
import { ARRIVAL_MARGIN_MS, MAX_RETRY_MS } from '../../../../src/main/core/intake/pauses';
import { Scheduler } from '../../../../src/main/core/intake/scheduler';
import { RateLimiter } from '../../../../src/simulator/rateLimit';
import { createRng, type Rng } from '../../../../src/simulator';
import { appError, type AppError } from '../../../../src/shared/errors';
import { gatewayError } from '../../../support/errors';
import { err, ok, type Result } from '../../../../src/shared/result';
import type { PollMode } from '../../../../src/shared/settings';
import { VIRTUAL_EPOCH, VirtualClock } from '../../../support/virtualClock';
import { batch } from './fakes';

const SEED = Number(process.env.TRADEBELL_FUZZ_SEED ?? 20240601);
const SEC = 1_000;
const MIN = 60 * SEC;

/** The most of `times` in any half-open window [t, t + windowMs). */
function maxInWindow(times: readonly number[], windowMs = SEC): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

interface NetworkModel {
  /** Each way takes 0..jitterMs. */
  jitterMs: number;
  /** A call that finds no idle connection opens one first: this much more on the way there. */
  connectMs: number;
  /** Each answer takes minServiceMs..maxServiceMs at the gateway. */
  minServiceMs: number;
  maxServiceMs: number;
  /** Whether the envelope carries the gateway's run time (`msec`). */
  reportsMsec: boolean;
  /** Share of answered calls that fail (code 101 or an HTTP 502), taking nothing. */
  failShare: number;
  /** The gateway is held up now and then (busy, a pause) for up to holdMs, about every holdEveryMs:
   * what reaches it meanwhile is counted when the hold-up ends, and answers due meanwhile go out
   * then, their run time the longer for it. 0: never. */
  holdMs: number;
  holdEveryMs: number;
}

/**
 * A gateway behind a network: connections kept open between calls (a new one costs `connectMs`),
 * calls counted as they arrive and refused (202) past 10 in any second, per-shop queues.
 */
class NetworkGateway implements Gateway {
  readonly arrivals: number[] = [];
  readonly refused: number[] = [];
  readonly stored = new Map<string, number>();
  private idle = 0;
  private readonly limiter = new RateLimiter(10);
  private readonly queues = new Map<string, number>();
  /** The gateway's hold-ups, [from, to), in time order. */
  private readonly holdUps: [number, number][] = [];

  constructor(
    private readonly clock: Clock,
    private readonly rng: Rng,
    private readonly net: NetworkModel,
    backlogs: Record<string, number>,
  ) {
    for (const [shop, n] of Object.entries(backlogs)) this.queues.set(shop, n);
    if (net.holdMs > 0)
      for (let t = clock.now() + rng.next() * net.holdEveryMs; t < clock.now() + 10 * MIN;) {
        const to = t + rng.next() * net.holdMs;
        this.holdUps.push([t, to]);
        t = to + rng.next() * 2 * net.holdEveryMs;
      }
  }

  private jitter(): number {
    return this.rng.next() * this.net.jitterMs;
  }

  /** Waits out a hold-up of the gateway, if one is on. */
  private async heldUp(): Promise<void> {
    const now = this.clock.now();
    const h = this.holdUps.find(([from, to]) => from <= now && now < to);
    if (h) await this.clock.sleep(h[1] - now);
  }

  async consume(shop: string, req: ConsumeRequest): Promise<Result<ConsumeOk>> {
    const warm = this.idle > 0;
    if (warm) this.idle--;
    await this.clock.sleep(this.jitter() + (warm ? 0 : this.net.connectMs));
    await this.heldUp();
    const at = this.clock.now();
    this.arrivals.push(at);
    let answer: Result<ConsumeOk>;
    if (!this.limiter.admit('consume', at)) {
      this.refused.push(at);
      answer = err(gatewayError('transient', 202));
    } else {
      await this.clock.sleep(this.net.minServiceMs + this.rng.next() * (this.net.maxServiceMs - this.net.minServiceMs));
      await this.heldUp();
      const service = this.clock.now() - at;
      if (this.rng.next() < this.net.failShare) {
        answer = err(
          this.rng.next() < 0.5
            ? gatewayError('transient', 101)
            : appError('transient', 'http_status', { status: 502, sample: '' }),
        );
      } else {
        const left = this.queues.get(shop) ?? 0;
        const n = Math.min(left, req.quantity ?? 200);
        this.queues.set(shop, left - n);
        answer = ok({ ...batch(n, shop), ...(this.net.reportsMsec && { msec: Math.round(service) }) });
      }
    }
    await this.clock.sleep(this.jitter());
    this.idle++;
    return answer;
  }

  async remark(): Promise<Result<RemarkOk>> {
    return err(appError('internal', 'internal', { detail: 'not used' }));
  }

  left(): number {
    return [...this.queues.values()].reduce((a, b) => a + b, 0);
  }
}

const network = fc.oneof(
  // A gateway that reports its run time: any jitter, any cost of a new connection.
  fc.record({
    jitterMs: fc.integer({ min: 0, max: 200 }),
    connectMs: fc.integer({ min: 0, max: 400 }),
    minServiceMs: fc.integer({ min: 0, max: 1_500 }),
    maxServiceMs: fc.integer({ min: 0, max: 2_500 }),
    reportsMsec: fc.constant(true),
    failShare: fc.constantFrom(0, 0, 0.05, 0.3),
    holdMs: fc.constant(0),
    holdEveryMs: fc.constant(0),
  }),
  // One that does not: the fixed arrival margin covers what the way there may vary.
  fc.record({
    jitterMs: fc.integer({ min: 0, max: ARRIVAL_MARGIN_MS / 2 }),
    connectMs: fc.integer({ min: 0, max: ARRIVAL_MARGIN_MS / 2 }),
    minServiceMs: fc.integer({ min: 0, max: 1_500 }),
    maxServiceMs: fc.integer({ min: 0, max: 2_500 }),
    reportsMsec: fc.constant(false),
    failShare: fc.constantFrom(0, 0.05),
    holdMs: fc.constant(0),
    holdEveryMs: fc.constant(0),
  }),
);

describe('Scheduler properties', () => {
  it('the gateway never counts more than 10 calls in any 1,000 ms window', async () => {
    await fc.assert(
      fc.asyncProperty(
        network,
        fc.array(fc.integer({ min: 0, max: 6_000 }), { minLength: 1, maxLength: 4 }),
        fc.integer(),
        fc.constantFrom<PollMode>('realtime', 'balanced', 'saver'),
        async (net, backlogs, seed, mode) => {
          const model = { ...net, maxServiceMs: Math.max(net.minServiceMs, net.maxServiceMs) };
          const clock = new VirtualClock();
          const rng = createRng(seed);
          const shops = Object.fromEntries(backlogs.map((n, i) => [`s${i}`, n]));
          const gw = new NetworkGateway(clock, rng, model, shops);
          const sch = new Scheduler({
            gateway: gw,
            clock,
            random: rng.next,
            polling: { mode },
            onBatch: async () => undefined,
            onError: () => undefined,
          });
          sch.setShops(Object.keys(shops));
          sch.start();
          await clock.advance(2 * MIN);
          // Wake and resume start calls too.
          sch.suspend();
          await clock.advance(10 * SEC);
          sch.wake();
          await clock.advance(MIN);
          sch.pause();
          sch.resume();
          await clock.advance(MIN);
          const stopped = sch.stop();
          await clock.advance(MIN);
          await stopped;
          expect(maxInWindow(gw.arrivals), JSON.stringify(model)).toBeLessThanOrEqual(10);
          expect(gw.refused).toEqual([]);
          if (model.failShare === 0 && model.maxServiceMs <= 1_000) expect(gw.left()).toBe(0);
        },
      ),
      { numRuns: 60, seed: SEED },
    );
  }, 120_000);

  it('a gateway that answers within about a window, held up now and then, counts no more than 10 calls in any window', async () => {
    // A hold-up delays the count of the calls on their way meanwhile, and no answer before says by
    // how much: their own answers are waited for.
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          jitterMs: fc.integer({ min: 0, max: 200 }),
          connectMs: fc.integer({ min: 0, max: 400 }),
          // Any run times up to a window and half a mean spacing (the pacing then waits for answers).
          minServiceMs: fc.integer({ min: 0, max: 1_050 }),
          maxServiceMs: fc.integer({ min: 0, max: 1_050 }),
          reportsMsec: fc.constant(true),
          failShare: fc.constant(0),
          holdMs: fc.integer({ min: 50, max: 400 }),
          holdEveryMs: fc.integer({ min: 500, max: 5_000 }),
        }),
        fc.integer(),
        async (drawn, seed) => {
          const net = {
            ...drawn,
            minServiceMs: Math.min(drawn.minServiceMs, drawn.maxServiceMs),
            maxServiceMs: Math.max(drawn.minServiceMs, drawn.maxServiceMs),
          };
          const clock = new VirtualClock();
          const rng = createRng(seed);
          const gw = new NetworkGateway(clock, rng, net, { A: 200_000, B: 200_000 });
          const sch = new Scheduler({
            gateway: gw,
            clock,
            random: rng.next,
            onBatch: async () => undefined,
            onError: () => undefined,
          });
          sch.setShops(['A', 'B']);
          sch.start();
          await clock.advance(MIN);
          const stopped = sch.stop();
          await clock.advance(MIN);
          await stopped;
          expect(gw.arrivals.length).toBeGreaterThan(300);
          expect(maxInWindow(gw.arrivals), JSON.stringify(net)).toBeLessThanOrEqual(10);
        },
      ),
      { numRuns: 40, seed: SEED },
    );
  }, 120_000);

  it('a blip of at most five transient failures costs seconds: the waiting order is stored within a minute of health', async () => {
    const failure = fc.constantFrom<AppError>(
      gatewayError('transient', 202),
      gatewayError('transient', 101),
      appError('transient', 'http_status', { status: 502, sample: 'bad gateway' }),
      appError('network', 'connection_failed', { cause: 'reset', sys: 'ECONNRESET' }),
      appError('timeout', 'timed_out', { stage: 'headers', sys: 'UND_ERR_HEADERS_TIMEOUT' }),
      appError('bad_answer', 'unreadable_answer', { status: 200, sample: 'html page' }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ error: failure, answerMs: fc.integer({ min: 5, max: 8_000 }) }), { maxLength: 5 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 20 * MIN }),
        fc.constantFrom<PollMode>('realtime', 'balanced', 'saver'),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (failures, backlog, blipAt, mode, r) => {
          const clock = new VirtualClock();
          const start = VIRTUAL_EPOCH;
          // Before the blip the shop is idle (or draining a backlog, with lanes in flight).
          let queued = backlog ? 5_000 : 0;
          let healthyAt = Number.POSITIVE_INFINITY;
          let script = -1;
          const order = { at: start + blipAt, storedAt: Number.NaN };
          const callTimes: number[] = [];
          const failedAt: number[] = [];
          const gw: Gateway = {
            consume: async (_shop, req) => {
              callTimes.push(clock.now());
              const i = clock.now() >= order.at && script < failures.length ? ++script : failures.length;
              const f = failures[i];
              if (f) {
                await clock.sleep(f.answerMs);
                failedAt.push(clock.now());
                if (i === failures.length - 1) healthyAt = clock.now();
                return err(f.error);
              }
              await clock.sleep(300);
              const n = Math.min(queued, req.quantity ?? 200);
              queued -= n;
              const withOrder = clock.now() >= order.at && Number.isNaN(order.storedAt) && queued === 0 ? 1 : 0;
              const b = batch(n + withOrder);
              if (withOrder) b.messages[b.messages.length - 1]!.msgData = 'order';
              return ok(b);
            },
            remark: async () => err(appError('internal', 'internal', { detail: 'not used' })),
          };
          const sch = new Scheduler({
            gateway: gw,
            clock,
            random: () => r,
            polling: { mode },
            onBatch: async (_shop, b) => {
              if (b.messages.some((m) => m.msgData === 'order')) order.storedAt = clock.now();
            },
            onError: () => undefined,
          });
          sch.setShops(['A']);
          sch.start();
          await clock.runUntil(start + blipAt + 10 * MIN);
          const stopped = sch.stop();
          await clock.advance(10 * MIN);
          await stopped;
          expect(Number.isNaN(order.storedAt)).toBe(false);
          if (failures.length === 0) healthyAt = order.at;
          const waited = order.storedAt - Math.max(order.at, healthyAt);
          if (mode !== 'saver') expect(waited, JSON.stringify({ failures, mode })).toBeLessThanOrEqual(MIN);
          for (const f of failedAt) {
            const next = callTimes.find((t) => t >= f);
            if (next !== undefined) expect(next - f).toBeLessThanOrEqual(MAX_RETRY_MS);
          }
        },
      ),
      { numRuns: 300, seed: SEED },
    );
  }, 120_000);
});
