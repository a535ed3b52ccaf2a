/**
 * When to call the consume endpoint again: pure functions of the poll ceiling in force, the last
 * answer and the error kinds, shared by the scheduler and the cost projection so both tell the same
 * story.
 *
 * Every call costs money and an empty answer is assumed to be billed, so the pauses trade latency
 * for cost:
 * - a full batch means the queue holds more: call again at once, on as many lanes as the answer
 *   time needs to start a call at every slot of the rate (the scheduler's pacing keeps that within
 *   the gateway's limit as the gateway counts);
 * - a partial batch means the queue was just drained: a short pause lets a few new messages
 *   gather, so the next call is not almost surely empty;
 * - an empty answer doubles the pause from 1 s up to the ceiling, so a quiet shop costs about one
 *   call per ceiling while a new order after a lull is still seen soon after the first poll that
 *   follows it.
 *
 * The ceiling in force is the mode's, except in the seller's quiet hours (at least saver's: the
 * notifications wait for the morning anyway) and, in balanced mode, in the hours a shop's own
 * history shows as dead (rhythm.ts).
 */
import { gatewayCodeOf, STOPPING_KINDS, type AppError, type ErrorKind } from '../../../shared/errors';
import { MAX_CUSTOM_CEILING_MS, MAX_QUANTITY, MIN_CUSTOM_CEILING_MS, MIN_QUANTITY } from '../../../shared/limits';
import { POLL_CEILINGS_MS, type PollMode } from '../../../shared/settings';

export interface PollPolicy {
  mode: PollMode;
  /** Only for `custom`. */
  customCeilingMs?: number;
}

/** The gateway's documented limit: 10 calls a second per endpoint, counted as calls reach it. */
export const CONSUME_RATE_PER_SECOND = 10;
export const GATEWAY_WINDOW_MS = 1_000;

/**
 * How late a call may reach the gateway after it starts, while nothing better is known (see
 * pacing.ts): the scheduler then paces its starts in a window this much longer than the gateway's.
 */
export const ARRIVAL_MARGIN_MS = 50;

/**
 * The most the gateway gives per call, always: a call costs the same whatever it carries, so the
 * larger the batch, the faster and cheaper a backlog drains. While idle an answer carries what came
 * in since the last call, far fewer, so a smaller request would change nothing there. What it means
 * for a kill mid-drain: docs/reliability.md.
 */
export const DEFAULT_QUANTITY = MAX_QUANTITY;

/** First idle pause; doubles per empty answer. */
const IDLE_START_MS = 1_000;
/** The gateway page asks for at least 100 ms after an empty answer; we never go below that. */
const MIN_PAUSE_MS = 100;

export function clampQuantity(q: number): number {
  return Math.min(MAX_QUANTITY, Math.max(MIN_QUANTITY, Math.round(q)));
}

/** The mode's own ceiling of the idle pause. */
export function ceilingMs(p: PollPolicy): number {
  if (p.mode !== 'custom') return POLL_CEILINGS_MS[p.mode];
  const c = p.customCeilingMs ?? POLL_CEILINGS_MS.balanced;
  if (!Number.isFinite(c)) return POLL_CEILINGS_MS.balanced;
  return Math.min(MAX_CUSTOM_CEILING_MS, Math.max(MIN_CUSTOM_CEILING_MS, c));
}

export interface CeilingContext {
  /** Within the seller's quiet hours. */
  quiet?: boolean;
  /** What the shop's history asks for at this hour (rhythm.ts); applies to balanced mode. */
  learnedMs?: number;
}

/**
 * The ceiling in force. Quiet hours never make polling faster than the mode would (a custom
 * ceiling above saver's stays); a learned ceiling replaces balanced's own, within saver's.
 */
export function ceilingInForce(p: PollPolicy, at: CeilingContext = {}): number {
  let c = ceilingMs(p);
  if (p.mode === 'balanced' && at.learnedMs !== undefined && Number.isFinite(at.learnedMs))
    c = Math.min(POLL_CEILINGS_MS.saver, Math.max(MIN_CUSTOM_CEILING_MS, at.learnedMs));
  if (at.quiet) c = Math.max(c, POLL_CEILINGS_MS.saver);
  return c;
}

/** A policy stands for its own ceiling; a number is the ceiling in force. */
type Ceiling = PollPolicy | number;
const ceilingOf = (c: Ceiling): number => (typeof c === 'number' ? c : ceilingMs(c));

/** After a partial batch: a quarter of the ceiling, at most 1 s (realtime: 500 ms). */
export function partialPauseMs(c: Ceiling): number {
  return Math.max(MIN_PAUSE_MS, Math.min(IDLE_START_MS, ceilingOf(c) / 4));
}

/** After the `emptyStreak`-th empty answer in a row (1 for the first): 1 s, 2 s, 4 s... up to the ceiling. */
export function idlePauseMs(c: Ceiling, emptyStreak: number): number {
  const ceiling = ceilingOf(c);
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

/**
 * No error that heals by itself pushes the next call further than this: an order paid during a
 * blip must not wait minutes for it. Only the stopping kinds wait longer (for the user).
 */
export const MAX_RETRY_MS = 60_000;

/** Network trouble and busy answers heal within seconds: the first retry, doubling from there
 * up to the mode's ceiling (a retry never waits longer than an idle poll would). */
const FAST_BASE_MS = 5_000;
/** Code 200 ("system error, contact support"), codes no page lists, our own faults: slower. */
const SLOW_BASE_MS = 30_000;
/** Jitter on top of each step, as a share of it: spreads many shops' and many users' retries
 * after an outage. */
const JITTER_SHARE = 0.25;

/**
 * Code 202 is the gateway's "busy, try later", and also its answer to an 11th call within its
 * second. The first ones in a row mean "slow down": retry after one window of the limit. Only
 * when they go on is the gateway in trouble, and the normal back-off takes over from its first
 * step.
 */
const BUSY_RETRIES = 2;
const BUSY_RETRY_MS = 1_000;

/** Errors that stop one shop: 302, and 100/103, which fail the same way on every repeat. Every
 * other kind in STOPPING_KINDS (401, 204, 203, 404) concerns the token, the account or the
 * endpoint, so it stops every shop. */
const STOP_SHOP = new Set<ErrorKind>(['shop_unauthorized', 'bad_request', 'validation']);
const FAST = new Set<ErrorKind>(['transient', 'timeout', 'network', 'bad_answer', 'http']);

/**
 * What to do after the `attempt`-th failure in a row (1 for the first; calls that failed together
 * count once, see ShopPoller.failed).
 *
 * A 202 among the first BUSY_RETRIES failures in a row is retried after BUSY_RETRY_MS, lanes kept.
 * Otherwise the step doubles from its kind's base up to a cap: for network trouble and busy
 * answers the mode's ceiling, so realtime and balanced retry within seconds; for the slow kinds
 * MAX_RETRY_MS. Jitter goes on top, and nothing goes past MAX_RETRY_MS. No draw of the random
 * source can turn an error into a fast loop: the step is the floor.
 */
export function planForError(
  error: AppError,
  attempt: number,
  random: () => number,
  policy: PollPolicy = { mode: 'balanced' },
): ErrorPlan {
  if (STOP_SHOP.has(error.kind)) return { action: 'stop', scope: 'shop' };
  if (STOPPING_KINDS.has(error.kind)) return { action: 'stop', scope: 'all' };
  let n = Math.max(1, Math.floor(attempt));
  if (error.kind === 'transient' && gatewayCodeOf(error) === 202) {
    if (n <= BUSY_RETRIES) return { action: 'retry', delayMs: BUSY_RETRY_MS, keepLanes: true };
    n -= BUSY_RETRIES;
  }
  const fast = FAST.has(error.kind);
  const cap = fast ? Math.min(MAX_RETRY_MS, ceilingMs(policy)) : MAX_RETRY_MS;
  const base = Math.min(cap, fast ? FAST_BASE_MS : SLOW_BASE_MS);
  const step = Math.min(cap, base * 2 ** Math.min(n - 1, 30));
  const r = Math.min(1, Math.max(0, random()));
  return { action: 'retry', delayMs: Math.round(Math.min(MAX_RETRY_MS, step * (1 + JITTER_SHARE * r))) };
}

/** Waits between attempts to store a batch the disk refused: a freed disk is seen within
 * seconds, a full one is not hammered. */
const SAVE_RETRY_BASE_MS = 1_000;
const SAVE_RETRY_CAP_MS = 30_000;

/** Before the `attempt`-th retry of a refused save (1 for the first). */
export function saveRetryMs(attempt: number): number {
  return Math.min(SAVE_RETRY_CAP_MS, SAVE_RETRY_BASE_MS * 2 ** Math.min(Math.max(1, attempt) - 1, 30));
}
