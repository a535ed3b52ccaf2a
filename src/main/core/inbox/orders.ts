/**
 * The orders view: messages folded per (shop, tid), because sellers think in orders. Messages
 * arrive out of order and more than once, so every field is decided by publication time, never by
 * arrival: a TradeBuyerPay that turns up late cannot undo TRADE_FINISHED.
 */
import type { OrderPage, OrderQuery } from '../../../shared/api';
import {
  orderKey,
  statusFilterKey,
  type Order,
  type OrderEvent,
  type ShopId,
  type Tid,
  type TmcMessage,
} from '../../../shared/domain';
import { isFlag, type Flag } from '../../../shared/flag';
import { textField as text } from '../intake/decoder';
import { idString } from '../json';

const TRADE_PREFIX = 'taobao_trade_';
const REFUND_PREFIX = 'taobao_refund_';
const MEMO_TOPIC = 'taobao_trade_TradeMemoModified';

/** The status filter's key for orders with an open refund; also `refund.status` while open. */
const REFUNDING = 'REFUNDING';
/** A refund's status once it is over, as Taobao's own refund status names them. */
const REFUND_ENDS: Record<string, string> = { RefundSuccess: 'SUCCESS', RefundClosed: 'CLOSED' };

/** A trade's life, in order: breaks ties between messages published in the same second. */
const STATUS_RANK: Record<string, number> = {
  TRADE_NO_CREATE_PAY: 0,
  WAIT_BUYER_PAY: 1,
  PAY_PENDING: 2,
  WAIT_SELLER_SEND_GOODS: 3,
  SELLER_CONSIGNED_PART: 4,
  WAIT_BUYER_CONFIRM_GOODS: 5,
  TRADE_BUYER_SIGNED: 6,
  TRADE_FINISHED: 7,
  TRADE_CLOSED: 7,
  TRADE_CLOSED_BY_TAOBAO: 7,
};

/** What a trade topic means when its content carries no status (parse leniently). */
const TOPIC_STATUS: Record<string, string> = {
  TradeCreate: 'WAIT_BUYER_PAY',
  TradeBuyerPay: 'WAIT_SELLER_SEND_GOODS',
  TradePartlySellerShip: 'SELLER_CONSIGNED_PART',
  TradeSellerShip: 'WAIT_BUYER_CONFIRM_GOODS',
  TradeSuccess: 'TRADE_FINISHED',
  TradeClose: 'TRADE_CLOSED',
};

/** Changes the row does not show but the seller must see (shipping to the old address). */
const ALWAYS_NOTABLE = new Set(['taobao_trade_TradeLogisticsAddressChanged']);

export interface RefundState {
  id?: string;
  fee?: string;
  status: string;
  at: number;
}

interface OrderState {
  key: string;
  order: Order;
  statusAt: number;
  statusRank: number;
  paymentAt: number;
  memoAt: number;
  /** Per refund id: an order with one refund open and another closed is still refunding. Made
   * by the first refund message: most orders never have one. */
  refunds: Map<string, RefundState> | undefined;
  /** Lower-cased tid, buyer nick and item titles, for search; made by the first search after a
   * change, so that folding a message in (and replaying the journal) never pays for it. */
  haystack: string | undefined;
}

/** An order's state as a snapshot keeps it (JSON: -Infinity, "never", is written as null). */
export interface SavedOrder {
  order: Order;
  statusAt: number | null;
  statusRank: number;
  paymentAt: number | null;
  memoAt: number | null;
  refunds: [string, RefundState][];
}

const saveTime = (t: number): number | null => (t === -Infinity ? null : t);
const loadTime = (t: number | null): number => t ?? -Infinity;
const isTime = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v));

/** Enough to trust a snapshot line (its checksum already proved the bytes are ours) not to crash the view. */
export function isSavedOrder(v: unknown): v is SavedOrder {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  const o = s.order as Record<string, unknown> | null | undefined;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.shop === 'string' &&
    typeof o.tid === 'string' &&
    Array.isArray(o.items) &&
    Array.isArray(o.events) &&
    typeof o.createdAt === 'number' &&
    typeof o.updatedAt === 'number' &&
    typeof o.seen === 'boolean' &&
    isTime(s.statusAt) &&
    typeof s.statusRank === 'number' &&
    isTime(s.paymentAt) &&
    isTime(s.memoAt) &&
    Array.isArray(s.refunds)
  );
}

function count(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

function flagOf(v: unknown): Flag | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return isFlag(n) ? n : undefined;
}

function haystackOf(o: Order): string {
  return [o.tid, o.buyerNick ?? '', ...o.items.map((i) => i.title ?? '')].join('\n').toLowerCase();
}

function copyOrder(o: Order): Order {
  const copy: Order = { ...o, items: o.items.map((i) => ({ ...i })), events: o.events.map((e) => ({ ...e })) };
  if (o.refund) copy.refund = { ...o.refund };
  return copy;
}

/** Newest change first; the key keeps equal times in a stable order. */
function newestFirst(a: OrderState, b: OrderState): number {
  return b.order.updatedAt - a.order.updatedAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

function clampCount(v: number | undefined, fallback: number): number {
  return v !== undefined && Number.isFinite(v) ? Math.max(0, Math.floor(v)) : fallback;
}

export class OrdersView {
  /** Orders by tid: a tid is one order, but a seller with several shops may in principle see it twice. */
  private readonly byTid = new Map<Tid, OrderState[]>();
  /** All orders, newest first once re-sorted. Only a change of updatedAt unsorts it, and
   * V8's TimSort re-sorts a nearly sorted array in about linear time, so a query after each
   * batch costs far less than sorting from scratch. */
  private readonly sorted: OrderState[] = [];
  private unsorted = false;

  get size(): number {
    return this.sorted.length;
  }

  private find(shop: ShopId, tid: Tid): OrderState | undefined {
    const sameTid = this.byTid.get(tid);
    if (sameTid === undefined) return undefined;
    for (const state of sameTid) if (state.order.shop === shop) return state;
    return undefined;
  }

  private add(state: OrderState): void {
    const sameTid = this.byTid.get(state.order.tid);
    if (sameTid) sameTid.push(state);
    else this.byTid.set(state.order.tid, [state]);
    this.sorted.push(state);
    this.unsorted = true;
  }

  private create(shop: ShopId, tid: Tid, at: number, seen: boolean): OrderState {
    const order: Order = { shop, tid, items: [], createdAt: at, updatedAt: at, seen, events: [] };
    const state: OrderState = {
      key: orderKey({ shop, tid }),
      order,
      statusAt: -Infinity,
      statusRank: -1,
      paymentAt: -Infinity,
      memoAt: -Infinity,
      refunds: undefined,
      haystack: undefined,
    };
    this.add(state);
    return state;
  }

  /** Every order's state, for a snapshot. The orders are the view's own objects: write them out, do not keep them. */
  save(): SavedOrder[] {
    return this.sorted.map((s) => ({
      order: s.order,
      statusAt: saveTime(s.statusAt),
      statusRank: s.statusRank,
      paymentAt: saveTime(s.paymentAt),
      memoAt: saveTime(s.memoAt),
      refunds: s.refunds ? [...s.refunds] : [],
    }));
  }

  /** The view a snapshot saved; the saved orders become its own. */
  static restore(saved: readonly SavedOrder[]): OrdersView {
    const view = new OrdersView();
    for (const s of saved) {
      view.add({
        key: orderKey(s.order),
        order: s.order,
        statusAt: loadTime(s.statusAt),
        statusRank: s.statusRank,
        paymentAt: loadTime(s.paymentAt),
        memoAt: loadTime(s.memoAt),
        refunds: s.refunds.length > 0 ? new Map(s.refunds) : undefined,
        haystack: undefined,
      });
    }
    return view;
  }

  /** Folds one newly stored message in; one without a tid (item topics) belongs to no order. */
  applyMessage(m: TmcMessage): void {
    if (m.tid === undefined) return;
    const existing = this.find(m.shop, m.tid);
    const state = existing ?? this.create(m.shop, m.tid, m.pubTime, false);
    const o = state.order;

    insertEvent(o.events, eventOf(m));
    o.createdAt = Math.min(o.createdAt, m.pubTime);
    if (m.pubTime > o.updatedAt) {
      o.updatedAt = m.pubTime;
      this.unsorted = true;
    }
    // Whether anything the row shows changed (status, payment, buyer, memo, flag, refund, items):
    // such a change is news.
    let shown = false;
    if (m.buyerNick !== undefined && o.buyerNick === undefined) {
      o.buyerNick = m.buyerNick;
      shown = true;
    }
    if (m.topic.startsWith(TRADE_PREFIX)) shown = this.foldTrade(state, m) || shown;
    if (m.topic === MEMO_TOPIC)
      shown = this.foldMemo(state, flagOf(m.content.seller_flag), m.content.seller_memo, m.pubTime) || shown;
    if (m.topic.startsWith(REFUND_PREFIX)) shown = this.foldRefund(state, m) || shown;

    if (!existing || shown || ALWAYS_NOTABLE.has(m.topic)) o.seen = false;
    if (shown) state.haystack = undefined;
  }

  /** True when it changed what the row shows. */
  private foldTrade(state: OrderState, m: TmcMessage): boolean {
    const o = state.order;
    let shown = false;
    const status = m.status ?? TOPIC_STATUS[m.topic.slice(TRADE_PREFIX.length)];
    if (status !== undefined) {
      const rank = STATUS_RANK[status] ?? -1;
      if (m.pubTime > state.statusAt || (m.pubTime === state.statusAt && rank >= state.statusRank)) {
        shown = o.status !== status;
        o.status = status;
        state.statusAt = m.pubTime;
        state.statusRank = rank;
      }
    }
    if (m.payment !== undefined && m.pubTime >= state.paymentAt) {
      shown = shown || o.payment !== m.payment;
      o.payment = m.payment;
      state.paymentAt = m.pubTime;
    }
    const title = text(m.content.title);
    if (m.oid === undefined && title === undefined) return shown;
    // One message per sub-order: the oid says which item this one is about.
    let item = o.items.find((i) => i.oid === m.oid);
    if (!item) {
      item = m.oid === undefined ? {} : { oid: m.oid };
      o.items.push(item);
      shown = true;
    }
    const num = count(m.content.num);
    const price = text(m.content.price);
    if (title !== undefined && item.title !== title) {
      item.title = title;
      shown = true;
    }
    if (num !== undefined && item.num !== num) {
      item.num = num;
      shown = true;
    }
    if (price !== undefined && item.price !== price) {
      item.price = price;
      shown = true;
    }
    return shown;
  }

  /** True when it changed the memo or the flag. */
  private foldMemo(state: OrderState, flag: Flag | undefined, memo: unknown, at: number): boolean {
    if (at < state.memoAt || (flag === undefined && typeof memo !== 'string')) return false;
    state.memoAt = at;
    const o = state.order;
    let shown = false;
    if (typeof memo === 'string' && o.memo !== memo) {
      o.memo = memo;
      shown = true;
    }
    if (flag !== undefined && o.flag !== flag) {
      o.flag = flag;
      shown = true;
    }
    return shown;
  }

  /** True when it changed the refund's status or fee as the row shows them. */
  private foldRefund(state: OrderState, m: TmcMessage): boolean {
    const id = text(m.content.refund_id);
    const key = id ?? m.oid ?? '';
    const ended = REFUND_ENDS[m.topic.slice(REFUND_PREFIX.length)];
    const refunds = (state.refunds ??= new Map());
    const prev = refunds.get(key);
    // Same second: an end outranks an open step, so a refund never reopens on a tie.
    if (prev && (m.pubTime < prev.at || (m.pubTime === prev.at && ended === undefined))) return false;
    const fee = text(m.content.refund_fee) ?? prev?.fee;
    const next: RefundState = { status: ended ?? REFUNDING, at: m.pubTime };
    if (id !== undefined) next.id = id;
    if (fee !== undefined) next.fee = fee;
    refunds.set(key, next);
    const before = state.order.refund;
    const after = shownRefund(refunds);
    state.order.refund = after;
    return before?.status !== after?.status || before?.fee !== after?.fee;
  }

  /** The memo and flag the user just saved; an order not seen yet is created, already seen. */
  applyRemark(shop: ShopId, tid: Tid, memo: string, flag: Flag, at: number): void {
    const state = this.find(shop, tid) ?? this.create(shop, tid, at, true);
    this.foldMemo(state, flag, memo, at);
  }

  /** The tids among these that have an unseen order. */
  unseenAmong(tids: readonly Tid[]): Tid[] {
    return [...new Set(tids)].filter((tid) => this.byTid.get(tid)?.some((s) => !s.order.seen));
  }

  applySeen(tids: readonly Tid[]): void {
    for (const tid of tids) {
      for (const state of this.byTid.get(tid) ?? []) state.order.seen = true;
    }
  }

  get(shop: ShopId, tid: Tid): Order | undefined {
    const state = this.find(shop, tid);
    return state && copyOrder(state.order);
  }

  seenTids(): Tid[] {
    return this.sorted.filter((s) => s.order.seen).map((s) => s.order.tid);
  }

  /** Newest first by updatedAt; `total` and `unread` count every order the filters match. */
  query(q: OrderQuery): OrderPage {
    if (this.unsorted) {
      this.sorted.sort(newestFirst);
      this.unsorted = false;
    }
    const offset = clampCount(q.offset, 0);
    const limit = clampCount(q.limit, Infinity);
    const search = q.search?.trim().toLowerCase() || undefined;
    const tids = q.tids && new Set(q.tids);
    const page: OrderPage = { orders: [], total: 0, unread: 0 };
    for (const state of this.sorted) {
      const o = state.order;
      if (q.shop !== undefined && o.shop !== q.shop) continue;
      if (
        q.status !== undefined &&
        (q.status === REFUNDING
          ? o.refund?.status !== REFUNDING
          : o.status === undefined || statusFilterKey(o.status) !== statusFilterKey(q.status))
      )
        continue;
      if (q.flag !== undefined && o.flag !== q.flag) continue;
      // Flag 0 (gray) is Taobao's "no flag".
      if (q.unflaggedOnly && o.flag) continue;
      if (tids && !tids.has(o.tid)) continue;
      if (search !== undefined && !(state.haystack ??= haystackOf(o)).includes(search)) continue;
      if (page.total >= offset && page.orders.length < limit) page.orders.push(copyOrder(o));
      page.total++;
      if (!o.seen) page.unread++;
    }
    return page;
  }
}

/**
 * One copy of each topic and status name, not one per event: 100,000 stored messages would
 * otherwise hold 100,000 copies of a few dozen names. Bounded, since the names come off the wire.
 */
const names = new Map<string, string>();
const MAX_NAMES = 512;

function sharedName(name: string): string {
  const known = names.get(name);
  if (known !== undefined) return known;
  if (names.size < MAX_NAMES) names.set(name, name);
  return name;
}

/** Each event made whole in one literal: one added later would cost every event a second
 * allocation (its properties outside the object), kept as long as the order. */
function eventOf(m: TmcMessage): OrderEvent {
  const msgId = m.id;
  const topic = sharedName(m.topic);
  const at = m.pubTime;
  const refundId = idString(m.content.refund_id);
  if (m.status === undefined) return refundId === undefined ? { msgId, topic, at } : { msgId, topic, at, refundId };
  const status = sharedName(m.status);
  return refundId === undefined ? { msgId, topic, at, status } : { msgId, topic, at, status, refundId };
}

/** Events stay in publication order; a late message slots in where it belongs. */
function insertEvent(events: OrderEvent[], event: OrderEvent): void {
  let i = events.length;
  while (i > 0 && events[i - 1]!.at > event.at) i--;
  if (i === events.length) events.push(event);
  else events.splice(i, 0, event);
}

/** An open refund wins over finished ones; otherwise the latest. */
function shownRefund(refunds: Map<string, RefundState>): Order['refund'] {
  let shown: RefundState | undefined;
  for (const r of refunds.values()) {
    const open = r.status === REFUNDING;
    const shownOpen = shown?.status === REFUNDING;
    if (!shown || (open && !shownOpen) || (open === shownOpen && r.at >= shown.at)) shown = r;
  }
  if (!shown) return undefined;
  const refund: NonNullable<Order['refund']> = { status: shown.status };
  if (shown.id !== undefined) refund.id = shown.id;
  if (shown.fee !== undefined) refund.fee = shown.fee;
  return refund;
}
