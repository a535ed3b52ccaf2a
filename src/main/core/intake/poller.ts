/**
 * One shop's polling state: what its last answers say about when to call again and how many calls
 * it may have in flight. The scheduler decides who calls when; this only keeps the books.
 */
import type { ShopId } from '../../../shared/domain';
import type { AppError } from '../../../shared/errors';
import { idlePauseMs, partialPauseMs, planForError, type ErrorPlan, type PollPolicy } from './policy';

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
  /** Calls it may have in flight: 1, growing by one per full batch while a burst drains. */
  concurrency = 1;
  /** Not before this time; may be in the past (call at once). */
  nextCallAt: number;
  lastCallAt?: number;
  lastMessageAt?: number;
  private emptyStreak = 0;
  private errorStreak = 0;
  private pause: Pause = { kind: 'none' };
  private storing: Promise<void> = Promise.resolve();

  constructor(
    readonly shop: ShopId,
    now: number,
    private readonly maxConcurrency: number,
  ) {
    this.nextCallAt = now;
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

  /** `count` entries came back (decoded or not) for a request of `quantity`. */
  answered(count: number, quantity: number, now: number, policy: PollPolicy): void {
    this.lastError = undefined;
    this.errorStreak = 0;
    if (count > 0) this.lastMessageAt = now;
    if (count >= quantity) {
      // More is waiting. Each full batch opens one more lane, so the lanes double per round trip
      // until the rate limit, not the gateway's latency, bounds the drain.
      this.emptyStreak = 0;
      this.concurrency = Math.min(this.maxConcurrency, this.concurrency + 1);
      this.setPause({ kind: 'none' }, now);
    } else if (count > 0) {
      this.emptyStreak = 0;
      this.concurrency = 1;
      this.setPause({ kind: 'partial', from: now }, now + partialPauseMs(policy));
    } else {
      this.emptyStreak++;
      this.concurrency = 1;
      this.setPause({ kind: 'idle', from: now }, now + idlePauseMs(policy, this.emptyStreak));
    }
  }

  failed(error: AppError, now: number, policy: PollPolicy, random: () => number): ErrorPlan {
    this.errorStreak++;
    this.concurrency = 1;
    const plan = planForError(error, this.errorStreak, random);
    if (plan.action === 'retry') {
      this.lastError = error;
      this.setPause({ kind: 'error' }, now + plan.delayMs);
    } else if (plan.scope === 'shop') {
      this.stopError = error;
    }
    return plan;
  }

  /** Resume, wake, a cleared stop: the next call at once, the idle ladder from the bottom. */
  callNow(now: number): void {
    this.emptyStreak = 0;
    this.setPause({ kind: 'none' }, now);
  }

  /** The user cleared a stop: forget the failures that led to it. */
  clearStop(now: number): void {
    this.stopError = undefined;
    this.lastError = undefined;
    this.errorStreak = 0;
    this.callNow(now);
  }

  /** The mode changed: a pause longer than the new mode allows ends at the new length. */
  retime(policy: PollPolicy): void {
    const p = this.pause;
    if (p.kind === 'idle') this.nextCallAt = Math.min(this.nextCallAt, p.from + idlePauseMs(policy, this.emptyStreak));
    else if (p.kind === 'partial') this.nextCallAt = Math.min(this.nextCallAt, p.from + partialPauseMs(policy));
  }

  private setPause(pause: Pause, nextCallAt: number): void {
    this.pause = pause;
    this.nextCallAt = nextCallAt;
  }
}
