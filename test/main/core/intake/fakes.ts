/** Hand-written fakes for the intake tests: a scripted gateway on the virtual clock. */
import type { Clock } from '../../../../src/main/core/clock';
import type {
  ConsumeOk,
  ConsumeRequest,
  Gateway,
  GatewayMessage,
  RemarkOk,
} from '../../../../src/main/core/gateway/types';
import { RateLimiter } from '../../../../src/simulator/rateLimit';
import { appError, type ErrorKind } from '../../../../src/shared/errors';
import { gatewayError } from '../../../support/errors';
import { err, ok, type Result } from '../../../../src/shared/result';

export interface CallRecord {
  shop: string;
  at: number;
  answeredAt?: number;
  quantity?: number;
}

/** What a shop's queue answers at the time of a call. */
export type Source = (shop: string, quantity: number, now: number) => Result<ConsumeOk>;

export function batch(n: number, shop = 's', from = 0): ConsumeOk {
  const messages: GatewayMessage[] = Array.from({ length: n }, (_, i) => ({
    rowId: String(from + i),
    msgData: `{"shop":"${shop}"}`,
  }));
  return { messages, malformed: [], cost: 1 };
}

export const always =
  (r: Result<ConsumeOk> | ((shop: string, q: number) => Result<ConsumeOk>)): Source =>
  (shop, q) =>
    typeof r === 'function' ? r(shop, q) : r;

export const empty = always(ok(batch(0)));
export const full = always((shop, q) => ok(batch(q, shop)));
export const failing = (kind: ErrorKind, gatewayCode?: number) => always(err(gatewayError(kind, gatewayCode)));

/**
 * Per-shop queues of messages with arrival times: a call takes up to `quantity` of those that
 * have arrived. Each message's msgData is its arrival time, so a test can measure latency.
 */
export class Queues {
  private readonly queues = new Map<string, number[]>();
  private seq = 0;

  add(shop: string, arrivals: number[]): void {
    const q = this.queues.get(shop) ?? [];
    q.push(...arrivals);
    q.sort((a, b) => a - b);
    this.queues.set(shop, q);
  }

  left(shop: string): number {
    return this.queues.get(shop)?.length ?? 0;
  }

  readonly source: Source = (shop, quantity, now) => {
    const q = this.queues.get(shop) ?? [];
    let n = 0;
    while (n < q.length && n < quantity && q[n]! <= now) n++;
    const taken = q.splice(0, n);
    return ok({ messages: taken.map((t) => ({ rowId: String(this.seq++), msgData: t })), malformed: [], cost: 1 });
  };
}

export class FakeGateway implements Gateway {
  readonly calls: CallRecord[] = [];
  private readonly inFlight = new Map<string, number>();
  /** The most calls any one shop had in flight at once. */
  readonly maxInFlight = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    public source: Source,
    /** Answer time; the answer is taken from the queue when it is sent. */
    public latencyMs: number | ((shop: string) => number) = 0,
    /** Answers carry the gateway's run time (`msec`), the answer time, as the real gateway's do. */
    private readonly reportsMsec = false,
  ) {}

  async consume(shop: string, req: ConsumeRequest): Promise<Result<ConsumeOk>> {
    const rec: CallRecord = { shop, at: this.clock.now(), quantity: req.quantity };
    this.calls.push(rec);
    const n = (this.inFlight.get(shop) ?? 0) + 1;
    this.inFlight.set(shop, n);
    this.maxInFlight.set(shop, Math.max(n, this.maxInFlight.get(shop) ?? 0));
    const latency = typeof this.latencyMs === 'function' ? this.latencyMs(shop) : this.latencyMs;
    if (latency > 0) await this.clock.sleep(latency);
    this.inFlight.set(shop, (this.inFlight.get(shop) ?? 1) - 1);
    rec.answeredAt = this.clock.now();
    const answer = this.source(shop, req.quantity ?? 200, this.clock.now());
    return answer.ok && this.reportsMsec ? ok({ ...answer.value, msec: latency }) : answer;
  }

  async remark(): Promise<Result<RemarkOk>> {
    return err(appError('internal', 'internal', { detail: 'not used by the intake' }));
  }

  callsOf(shop: string): CallRecord[] {
    return this.calls.filter((c) => c.shop === shop);
  }

  /** The most call starts in any window of `windowMs` (half-open). */
  maxStartsIn(windowMs: number): number {
    const starts = this.calls.map((c) => c.at).sort((a, b) => a - b);
    let best = 0;
    let lo = 0;
    for (let hi = 0; hi < starts.length; hi++) {
      while (starts[hi]! - starts[lo]! >= windowMs) lo++;
      best = Math.max(best, hi - lo + 1);
    }
    return best;
  }
}

export const busy = () => err(gatewayError('transient', 202, { endpoint: 'consume', msg: '系统错误,请稍后再试' }));

/**
 * The gateway's own rate limit in front of another fake: each call reaches it `delayMs()` after it
 * was sent (network jitter), is counted on arrival, and past `limit` arrivals in any second is
 * answered 202 at once. `refuse` can also pick calls (1-based, in arrival order) to refuse.
 */
export class LimitedGateway implements Gateway {
  /** When each refused call arrived. */
  readonly refusedAt: number[] = [];
  private arrivals = 0;
  private readonly limiter: RateLimiter;

  constructor(
    private readonly clock: Clock,
    private readonly inner: Gateway,
    private readonly opts: { delayMs?: () => number; limit?: number; refuse?: (n: number) => boolean } = {},
  ) {
    this.limiter = new RateLimiter(opts.limit ?? 10);
  }

  async consume(shop: string, req: ConsumeRequest): Promise<Result<ConsumeOk>> {
    const delay = this.opts.delayMs?.() ?? 0;
    if (delay > 0) await this.clock.sleep(delay);
    const n = ++this.arrivals;
    if (this.opts.refuse?.(n) || !this.limiter.admit('consume', this.clock.now())) {
      this.refusedAt.push(this.clock.now());
      return busy();
    }
    return this.inner.consume(shop, req);
  }

  async remark(): Promise<Result<RemarkOk>> {
    return err(appError('internal', 'internal', { detail: 'not used by the intake' }));
  }
}
