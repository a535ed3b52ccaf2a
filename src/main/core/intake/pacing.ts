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
 * - a call that needs a new connection (none is open and idle: at start, after a quiet spell, as
 *   lanes open) counts as arriving at any time until its answer says when: opening one costs what
 *   no answer on an open connection shows. This is what keeps a drain's first wide round from
 *   crowding the next one at the gateway;
 * - any other call gets the largest bound among the latest answers plus their spread (how much one
 *   call's way may differ from another's), once there are enough of them.
 * The limit then costs the variation the network really shows, instead of one margin sized for
 * the worst network. Where the gateway does not say its run time, ARRIVAL_MARGIN_MS is the bound.
 */
import { ARRIVAL_MARGIN_MS } from './pauses';

export interface PacedStart {
  readonly at: number;
  /** The latest, after `at`, the call can have reached the gateway (Infinity: unknown yet). */
  lateMs: number;
}

/** The latest answers whose bounds make an unanswered call's. */
const RECENT = 20;
/** Answers needed before that largest bound is trusted. */
const TRUSTED_AFTER = 10;
/** How long the bounds count, and how long an idle connection is taken to stay open (undici's
 * default keep-alive is a few seconds). */
const MEMORY_MS = 60_000;
const IDLE_CONNECTION_MS = 4_000;
/** Below this a bound is rounding: the gateway's `msec` is whole milliseconds. */
const MIN_LATE_MS = 5;

export class ArrivalPacing {
  private starts: PacedStart[] = [];
  /** The latest measured bounds, and when each came. */
  private bounds: { at: number; lateMs: number }[] = [];
  /** Since when each open connection has been idle. */
  private idleSince: number[] = [];
  /** The gateway left out its run time: the fixed margin then stands in for the bounds. */
  private unreported = false;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    /** The least time between two starts, whatever the window allows. */
    private readonly minGapMs = 0,
  ) {}

  /** The bound a call started at `now` on an open connection is given until its answer comes. */
  estimateMs(now: number): number {
    while (this.bounds.length > 0 && (this.bounds[0]!.at + MEMORY_MS <= now || this.bounds[0]!.at > now))
      this.bounds.shift();
    if (this.unreported) return ARRIVAL_MARGIN_MS;
    if (this.bounds.length < TRUSTED_AFTER) return Number.POSITIVE_INFINITY;
    const lates = this.bounds.map((b) => b.lateMs);
    const largest = Math.max(...lates);
    return Math.max(MIN_LATE_MS, largest + (largest - Math.min(...lates)));
  }

  /** The mean time between starts at the limit with the current estimate (the window alone
   * while there is none). */
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
    this.idleSince = this.idleSince.filter((t) => t + IDLE_CONNECTION_MS > now && t <= now);
    const warm = this.idleSince.pop() !== undefined;
    const start: PacedStart = {
      at: now,
      lateMs: warm || this.unreported ? this.estimateMs(now) : Number.POSITIVE_INFINITY,
    };
    this.starts.push(start);
    this.lastAt = now;
    return start;
  }

  /**
   * The call's answer came in `turnaroundMs` after its start; `gatewayMs` is the gateway's own
   * run time when the answer said. Without it (a failure, a gateway that does not say) the whole
   * turnaround bounds the way there, unless the estimate it had is shorter, and it feeds no
   * estimate: a timeout or a refused connection says nothing of the network.
   */
  answered(start: PacedStart, turnaroundMs: number, gatewayMs: number | undefined, failed: boolean): void {
    const now = start.at + turnaroundMs;
    this.idleSince.push(now);
    if (gatewayMs === undefined || !Number.isFinite(gatewayMs) || gatewayMs < 0) {
      if (!failed) this.unreported = true;
      start.lateMs = Math.min(start.lateMs, Math.max(0, turnaroundMs));
      return;
    }
    const late = Math.max(MIN_LATE_MS, turnaroundMs - gatewayMs);
    start.lateMs = late;
    this.bounds.push({ at: now, lateMs: late });
    if (this.bounds.length > RECENT) this.bounds.shift();
  }

  private forgetStarts(now: number): void {
    // A start "in the future" means the wall clock was set back: forget it rather than stall.
    this.starts = this.starts.filter((s) => s.at + s.lateMs + this.windowMs > now && s.at <= now);
    if (this.lastAt > now) this.lastAt = Number.NEGATIVE_INFINITY;
  }
}
