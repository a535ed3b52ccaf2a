/**
 * The gateway of B1, in process and on the virtual clock: no sockets, so a day of calls runs in
 * seconds. It behaves like the local simulator (src/simulator/server.ts) where it
 * matters for cost and latency:
 * - a call is answered after `serviceTimeMs`, and takes the messages released by then (a message
 *   published while a call is being served still comes back in that answer);
 * - over `ratePerSecond` calls in any second are answered at once with code 202 and not billed,
 *   and do not count toward the limit;
 * - an answer costs 1 点券, an empty one included (the API notes assume it is billed).
 */
import type { ShopId } from '../src/shared/domain';
import { appError } from '../src/shared/errors';
import { err, ok, type Result } from '../src/shared/result';
import type { Clock } from '../src/main/core/clock';
import type { ConsumeOk, ConsumeRequest, Gateway, GatewayMessage, RemarkOk } from '../src/main/core/gateway/types';
import { clampQuantity, DEFAULT_QUANTITY } from '../src/main/core/intake/pauses';
import { encodeMsgData, type TimedMessage } from '../src/simulator';
import { RateLimiter } from '../src/simulator/rateLimit';
import { publisherOf } from './backlog';

export interface DayGatewayOptions {
  clock: Clock;
  /** Each shop's deliveries in time order. */
  plans: ReadonlyMap<ShopId, readonly TimedMessage[]>;
  serviceTimeMs?: number;
  ratePerSecond?: number;
}

export interface GatewayCall {
  shop: ShopId;
  at: number;
  /** False when refused by the rate limit (code 202, free). */
  billed: boolean;
  /** The quantity asked for. */
  quantity: number;
}

interface ShopQueue {
  plan: readonly TimedMessage[];
  /** Deliveries before this index are released (queued or taken). */
  released: number;
  queue: GatewayMessage[];
}

export class DayGateway implements Gateway {
  /** Every consume call, refused ones included, in call order. */
  readonly calls: GatewayCall[] = [];
  private readonly clock: Clock;
  private readonly serviceTimeMs: number;
  private readonly limiter: RateLimiter;
  private readonly shops = new Map<ShopId, ShopQueue>();
  private rowId = 1;

  constructor(opts: DayGatewayOptions) {
    this.clock = opts.clock;
    this.serviceTimeMs = opts.serviceTimeMs ?? 1000;
    this.limiter = new RateLimiter(opts.ratePerSecond ?? 10);
    for (const [shop, plan] of opts.plans) this.shops.set(shop, { plan, released: 0, queue: [] });
  }

  async consume(shop: ShopId, req: ConsumeRequest): Promise<Result<ConsumeOk>> {
    const at = this.clock.now();
    const quantity = clampQuantity(req.quantity ?? DEFAULT_QUANTITY);
    if (!this.limiter.admit('consume', at)) {
      this.calls.push({ shop, at, billed: false, quantity });
      return err(
        appError(
          'transient',
          'gateway_code',
          { gatewayCode: 202, msg: '系统错误,请稍后再试' },
          { endpoint: 'consume' },
        ),
      );
    }
    this.calls.push({ shop, at, billed: true, quantity });
    await this.clock.sleep(this.serviceTimeMs);
    const q = this.shops.get(shop);
    if (!q)
      return err(
        appError(
          'shop_unauthorized',
          'gateway_code',
          { gatewayCode: 302, msg: `未授权店铺 ${shop}` },
          { endpoint: 'consume' },
        ),
      );
    this.release(shop, q, this.clock.now());
    const messages = q.queue.splice(0, quantity);
    return ok({ messages, malformed: [], cost: 1, msec: this.serviceTimeMs });
  }

  async remark(): Promise<Result<RemarkOk>> {
    return err(appError('internal', 'internal', { detail: 'B1 calls consume only' }, { endpoint: 'remark' }));
  }

  private release(shop: ShopId, q: ShopQueue, now: number): void {
    const publisher = publisherOf(shop);
    while (q.released < q.plan.length && q.plan[q.released]!.at <= now) {
      const { message } = q.plan[q.released++]!;
      q.queue.push({ rowId: String(this.rowId++), msgData: encodeMsgData(message, publisher) });
    }
  }
}
