/**
 * One shop's polling state: what its last answers say about when to call again and how many calls
 * it may have in flight, and the batches it holds while the disk refuses them. The scheduler
 * decides who calls when; this only keeps the books.
 */
import type { ShopId } from '../../../shared/domain';
import type { AppError } from '../../../shared/errors';
import type { ConsumeOk } from '../gateway/types';
import {
  drainLanes,
  idlePauseMs,
  partialPauseMs,
  planForError,
  saveRetryMs,
  type ErrorPlan,
  type PollPolicy,
} from './pauses';

/** What decides a shop's pauses at a moment: the mode (for the error back-off) and the ceiling in
 * force (pauses.ts, ceilingInForce). */
export interface PollContext {
  policy: PollPolicy;
  ceilingMs: number;
}

/** What the shop is waiting for, so a change of ceiling can shorten the right pauses. */
type Pause = { kind: 'none' } | { kind: 'idle' | 'partial'; from: number } | { kind: 'error' };

/** A consumed batch not yet stored: gone from the gateway, so it lives here until the disk takes it. */
export interface HeldBatch {
  shop: ShopId;
  answer: ConsumeOk;
  receivedAt: number;
  /** Called once it is stored (a batch taken back from disk at start removes its file). */
  onStored?: () => Promise<void> | void;
}

export class ShopPoller {
  enabled = true;
  paused = false;
  /** A stop that concerns this shop only (302, 100...): kept until the user resumes. */
  stopError?: AppError;
  /** The last failure while retrying; cleared by the next answer. */
  lastError?: AppError;
  inFlight = 0;
  /**
   * Calls it may have in flight. One while nothing is known to be waiting, so a shop starts, wakes
   * and resumes with a single call; while a backlog drains, as many as its answer time needs to
   * use every slot of the rate (drainLanes).
   */
  concurrency = 1;
  /** Not before this time; may be in the past (call at once). */
  nextCallAt: number;
  lastCallAt?: number;
  lastMessageAt?: number;
  /** Batches the store refused, oldest first; no call is made while any is held. */
  readonly held: HeldBatch[] = [];
  /** Why the store refused them, while it does. */
  holdError?: AppError;
  /** When to try storing the held batches again, and how many tries failed in a row. */
  holdRetryAt = 0;
  holdAttempts = 0;
  /** A retry of the held batches is running. */
  saving = false;
  private emptyStreak = 0;
  private errorStreak = 0;
  /** When the last answer or failure was booked: a call started before it overlapped that one. */
  private lastOutcomeAt = Number.NEGATIVE_INFINITY;
  /** When the last failure was booked: a failure of a call started before it is the same blip. */
  private lastFailureAt = Number.NEGATIVE_INFINITY;
  /** The last answer was full: the lanes are the drain's, not a guess. */
  private draining = false;
  private pause: Pause = { kind: 'none' };
  private storing: Promise<unknown> = Promise.resolve();

  constructor(
    readonly shop: ShopId,
    now: number,
    private readonly maxConcurrency: number,
  ) {
    this.nextCallAt = now;
  }

  /** May call the gateway (its pauses aside). */
  get active(): boolean {
    return this.enabled && !this.paused && !this.stopError && this.held.length === 0;
  }

  /** Failures in a row, calls that failed together counted once. */
  get failures(): number {
    return this.errorStreak;
  }

  started(now: number): void {
    this.inFlight++;
    this.lastCallAt = now;
  }

  finished(): void {
    this.inFlight--;
  }

  /** Runs `store` after the shop's earlier batches are stored: with several calls in flight, the
   * store still sees one shop's batches one at a time, in the order they arrived. */
  inTurn<T>(store: () => Promise<T>): Promise<T> {
    const run = this.storing.then(store);
    this.storing = run.catch(() => undefined);
    return run;
  }

  /** An answer of `count` entries for `quantity` arrived and is about to be stored. One that is not
   * full shows the queue drained: no more lanes open, not even while its batch is being stored. */
  received(count: number, quantity: number): void {
    if (count >= quantity) return;
    this.concurrency = 1;
    this.draining = false;
  }

  /** `count` entries came back (decoded or not) for a request of `quantity`, for a call started at
   * `startedAt`, and are stored. `startSpacingMs` is the mean time between starts at the rate. */
  answered(
    count: number,
    quantity: number,
    startedAt: number,
    now: number,
    ctx: PollContext,
    startSpacingMs: number,
  ): void {
    // Calls that were in flight together are one look at the queue, not several in a row.
    const overlapped = startedAt < this.lastOutcomeAt;
    this.lastOutcomeAt = now;
    this.lastError = undefined;
    this.errorStreak = 0;
    if (count > 0) this.lastMessageAt = now;
    this.draining = count >= quantity;
    if (count >= quantity) {
      // More is waiting: enough lanes to start a call at every slot of the rate while each takes
      // this long to come back and be stored.
      this.emptyStreak = 0;
      this.concurrency = drainLanes(now - startedAt, startSpacingMs, this.maxConcurrency);
      this.setPause({ kind: 'none' }, now);
    } else if (count > 0) {
      this.emptyStreak = 0;
      this.concurrency = 1;
      this.setPause({ kind: 'partial', from: now }, now + partialPauseMs(ctx.ceilingMs));
    } else {
      this.emptyStreak = overlapped ? Math.max(1, this.emptyStreak) : this.emptyStreak + 1;
      this.concurrency = 1;
      this.setPause({ kind: 'idle', from: now }, now + idlePauseMs(ctx.ceilingMs, this.emptyStreak));
    }
  }

  /**
   * A call started at `startedAt` failed. Calls that were in flight together and fail together (a
   * blip: a 202, a 101, a 502 and a reset at once) are one failure, not four in a row: only a
   * failure of a call started after the last one was booked climbs the back-off.
   */
  failed(error: AppError, startedAt: number, now: number, ctx: PollContext, random: () => number): ErrorPlan {
    this.lastOutcomeAt = now;
    if (startedAt >= this.lastFailureAt || this.errorStreak === 0) this.errorStreak++;
    this.lastFailureAt = now;
    const plan = planForError(error, this.errorStreak, random, ctx.policy);
    // Busy amid a drain: the lanes stay open, and the calls in flight go on; the next full batch
    // among them ends the pause (answered), so only the refused call waits, at most the delay.
    // Any other failure, or a busy answer to no known backlog, leaves one lane until an answer.
    if (!(plan.action === 'retry' && plan.keepLanes && this.draining)) {
      this.concurrency = 1;
      this.draining = false;
    }
    if (plan.action === 'retry') {
      this.lastError = error;
      // Of several failures at once, the last booked sets the pause; none moves it earlier.
      const at = now + plan.delayMs;
      this.setPause({ kind: 'error' }, this.pause.kind === 'error' ? Math.max(this.nextCallAt, at) : at);
    } else if (plan.scope === 'shop') {
      this.stopError = error;
    }
    return plan;
  }

  /** The gateway sent more than was asked: stored, but a gateway that does that is not trusted
   * to mean "more is waiting" by it. The shop backs off as after a failure. */
  oversized(error: AppError, now: number, ctx: PollContext, random: () => number): void {
    this.lastOutcomeAt = now;
    this.lastFailureAt = now;
    this.errorStreak++;
    this.lastMessageAt = now;
    this.concurrency = 1;
    this.draining = false;
    this.lastError = error;
    const plan = planForError(error, this.errorStreak, random, ctx.policy);
    this.setPause({ kind: 'error' }, now + (plan.action === 'retry' ? plan.delayMs : 0));
  }

  /** The store refused a batch (or one before it is still held): keep it, in order. */
  hold(batch: HeldBatch, error: AppError | undefined, now: number): void {
    this.held.push(batch);
    if (error) this.refused(error, now);
  }

  /** A retry of the held batches failed again. */
  refused(error: AppError, now: number): void {
    this.holdError = error;
    this.holdAttempts++;
    this.holdRetryAt = now + saveRetryMs(this.holdAttempts);
    this.concurrency = 1;
    this.draining = false;
  }

  /** Every held batch is stored: the queue may have grown meanwhile, so one call at once. */
  released(now: number): void {
    this.holdError = undefined;
    this.holdAttempts = 0;
    this.callNow(now);
  }

  /** Resume, wake, a cleared stop, a new token: one call at once, the idle ladder from the bottom. */
  callNow(now: number): void {
    this.emptyStreak = 0;
    this.draining = false;
    this.concurrency = 1;
    this.setPause({ kind: 'none' }, now);
  }

  /** The user cleared a stop: forget the failures that led to it. */
  clearStop(now: number): void {
    this.stopError = undefined;
    this.lastError = undefined;
    this.errorStreak = 0;
    this.callNow(now);
  }

  /** The ceiling in force changed: a pause longer than the new one allows ends at the new length. */
  retime(ceiling: number): void {
    const p = this.pause;
    if (p.kind === 'idle') this.nextCallAt = Math.min(this.nextCallAt, p.from + idlePauseMs(ceiling, this.emptyStreak));
    else if (p.kind === 'partial') this.nextCallAt = Math.min(this.nextCallAt, p.from + partialPauseMs(ceiling));
  }

  private setPause(pause: Pause, nextCallAt: number): void {
    this.pause = pause;
    this.nextCallAt = nextCallAt;
  }
}
