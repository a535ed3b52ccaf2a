/**
 * What a polling policy would cost a day at the current traffic: the status bar's "预计每日" and the
 * settings page's comparison of modes.
 *
 * The model walks the scheduler's own pauses (pauses.ts) over one gap between messages, taking
 * messages as evenly spaced, one shop and one hour of the day at a time (quiet hours and a shop's
 * learned dead hours poll at another ceiling than the rest of the day):
 * - no traffic: one call per ceiling (after the short doubling ladder, which a day hides);
 * - gaps longer than the partial pause: each message costs the call that fetches it plus the empty
 *   calls of the idle ladder in the gap before it;
 * - gaps shorter than the partial pause: one call per partial pause, each fetching what gathered,
 *   or full batches back to back once that exceeds the batch size (capped by the rate limit).
 * Real traffic is bursty (lunch, evening, a sale), which needs fewer calls than even spacing:
 * the projection errs on the side of cost. Every call is taken as billed, empty ones included.
 */
import {
  CONSUME_RATE_PER_SECOND,
  DEFAULT_QUANTITY,
  ceilingMs,
  clampQuantity,
  idlePauseMs,
  partialPauseMs,
  type PollPolicy,
} from './pauses';

/** The ceiling in force at each hour of the coming day. */
export type DayCeilings = readonly number[];

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface ProjectionInput {
  polling: PollPolicy;
  /** Recent messages an hour, one entry per enabled shop (see recentRatePerHour). */
  messagesPerHour: readonly number[];
  /** Observed 点券 per call; default 1 (the gateway's examples). */
  pointsPerCall?: number;
  quantity?: number;
  /** Per shop, the ceiling in force at each hour of the day; default the mode's all day. */
  ceilings?: readonly DayCeilings[];
}

export interface Projection {
  callsPerDay: number;
  pointsPerDay: number;
}

export function projectDailyCost(input: ProjectionInput): Projection {
  const quantity = clampQuantity(input.quantity ?? DEFAULT_QUANTITY);
  let calls = 0;
  input.messagesPerHour.forEach((rate, i) => {
    const hours = input.ceilings?.[i] ?? [ceilingMs(input.polling)];
    for (const ceiling of hours) calls += shopCallsPerDay(ceiling, Math.max(0, rate), quantity) / hours.length;
  });
  const callsPerDay = Math.round(calls);
  return { callsPerDay, pointsPerDay: Math.round(callsPerDay * (input.pointsPerCall ?? 1)) };
}

/** Calls a day with the ceiling in force all day. */
function shopCallsPerDay(ceiling: number, perHour: number, quantity: number): number {
  const messagesPerDay = (perHour * DAY_MS) / HOUR_MS;
  if (messagesPerDay === 0) return DAY_MS / ceiling;
  const gap = DAY_MS / messagesPerDay;
  const partial = partialPauseMs(ceiling);
  if (gap >= partial) return messagesPerDay * callsPerGap(ceiling, gap);
  const perCall = partial / gap;
  const calls = perCall <= quantity ? DAY_MS / partial : messagesPerDay / quantity;
  return Math.min(calls, (DAY_MS / 1000) * CONSUME_RATE_PER_SECOND);
}

/** Calls from one fetched message to the call that fetches the next, `gap` ms later. */
function callsPerGap(ceiling: number, gap: number): number {
  let t = partialPauseMs(ceiling);
  let calls = 1;
  for (let streak = 1; t < gap; streak++) {
    calls++;
    t += idlePauseMs(ceiling, streak);
    // Past the ladder every pause is the ceiling: count the rest at once.
    if (idlePauseMs(ceiling, streak) === ceiling) {
      calls += Math.max(0, Math.ceil((gap - t) / ceiling));
      break;
    }
  }
  return calls;
}

/**
 * Messages an hour from recent arrivals, given as (time, count) pairs: the busier of the last
 * hour and the last day's hourly average, so a quiet moment after a busy day does not promise a
 * cheap tomorrow.
 */
export function recentRatePerHour(arrivals: Iterable<readonly [at: number, count: number]>, now: number): number {
  let lastHour = 0;
  let lastDay = 0;
  for (const [t, count] of arrivals) {
    if (t > now) continue;
    if (now - t < HOUR_MS) lastHour += count;
    if (now - t < DAY_MS) lastDay += count;
  }
  return Math.max(lastHour, lastDay / 24);
}
