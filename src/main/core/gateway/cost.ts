/**
 * What the gateway has billed: calls and 点券 (1 点券 = ¥0.01) per endpoint and per shop, for the
 * current China calendar day and in total. The app persists `toJSON()` and restores with `from()`.
 *
 * The meter records what the gateway reports (`withholding_money`), nothing it guesses: an answer
 * without it counts as a call of 0 点券. The API notes assume an empty consume is billed too; if it
 * is, the gateway's own figure says so.
 */
import { chinaDay, systemClock, type Clock } from '../clock';
import { asRecord } from './shape';

export interface Tally {
  calls: number;
  points: number;
}

export interface CostPeriod {
  all: Tally;
  byEndpoint: Record<string, Tally>;
  byShop: Record<string, Tally>;
}

export interface CostReport {
  /** China calendar day `yyyy-MM-dd` that `today` covers. */
  day: string;
  today: CostPeriod;
  total: CostPeriod;
}

/** Serialised with plain objects; kept in Maps so a shop named `__proto__` stays a shop. */
export interface CostMeterState {
  version: 1;
  day: string;
  today: { byEndpoint: Record<string, Tally>; byShop: Record<string, Tally> };
  total: { byEndpoint: Record<string, Tally>; byShop: Record<string, Tally> };
}

interface Period {
  byEndpoint: Map<string, Tally>;
  byShop: Map<string, Tally>;
}

const emptyPeriod = (): Period => ({ byEndpoint: new Map(), byShop: new Map() });

/** One billed call, as another process (a `cli remark` beside the folder's writer) hands it over. */
export interface BilledCall {
  endpoint: string;
  shop: string;
  points: number;
  /** When it was billed: it counts for today only if that is the meter's China day. */
  at: number;
}

export function isBilledCall(v: unknown): v is BilledCall {
  const c = asRecord(v);
  return (
    typeof c?.endpoint === 'string' &&
    typeof c.shop === 'string' &&
    typeof c.points === 'number' &&
    Number.isFinite(c.points) &&
    c.points >= 0 &&
    typeof c.at === 'number' &&
    Number.isFinite(c.at)
  );
}

export class CostMeter {
  private day: string;
  private today: Period;
  private total: Period;
  private readonly listeners: ((call: BilledCall) => void)[] = [];

  constructor(private readonly clock: Clock = systemClock) {
    this.day = chinaDay(clock.now());
    this.today = emptyPeriod();
    this.total = emptyPeriod();
  }

  /** Restores a saved state; anything unreadable in it is dropped rather than trusted. */
  static from(json: unknown, clock: Clock = systemClock): CostMeter {
    const meter = new CostMeter(clock);
    const o = asRecord(json);
    if (typeof o?.day === 'string') meter.day = o.day;
    meter.today = readPeriod(o?.today);
    meter.total = readPeriod(o?.total);
    return meter;
  }

  record(endpoint: string, shop: string, points: number): void {
    const p = Number.isFinite(points) && points > 0 ? points : 0;
    this.rollDay();
    for (const period of [this.today, this.total]) {
      add(period.byEndpoint, endpoint, p);
      add(period.byShop, shop, p);
    }
    for (const listener of this.listeners) listener({ endpoint, shop, points: p, at: this.clock.now() });
  }

  /** Calls billed elsewhere (another process's), each counted for today only if billed today. */
  addBilled(calls: readonly BilledCall[]): void {
    this.rollDay();
    for (const c of calls) {
      const periods = chinaDay(c.at) === this.day ? [this.today, this.total] : [this.total];
      for (const period of periods) {
        add(period.byEndpoint, c.endpoint, c.points);
        add(period.byShop, c.shop, c.points);
      }
    }
  }

  /** Hears every call recorded from now on. */
  onRecord(listener: (call: BilledCall) => void): void {
    this.listeners.push(listener);
  }

  summary(): CostReport {
    this.rollDay();
    return { day: this.day, today: report(this.today), total: report(this.total) };
  }

  toJSON(): CostMeterState {
    this.rollDay();
    return { version: 1, day: this.day, today: serialise(this.today), total: serialise(this.total) };
  }

  private rollDay(): void {
    const day = chinaDay(this.clock.now());
    if (day === this.day) return;
    this.day = day;
    this.today = emptyPeriod();
  }
}

function add(map: Map<string, Tally>, key: string, points: number): void {
  const t = map.get(key) ?? { calls: 0, points: 0 };
  map.set(key, { calls: t.calls + 1, points: t.points + points });
}

const toRecord = (map: Map<string, Tally>): Record<string, Tally> =>
  Object.fromEntries([...map].map(([k, t]) => [k, { ...t }]));

function serialise(period: Period): CostMeterState['today'] {
  return { byEndpoint: toRecord(period.byEndpoint), byShop: toRecord(period.byShop) };
}

function report(period: Period): CostPeriod {
  const all: Tally = { calls: 0, points: 0 };
  for (const t of period.byEndpoint.values()) {
    all.calls += t.calls;
    all.points += t.points;
  }
  return { all, ...serialise(period) };
}

function readTallies(v: unknown): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const [key, t] of Object.entries(asRecord(v) ?? {})) {
    const r = asRecord(t);
    const calls = Number(r?.calls);
    const points = Number(r?.points);
    if (Number.isFinite(calls) && calls >= 0 && Number.isFinite(points) && points >= 0) out.set(key, { calls, points });
  }
  return out;
}

function readPeriod(v: unknown): Period {
  const o = asRecord(v);
  return { byEndpoint: readTallies(o?.byEndpoint), byShop: readTallies(o?.byShop) };
}
