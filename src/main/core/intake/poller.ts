/**
 * One shop's polling state: what its last answers say about when to call again and how many calls
 * it may have in flight. The scheduler decides who calls when; this only keeps the books.
 */
import type { ShopId } from '../../../shared/domain';
import type { AppError } from '../../../shared/errors';
import {
  ceilingMs,
  drainLanes,
  idlePauseMs,
  partialPauseMs,
  planForError,
  type ErrorPlan,
  type PollPolicy,
} from './policy';

/** Time without a call, beyond the mode's ceiling, after which messages may have piled up. */
const CATCH_UP_AFTER_MS = 5 * 60_000;

/** What the shop is waiting for, so a change of mode can shorten the right pauses. */
type Pause = { kind: 'none' } | { kind: 'idle' | 'partial'; from: number } | { kind: 'error' };

export class ShopPoller {
  enabled = true;
  paused = false;
  /** A stop that concerns this shop only (302, 100...): kept until the user resumes. */
  stopError?: AppError;
  /** The last failure while retrying; cleared by the next answer. */
  lastError?: AppError;
  inFlight = 0;
  /**
   * Calls it may have in flight. One while nothing is known to be waiting; while a backlog drains,
   * as many as its answer time needs to use every slot of the rate (drainLanes). All of them when
   * it starts catching up (see catchUp), until its first answer shows whether anything waits.
   */
  concurrency: number;
  /** Not before this time; may be in the past (call at once). */
  nextCallAt: number;
  lastCallAt?: number;
  lastMessageAt?: number;
  private emptyStreak = 0;
  private errorStreak = 0;
  /** When the last answer or failure was booked: a call started before it overlapped that one. */
  private lastOutcomeAt = Number.NEGATIVE_INFINITY;
  /** The last answer was full: the lanes are the drain's, not a guess. */
  private draining = false;
  private pause: Pause = { kind: 'none' };
  private storing: Promise<void> = Promise.resolve();

  constructor(
    readonly shop: ShopId,
    now: number,
    private readonly maxConcurrency: number,
    /** The scheduler's mean time between call starts at the rate limit. */
    private readonly startSpacingMs: number,
  ) {
    this.nextCallAt = now;
    // Never polled in this run: whatever came in while the app was not listening may be waiting.
    this.concurrency = maxConcurrency;
  }

  get active(): boolean {
    return this.enabled && !this.paused && !this.stopError;
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
  inTurn(store: () => Promise<void>): Promise<void> {
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
   * `startedAt`, and are stored. */
  answered(count: number, quantity: number, startedAt: number, now: number, policy: PollPolicy): void {
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
      this.concurrency = drainLanes(now - startedAt, this.startSpacingMs, this.maxConcurrency);
      this.setPause({ kind: 'none' }, now);
    } else if (count > 0) {
      this.emptyStreak = 0;
      this.concurrency = 1;
      this.setPause({ kind: 'partial', from: now }, now + partialPauseMs(policy));
    } else {
      this.emptyStreak = overlapped ? Math.max(1, this.emptyStreak) : this.emptyStreak + 1;
      this.concurrency = 1;
      this.setPause({ kind: 'idle', from: now }, now + idlePauseMs(policy, this.emptyStreak));
    }
  }

  failed(error: AppError, now: number, _policy: PollPolicy, random: () => number): ErrorPlan {
    this.lastOutcomeAt = now;
    this.errorStreak++;
    const plan = planForError(error, this.errorStreak, random);
    // Busy amid a drain: the lanes stay open, and the calls in flight go on; the next full batch
    // among them ends the pause (answered), so only the refused call waits, at most the delay.
    // Any other failure, or a busy answer to no known backlog, leaves one lane until an answer.
    if (!(plan.action === 'retry' && plan.keepLanes && this.draining)) {
      this.concurrency = 1;
      this.draining = false;
    }
    if (plan.action === 'retry') {
      this.lastError = error;
      this.setPause({ kind: 'error' }, now + plan.delayMs);
    } else if (plan.scope === 'shop') {
      this.stopError = error;
    }
    return plan;
  }

  /** Resume, wake, a cleared stop: the next call at once, the idle ladder from the bottom. */
  callNow(now: number, policy: PollPolicy): void {
    this.emptyStreak = 0;
    this.draining = false;
    this.catchUp(now, policy);
    this.setPause({ kind: 'none' }, now);
  }

  /** The user cleared a stop: forget the failures that led to it. */
  clearStop(now: number, policy: PollPolicy): void {
    this.stopError = undefined;
    this.lastError = undefined;
    this.errorStreak = 0;
    this.callNow(now, policy);
  }

  /** The mode changed: a pause longer than the new mode allows ends at the new length. */
  retime(policy: PollPolicy): void {
    const p = this.pause;
    if (p.kind === 'idle') this.nextCallAt = Math.min(this.nextCallAt, p.from + idlePauseMs(policy, this.emptyStreak));
    else if (p.kind === 'partial') this.nextCallAt = Math.min(this.nextCallAt, p.from + partialPauseMs(policy));
  }

  /**
   * Never polled, or not for minutes longer than the mode's longest pause (asleep, paused, stopped):
   * a backlog may wait. One call at a time would learn that only after a whole answer time, a
   * second lost at the start of every drain behind a gateway that takes a second; so every lane may
   * open at once, until the first answer that is not full closes them (received). When nothing
   * waits, that costs the calls started within one answer time (at most a window of the rate),
   * once per such return; a short screen lock does not qualify.
   */
  private catchUp(now: number, policy: PollPolicy): void {
    if (this.lastCallAt === undefined || now - this.lastCallAt > ceilingMs(policy) + CATCH_UP_AFTER_MS)
      this.concurrency = this.maxConcurrency;
  }

  private setPause(pause: Pause, nextCallAt: number): void {
    this.pause = pause;
    this.nextCallAt = nextCallAt;
  }
}
