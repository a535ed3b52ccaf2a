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
 * - when the gateway answers within about a window (its quickest run time of late is at most a
 *   window, the estimate below and half a mean spacing), every call counts so until its answer. The answer comes about
 *   when the call a window later could start anyway, so waiting for it costs little, and it covers
 *   every delay on the way, a hold-up of the gateway's own included;
 * - from a slower gateway, any other call gets the largest bound among the latest answers plus
 *   their spread (how much one call's way may differ from another's), once there are enough of
 *   them. A hold-up of the gateway (busy, a pause) delays the count of the calls that reach it
 *   meanwhile, and their answers come only after the calls a window later have started. It shows
 *   earlier in an answer that was due within it: its run time is longer than any of late. The
 *   hold-up can have begun right after the answer before, so every call still unanswered that can
 *   have reached the gateway since then is taken to have arrived as late as this answer came.
 * The limit then costs the variation the network really shows, instead of one margin sized for
 * the worst network. Where the gateway does not say its run time, ARRIVAL_MARGIN_MS is the bound.
 */
import { ARRIVAL_MARGIN_MS } from './pauses';

export interface PacedStart {
  readonly at: number;
  /** The latest, after `at`, the call can have reached the gateway (Infinity: unknown yet). */
  lateMs: number;
  /** Its answer is in: `lateMs` is measured, no longer an estimate. */
  answered: boolean;
  /** A hold-up of the gateway can have delayed its count: its way there says nothing of the
   * network's. */
  heldUp?: boolean;
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
  /** The latest answers that said the gateway's run time: when each came, its run time, whether it
   * showed a hold-up, and its bound (none for a call a hold-up may have delayed). */
  private answers: { at: number; runMs: number; showedHoldUp: boolean; lateMs?: number }[] = [];
  /** Since when each open connection has been idle. */
  private idleSince: number[] = [];
  /** The gateway left out its run time: the fixed margin then stands in for the bounds. */
  private unreported = false;
  private lastAt = Number.NEGATIVE_INFINITY;
  /** When the latest answer that said the gateway's run time came. */
  private lastAnswerAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    /** The least time between two starts, whatever the window allows. */
    private readonly minGapMs = 0,
  ) {}

  /** The bound a call started at `now` on an open connection is given until its answer comes. */
  estimateMs(now: number): number {
    if (this.unreported) return ARRIVAL_MARGIN_MS;
    const lates = this.recent(now).flatMap((a) => (a.lateMs === undefined ? [] : [a.lateMs]));
    if (lates.length < TRUSTED_AFTER) return Number.POSITIVE_INFINITY;
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
    const awaiting = this.awaitsAnswers(now);
    this.forgetStarts(now, awaiting);
    let at = Math.max(now, this.lastAt + this.minGapMs);
    if (this.starts.length >= this.limit) {
      const ends = this.starts.map((s) => s.at + lateOf(s, awaiting) + this.windowMs).sort((a, b) => b - a);
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
      answered: false,
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
    start.answered = true;
    if (gatewayMs === undefined || !Number.isFinite(gatewayMs) || gatewayMs < 0) {
      if (!failed) this.unreported = true;
      start.lateMs = Math.min(start.lateMs, Math.max(0, turnaroundMs));
      return;
    }
    // The run time is whole milliseconds: the way there may be up to one more.
    const late = Math.max(MIN_LATE_MS, turnaroundMs - gatewayMs + 1);
    start.lateMs = late;
    const usual = this.recent(now).flatMap((a) => (a.showedHoldUp ? [] : [a.runMs]));
    const showedHoldUp = usual.length >= TRUSTED_AFTER && gatewayMs > Math.max(...usual) + MIN_LATE_MS;
    if (showedHoldUp) this.heldUpSince(this.lastAnswerAt, now);
    this.lastAnswerAt = Math.max(this.lastAnswerAt, now);
    // A call the gateway may have held up says nothing of the network's way there.
    this.answers.push({ at: now, runMs: gatewayMs, showedHoldUp, ...(!start.heldUp && { lateMs: late }) });
    if (this.answers.length > RECENT) this.answers.shift();
  }

  /** The latest answers, forgotten after a while. */
  private recent(now: number): typeof this.answers {
    while (this.answers.length > 0 && (this.answers[0]!.at + MEMORY_MS <= now || this.answers[0]!.at > now))
      this.answers.shift();
    return this.answers;
  }

  /** The gateway answers within about a window: unanswered calls count until their answers. Half
   * a mean spacing more is worth waiting for. */
  private awaitsAnswers(now: number): boolean {
    const answers = this.recent(now);
    if (answers.length < TRUSTED_AFTER) return false;
    const quickest = Math.min(...answers.map((a) => a.runMs));
    return quickest <= this.windowMs + this.estimateMs(now) + this.windowMs / this.limit / 2;
  }

  /** An answer ran longer than any of late: the gateway was held up from about `since` (the answer
   * before, less its way back) until it answered. */
  private heldUpSince(since: number, now: number): void {
    const estimate = this.estimateMs(now);
    const way = Number.isFinite(estimate) ? estimate : ARRIVAL_MARGIN_MS;
    for (const s of this.starts)
      if (!s.answered && s.at <= now && s.at >= since - 2 * way) {
        s.lateMs = Math.max(s.lateMs, now - s.at);
        s.heldUp = true;
      }
  }

  private forgetStarts(now: number, awaiting = this.awaitsAnswers(now)): void {
    // A start "in the future" means the wall clock was set back: forget it rather than stall.
    this.starts = this.starts.filter((s) => s.at + lateOf(s, awaiting) + this.windowMs > now && s.at <= now);
    if (this.lastAt > now) this.lastAt = Number.NEGATIVE_INFINITY;
  }
}

/** A call's bound: an unanswered one's is unknown while answers are awaited. */
function lateOf(s: PacedStart, awaiting: boolean): number {
  return awaiting && !s.answered ? Number.POSITIVE_INFINITY : s.lateMs;
}
