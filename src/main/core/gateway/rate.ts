/**
 * The gateway allows 10 calls a second per endpoint. Callers over the budget wait their turn
 * (first come, first served) instead of being refused: a refused call would only be retried.
 */
import { systemClock, type Clock } from '../clock';
import type { Endpoint } from './types';

/** At most `limit` events in any `windowMs` span: the count behind the RateBudget and the
 * scheduler's pacing. It only records and answers; waiting is the caller's. */
export class SlidingWindow {
  /** Event times still inside the window, oldest first. */
  private times: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** The earliest time, `now` or later, at which one more event fits. */
  nextAt(now: number): number {
    this.forget(now);
    if (this.times.length < this.limit) return now;
    return this.times[this.times.length - this.limit]! + this.windowMs;
  }

  record(now: number): void {
    this.forget(now);
    this.times.push(now);
  }

  private forget(now: number): void {
    // A time "in the future" means the wall clock was set back: forget it rather than stall.
    this.times = this.times.filter((t) => t + this.windowMs > now && t <= now);
  }
}

export interface RateBudgetOptions {
  limit?: number;
  windowMs?: number;
  clock?: Clock;
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** A sliding window: at most `limit` grants in any `windowMs` span. */
export class RateBudget {
  readonly limit: number;
  readonly windowMs: number;
  private readonly clock: Clock;
  private readonly grants: SlidingWindow;
  private waiters: Waiter[] = [];
  private pumping = false;

  constructor(opts: RateBudgetOptions = {}) {
    this.limit = opts.limit ?? 10;
    this.windowMs = opts.windowMs ?? 1000;
    this.clock = opts.clock ?? systemClock;
    this.grants = new SlidingWindow(this.limit, this.windowMs);
  }

  /** Resolves when the caller may call; rejects only when `signal` aborts first. */
  take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.waiters.length === 0 && this.tryGrant()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
      void this.pump();
    });
  }

  /** Callers waiting for a turn. */
  get queued(): number {
    return this.waiters.length;
  }

  private tryGrant(): boolean {
    const now = this.clock.now();
    if (this.grants.nextAt(now) > now) return false;
    this.grants.record(now);
    return true;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiters.length > 0) {
        if (this.tryGrant()) {
          const w = this.waiters.shift()!;
          if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
          w.resolve();
          continue;
        }
        const now = this.clock.now();
        await this.clock.sleep(Math.min(this.windowMs, Math.max(1, this.grants.nextAt(now) - now)));
      }
    } finally {
      this.pumping = false;
    }
  }
}

/** One budget per endpoint: consume and remark are limited separately. */
export class RateBudgets {
  private readonly budgets = new Map<string, RateBudget>();
  constructor(private readonly opts: RateBudgetOptions = {}) {}

  get(endpoint: Endpoint | string): RateBudget {
    let b = this.budgets.get(endpoint);
    if (!b) {
      b = new RateBudget(this.opts);
      this.budgets.set(endpoint, b);
    }
    return b;
  }
}

/** The budgets every gateway client in this process shares unless told otherwise: the limit is
 * the account's, not one client's. */
export const sharedRateBudgets = new RateBudgets();
