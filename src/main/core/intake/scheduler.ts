/**
 * The consume loop for every enabled shop.
 *
 * One dispatcher decides, for all shops together, who calls next:
 * - a call starts only when its shop is due (see policy.ts for the pauses), has a free lane
 *   (ShopPoller.concurrency) and the whole scheduler has fewer than `maxInFlight` calls out;
 * - starts over all shops are paced: at most `rate` in any PACING_WINDOW_MS (a second plus a
 *   margin for arrival jitter at the gateway, see policy.ts), and never two closer than a quarter
 *   of the mean spacing. So no path, not even a bug in the pauses or a gateway that answers
 *   instantly, calls faster than the rate. The gateway client's RateBudget holds every caller to
 *   the gateway's own 10 in any second; this stricter pacing keeps our calls from queueing there,
 *   where a bursting shop's calls would sit in front of everyone else's. Starts come in bunches,
 *   not evenly spaced, because a drain of N calls then spans N/rate - 1 windows and one bunch
 *   rather than N - 1 spacings: behind 1 s answers, 100 calls are stored after 10.7 s rather than
 *   11.4 s (93 % of the bound rather than 87 %);
 * - among the shops due at a start, the turn goes round-robin, so a shop draining a burst takes
 *   at most every other start while another shop also waits.
 *
 * Answers are handed to `onBatch` (decode, store, notify) in order per shop, and a lane calls again
 * only after its batch is stored: consumed messages are gone from the server, so at most
 * `maxInFlight` batches are ever held in memory. A shop draining a backlog keeps as many lanes as
 * its answer time needs to start a call at every slot of the rate, and a shop returning from a
 * time it was not polled opens them before its first answer (ShopPoller). In-flight calls are
 * never aborted, not even by stop(): an aborted consume may already have been taken off the
 * server's queue.
 */
import type { Clock } from '../clock';
import type { ConsumeOk, Gateway } from '../gateway/types';
import type { ShopRunState, ShopStatus } from '../../../shared/api';
import type { ShopId } from '../../../shared/domain';
import { appError, type AppError } from '../../../shared/errors';
import { describeError } from '../../../shared/errorText';
import { err, type Result } from '../../../shared/result';
import type { Language } from '../../../shared/settings';
import { formatChinaTime } from '../clock';
import { SlidingWindow } from '../gateway/rate';
import { ShopPoller } from './poller';
import { CONSUME_RATE_PER_SECOND, DEFAULT_QUANTITY, PACING_WINDOW_MS, clampQuantity, type PollPolicy } from './policy';

export interface SchedulerShopStatus extends ShopStatus {
  /** When the next call is planned; absent while one is awaited or none will come by itself. */
  nextCallAt?: number;
  inFlight: number;
}

export interface SchedulerDeps {
  gateway: Gateway;
  clock: Clock;
  /** Backoff jitter; default Math.random. */
  random?: () => number;
  /** Decode, store (flushed), notify. Awaited before that shop's lane calls again. A rejection
   * means messages could not be stored: the shop stops rather than consume more of them. */
  onBatch: (shop: ShopId, ok: ConsumeOk, receivedAt: number) => Promise<void>;
  /** Every failed call, retried or not. */
  onError: (shop: ShopId, error: AppError) => void;
  /** A shop's state or error changed (not its call times: read those with status()). */
  onStateChange?: (status: SchedulerShopStatus) => void;
  /** Messages per consume, 10..200; default 100. */
  quantity?: number;
  polling?: PollPolicy;
  /** Call starts a second over all shops, a whole number; default 10 (the gateway's limit).
   * Counted in windows of PACING_WINDOW_MS, a second plus the arrival margin. */
  ratePerSecond?: number;
  /** Calls in flight over all shops (default 16: room for other shops beside one draining), and
   * per shop while it drains a burst (default 14: every slot of the rate for turnarounds up to
   * about 1.4 s; the gateway's own run time is about 1.1 s). */
  maxInFlight?: number;
  maxInFlightPerShop?: number;
}

export class Scheduler {
  private readonly deps: SchedulerDeps;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly quantity: number;
  /** The mean time between starts at the rate, and the least between any two. */
  private readonly spacingMs: number;
  private readonly minGapMs: number;
  private readonly starts: SlidingWindow;
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
  private lastStartAt = Number.NEGATIVE_INFINITY;
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
    this.starts = new SlidingWindow(rate, PACING_WINDOW_MS);
    this.spacingMs = PACING_WINDOW_MS / rate;
    this.minGapMs = this.spacingMs / 4;
    this.maxInFlight = Math.max(1, deps.maxInFlight ?? 16);
    this.maxPerShop = Math.max(1, deps.maxInFlightPerShop ?? 14);
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
        s.callNow(now, this.policy);
      }
    }
    this.changedState();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const now = this.clock.now();
    for (const s of this.shops.values()) s.callNow(now, this.policy);
    this.loopDone = this.loop();
    this.changedState();
  }

  /** Stops calling; resolves once the loop has ended and every call in flight has been stored. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.nudge();
    await this.loopDone;
    while (this.calls.size > 0) await Promise.allSettled([...this.calls]);
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
        s.clearStop(now, this.policy);
      }
    } else {
      if (this.allPaused) {
        this.allPaused = false;
        for (const s of this.shops.values()) s.paused = s.shop !== shop;
      }
      const s = this.shopFor(shop);
      s.paused = false;
      s.clearStop(now, this.policy);
    }
    this.changedState();
  }

  /** A new token was saved: a stop caused by the old one (401, 204) no longer holds. */
  tokenChanged(): void {
    if (!this.globalStop) return;
    this.globalStop = undefined;
    const now = this.clock.now();
    for (const s of this.shops.values()) s.callNow(now, this.policy);
    this.changedState();
  }

  /** The machine sleeps or the screen locked: no new calls. */
  suspend(): void {
    this.suspended = true;
    this.changedState();
  }

  /** Back from sleep: every active shop calls at once rather than finish the pause it was in. */
  wake(): void {
    this.suspended = false;
    const now = this.clock.now();
    for (const s of this.shops.values()) s.callNow(now, this.policy);
    this.changedState();
  }

  setMode(mode: PollPolicy['mode'], customCeilingMs?: number): void {
    this.policy = { mode, customCeilingMs };
    for (const s of this.shops.values()) s.retime(this.policy);
    this.nudge();
  }

  get polling(): PollPolicy {
    return { ...this.policy };
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
    else if (s.lastError) [state, error] = ['error', s.lastError];
    else state = 'listening';
    const calling = state === 'listening' || state === 'error';
    const nextCallAt =
      calling && s.inFlight < s.concurrency ? Math.max(s.nextCallAt, this.nextStartAt(this.clock.now())) : undefined;
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
    return new ShopPoller(shop, now, this.maxPerShop, this.spacingMs);
  }

  /** The earliest time the pacing allows another start. */
  private nextStartAt(now: number): number {
    return Math.max(this.lastStartAt + this.minGapMs, this.starts.nextAt(now));
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const now = this.clock.now();
      const step = this.nextStep(now);
      if (step.launch) {
        this.launch(step.launch, now);
        continue;
      }
      await this.idle(step.at - now);
    }
  }

  /** Who calls now, or when to look again (Infinity: only when something changes). */
  private nextStep(now: number): { launch?: ShopPoller; at: number } {
    if (this.suspended || this.globalStop || this.allPaused || this.inFlight >= this.maxInFlight)
      return { at: Infinity };
    const order = [...this.shops.values()];
    let earliest = Infinity;
    for (const s of order) if (s.active && s.inFlight < s.concurrency) earliest = Math.min(earliest, s.nextCallAt);
    const at = Math.max(earliest, this.nextStartAt(now));
    if (at > now) return { at };
    for (let i = 1; i <= order.length; i++) {
      const idx = (this.turn + i) % order.length;
      const s = order[idx]!;
      if (s.active && s.inFlight < s.concurrency && s.nextCallAt <= now) {
        this.turn = idx;
        return { launch: s, at: now };
      }
    }
    return { at: Infinity };
  }

  private launch(s: ShopPoller, now: number): void {
    s.started(now);
    this.inFlight++;
    this.lastStartAt = now;
    this.starts.record(now);
    const call = this.call(s, now).finally(() => this.calls.delete(call));
    this.calls.add(call);
  }

  private async call(s: ShopPoller, startedAt: number): Promise<void> {
    try {
      let result: Result<ConsumeOk>;
      try {
        result = await this.deps.gateway.consume(s.shop, { quantity: this.quantity });
      } catch (e) {
        result = err(appError('internal', `consume threw: ${String(e)}`, { endpoint: 'consume' }));
      }
      const receivedAt = this.clock.now();
      if (result.ok) {
        const batch = result.value;
        const count = batch.messages.length + batch.malformed.length;
        s.received(count, this.quantity);
        try {
          await s.inTurn(() => this.deps.onBatch(s.shop, batch, receivedAt));
        } catch (e) {
          const error = appError('internal', `消息保存失败 (could not store messages): ${String(e)}`, {
            retryable: false,
          });
          s.stopError = error;
          this.deps.onError(s.shop, error);
          return;
        }
        s.answered(count, this.quantity, startedAt, this.clock.now(), this.policy);
      } else {
        // The books first: a throwing listener must not leave the shop without its back-off.
        const plan = s.failed(result.error, this.clock.now(), this.policy, this.random);
        if (plan.action === 'stop' && plan.scope === 'all') this.globalStop ??= result.error;
        this.deps.onError(s.shop, result.error);
      }
    } finally {
      s.finished();
      this.inFlight--;
      this.changedState();
    }
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
      const key = `${st.state}|${st.error?.kind ?? ''}|${st.error?.code ?? ''}|${st.error?.message ?? ''}`;
      if (this.reported.get(s.shop) === key) continue;
      this.reported.set(s.shop, key);
      report(st);
    }
  }
}

const STATE_WORDS: Record<ShopRunState, { zh: string; en: string }> = {
  listening: { zh: '监听中', en: 'listening' },
  paused: { zh: '已暂停', en: 'paused' },
  stopped: { zh: '已停止', en: 'stopped' },
  error: { zh: '出错，自动重试', en: 'error, retrying' },
  disabled: { zh: '未启用', en: 'disabled' },
};

/** One line per shop for the CLI's `status` and the log: state, call times, error and advice. */
export function describeSchedulerState(
  statuses: readonly SchedulerShopStatus[],
  now: number,
  lang: Language = 'zh-CN',
): string {
  const en = lang === 'en';
  return statuses
    .map((st) => {
      const parts = [st.shop, en ? STATE_WORDS[st.state].en : STATE_WORDS[st.state].zh];
      if (st.lastCallAt !== undefined) parts.push(`${en ? 'last call' : '上次调用'} ${formatChinaTime(st.lastCallAt)}`);
      if (st.inFlight > 0) parts.push(en ? `${st.inFlight} in flight` : `${st.inFlight} 个请求进行中`);
      else if (st.nextCallAt !== undefined) {
        const s = (Math.max(0, st.nextCallAt - now) / 1000).toFixed(1);
        parts.push(en ? `next in ${s} s` : `${s} 秒后调用`);
      }
      if (st.error) parts.push(describeError(st.error, lang));
      return parts.join('  ');
    })
    .join('\n');
}
