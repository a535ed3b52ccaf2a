/**
 * A Clock whose time moves only when told to: tests and the benchmarks run a whole simulated day
 * through the real scheduler, gateway fakes and notification policy in a second or two.
 *
 * `runUntil(t)` fires the sleepers due by `t` one at a time, in time order (ties in the order they
 * were scheduled), and between two of them lets the promise chains that the last one started run
 * to their next sleep. Code under test therefore sees the same interleaving as on the wall clock,
 * only without the waiting.
 */
import type { Clock } from '../../src/main/core/clock';

// Captured at load: a test that also installs vitest's fake timers must not stall the settling.
const realSetImmediate = globalThis.setImmediate;

interface Timer {
  at: number;
  seq: number;
  resolve(): void;
  cancelled: boolean;
}

export interface VirtualClockOptions {
  /** Epoch ms the clock starts at; default 2024-06-01 00:00 China time. */
  start?: number;
  /** Event-loop turns (setImmediate) let run after each timer; 1 settles every pure promise
   * chain. Raise it only when the code under test does real I/O between two sleeps. */
  settleTurns?: number;
  /** More timers than this firing at one instant is a loop that never lets time pass:
   * `runUntil` throws instead of spinning forever. */
  maxTimersPerInstant?: number;
}

/** 2024-06-01 00:00:00 in China (UTC+8). */
export const VIRTUAL_EPOCH = Date.UTC(2024, 4, 31, 16, 0, 0);

export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private live = 0;
  /** A binary min-heap on (at, seq): a simulated day schedules millions of timers. */
  private heap: Timer[] = [];
  private readonly settleTurns: number;
  private readonly maxTimersPerInstant: number;
  private running = false;

  constructor(opts: VirtualClockOptions = {}) {
    this.t = opts.start ?? VIRTUAL_EPOCH;
    this.settleTurns = Math.max(1, opts.settleTurns ?? 1);
    this.maxTimersPerInstant = opts.maxTimersPerInstant ?? 100_000;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const delay = Number.isFinite(ms) ? Math.max(0, ms) : 0;
      const timer: Timer = { at: this.t + delay, seq: this.seq++, resolve, cancelled: false };
      if (signal) {
        const onAbort = () => {
          if (timer.cancelled) return;
          timer.cancelled = true;
          this.live--;
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        timer.resolve = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
      }
      this.live++;
      this.push(timer);
    });
  }

  /** Sleepers not yet fired nor aborted. */
  get pending(): number {
    return this.live;
  }

  /** When the next sleeper is due, or undefined when none waits. */
  nextAt(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  /** Lets the promise chains already started run until they wait on something. */
  async settle(): Promise<void> {
    for (let i = 0; i < this.settleTurns; i++) await new Promise<void>((r) => realSetImmediate(r));
  }

  advance(ms: number): Promise<void> {
    return this.runUntil(this.t + ms);
  }

  /** Fires every sleeper due by `t` (including those scheduled meanwhile), then sets the time to `t`. */
  async runUntil(t: number): Promise<void> {
    if (t < this.t) throw new Error(`VirtualClock cannot go back: now ${this.t}, asked ${t}`);
    if (this.running) throw new Error('VirtualClock.runUntil is already running');
    this.running = true;
    try {
      await this.settle();
      let instant = Number.NaN;
      let fired = 0;
      for (;;) {
        this.dropCancelled();
        const next = this.heap[0];
        if (!next || next.at > t) break;
        this.pop();
        this.live--;
        next.cancelled = true;
        if (next.at === instant) {
          if (++fired > this.maxTimersPerInstant) {
            throw new Error(
              `VirtualClock: more than ${this.maxTimersPerInstant} timers at ${new Date(instant).toISOString()}: a loop that never waits`,
            );
          }
        } else {
          instant = next.at;
          fired = 1;
        }
        this.t = Math.max(this.t, next.at);
        next.resolve();
        await this.settle();
      }
      this.t = t;
      await this.settle();
    } finally {
      this.running = false;
    }
  }

  private dropCancelled(): void {
    while (this.heap[0]?.cancelled) this.pop();
  }

  private push(timer: Timer): void {
    const h = this.heap;
    h.push(timer);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop();
    if (!last || h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
