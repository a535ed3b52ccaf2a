/**
 * When to call the consume endpoint again: pure functions of the polling mode, the last answer and
 * the error kinds, shared by the scheduler and the cost projection so both tell the same story.
 *
 * Every call costs money (about 1 点券) and an empty answer is assumed to be billed, so the pauses
 * trade latency for cost:
 * - a full batch means the queue holds more: call again at once, on as many lanes as the answer
 *   time needs to start a call at every slot of the rate (the scheduler's pacing and the gateway's
 *   RateBudget keep that at or under 10 calls a second);
 * - a partial batch means the queue was just drained: a short pause lets a few new messages
 *   gather, so the next call is not almost surely empty;
 * - an empty answer doubles the pause from 1 s up to the mode's ceiling, so a quiet shop costs
 *   about one call per ceiling (balanced: 8,640 calls a day) while a new order after a lull is
 *   still seen within a second or two of the first poll that follows it.
 */
import { STOPPING_KINDS, type AppError, type ErrorKind } from '../../../shared/errors';
import { POLL_CEILINGS_MS, type PollMode } from '../../../shared/settings';
import { MAX_CUSTOM_CEILING_MS, MAX_QUANTITY, MIN_CUSTOM_CEILING_MS, MIN_QUANTITY } from '../../../shared/limits';

export interface PollPolicy {
  mode: PollMode;
  /** Only for `custom`. */
  customCeilingMs?: number;
}

/** The gateway's documented limit: 10 calls a second per endpoint. */
export const CONSUME_RATE_PER_SECOND = 10;

/**
 * The gateway counts calls on arrival, by its own clock: two calls sent exactly a second apart can
 * arrive a few milliseconds less than a second apart, and the later one is refused (202). So the
 * scheduler counts its starts in a window a little longer than the gateway's second.
 */
export const ARRIVAL_MARGIN_MS = 50;
export const PACING_WINDOW_MS = 1_000 + ARRIVAL_MARGIN_MS;

export const DEFAULT_QUANTITY = 100;

/** First idle pause; doubles per empty answer. */
const IDLE_START_MS = 1_000;
/** The gateway page asks for at least 100 ms after an empty answer; we never go below that. */
const MIN_PAUSE_MS = 100;

export function clampQuantity(q: number): number {
  return Math.min(MAX_QUANTITY, Math.max(MIN_QUANTITY, Math.round(q)));
}

export function ceilingMs(p: PollPolicy): number {
  if (p.mode !== 'custom') return POLL_CEILINGS_MS[p.mode];
  const c = p.customCeilingMs ?? POLL_CEILINGS_MS.balanced;
  if (!Number.isFinite(c)) return POLL_CEILINGS_MS.balanced;
  return Math.min(MAX_CUSTOM_CEILING_MS, Math.max(MIN_CUSTOM_CEILING_MS, c));
}

/** After a partial batch: a quarter of the ceiling, at most 1 s (realtime: 500 ms). */
export function partialPauseMs(p: PollPolicy): number {
  return Math.max(MIN_PAUSE_MS, Math.min(IDLE_START_MS, ceilingMs(p) / 4));
}

/** After the `emptyStreak`-th empty answer in a row (1 for the first): 1 s, 2 s, 4 s... up to the ceiling. */
export function idlePauseMs(p: PollPolicy, emptyStreak: number): number {
  const ceiling = ceilingMs(p);
  const n = Math.max(1, Math.floor(emptyStreak));
  // 2^30 s is far past any ceiling: stop doubling before the number does anything odd.
  const grown = IDLE_START_MS * 2 ** Math.min(n - 1, 30);
  return Math.max(MIN_PAUSE_MS, Math.min(ceiling, grown));
}

/** Lanes beyond what the answer time needs: a lane's turn also waits for its start slot. */
const LANE_HEADROOM = 2;

/**
 * Calls a shop draining a backlog keeps in flight: enough to start one every `startSpacingMs` (the
 * rate) while each takes `turnaroundMs` from its start to its batch stored, plus a little headroom.
 * Fewer leave slots of the rate unused; more only add empty (billed) calls at the end of the drain.
 */
export function drainLanes(turnaroundMs: number, startSpacingMs: number, max: number): number {
  const needed = Math.ceil(Math.max(0, turnaroundMs) / Math.max(1, startSpacingMs)) + LANE_HEADROOM;
  return Math.max(1, Math.min(max, needed));
}

export type ErrorPlan =
  /** `keepLanes`: the gateway is busy, not broken; the shop's other calls go on. */
  | { action: 'retry'; delayMs: number; keepLanes?: boolean }
  /** `all`: the cause is the token, the account or the endpoint, so every shop stops. */
  | { action: 'stop'; scope: 'all' | 'shop' };

interface Backoff {
  baseMs: number;
  capMs: number;
}

/** Network trouble and busy answers heal within seconds to minutes. */
const FAST_BACKOFF: Backoff = { baseMs: 5_000, capMs: 300_000 };
/** Code 200 ("system error, contact support") and codes no page lists: retry, but rarely. */
const SLOW_BACKOFF: Backoff = { baseMs: 30_000, capMs: 1_800_000 };

/**
 * Code 202 is the gateway's "busy, try later", and also its answer to an 11th call within its
 * second, which arrival jitter can cause now and then even when our calls are paced. The first
 * ones in a row mean "slow down": retry after one window of the limit. Only when they go on is the
 * gateway in trouble, and the normal back-off takes over from its first step.
 */
const BUSY_RETRIES = 2;
const BUSY_RETRY_MS = 1_000;

/** Errors that stop one shop: 302, and 100/103, which fail the same way on every repeat. Every
 * other kind in STOPPING_KINDS (401, 204, 203, 404) concerns the token, the account or the
 * endpoint, so it stops every shop. */
const STOP_SHOP = new Set<ErrorKind>(['shop_unauthorized', 'bad_request', 'validation']);
const FAST = new Set<ErrorKind>(['transient', 'timeout', 'network', 'bad_answer', 'http']);

/**
 * What to do after the `attempt`-th failure in a row (1 for the first).
 *
 * A 202 among the first BUSY_RETRIES failures in a row is retried after BUSY_RETRY_MS, lanes kept.
 * Retries use full jitter above a floor: the delay is uniform between the base and the exponential
 * ceiling min(cap, base·2^(attempt-1)). Jitter spreads the retries of many shops (and many users
 * behind one gateway) after an outage; the floor means no draw of the random source can turn an
 * error into a fast loop.
 */
export function planForError(error: AppError, attempt: number, random: () => number): ErrorPlan {
  if (STOP_SHOP.has(error.kind)) return { action: 'stop', scope: 'shop' };
  if (STOPPING_KINDS.has(error.kind)) return { action: 'stop', scope: 'all' };
  let n = Math.max(1, Math.floor(attempt));
  if (error.kind === 'transient' && error.code === 202) {
    if (n <= BUSY_RETRIES) return { action: 'retry', delayMs: BUSY_RETRY_MS, keepLanes: true };
    n -= BUSY_RETRIES;
  }
  const b = FAST.has(error.kind) ? FAST_BACKOFF : SLOW_BACKOFF;
  const upper = Math.min(b.capMs, b.baseMs * 2 ** Math.min(n - 1, 30));
  const r = Math.min(1, Math.max(0, random()));
  return { action: 'retry', delayMs: Math.round(b.baseMs + r * (upper - b.baseMs)) };
}
