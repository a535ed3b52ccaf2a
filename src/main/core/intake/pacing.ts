/**
 * The pacing of call starts over all shops, so that the gateway, which counts calls as they reach
 * it by its own clock, never sees more than its limit in any window.
 *
 * A call reaches the gateway some time after it starts: a connection may have to be opened first
 * (a name looked up, a handshake), then the network, then the gateway's own front. What breaks the
 * limit is how much that time varies: a call that was slow to arrive and one, started a window
 * later, that was quick land less than a window apart. So each start is kept with the latest it
 * can have reached the gateway, and a new call may start only when fewer than `limit` of the calls
 * kept could still arrive within a window before it:
 * - once a call's answer is in, its time to the answer less the gateway's own run time (the
 *   envelope's `msec`) bounds its way there: the way there and back, of which the way there is a
 *   part. Without `msec`, the whole time to the answer does;
 * - before that, an estimate from the answers of the last minutes: the largest bound among them
 *   (a few of the largest, so one late wake-up of this process is not mistaken for the network;
 *   new connections show here, since they come in groups) plus the spread of the latest bounds
 *   (how much one call may differ from the next);
 * - while too few answers are known for that (at start, after a long quiet), a call counts as
 *   arriving at any time until its answer says when: the first round after a single call waits
 *   for the answers of that round, no longer than the answer time it would wait anyway.
 * The limit then costs the variation the network really shows, instead of one margin sized for
 * the worst network; where the gateway does not say its run time, ARRIVAL_MARGIN_MS is the bound.
 */
import { ARRIVAL_MARGIN_MS } from './pauses';

export interface PacedStart {
  readonly at: number;
  /** The latest, after `at`, the call can have reached the gateway (Infinity: unknown yet). */
  lateMs: number;
}

/** How long measured bounds count toward the largest. */
const LONG_MEMORY_MS = 10 * 60_000;
const LONG_MEMORY_MAX = 600;
/** The largest bound is taken as the third largest: a single outlier is this process, not the way. */
const LARGEST_RANK = 3;
/** The latest bounds, whose spread is added. */
const RECENT = 20;
/** Bounds needed before the estimate is trusted. */
const TRUSTED_AFTER = 10;
/** Below this a bound is rounding: the gateway's `msec` is whole milliseconds. */
const MIN_LATE_MS = 5;

interface Bound {
  at: number;
  lateMs: number;
}

export class ArrivalPacing {
  private starts: PacedStart[] = [];
  private bounds: Bound[] = [];
  /** estimateMs() as of the last change to the bounds. */
  private estimate?: number;
  /** The gateway left out its run time at least once: the fixed margin then stands in for it. */
  private unreported = false;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    /** The least time between two starts, whatever the window allows. */
    private readonly minGapMs = 0,
  ) {}

  /** The bound a call started at `now` is given until its answer tells better. */
  estimateMs(now: number): number {
    this.forgetBounds(now);
    this.estimate ??= this.workOutEstimate();
    return this.estimate;
  }

  private workOutEstimate(): number {
    if (this.bounds.length < TRUSTED_AFTER) return this.unreported ? ARRIVAL_MARGIN_MS : Number.POSITIVE_INFINITY;
    const top: number[] = [];
    for (const b of this.bounds) {
      if (top.length < LARGEST_RANK) top.push(b.lateMs);
      else if (b.lateMs > top[LARGEST_RANK - 1]!) top[LARGEST_RANK - 1] = b.lateMs;
      else continue;
      top.sort((x, y) => y - x);
    }
    const recent = this.bounds.slice(-RECENT).map((b) => b.lateMs);
    const spread = Math.max(...recent) - Math.min(...recent);
    return Math.max(MIN_LATE_MS, top[top.length - 1]! + spread);
  }

  /** The mean time between starts at the limit, with the current estimate (the window alone
   * while none is trusted). */
  spacingMs(now: number): number {
    const estimate = this.estimateMs(now);
    return (this.windowMs + (Number.isFinite(estimate) ? estimate : 0)) / this.limit;
  }

  /** The earliest time, `now` or later, at which one more call may start (Infinity: only once an
   * answer comes in). */
  nextAt(now: number): number {
    this.forgetStarts(now);
    let at = Math.max(now, this.lastAt + this.minGapMs);
    if (this.starts.length >= this.limit) {
      const ends = this.starts.map((s) => s.at + s.lateMs + this.windowMs).sort((a, b) => b - a);
      at = Math.max(at, ends[this.limit - 1]!);
    }
    return at;
  }

  record(now: number): PacedStart {
    this.forgetStarts(now);
    const start: PacedStart = { at: now, lateMs: this.estimateMs(now) };
    this.starts.push(start);
    this.lastAt = now;
    return start;
  }

  /**
   * The call's answer came in `turnaroundMs` after its start; `gatewayMs` is the gateway's own
   * run time when the answer said. Without it (a failure, a gateway that does not say) the whole
   * turnaround bounds the way there, unless the estimate it had is shorter and trusted, and it
   * feeds no estimate: a timeout or a refused connection says nothing of the network.
   */
  answered(start: PacedStart, turnaroundMs: number, gatewayMs: number | undefined, failed: boolean): void {
    const now = start.at + turnaroundMs;
    if (gatewayMs === undefined || !Number.isFinite(gatewayMs) || gatewayMs < 0) {
      if (!failed && !this.unreported) [this.unreported, this.estimate] = [true, undefined];
      start.lateMs = Math.min(start.lateMs, Math.max(0, turnaroundMs));
      return;
    }
    const late = Math.max(MIN_LATE_MS, turnaroundMs - gatewayMs);
    start.lateMs = late;
    this.bounds.push({ at: now, lateMs: late });
    if (this.bounds.length > LONG_MEMORY_MAX) this.bounds.shift();
    this.estimate = undefined;
  }

  private forgetBounds(now: number): void {
    while (this.bounds.length > 0 && (this.bounds[0]!.at + LONG_MEMORY_MS <= now || this.bounds[0]!.at > now)) {
      this.bounds.shift();
      this.estimate = undefined;
    }
  }

  private forgetStarts(now: number): void {
    // A start "in the future" means the wall clock was set back: forget it rather than stall.
    this.starts = this.starts.filter((s) => s.at + s.lateMs + this.windowMs > now && s.at <= now);
    if (this.lastAt > now) this.lastAt = Number.NEGATIVE_INFINITY;
  }
}
