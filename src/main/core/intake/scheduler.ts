/**
 * The consume loop for every enabled shop, in two modes: `start()` listens until stopped;
 * `drain()` (the CLI's --once) takes what every shop has queued and ends.
 *
 * One dispatcher decides, for all shops together, who calls next:
 * - a call starts only when its shop is due (see pauses.ts for the pauses), has a free lane
 *   (ShopPoller.concurrency) and the whole scheduler has fewer than `maxInFlight` calls out;
 * - every start, whatever caused it (a first call, a lane, a retry, a resume, another shop), goes
 *   through one pacing (pacing.ts), which keeps the gateway's count within its limit as the
 *   gateway counts, with calls reaching it late by however much the network varies;
 * - among the shops due at a start, the turn goes round-robin, so a shop draining a burst takes
 *   at most every other start while another shop also waits.
 *
 * A shop starts (and wakes, resumes, restarts after a stop) with a single call: a wrong token or
 * an unauthorised shop costs one call, not a fan-out. A full answer shows a backlog, and the next
 * round opens every lane the answer time needs.
 *
 * Answers are handed to `onBatch` (decode, store, notify) in order per shop, and a lane calls again
 * only after its batch is stored: consumed messages are gone from the server, so at most
 * `maxInFlight` batches are ever held in memory. When the store refuses a batch (a full disk, a
 * file held by an antivirus), the shop keeps it and every later one, retries with back-off and
 * calls nothing until they are stored; what is still held at stop() is the caller's to put where
 * it can go (Core writes it to disk elsewhere and takes it back at the next start). In-flight calls
 * are never aborted, not even by stop(): an aborted consume may already have been taken off the
 * server's queue.
 */
import { boundText } from '../bounded';
import type { Clock } from '../clock';
import type { ConsumeOk, Gateway } from '../gateway/types';
import type { ShopRunState, ShopStatus } from '../../../shared/api';
import type { ShopId } from '../../../shared/domain';
import { appError, type AppError, type StorageCause } from '../../../shared/errors';
import { err, type Result } from '../../../shared/result';
import type { NotifySettings } from '../../../shared/settings';
import { inQuietHours } from './notify';
import { ArrivalPacing, type PacedStart } from './pacing';
import {
  CONSUME_RATE_PER_SECOND,
  DEFAULT_QUANTITY,
  GATEWAY_WINDOW_MS,
  ceilingInForce,
  ceilingMs,
  clampQuantity,
  type PollPolicy,
} from './pauses';
import { ShopPoller, type HeldBatch, type PollContext } from './poller';
import type { Rhythm } from './rhythm';

export type { HeldBatch } from './poller';

export interface SchedulerShopStatus extends ShopStatus {
  /** When the next call is planned; absent while one is awaited or none will come by itself. */
  nextCallAt?: number;
  inFlight: number;
}

/** Why the ceiling in force is what it is. */
export type CeilingReason = 'mode' | 'quiet' | 'learned';

export interface SchedulerDeps {
  gateway: Gateway;
  clock: Clock;
  /** Backoff jitter; default Math.random. */
  random?: () => number;
  /** Decode, store (flushed), notify. Awaited before that shop's lane calls again. A rejection
   * means messages could not be stored: the shop holds the batch and retries. */
  onBatch: (shop: ShopId, ok: ConsumeOk, receivedAt: number) => Promise<void>;
  /** Every failed call, retried or not; a refused store; an answer larger than asked. */
  onError: (shop: ShopId, error: AppError) => void;
  /** A shop's state or error changed (not its call times: read those with status()). */
  onStateChange?: (status: SchedulerShopStatus) => void;
  /** Messages per consume, 10..200; default the most the gateway gives. */
  quantity?: number;
  polling?: PollPolicy;
  /** Calls a second over all shops, a whole number; default the gateway's limit. */
  ratePerSecond?: number;
  /** Calls in flight over all shops (room for other shops beside one draining), and per shop
   * while it drains a burst (every slot of the rate for an answer time somewhat above a second). */
  maxInFlight?: number;
  maxInFlightPerShop?: number;
  /** The seller's quiet hours: polling slows to saver's ceiling within them. Looked at each
   * minute (quiet hours are whole minutes). */
  quiet?: (now: number) => boolean;
  /** A ceiling the shop's own history asks for at a time, in balanced mode (rhythm.ts). Looked at
   * each minute. */
  learnedCeilingMs?: (shop: ShopId, now: number) => number | undefined;
}

/** Bounds drain(): a queue that never empties stops here rather than bill for ever. */
export const DRAIN_MAX_CALLS = 10_000;
/** The defaults of SchedulerDeps.maxInFlight and maxInFlightPerShop. */
export const MAX_IN_FLIGHT = 16;
export const MAX_IN_FLIGHT_PER_SHOP = 14;
/** drain() gives a shop up after this many failed calls in a row, and its held batches after
 * this many refused saves (a few seconds: --once is not the place to wait for a disk). */
export const DRAIN_MAX_ATTEMPTS = 5;
export const DRAIN_SAVE_ATTEMPTS = 3;

const MINUTE_MS = 60_000;

interface DrainBooks {
  done: Set<ShopId>;
  calls: Map<ShopId, number>;
}

export class Scheduler {
  private readonly deps: SchedulerDeps;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly quantity: number;
  private readonly pacing: ArrivalPacing;
  private readonly maxInFlight: number;
  private readonly maxPerShop: number;
  private policy: PollPolicy;

  /** Every shop seen, in the order first enabled; disabled ones stay to finish their calls. */
  private readonly shops = new Map<ShopId, ShopPoller>();
  private turn = -1;
  private running = false;
  private suspended = false;
  private allPaused = false;
  /** A stop that concerns every shop (401, 204, 203, 404). */
  private globalStop?: AppError;
  private inFlight = 0;
  /** The minute the ceilings were last looked at. */
  private minute = Number.NaN;
  private drainBooks?: DrainBooks;
  private loopDone?: Promise<void>;
  private readonly calls = new Set<Promise<void>>();
  private changed = new AbortController();
  private readonly reported = new Map<ShopId, string>();

  constructor(deps: SchedulerDeps) {
    this.deps = deps;
    this.clock = deps.clock;
    this.random = deps.random ?? Math.random;
    this.quantity = clampQuantity(deps.quantity ?? DEFAULT_QUANTITY);
    // Never zero: the pacing is the one bound that holds whatever the answers and pauses are.
    const wanted = deps.ratePerSecond ?? CONSUME_RATE_PER_SECOND;
    const rate = Number.isFinite(wanted) && wanted >= 1 ? Math.min(Math.floor(wanted), 1000) : CONSUME_RATE_PER_SECOND;
    // Never two starts closer than a quarter of the mean spacing: a bunch is spread a little
    // rather than landing on the gateway in one instant.
    this.pacing = new ArrivalPacing(rate, GATEWAY_WINDOW_MS, GATEWAY_WINDOW_MS / rate / 4);
    this.maxInFlight = Math.max(1, deps.maxInFlight ?? MAX_IN_FLIGHT);
    this.maxPerShop = Math.max(1, deps.maxInFlightPerShop ?? MAX_IN_FLIGHT_PER_SHOP);
    this.policy = deps.polling ?? { mode: 'balanced' };
  }

  /** The enabled shops; the others finish their calls in flight and then stay quiet. */
  setShops(ids: readonly ShopId[]): void {
    const now = this.clock.now();
    const wanted = new Set(ids);
    for (const s of this.shops.values()) s.enabled = wanted.has(s.shop);
    for (const id of wanted) {
      const s = this.shops.get(id);
      if (!s) this.shops.set(id, this.newPoller(id, now));
      else if (!s.enabled) {
        s.enabled = true;
        s.callNow(now);
      }
    }
    this.changedState();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const now = this.clock.now();
    for (const s of this.shops.values()) s.callNow(now);
    this.loopDone = this.loop();
    this.changedState();
  }

  /**
   * Takes what every enabled shop has queued and resolves when each is done: an answer that was
   * not full (the queue was emptied by it), a stop, DRAIN_MAX_ATTEMPTS failures in a row or
   * DRAIN_MAX_CALLS calls. Same pacing, lanes and back-off as listening; batches the store
   * refused are retried as many times, then left held for the caller.
   */
  async drain(): Promise<void> {
    if (this.running) throw new Error('drain() runs only while the scheduler is stopped');
    this.drainBooks = { done: new Set(), calls: new Map() };
    try {
      this.start();
      await this.loopDone;
      await this.settleCalls();
    } finally {
      this.running = false;
      this.drainBooks = undefined;
      this.changedState();
    }
  }

  /** Stops calling; resolves once the loop has ended and every call in flight has been stored or
   * held. Held batches get one more try to be stored; what is left is in held(). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.nudge();
    await this.loopDone;
    await this.settleCalls();
    for (const s of this.shops.values()) if (s.held.length > 0) await this.track(this.saveHeld(s));
    this.changedState();
  }

  /** Batches still not stored, oldest first per shop; taking them leaves the shops without. */
  takeHeld(): HeldBatch[] {
    const out: HeldBatch[] = [];
    for (const s of this.shops.values()) out.push(...s.held.splice(0));
    return out;
  }

  /** A batch consumed earlier and not yet stored (read back from disk at start): stored before
   * its shop calls again. */
  hold(batch: HeldBatch): void {
    const s = this.shopFor(batch.shop);
    s.hold(batch, undefined, this.clock.now());
    s.holdRetryAt = this.clock.now();
    this.changedState();
  }

  pause(shop?: ShopId): void {
    if (shop === undefined) this.allPaused = true;
    else this.shopFor(shop).paused = true;
    this.changedState();
  }

  /**
   * The user's "继续": clears pauses and stops and calls at once. A token-wide stop is cleared by
   * either form, since any resume means the user believes its cause fixed (recharged, enabled the
   * endpoint); if not, the first call stops everything again.
   */
  resume(shop?: ShopId): void {
    const now = this.clock.now();
    this.globalStop = undefined;
    if (shop === undefined) {
      this.allPaused = false;
      for (const s of this.shops.values()) {
        s.paused = false;
        s.clearStop(now);
      }
    } else {
      if (this.allPaused) {
        this.allPaused = false;
        for (const s of this.shops.values()) s.paused = s.shop !== shop;
      }
      const s = this.shopFor(shop);
      s.paused = false;
      s.clearStop(now);
    }
    this.changedState();
  }

  /** A new token was saved: a stop caused by the old one (401, 204) no longer holds. */
  tokenChanged(): void {
    if (!this.globalStop) return;
    this.globalStop = undefined;
    const now = this.clock.now();
    for (const s of this.shops.values()) s.callNow(now);
    this.changedState();
  }

  /** The machine sleeps: no new calls. */
  suspend(): void {
    this.suspended = true;
    this.changedState();
  }

  /** Back from sleep: every active shop calls at once rather than finish the pause it was in. */
  wake(): void {
    this.suspended = false;
    const now = this.clock.now();
    for (const s of this.shops.values()) s.callNow(now);
    this.changedState();
  }

  setMode(mode: PollPolicy['mode'], customCeilingMs?: number): void {
    this.policy = { mode, customCeilingMs };
    this.retimeAll(this.clock.now());
    this.nudge();
  }

  get polling(): PollPolicy {
    return { ...this.policy };
  }

  /** The ceiling in force for `shop` at `at`, and why (the settings page says it). */
  ceilingFor(shop: ShopId, at: number): { ceilingMs: number; reason: CeilingReason } {
    const quiet = this.deps.quiet?.(at) ?? false;
    const learnedMs = this.policy.mode === 'balanced' ? this.deps.learnedCeilingMs?.(shop, at) : undefined;
    const learned = ceilingInForce(this.policy, { learnedMs });
    const ceiling = ceilingInForce(this.policy, { quiet, learnedMs });
    const reason: CeilingReason = ceiling === ceilingMs(this.policy) ? 'mode' : ceiling > learned ? 'quiet' : 'learned';
    return { ceilingMs: ceiling, reason };
  }

  /** True when everything is paused by the user (AppState.paused). */
  get paused(): boolean {
    return this.allPaused;
  }

  /** The stop that concerns every shop, if any (AppState.globalError). */
  get globalError(): AppError | undefined {
    return this.globalStop;
  }

  status(shop: ShopId): SchedulerShopStatus {
    const s = this.shops.get(shop);
    if (!s?.enabled)
      return {
        shop,
        state: 'disabled',
        inFlight: s?.inFlight ?? 0,
        lastCallAt: s?.lastCallAt,
        lastMessageAt: s?.lastMessageAt,
      };
    const stop = s.stopError ?? this.globalStop;
    let state: ShopRunState;
    let error: AppError | undefined;
    if (stop) [state, error] = ['stopped', stop];
    else if (!this.running) state = 'stopped';
    else if (this.allPaused || s.paused || this.suspended) state = 'paused';
    else if (s.holdError) [state, error] = ['error', s.holdError];
    else if (s.lastError) [state, error] = ['error', s.lastError];
    else state = 'listening';
    const calling = (state === 'listening' || state === 'error') && s.active;
    const nextCallAt =
      calling && s.inFlight < s.concurrency ? Math.max(s.nextCallAt, this.pacing.nextAt(this.clock.now())) : undefined;
    return {
      shop,
      state,
      error,
      lastCallAt: s.lastCallAt,
      lastMessageAt: s.lastMessageAt,
      nextCallAt,
      inFlight: s.inFlight,
    };
  }

  /** Every enabled shop, in the order they were added. */
  statuses(): SchedulerShopStatus[] {
    return [...this.shops.values()].filter((s) => s.enabled).map((s) => this.status(s.shop));
  }

  private shopFor(shop: ShopId): ShopPoller {
    let s = this.shops.get(shop);
    if (!s) {
      s = this.newPoller(shop, this.clock.now());
      s.enabled = false;
      this.shops.set(shop, s);
    }
    return s;
  }

  private newPoller(shop: ShopId, now: number): ShopPoller {
    return new ShopPoller(shop, now, this.maxPerShop);
  }

  private context(s: ShopPoller, now: number): PollContext {
    return { policy: this.policy, ceilingMs: this.ceilingFor(s.shop, now).ceilingMs };
  }

  private retimeAll(now: number): void {
    for (const s of this.shops.values()) s.retime(this.context(s, now).ceilingMs);
  }

  /** Once a minute: quiet hours may have begun or ended, a learned hour changed. Pauses longer
   * than the new ceiling allows end at its length (the morning's first look is not a saver's
   * minute late); longer ceilings apply from the next answer on. */
  private tick(now: number): void {
    const minute = Math.floor(now / MINUTE_MS);
    if (minute === this.minute) return;
    this.minute = minute;
    this.retimeAll(now);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const now = this.clock.now();
      this.tick(now);
      if (this.drainBooks && this.drainFinished()) {
        this.running = false;
        break;
      }
      const step = this.nextStep(now);
      if (step.save) {
        void this.track(this.saveHeld(step.save));
        continue;
      }
      if (step.launch) {
        this.launch(step.launch, now);
        continue;
      }
      await this.idle(step.at - now);
    }
  }

  /** Who calls or saves now, or when to look again (Infinity: only when something changes). */
  private nextStep(now: number): { launch?: ShopPoller; save?: ShopPoller; at: number } {
    let at = Infinity;
    const order = [...this.shops.values()];
    // Saves are not gateway calls: no pacing, and they go on while paused or stopped.
    for (const s of order) {
      if (s.held.length === 0 || s.saving || this.drainGaveUp(s)) continue;
      if (s.holdRetryAt <= now) return { save: s, at: now };
      at = Math.min(at, s.holdRetryAt);
    }
    if (this.deps.quiet || this.deps.learnedCeilingMs) at = Math.min(at, (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS);
    if (this.suspended || this.globalStop || this.allPaused || this.inFlight >= this.maxInFlight) return { at };
    let earliest = Infinity;
    for (const s of order) if (this.callable(s)) earliest = Math.min(earliest, s.nextCallAt);
    const startAt = Math.max(earliest, this.pacing.nextAt(now));
    if (startAt > now) return { at: Math.min(at, startAt) };
    for (let i = 1; i <= order.length; i++) {
      const idx = (this.turn + i) % order.length;
      const s = order[idx]!;
      if (this.callable(s) && s.nextCallAt <= now) {
        this.turn = idx;
        return { launch: s, at: now };
      }
    }
    return { at };
  }

  private callable(s: ShopPoller): boolean {
    return s.active && s.inFlight < s.concurrency && !this.drainBooks?.done.has(s.shop);
  }

  private launch(s: ShopPoller, now: number): void {
    s.started(now);
    this.inFlight++;
    const books = this.drainBooks;
    if (books) {
      const n = (books.calls.get(s.shop) ?? 0) + 1;
      books.calls.set(s.shop, n);
      if (n >= DRAIN_MAX_CALLS) books.done.add(s.shop);
    }
    void this.track(this.call(s, this.pacing.record(now)));
  }

  private track(work: Promise<void>): Promise<void> {
    const tracked = work.finally(() => this.calls.delete(tracked));
    this.calls.add(tracked);
    return tracked;
  }

  private async settleCalls(): Promise<void> {
    while (this.calls.size > 0) await Promise.allSettled([...this.calls]);
  }

  private async call(s: ShopPoller, start: PacedStart): Promise<void> {
    try {
      let result: Result<ConsumeOk>;
      try {
        result = await this.deps.gateway.consume(s.shop, { quantity: this.quantity });
      } catch (e) {
        result = err(appError('internal', 'consume_threw', { detail: String(e) }, { endpoint: 'consume' }));
      }
      const receivedAt = this.clock.now();
      // A call that never left teaches nothing about the network, like a failed one.
      const learned = result.ok && !result.value.notSent ? result.value : undefined;
      this.pacing.answered(start, receivedAt - start.at, learned?.msec, !learned);
      // The answer may free a slot the pacing held for it: the dispatcher looks again now, not
      // once the batch is stored.
      this.nudge();
      if (result.ok) await this.answered(s, start.at, result.value, receivedAt);
      else this.failed(s, start.at, result.error);
    } finally {
      s.finished();
      this.inFlight--;
      this.changedState();
    }
  }

  private async answered(s: ShopPoller, startedAt: number, batch: ConsumeOk, receivedAt: number): Promise<void> {
    const count = batch.messages.length + batch.malformed.length;
    s.received(count, this.quantity);
    const stored = await s.inTurn(async () => {
      const held: HeldBatch = { shop: s.shop, answer: batch, receivedAt };
      // An earlier batch is held: this one waits behind it, so the store sees them in order.
      if (s.held.length > 0) {
        s.hold(held, undefined, this.clock.now());
        return false;
      }
      try {
        await this.deps.onBatch(s.shop, batch, receivedAt);
        return true;
      } catch (e) {
        const error = storageError(e, count);
        s.hold(held, error, this.clock.now());
        this.report(s.shop, error);
        return false;
      }
    });
    if (!stored) return;
    const now = this.clock.now();
    if (count > this.quantity) {
      const error = appError(
        'bad_answer',
        'over_quantity',
        { count, quantity: this.quantity },
        { endpoint: 'consume' },
      );
      s.oversized(error, now, this.context(s, now), this.random);
      this.report(s.shop, error);
      return;
    }
    s.answered(count, this.quantity, startedAt, now, this.context(s, now), this.pacing.spacingMs(now));
    if (count < this.quantity) this.drainBooks?.done.add(s.shop);
  }

  private failed(s: ShopPoller, startedAt: number, error: AppError): void {
    const now = this.clock.now();
    // The books first: a throwing listener must not leave the shop without its back-off.
    const plan = s.failed(error, startedAt, now, this.context(s, now), this.random);
    if (plan.action === 'stop' && plan.scope === 'all') this.globalStop ??= error;
    if (this.drainBooks && (plan.action === 'stop' || s.failures >= DRAIN_MAX_ATTEMPTS))
      this.drainBooks.done.add(s.shop);
    this.report(s.shop, error);
  }

  /** A listener that throws must not leave the books half kept, nor a call unsettled. */
  private report(shop: ShopId, error: AppError): void {
    try {
      this.deps.onError(shop, error);
    } catch {
      // The listener's own fault; the scheduler's state is already right.
    }
  }

  /** Stores the shop's held batches, oldest first, in turn with its other stores. */
  private async saveHeld(s: ShopPoller): Promise<void> {
    if (s.saving || s.held.length === 0) return;
    s.saving = true;
    try {
      await s.inTurn(async () => {
        while (s.held.length > 0) {
          const b = s.held[0]!;
          try {
            await this.deps.onBatch(b.shop, b.answer, b.receivedAt);
          } catch (e) {
            const waiting = s.held.reduce((n, h) => n + h.answer.messages.length + h.answer.malformed.length, 0);
            const error = storageError(e, waiting);
            s.refused(error, this.clock.now());
            this.report(s.shop, error);
            return;
          }
          s.held.shift();
          // A file left behind is offered again at the next start, where the store drops what it
          // already holds: nothing to do but carry on.
          await Promise.resolve(b.onStored?.()).catch(() => undefined);
        }
        s.released(this.clock.now());
      });
    } finally {
      s.saving = false;
      this.changedState();
    }
  }

  private drainGaveUp(s: ShopPoller): boolean {
    return this.drainBooks !== undefined && s.holdAttempts >= DRAIN_SAVE_ATTEMPTS;
  }

  /** Every shop that drain() waits for is done and has nothing in flight. */
  private drainFinished(): boolean {
    const books = this.drainBooks!;
    for (const s of this.shops.values()) {
      if (s.inFlight > 0 || s.saving) return false;
      if (s.held.length > 0 && !this.drainGaveUp(s)) return false;
      if (!s.enabled || s.held.length > 0) continue;
      const done = books.done.has(s.shop) || !s.active || this.globalStop !== undefined || this.allPaused;
      if (!done) return false;
    }
    return true;
  }

  private idle(ms: number): Promise<void> {
    const signal = this.changed.signal;
    if (ms === Infinity)
      return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    return this.clock.sleep(ms, signal).catch(() => undefined);
  }

  private nudge(): void {
    const c = this.changed;
    this.changed = new AbortController();
    c.abort();
  }

  /** Wakes the dispatcher and reports the shops whose state or error changed. */
  private changedState(): void {
    this.nudge();
    const report = this.deps.onStateChange;
    if (!report) return;
    for (const s of this.shops.values()) {
      const st = this.status(s.shop);
      const key = `${st.state}|${st.error ? JSON.stringify([st.error.kind, st.error.code, st.error.params]) : ''}`;
      if (this.reported.get(s.shop) === key) continue;
      this.reported.set(s.shop, key);
      report(st);
    }
  }
}

/** What the disk said, as a cause the user can act on, with what is kept meanwhile. */
function storageError(e: unknown, messages: number): AppError {
  const sys = (e as NodeJS.ErrnoException | undefined)?.code;
  const cause: StorageCause =
    sys === 'ENOSPC' || sys === 'EDQUOT'
      ? 'disk_full'
      : sys === 'EIO'
        ? 'io'
        : sys === 'EPERM' || sys === 'EBUSY' || sys === 'EACCES'
          ? 'locked'
          : 'other';
  const detail = boundText(e instanceof Error ? e.message : String(e));
  return appError('storage', 'store_failed', { cause, messages, detail, ...(sys !== undefined && { sys }) });
}

export type AppSchedulerDeps = Pick<
  SchedulerDeps,
  'gateway' | 'clock' | 'random' | 'onBatch' | 'onError' | 'onStateChange' | 'quantity' | 'polling'
> & {
  /** The notification settings' quiet hours, read at each use (the user may change them). */
  quietHours: () => NotifySettings['quietHours'];
  rhythm: Rhythm;
};

/** The scheduler as the app and the CLI run it: the defaults, polling slowed in the seller's quiet
 * hours, balanced mode following each shop's learned rhythm. The benchmarks build theirs here too. */
export function appScheduler(deps: AppSchedulerDeps): Scheduler {
  const { quietHours, rhythm, ...rest } = deps;
  return new Scheduler({
    ...rest,
    quiet: (now) => inQuietHours(quietHours(), now),
    learnedCeilingMs: rhythm.ceilingMs,
  });
}
