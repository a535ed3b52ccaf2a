/**
 * An in-memory TradebellApi for component tests: orders, settings and state in plain fields,
 * every call recorded, errors scripted per method (or per tid for remark), remarks holdable to
 * observe the "saving" state.
 */
import type {
  AppState,
  Navigation,
  OrderPage,
  OrderQuery,
  RemarkRequest,
  RemarkResult,
  SecretName,
  SettingsPatch,
  SubscriptionChange,
  SubscriptionState,
  TradebellApi,
  Unsubscribe,
} from '../../src/shared/api';
import {
  compareNewestFirst,
  orderKey,
  type Order,
  type OrderEvent,
  type OrderSummary,
  type ShopId,
  type Tid,
} from '../../src/shared/domain';
import { appError, type AppError } from '../../src/shared/errors';
import { partsToSend } from '../../src/shared/memo';
import { err, ok, type Result } from '../../src/shared/result';
import { DEFAULT_SETTINGS, type PublicSettings } from '../../src/shared/settings';

type Method = keyof TradebellApi;

let tidSeq = 0n;

/** A paid order; `tid` is a 19-digit string unless given. */
export function makeOrder(over: Partial<Order> = {}): Order {
  tidSeq += 1n;
  const at = over.updatedAt ?? Date.now() - Number(tidSeq) * 60_000;
  return {
    shop: 'shop1',
    tid: String(1588826713157361977n + tidSeq),
    status: 'WAIT_SELLER_SEND_GOODS',
    payment: '48.00',
    buyerNick: `买家${tidSeq}`,
    items: [{ title: `商品${tidSeq}` }],
    createdAt: at,
    updatedAt: at,
    seen: true,
    events: [],
    ...over,
  };
}

export function makeState(over: Partial<AppState> = {}): AppState {
  return {
    demo: false,
    paused: false,
    unread: 0,
    shops: [{ shop: 'shop1', state: 'listening', lastCallAt: Date.now() }],
    cost: { today: { calls: 1234, points: 1234 }, total: { calls: 5000, points: 5000 }, projectedDailyPoints: 8640 },
    ...over,
  };
}

export function makeSettings(over: Partial<PublicSettings> = {}): PublicSettings {
  return {
    ...structuredClone(DEFAULT_SETTINGS),
    shops: [
      { id: 'shop1', name: '一号店', colour: '#ff5000', enabled: true },
      { id: 'shop2', name: '二号店', colour: '#1e88e5', enabled: true },
    ],
    tokenSet: true,
    topSecretSet: true,
    topSessionSet: true,
    topAppKey: '12345678',
    demo: false,
    ...over,
  };
}

export const shopUnauthorized = (): AppError =>
  appError(
    'shop_unauthorized',
    'gateway_code',
    { gatewayCode: 302, msg: '店铺未授权' },
    { authUrl: 'https://oauth.vv-tool.com/authorize?shop=shop1' },
  );

function matches(o: Order, q: OrderQuery): boolean {
  if (q.shop !== undefined && o.shop !== q.shop) return false;
  if (q.tids !== undefined && !q.tids.includes(o.tid)) return false;
  if (q.status !== undefined) {
    const refunding = o.refund !== undefined && o.refund.status !== 'SUCCESS' && o.refund.status !== 'CLOSED';
    if (q.status === 'REFUNDING' ? !refunding : o.status !== q.status) return false;
  }
  if (q.flag !== undefined && o.flag !== q.flag) return false;
  if (q.unflaggedOnly && o.flag !== undefined && o.flag !== 0) return false;
  if (q.search !== undefined) {
    const s = q.search.toLowerCase();
    const hay = [o.tid, o.buyerNick ?? '', ...o.items.map((i) => i.title ?? '')].join('\n').toLowerCase();
    if (!hay.includes(s)) return false;
  }
  return true;
}

const newestFirst = (a: Order, b: Order) => compareNewestFirst(a.updatedAt, orderKey(a), b.updatedAt, orderKey(b));

/** A row as the core sends it: no history. */
function rowOf(o: Order): OrderSummary {
  const { events: _events, ...row } = structuredClone(o);
  return row;
}

export class FakeApi implements TradebellApi {
  orders: Order[];
  settings: PublicSettings;
  state: AppState;
  subscriptions: SubscriptionState = {
    subscribed: { trade: ['TradeBuyerPay', 'TradeSuccess'], refund: ['RefundCreated'], item: [] },
    status: 'normal',
  };

  readonly calls = {
    listOrders: [] as OrderQuery[],
    changedOrders: [] as Array<[OrderQuery, Tid[]]>,
    orderHistory: [] as Array<[ShopId, Tid]>,
    remark: [] as RemarkRequest[],
    markSeen: [] as Tid[][],
    updateSettings: [] as SettingsPatch[],
    setSecret: [] as Array<[SecretName, string | null]>,
    pause: [] as Array<ShopId | undefined>,
    resume: [] as Array<ShopId | undefined>,
    mute: [] as number[],
    changeSubscriptions: [] as SubscriptionChange[],
    openExternal: [] as string[],
    copyText: [] as string[],
  };

  private failures = new Map<Method, AppError[]>();
  private remarkFailures = new Map<Tid, AppError[]>();
  private hold: Promise<void> | null = null;
  private listeners = {
    state: new Set<(s: AppState) => void>(),
    orders: new Set<(t: Tid[]) => void>(),
    navigate: new Set<(n: Navigation) => void>(),
  };

  constructor(init: { orders?: Order[]; settings?: Partial<PublicSettings>; state?: Partial<AppState> } = {}) {
    this.orders = init.orders ?? [];
    this.settings = makeSettings(init.settings);
    this.state = makeState(init.state);
  }

  /** The next call of `method` answers with `error`. */
  failNext(method: Method, error: AppError): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  /** The next `times` remarks on `tid` answer with `error`. */
  failRemark(tid: Tid, error: AppError, times = 1): void {
    this.remarkFailures.set(tid, [...(this.remarkFailures.get(tid) ?? []), ...Array<AppError>(times).fill(error)]);
  }

  /** Remarks wait until the returned function is called. */
  holdRemarks(): () => void {
    let release!: () => void;
    this.hold = new Promise<void>((r) => (release = r));
    return () => {
      this.hold = null;
      release();
    };
  }

  emitState(patch: Partial<AppState> = {}): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners.state) l(this.state);
  }

  emitOrdersChanged(tids: Tid[] = []): void {
    for (const l of this.listeners.orders) l(tids);
  }

  emitNavigate(nav: Navigation): void {
    for (const l of this.listeners.navigate) l(nav);
  }

  private failure(method: Method): AppError | undefined {
    return this.failures.get(method)?.shift();
  }

  private answer<T>(method: Method, value: () => T): Result<T> {
    const e = this.failure(method);
    return e ? err(e) : ok(value());
  }

  async getState(): Promise<AppState> {
    return this.state;
  }

  async listOrders(query: OrderQuery): Promise<Result<OrderPage>> {
    this.calls.listOrders.push(query);
    return this.answer('listOrders', () => {
      const all = this.orders.filter((o) => matches(o, query)).sort(newestFirst);
      const after = query.after;
      const rest = after
        ? all.filter((o) => compareNewestFirst(o.updatedAt, orderKey(o), after.updatedAt, orderKey(after)) > 0)
        : all;
      const offset = query.offset ?? 0;
      return {
        orders: rest.slice(offset, offset + (query.limit ?? all.length)).map(rowOf),
        total: all.length,
        unread: all.filter((o) => !o.seen).length,
      };
    });
  }

  async changedOrders(query: OrderQuery, tids: Tid[]): Promise<Result<OrderPage>> {
    this.calls.changedOrders.push([structuredClone(query), [...tids]]);
    return this.answer('changedOrders', () => {
      const all = this.orders.filter((o) => matches(o, query)).sort(newestFirst);
      return {
        orders: all.filter((o) => tids.includes(o.tid)).map(rowOf),
        total: all.length,
        unread: all.filter((o) => !o.seen).length,
      };
    });
  }

  async orderHistory(shop: ShopId, tid: Tid): Promise<Result<OrderEvent[]>> {
    this.calls.orderHistory.push([shop, tid]);
    return this.answer('orderHistory', () =>
      structuredClone(this.orders.find((o) => o.shop === shop && o.tid === tid)?.events ?? []),
    );
  }

  /** Changes orders as the core would (new messages, edits elsewhere) and says which changed. */
  change(...orders: Order[]): void {
    for (const next of orders) {
      const i = this.orders.findIndex((o) => orderKey(o) === orderKey(next));
      if (i >= 0) this.orders[i] = next;
      else this.orders.push(next);
    }
    this.emitOrdersChanged([...new Set(orders.map((o) => o.tid))]);
  }

  async markSeen(tids: Tid[]): Promise<Result<void>> {
    this.calls.markSeen.push(tids);
    for (const o of this.orders) if (tids.includes(o.tid)) o.seen = true;
    // As the core does: the list learns which orders the mark changed.
    this.emitOrdersChanged(tids);
    return ok(undefined);
  }

  async remark(req: RemarkRequest): Promise<Result<RemarkResult>> {
    this.calls.remark.push(req);
    if (this.hold) await this.hold;
    const e = this.failure('remark') ?? this.remarkFailures.get(req.tid)?.shift();
    if (e) return err(e);
    const order = this.orders.find((o) => o.shop === req.shop && o.tid === req.tid);
    // The core's own rule for a part left out.
    if (order) Object.assign(order, partsToSend(req, order));
    this.emitOrdersChanged([req.tid]);
    return ok({ tid: req.tid, modified: '2026-11-22 10:00:00' });
  }

  async getSettings(): Promise<PublicSettings> {
    return this.settings;
  }

  async updateSettings(patch: SettingsPatch): Promise<Result<PublicSettings>> {
    this.calls.updateSettings.push(structuredClone(patch));
    return this.answer('updateSettings', () => (this.settings = { ...this.settings, ...structuredClone(patch) }));
  }

  async setSecret(name: SecretName, value: string | null): Promise<Result<PublicSettings>> {
    this.calls.setSecret.push([name, value]);
    const flag = (
      {
        token: 'tokenSet',
        topSecret: 'topSecretSet',
        topSession: 'topSessionSet',
        teamPassword: 'teamPasswordSet',
      } as const
    )[name];
    return this.answer('setSecret', () => (this.settings = { ...this.settings, [flag]: value !== null }));
  }

  async pause(shop?: ShopId): Promise<Result<AppState>> {
    this.calls.pause.push(shop);
    return this.answer('pause', () => this.runState(shop, 'paused'));
  }

  async resume(shop?: ShopId): Promise<Result<AppState>> {
    this.calls.resume.push(shop);
    return this.answer('resume', () => this.runState(shop, 'listening'));
  }

  private runState(shop: ShopId | undefined, to: 'paused' | 'listening'): AppState {
    const shops = this.state.shops.map((s) =>
      shop === undefined || s.shop === shop ? { ...s, state: to, error: undefined } : s,
    );
    this.state = { ...this.state, shops, paused: shop === undefined ? to === 'paused' : this.state.paused };
    return this.state;
  }

  async mute(minutes: number): Promise<Result<AppState>> {
    this.calls.mute.push(minutes);
    return this.answer(
      'mute',
      () => (this.state = { ...this.state, mutedUntil: minutes > 0 ? Date.now() + minutes * 60_000 : undefined }),
    );
  }

  async getSubscriptions(): Promise<Result<SubscriptionState>> {
    return this.answer('getSubscriptions', () => structuredClone(this.subscriptions));
  }

  async changeSubscriptions(change: SubscriptionChange): Promise<Result<SubscriptionState>> {
    this.calls.changeSubscriptions.push(structuredClone(change));
    return this.answer('changeSubscriptions', () => {
      const next: Record<string, string[]> = structuredClone(this.subscriptions.subscribed);
      for (const [g, list] of Object.entries(change.stop)) next[g] = (next[g] ?? []).filter((x) => !list.includes(x));
      for (const [g, list] of Object.entries(change.open)) next[g] = [...(next[g] ?? []), ...list];
      this.subscriptions = { ...this.subscriptions, subscribed: next };
      return structuredClone(this.subscriptions);
    });
  }

  async openExternal(url: string): Promise<Result<void>> {
    this.calls.openExternal.push(url);
    return this.answer('openExternal', () => undefined);
  }

  async copyText(text: string): Promise<Result<void>> {
    this.calls.copyText.push(text);
    return this.answer('copyText', () => undefined);
  }

  onState(listener: (state: AppState) => void): Unsubscribe {
    this.listeners.state.add(listener);
    return () => this.listeners.state.delete(listener);
  }

  onOrdersChanged(listener: (tids: Tid[]) => void): Unsubscribe {
    this.listeners.orders.add(listener);
    return () => this.listeners.orders.delete(listener);
  }

  onNavigate(listener: (nav: Navigation) => void): Unsubscribe {
    this.listeners.navigate.add(listener);
    return () => this.listeners.navigate.delete(listener);
  }
}
