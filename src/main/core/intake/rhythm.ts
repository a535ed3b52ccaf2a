/**
 * Each shop's rhythm: its messages by hour of the week, learned from what the inbox holds and
 * from every message stored since, so that balanced mode can poll less where the shop's own
 * history shows no orders.
 *
 * Messages come as a Poisson process whose rate depends on the hour of the week. The rate of an
 * hour is estimated from its count and from how often that hour was watched, shrunk toward the
 * same hour of the day over the whole week (one week gives each hour of the week one sample; the
 * hour of the day has seven), which is shrunk in turn toward the shop's mean rate.
 *
 * What is done with it is deliberately simple, so the settings page can say it in a sentence:
 * the quietest hours of the week which together bring no more than DEAD_SHARE of the shop's
 * messages are "dead hours", polled at saver's ceiling; every other hour keeps balanced's. Only
 * that share of messages can wait longer than balanced would let them, so a latency percentile
 * beyond it stays where it was, while the nights, which cost as many idle calls as the busiest
 * hours, cost a fraction of them (the figures: docs/benchmarks.md, B1).
 */
import type { ShopId } from '../../../shared/domain';
import { CHINA_OFFSET_MS } from '../../../shared/time';
import { POLL_CEILINGS_MS } from '../../../shared/settings';

const HOUR_MS = 3_600_000;
const DAY_HOURS = 24;
export const WEEK_HOURS = 7 * DAY_HOURS;

/** The share of a shop's messages its dead hours may hold together. */
export const DEAD_SHARE = 0.02;
/** History needed before anything is learned: every hour of the week watched once. */
export const MIN_HISTORY_MS = 7 * DAY_HOURS * HOUR_MS;
/** Weight, in watched hours, of the broader estimate each narrower one is shrunk toward. */
const SHRINK_HOURS = 2;

/** The hour of the week in China time, 0 = Monday 00:00. */
export function hourOfWeek(at: number): number {
  const hours = Math.floor((at + CHINA_OFFSET_MS) / HOUR_MS);
  // 1970-01-01 was a Thursday: hour 0 of the epoch is hour 72 of its week.
  return (((hours + 3 * DAY_HOURS) % WEEK_HOURS) + WEEK_HOURS) % WEEK_HOURS;
}

export interface HourRhythm {
  /** Estimated messages an hour at this hour of the week. */
  ratePerHour: number;
  /** One of the quietest hours, polled at saver's ceiling. */
  dead: boolean;
}

class ShopHistory {
  readonly counts = new Float64Array(WEEK_HOURS);
  first = Number.POSITIVE_INFINITY;
  /** The learned hours, for the hour they were worked out in. */
  cached?: { hour: number; hours: HourRhythm[] };

  add(at: number): void {
    this.counts[hourOfWeek(at)]!++;
    this.first = Math.min(this.first, at);
    this.cached = undefined;
  }

  /** How many times each hour of the week was watched between the first message and now. */
  exposure(now: number): Float64Array {
    const watched = new Float64Array(WEEK_HOURS);
    const hours = Math.max(0, Math.floor((now - this.first) / HOUR_MS));
    const full = Math.floor(hours / WEEK_HOURS);
    watched.fill(full);
    const start = hourOfWeek(this.first);
    for (let i = 0; i < hours % WEEK_HOURS; i++) watched[(start + i) % WEEK_HOURS]!++;
    return watched;
  }

  learn(now: number): HourRhythm[] | undefined {
    if (!(now - this.first >= MIN_HISTORY_MS)) return undefined;
    const hour = Math.floor(now / HOUR_MS);
    if (this.cached?.hour === hour) return this.cached.hours;
    const watched = this.exposure(now);
    let total = 0;
    let totalWatched = 0;
    for (let h = 0; h < WEEK_HOURS; h++) [total, totalWatched] = [total + this.counts[h]!, totalWatched + watched[h]!];
    if (total === 0 || totalWatched === 0) return undefined;
    const mean = total / totalWatched;
    const ofDay: number[] = [];
    for (let d = 0; d < DAY_HOURS; d++) {
      let n = 0;
      let e = 0;
      for (let w = d; w < WEEK_HOURS; w += DAY_HOURS) [n, e] = [n + this.counts[w]!, e + watched[w]!];
      ofDay.push((n + SHRINK_HOURS * mean) / (e + SHRINK_HOURS));
    }
    const rates = Array.from(
      { length: WEEK_HOURS },
      (_, h) => (this.counts[h]! + SHRINK_HOURS * ofDay[h % DAY_HOURS]!) / (watched[h]! + SHRINK_HOURS),
    );
    const sum = rates.reduce((a, b) => a + b, 0);
    const quietestFirst = rates.map((_, h) => h).sort((a, b) => rates[a]! - rates[b]! || a - b);
    const dead = new Set<number>();
    let share = 0;
    for (const h of quietestFirst) {
      share += rates[h]! / sum;
      if (share > DEAD_SHARE) break;
      dead.add(h);
    }
    const hours = rates.map((ratePerHour, h) => ({ ratePerHour, dead: dead.has(h) }));
    this.cached = { hour, hours };
    return hours;
  }
}

export class Rhythm {
  private readonly shops = new Map<ShopId, ShopHistory>();

  /** A message of `shop` published at `at`. */
  add(shop: ShopId, at: number): void {
    if (!Number.isFinite(at)) return;
    let h = this.shops.get(shop);
    if (!h) this.shops.set(shop, (h = new ShopHistory()));
    h.add(at);
  }

  /** The shop at the hour of `now`, once it has a week of history. */
  at(shop: ShopId, now: number): HourRhythm | undefined {
    return this.shops.get(shop)?.learn(now)?.[hourOfWeek(now)];
  }

  /** The ceiling balanced mode polls `shop` at, at `now`, when its history says other than balanced's own. */
  readonly ceilingMs = (shop: ShopId, now: number): number | undefined =>
    this.at(shop, now)?.dead ? POLL_CEILINGS_MS.saver : undefined;
}
