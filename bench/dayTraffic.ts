/**
 * A shop's day of consume traffic for B1, from the simulator's order model: orders start on a
 * day curve (quiet night, a lunch rise, a busy evening) and unfold into their TMC messages, and
 * a sale drops a burst of TradeCreate messages into one minute. Duplicates come from the model's
 * at-least-once redelivery (2 %). Seeded: the same options give the same day on every machine.
 */
import { createRng, planTraffic, TOPIC, type Rng, type TimedMessage } from '../src/simulator';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Relative order starts per China-time hour, 00:00 to 23:00. */
export const HOURLY_WEIGHTS: readonly number[] = [
  0.6, 0.3, 0.2, 0.1, 0.1, 0.2, 0.4, 0.8, 1.5, 2.5, 3.5, 3.5, 3, 3.5, 4, 4, 4, 3.5, 4, 5, 7, 8, 6, 3,
];

export interface DayPlanOptions {
  seed: number;
  shop: string;
  /** China midnight of the day, epoch ms. */
  dayStart: number;
  /** The part of the day that is simulated, ms after midnight: [fromMs, toMs). Default the whole day. */
  fromMs?: number;
  toMs?: number;
  /** First deliveries in the window, burst included; redeliveries come on top. */
  messages: number;
  /** Messages of the burst, within `burstSpanMs` from `burstAtMs` (default 20:00). */
  burst: number;
  burstAtMs?: number;
  burstSpanMs?: number;
}

export interface DayPlan {
  /** Every delivery, redeliveries included, in time order. */
  deliveries: TimedMessage[];
  /** Distinct TMC message ids. */
  unique: number;
  /** Deliveries of an id already delivered. */
  redeliveries: number;
}

/** A start time in [from, to) drawn from the hourly curve. */
function curveTime(rng: Rng, dayStart: number, from: number, to: number): number {
  const spans: { start: number; end: number; weight: number }[] = [];
  for (let h = 0; h < 24; h++) {
    const start = Math.max(from, h * HOUR_MS);
    const end = Math.min(to, (h + 1) * HOUR_MS);
    if (end > start) spans.push({ start, end, weight: (HOURLY_WEIGHTS[h] ?? 0) * (end - start) });
  }
  const total = spans.reduce((s, x) => s + x.weight, 0);
  let r = rng.next() * total;
  for (const s of spans) {
    if (r < s.weight) return dayStart + s.start + ((s.end - s.start) * r) / s.weight;
    r -= s.weight;
  }
  const last = spans[spans.length - 1]!;
  return dayStart + last.start;
}

/**
 * Adds one order's deliveries inside [.., end) until `ids` holds `limit` distinct ids: a message
 * cut off by the limit is dropped together with its redelivery.
 */
function addOrder(out: TimedMessage[], ids: Set<string>, order: TimedMessage[], end: number, limit: number): void {
  for (const d of order) {
    if (d.at >= end) continue;
    if (!ids.has(d.message.id)) {
      if (ids.size >= limit) continue;
      ids.add(d.message.id);
    }
    out.push(d);
  }
}

export function planDay(opts: DayPlanOptions): DayPlan {
  const rng = createRng(opts.seed);
  const from = opts.fromMs ?? 0;
  const to = opts.toMs ?? DAY_MS;
  const end = opts.dayStart + to;
  const burstAt = opts.dayStart + (opts.burstAtMs ?? 20 * HOUR_MS);
  const burstSpan = opts.burstSpanMs ?? MINUTE_MS;
  const burst = burstAt >= opts.dayStart + from && burstAt + burstSpan <= end ? Math.min(opts.burst, opts.messages) : 0;
  const deliveries: TimedMessage[] = [];

  const burstIds = new Set<string>();
  // A sale: the orders of its first minute, each TradeCreate sent once per sub-order.
  for (let guard = 0; burstIds.size < burst && guard < burst * 10; guard++) {
    const start = burstAt + Math.floor(rng.next() * burstSpan);
    addOrder(deliveries, burstIds, planTraffic(rng, opts.shop, 1, start, { topics: [TOPIC.create] }), end, burst);
  }
  const curveIds = new Set<string>();
  const curve = opts.messages - burstIds.size;
  for (let guard = 0; curveIds.size < curve && guard < curve * 10; guard++) {
    const start = Math.floor(curveTime(rng, opts.dayStart, from, to));
    addOrder(deliveries, curveIds, planTraffic(rng, opts.shop, 1, start), end, curve);
  }
  deliveries.sort((a, b) => a.at - b.at);
  const unique = burstIds.size + curveIds.size;
  return { deliveries, unique, redeliveries: deliveries.length - unique };
}
