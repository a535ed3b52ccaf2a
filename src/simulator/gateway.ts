/**
 * The local vv-tool gateway's behaviour, with no HTTP: per-shop destructive queues, bcro with its
 * TradeMemoModified echo, the TOP permit call, the rate limit, demo traffic and scripted faults.
 * It takes a call's endpoint, token and form fields and decides the answer; server.ts carries
 * calls and answers over HTTP.
 *
 * Choices where the pages say nothing:
 * - Every answer is HTTP 200 with the outcome in `code`, 401 and 404 included, like the real one.
 * - A successful call (code 0) costs `withholding_money: 1`, an empty consume included; a refused
 *   call costs nothing and carries `data: []` (302 carries `data.url`).
 * - Over `rateLimitPerSecond` calls in a second on one endpoint are answered with code 202
 *   (系统错误,请稍后再试): the app then backs off as for any transient error. Refused calls do not
 *   count toward the limit.
 * - bcro without `memo` keeps the order's memo; without `flag` it sets 0, as the page says.
 * - Automatic traffic and the bcro echo deliver only subscribed topics (TOP permit state);
 *   generate() and enqueue() deliver what they are told.
 */
import { setMaxListeners } from 'node:events';
import { DEMO_SHOPS, DEMO_TOKEN, DEMO_TOP_APP_KEY, DEMO_TOP_SECRET } from '../shared/demo';
import { isFlag } from '../shared/flag';
import { MAX_QUANTITY, MIN_QUANTITY } from '../shared/limits';
import { checkMemo, isTid } from '../shared/memo';
import { formatChinaTime, systemClock, type Clock } from '../main/core/clock';
import { consumeData, consumeRow, CODE_TEXT, encodeMsgData, envelope, type Publisher } from './encode';
import { brokenRows, FaultBook, httpFaultBody, truncateBody, type QueuedMessage } from './faults';
import { RateLimiter } from './rateLimit';
import { createRng, type Rng } from './rng';
import { TopPermit, topErrorBody } from './top';
import { memoModifiedMessage, planTraffic, shopIdentity, type TimedMessage } from './traffic';
import type { Fault, RemarkRecord, SimEndpoint, SimMessage, Simulator, SimulatorOptions } from './types';

/** The publisher app key in the API page's example (vv-tool's own app). */
export const PUB_APP_KEY = '12421314';

/** What the gateway takes when a consume names no quantity. */
const DEFAULT_QUANTITY = 100;
/** How often the automatic traffic starts orders and releases due messages. */
const TRAFFIC_TICK_MS = 1000;
const BACKLOG_SPREAD_MS = 30 * 60_000;

/** Where the seller scans to authorise a shop (302's `data.url`). */
export function authUrl(shop: string): string {
  const redirect = encodeURIComponent('https://www.vv-tool.com/auth/callback');
  return `https://oauth.taobao.com/authorize?response_type=code&client_id=${PUB_APP_KEY}&redirect_uri=${redirect}&state=${encodeURIComponent(shop)}&view=web`;
}

export interface Answer {
  status: number;
  body: string;
  contentType: string;
}

/** How a call ends: an answer (sent slowly under a drip fault), or the connection reset. */
export type Outcome = { answer: Answer; drip?: { bytesPerSecond?: number } } | { reset: true };

const json = (body: string): Answer => ({ status: 200, body, contentType: 'application/json; charset=utf-8' });

/** An outcome that is not a success: its code, and any detail for `msg`. */
interface Refusal {
  code: number;
  detail?: string;
  data?: unknown;
}

/** The answer under `fault`: a drip fault slows its sending. */
function answered(answer: Answer, fault: Fault | undefined): Outcome {
  return fault?.type === 'drip' ? { answer, drip: { bytesPerSecond: fault.bytesPerSecond } } : { answer };
}

/** The outcome a transport fault decides on its own, before the endpoint does anything. */
function transportFault(fault: Fault | undefined): Outcome | undefined {
  if (fault?.type === 'reset') return { reset: true };
  if (fault?.type === 'http')
    return {
      answer: {
        status: fault.status,
        body: fault.body ?? httpFaultBody(fault.status),
        contentType: fault.contentType ?? 'text/html',
      },
    };
  return undefined;
}

type GatewayState = Pick<
  Simulator,
  | 'answers'
  | 'calls'
  | 'generate'
  | 'enqueue'
  | 'queueLength'
  | 'remarkOf'
  | 'injectFault'
  | 'clearFaults'
  | 'subscriptions'
>;

export class GatewayModel implements GatewayState {
  readonly answers: Simulator['answers'] = [];
  readonly calls: Simulator['calls'] = [];

  private readonly clock: Clock;
  private readonly tokens: ReadonlySet<string>;
  private readonly shops: readonly string[];
  private readonly serviceTimeMs: number;
  private readonly echoDelayMs: number;
  private readonly limiter: RateLimiter;
  private readonly rng: Rng;
  private readonly trafficRng: Rng;
  private readonly top: TopPermit;
  private readonly faults = new FaultBook();
  private readonly queues = new Map<string, QueuedMessage[]>();
  private readonly remarks = new Map<string, RemarkRecord>();
  private readonly publishers = new Map<string, Publisher>();
  private readonly closing = new AbortController();
  private nextRowId = 1;

  constructor(options: SimulatorOptions) {
    this.clock = options.clock ?? systemClock;
    this.tokens = new Set(options.tokens ?? [DEMO_TOKEN]);
    this.shops = options.shops ?? DEMO_SHOPS;
    this.serviceTimeMs = options.serviceTimeMs ?? 0;
    this.echoDelayMs = options.echoDelayMs ?? 1000;
    this.limiter = new RateLimiter(options.rateLimitPerSecond ?? 10);
    const seed = options.seed ?? this.clock.now();
    this.rng = createRng(seed);
    // Its own stream, so that tests calling generate() do not change the demo's timed traffic.
    this.trafficRng = createRng(seed ^ 0x5bd1e995);
    // Every pending wait (echoes, drips, service time) listens for close(): many at once is normal.
    setMaxListeners(0, this.closing.signal);
    this.top = new TopPermit({
      appKey: options.topAppKey ?? DEMO_TOP_APP_KEY,
      secret: options.topSecret ?? DEMO_TOP_SECRET,
    });
  }

  /** True once close() was called: every wait has been cut short. */
  get closed(): boolean {
    return this.closing.signal.aborted;
  }

  /** Ends the traffic, the echoes and every wait in progress. */
  close(): void {
    this.closing.abort(new Error('simulator closed'));
  }

  /** Resolves after `ms` on the simulator's clock; rejects when the simulator closes. */
  wait(ms: number): Promise<void> {
    return ms > 0 ? this.clock.sleep(ms, this.closing.signal) : Promise.resolve();
  }

  now(): number {
    return this.clock.now();
  }

  generate(shop: string, count: number, opts: { topics?: string[]; duplicateRate?: number } = {}): SimMessage[] {
    // A backlog: orders started over the last count × 30 minutes, their whole history already past.
    const messages = planTraffic(this.rng, shop, count, this.clock.now(), {
      ...opts,
      spanMs: count * BACKLOG_SPREAD_MS,
      anchor: 'end',
    }).map((t) => t.message);
    this.enqueue(shop, messages);
    return messages;
  }

  enqueue(shop: string, messages: SimMessage[]): void {
    const queue = this.queues.get(shop) ?? [];
    for (const message of messages) queue.push({ rowId: this.nextRowId++, message });
    this.queues.set(shop, queue);
  }

  queueLength(shop: string): number {
    return this.queues.get(shop)?.length ?? 0;
  }

  remarkOf(tid: string): RemarkRecord | undefined {
    const r = this.remarks.get(tid);
    return r && { ...r };
  }

  injectFault(fault: Fault, opts?: { endpoint?: SimEndpoint; shop?: string; times?: number }): void {
    this.faults.add(fault, opts);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  subscriptions(): Record<string, string[]> {
    return this.top.subscriptions();
  }

  /** A call to a path the gateway does not serve. */
  unknownPath(started: number): Answer {
    this.calls.push({ at: started, endpoint: 'other' });
    return json(envelope(404, [], this.meta(started)));
  }

  /** A call whose form could not be read. */
  unreadableForm(endpoint: SimEndpoint, problem: string, started: number): Answer {
    this.calls.push({ at: started, endpoint });
    return json(envelope(100, [], this.meta(started), `${CODE_TEXT[100]}: ${problem}`));
  }

  /** A consume or bcro call; `authorization` is the request's header. */
  async gateway(
    endpoint: 'consume' | 'remark',
    authorization: string | undefined,
    fields: Record<string, string>,
    started: number,
  ): Promise<Outcome> {
    const shop = fields.shop_id || undefined;
    this.calls.push({ at: started, endpoint, shop });
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!token || !this.tokens.has(token)) return this.refuse(endpoint, shop, { code: 401 }, started);
    if (!this.limiter.admit(endpoint, started)) return this.refuse(endpoint, shop, { code: 202 }, started);
    await this.wait(this.serviceTimeMs);
    const fault = this.faults.take(endpoint, shop, shop !== undefined && this.queueLength(shop) > 0);
    const early = transportFault(fault);
    if (early) return early;
    if (fault?.type === 'code') {
      const data = fault.code === 302 && shop ? { url: authUrl(shop) } : [];
      return this.refuse(endpoint, shop, { code: fault.code, data }, started, fault.msg);
    }
    if (fault?.type === 'delay') await this.wait(fault.ms);
    const refusal = this.shopRefusal(shop) ?? FIELD_REFUSALS[endpoint](fields);
    if (!shop || refusal) return this.refuse(endpoint, shop, refusal ?? { code: 100 }, started);
    const done = endpoint === 'consume' ? this.consume(fields, shop, fault) : this.remark(fields, shop, fault);
    const body = envelope(0, done.data, this.meta(started));
    return answered(json(done.truncated ? truncateBody(body) : body), fault);
  }

  /** A call to the TOP router (the permit call). */
  async topRouter(fields: Record<string, string>, started: number): Promise<Outcome> {
    this.calls.push({ at: started, endpoint: 'top' });
    if (!this.limiter.admit('top', started)) {
      return this.topError({ code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by-app-access-count' });
    }
    await this.wait(this.serviceTimeMs);
    const fault = this.faults.take('top', undefined, false);
    const early = transportFault(fault);
    if (early) return early;
    if (fault?.type === 'code')
      return this.topError({
        code: fault.code,
        msg: fault.msg ?? 'Remote service error',
        sub_code: 'isp.remote-service-error',
      });
    if (fault?.type === 'delay') await this.wait(fault.ms);
    const body = this.top.handle(fields, this.clock.now());
    return answered(json(fault?.type === 'malformed' ? truncateBody(body) : body), fault);
  }

  /** Demo traffic: orders start at random (Poisson) instants and their messages come out when due. */
  async runTraffic(ordersPerMinute: number): Promise<void> {
    if (ordersPerMinute <= 0 || this.shops.length === 0) return;
    const meanGapMs = 60_000 / ordersPerMinute;
    const pending: (TimedMessage & { shop: string })[] = [];
    let nextOrderAt = this.clock.now();
    try {
      for (;;) {
        const now = this.clock.now();
        while (nextOrderAt <= now) {
          const shop = this.trafficRng.pick(this.shops);
          for (const t of planTraffic(this.trafficRng, shop, 1, nextOrderAt)) pending.push({ ...t, shop });
          nextOrderAt += Math.max(1, Math.round(-Math.log(1 - this.trafficRng.next()) * meanGapMs));
        }
        pending.sort((a, b) => a.at - b.at);
        while (pending.length > 0 && (pending[0]?.at ?? Infinity) <= now) {
          const due = pending.shift();
          if (due && this.top.isSubscribed(due.message.topic)) this.enqueue(due.shop, [due.message]);
        }
        await this.wait(TRAFFIC_TICK_MS);
      }
    } catch {
      // close() aborted the wait: the traffic stops with the server.
    }
  }

  private topError(e: Parameters<typeof topErrorBody>[0]): Outcome {
    return { answer: json(topErrorBody(e, this.top.nextRequestId())) };
  }

  private meta(started: number): { msec: number; now: number } {
    const now = this.clock.now();
    return { msec: now - started, now };
  }

  private publisher(shop: string): Publisher {
    let p = this.publishers.get(shop);
    if (!p) {
      const id = shopIdentity(shop);
      p = { userId: id.userId, userNick: id.sellerNick, appKey: PUB_APP_KEY };
      this.publishers.set(shop, p);
    }
    return p;
  }

  private refuse(endpoint: SimEndpoint, shop: string | undefined, r: Refusal, started: number, msg?: string): Outcome {
    const text = msg ?? (r.detail ? `${CODE_TEXT[r.code] ?? ''}: ${r.detail}` : undefined);
    if (endpoint === 'consume') this.answers.push({ at: this.clock.now(), shop: shop ?? '', ids: [], code: r.code });
    return { answer: json(envelope(r.code, r.data ?? [], this.meta(started), text)) };
  }

  /** 100 for a missing shop, 302 for one that is not authorised. */
  private shopRefusal(shop: string | undefined): Refusal | undefined {
    if (!shop) return { code: 100, detail: 'shop_id 必填 (shop_id is required)' };
    if (!this.shops.includes(shop)) return { code: 302, data: { url: authUrl(shop) } };
    return undefined;
  }

  /** A consume the shop may make: its messages, taken from the queue. */
  private consume(fields: Record<string, string>, shop: string, fault: Fault | undefined): Done {
    const quantity = fields.quantity ? Number(fields.quantity) : DEFAULT_QUANTITY;
    const topic = fields.msg_type || undefined;
    const taken = this.take(shop, quantity, topic);
    const publisher = this.publisher(shop);
    const rows =
      fault?.type === 'malformed' && fault.what !== 'body'
        ? brokenRows(fault.what, taken, publisher)
        : taken.map((e) => consumeRow(e.rowId, encodeMsgData(e.message, publisher)));
    this.answers.push({ at: this.clock.now(), shop, ids: taken.map((e) => e.message.id), code: 0 });
    return { data: consumeData(rows, 1), truncated: fault?.type === 'malformed' && fault.what === 'body' };
  }

  /** Removes up to `quantity` messages (of `topic` only, when given) from the head of a shop's queue. */
  private take(shop: string, quantity: number, topic: string | undefined): QueuedMessage[] {
    const queue = this.queues.get(shop) ?? [];
    if (topic === undefined) return queue.splice(0, quantity);
    const taken: QueuedMessage[] = [];
    const kept: QueuedMessage[] = [];
    for (const entry of queue) {
      if (taken.length < quantity && entry.message.topic === topic) taken.push(entry);
      else kept.push(entry);
    }
    this.queues.set(shop, kept);
    return taken;
  }

  /** A bcro the shop may make: the memo and flag kept, their echo queued after a while. */
  private remark(fields: Record<string, string>, shop: string, fault: Fault | undefined): Done {
    const tid = fields.tid as string;
    const flag = fields.flag ? Number(fields.flag) : 0;
    const at = this.clock.now();
    const memo = fields.memo ?? this.remarks.get(tid)?.memo ?? '';
    this.remarks.set(tid, { shop, memo, flag, at });
    this.wait(this.echoDelayMs).then(
      () => {
        const echo = memoModifiedMessage(this.rng, shop, tid, memo, flag, this.clock.now());
        if (this.top.isSubscribed(echo.topic)) this.enqueue(shop, [echo]);
      },
      () => undefined,
    );
    return {
      data: { withholding_money: 1, modified: formatChinaTime(at), tid },
      truncated: fault?.type === 'malformed',
    };
  }
}

/** A call's data, and whether a fault cuts its answer in half. */
interface Done {
  data: unknown;
  truncated: boolean;
}

/** Each endpoint's own checks of its fields, after the shop's. */
const FIELD_REFUSALS: Record<'consume' | 'remark', (f: Record<string, string>) => Refusal | undefined> = {
  consume: (f) => quantityRefusal(f.quantity),
  remark: remarkRefusal,
};

function quantityRefusal(text: string | undefined): Refusal | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (/^\d+$/.test(text) && n >= MIN_QUANTITY && n <= MAX_QUANTITY) return undefined;
  return {
    code: 100,
    detail: `quantity 须在 ${MIN_QUANTITY}..${MAX_QUANTITY} 之间 (quantity must be ${MIN_QUANTITY}..${MAX_QUANTITY})`,
  };
}

function remarkRefusal(f: Record<string, string>): Refusal | undefined {
  if (!isTid(f.tid)) return { code: 100, detail: 'tid 必须是数字 (tid must be digits)' };
  if (f.flag && !(/^\d$/.test(f.flag) && isFlag(Number(f.flag))))
    return { code: 100, detail: 'flag 须为 0..5 (flag must be 0..5)' };
  if (f.memo !== undefined) {
    const m = checkMemo(f.memo);
    if (!m.ok) return { code: 100, detail: `备注过长：${m.bytes} 字节，上限 1000 字节 (memo over 1000 bytes)` };
  }
  return undefined;
}
