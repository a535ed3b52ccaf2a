/**
 * The orders view: messages folded per (shop, tid), because sellers think in orders. Messages
 * arrive out of order and more than once, so every field is decided by publication time, never by
 * arrival: a TradeBuyerPay that turns up late cannot undo TRADE_FINISHED.
 *
 * The view keeps its orders in indexes sorted the way the window lists them (orderIndex.ts): all
 * orders, and the few filters the window asked for lately. Every change to an order moves it in
 * each index and updates each one's unread count, so a query reads a page and two counts.
 */
import type { OrderPage, OrderQuery } from '../../../shared/api';
import {
  compareNewestFirst,
  orderKey,
  type Order,
  type OrderEvent,
  type ShopId,
  type Tid,
  type TmcMessage,
} from '../../../shared/domain';
import { isFlag, type Flag } from '../../../shared/flag';
import { textField as text } from '../intake/decoder';
import { idString } from '../json';
import {
  copyOrder,
  filterKey,
  filterOf,
  isEmptyFilter,
  matchesFilter,
  newestFirst,
  OrderIndex,
  REFUNDING,
  summaryOf,
  type OrderFilter,
} from './orderIndex';
import { SortedIndex } from './sortedIndex';

const TRADE_PREFIX = 'taobao_trade_';
const REFUND_PREFIX = 'taobao_refund_';
const MEMO_TOPIC = 'taobao_trade_TradeMemoModified';

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

export interface OrderState {
  key: string;
  order: Order;
  /** The updatedAt the order is placed under in the indexes: changed only by moving it. */
  sortAt: number;
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

function clampCount(v: number | undefined, fallback: number): number {
  return v !== undefined && Number.isFinite(v) ? Math.max(0, Math.floor(v)) : fallback;
}

/** Filtered indexes kept besides the one of all orders: the window's current filter and the
 * last few before it. One not kept is rebuilt from the index of all orders in one pass. */
const MAX_FILTERED = 6;

export class OrdersView {
  /** Orders by tid: a tid is one order, but a seller with several shops may in principle see it twice. */
  private readonly byTid = new Map<Tid, OrderState[]>();
  /** Every order, newest first, and the unread count; undefined while the view is being loaded. */
  private indexed: OrderIndex | undefined;
  /** While loading (a journal replayed into a new view): the orders, in no order. Placing each
   * order as each of its messages comes in costs more than one sort at the end (seal()). */
  private loading: OrderState[] | undefined;
  /** Indexes of filters the window asked for, least recently used first. */
  private readonly filtered = new Map<string, OrderIndex>();

  /** A view being loaded, or (restore) one with its index already built. */
  constructor(all?: OrderIndex) {
    this.indexed = all;
    this.loading = all ? undefined : [];
  }

  /** Ends loading: the index of all orders, built with one sort. Called at the end of a replay;
   * every read calls it too. */
  seal(): OrderIndex {
    if (this.indexed) return this.indexed;
    const states = this.loading ?? [];
    for (const s of states) s.sortAt = s.order.updatedAt;
    states.sort(newestFirst);
    this.loading = undefined;
    this.indexed = new OrderIndex({}, SortedIndex.fromSorted(states, newestFirst));
    return this.indexed;
  }

  private get all(): OrderIndex {
    return this.seal();
  }

  get size(): number {
    return this.all.total;
  }

  get unread(): number {
    return this.all.unread;
  }

  private find(shop: ShopId, tid: Tid): OrderState | undefined {
    const sameTid = this.byTid.get(tid);
    if (sameTid === undefined) return undefined;
    for (const state of sameTid) if (state.order.shop === shop) return state;
    return undefined;
  }

  private remember(state: OrderState): void {
    const sameTid = this.byTid.get(state.order.tid);
    if (sameTid) sameTid.push(state);
    else this.byTid.set(state.order.tid, [state]);
  }

  private newState(shop: ShopId, tid: Tid, at: number, seen: boolean): OrderState {
    const order: Order = { shop, tid, items: [], createdAt: at, updatedAt: at, seen, events: [] };
    return {
      key: orderKey({ shop, tid }),
      order,
      sortAt: at,
      statusAt: -Infinity,
      statusRank: -1,
      paymentAt: -Infinity,
      memoAt: -Infinity,
      refunds: undefined,
      haystack: undefined,
    };
  }

  /** Creates an order with what `fold` makes of it, and places it in every index that matches it. */
  private create(shop: ShopId, tid: Tid, at: number, seen: boolean, fold: (state: OrderState) => void): void {
    const state = this.newState(shop, tid, at, seen);
    fold(state);
    state.sortAt = state.order.updatedAt;
    this.remember(state);
    if (this.loading) {
      this.loading.push(state);
      return;
    }
    this.all.offer(state);
    for (const index of this.filtered.values()) index.offer(state);
  }

  /**
   * Changes an order with `fold` and moves it in every index: out of each as it was, back into
   * each that matches it now. The index of all orders is only touched when its place changed.
   */
  private change(state: OrderState, fold: (state: OrderState) => void): void {
    if (this.loading) {
      fold(state);
      return;
    }
    const wasSeen = state.order.seen;
    for (const index of this.filtered.values()) index.withdraw(state);
    fold(state);
    const o = state.order;
    if (o.updatedAt !== state.sortAt) {
      this.all.orders.delete(state);
      state.sortAt = o.updatedAt;
      this.all.orders.insert(state);
    }
    if (wasSeen !== o.seen) this.all.unread += o.seen ? -1 : 1;
    for (const index of this.filtered.values()) index.offer(state);
  }

  /** Every order's state, newest first, for a snapshot. The orders are the view's own objects:
   * write them out, do not keep them. */
  save(): SavedOrder[] {
    const saved: SavedOrder[] = [];
    for (const s of this.all.orders)
      saved.push({
        order: s.order,
        statusAt: saveTime(s.statusAt),
        statusRank: s.statusRank,
        paymentAt: saveTime(s.paymentAt),
        memoAt: saveTime(s.memoAt),
        refunds: s.refunds ? [...s.refunds] : [],
      });
    return saved;
  }

  /** The view a snapshot saved; the saved orders become its own. Saved newest first, they need
   * no sort (a snapshot of another order is sorted once, here). */
  static restore(saved: readonly SavedOrder[]): OrdersView {
    const states = saved.map((s): OrderState => ({
      key: orderKey(s.order),
      order: s.order,
      sortAt: s.order.updatedAt,
      statusAt: loadTime(s.statusAt),
      statusRank: s.statusRank,
      paymentAt: loadTime(s.paymentAt),
      memoAt: loadTime(s.memoAt),
      refunds: s.refunds.length > 0 ? new Map(s.refunds) : undefined,
      haystack: undefined,
    }));
    if (!SortedIndex.isSorted(states, newestFirst)) states.sort(newestFirst);
    const view = new OrdersView(new OrderIndex({}, SortedIndex.fromSorted(states, newestFirst)));
    for (const state of states) view.remember(state);
    return view;
  }

  /** Folds one newly stored message in; one without a tid (item topics) belongs to no order. */
  applyMessage(m: TmcMessage): void {
    if (m.tid === undefined) return;
    const existing = this.find(m.shop, m.tid);
    if (existing) this.change(existing, (state) => this.fold(state, m, false));
    else this.create(m.shop, m.tid, m.pubTime, false, (state) => this.fold(state, m, true));
  }

  private fold(state: OrderState, m: TmcMessage, isNew: boolean): void {
    const o = state.order;
    insertEvent(o.events, eventOf(m));
    o.createdAt = Math.min(o.createdAt, m.pubTime);
    if (m.pubTime > o.updatedAt) o.updatedAt = m.pubTime;
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

    if (isNew || shown || ALWAYS_NOTABLE.has(m.topic)) o.seen = false;
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
    const fold = (state: OrderState) => void this.foldMemo(state, flag, memo, at);
    const existing = this.find(shop, tid);
    if (existing) this.change(existing, fold);
    else this.create(shop, tid, at, true, fold);
  }

  /** The tids among these that have an unseen order. */
  unseenAmong(tids: readonly Tid[]): Tid[] {
    return [...new Set(tids)].filter((tid) => this.byTid.get(tid)?.some((s) => !s.order.seen));
  }

  applySeen(tids: readonly Tid[]): void {
    for (const tid of tids) {
      for (const state of this.byTid.get(tid) ?? []) {
        if (!state.order.seen) this.change(state, (s) => void (s.order.seen = true));
      }
    }
  }

  get(shop: ShopId, tid: Tid): Order | undefined {
    const state = this.find(shop, tid);
    return state && copyOrder(state.order);
  }

  /** The tids whose row differs between this view and `next` (or that only one of them holds). */
  changedIn(next: OrdersView): Tid[] {
    const changed = new Set<Tid>();
    for (const s of this.all.orders) {
      const other = next.find(s.order.shop, s.order.tid);
      if (!other || !sameRow(s.order, other.order)) changed.add(s.order.tid);
    }
    for (const s of next.all.orders) if (!this.find(s.order.shop, s.order.tid)) changed.add(s.order.tid);
    return [...changed];
  }

  seenTids(): Tid[] {
    const tids: Tid[] = [];
    for (const s of this.all.orders) if (s.order.seen) tids.push(s.order.tid);
    return tids;
  }

  /** The index of a filter: kept, or built in one pass over the index of all orders. */
  private indexOf(filter: OrderFilter): OrderIndex {
    if (isEmptyFilter(filter)) return this.all;
    const key = filterKey(filter);
    let index = this.filtered.get(key);
    if (index) this.filtered.delete(key);
    else index = OrderIndex.fromSorted(filter, this.all.orders);
    this.filtered.set(key, index);
    if (this.filtered.size > MAX_FILTERED) this.filtered.delete(this.filtered.keys().next().value!);
    return index;
  }

  /** The orders of these tids that the filter matches, newest first. */
  private ofTids(tids: readonly Tid[], filter: OrderFilter): OrderState[] {
    const states = new Set<OrderState>();
    for (const tid of tids) for (const s of this.byTid.get(tid) ?? []) if (matchesFilter(s, filter)) states.add(s);
    return [...states].sort(newestFirst);
  }

  /**
   * Newest first by updatedAt: the page after `q.after` (or from the start), skipping `offset`,
   * at most `limit`; `total` and `unread` count every order the filters match.
   */
  query(q: OrderQuery): OrderPage {
    const offset = clampCount(q.offset, 0);
    const limit = clampCount(q.limit, Infinity);
    const after = q.after;
    const filter = filterOf(q);
    if (q.tids) {
      const matched = this.ofTids(q.tids, filter);
      const rest = after ? matched.filter((s) => afterCursor(s, after)) : matched;
      return {
        orders: rest.slice(offset, offset + limit).map((s) => summaryOf(s.order)),
        total: matched.length,
        unread: countUnread(matched),
      };
    }
    const index = this.indexOf(filter);
    const from = (after ? index.orders.rank((s) => !afterCursor(s, after)) : 0) + offset;
    return {
      orders: limit === 0 ? [] : index.orders.slice(from, from + limit).map((s) => summaryOf(s.order)),
      total: index.total,
      unread: index.unread,
    };
  }

  /**
   * What the window patches into its list after these tids changed: their orders as the query's
   * filters see them now (those no longer matched are left out), newest first, and the query's
   * `total` and `unread`. The query's page (offset, limit, cursor) plays no part.
   */
  changed(q: OrderQuery, tids: readonly Tid[]): OrderPage {
    const filter = filterOf(q);
    const within = q.tids && new Set(q.tids);
    const orders = this.ofTids(within ? tids.filter((tid) => within.has(tid)) : tids, filter);
    if (within) {
      const matched = this.ofTids(q.tids!, filter);
      return { orders: orders.map((s) => summaryOf(s.order)), total: matched.length, unread: countUnread(matched) };
    }
    const index = this.indexOf(filter);
    return { orders: orders.map((s) => summaryOf(s.order)), total: index.total, unread: index.unread };
  }
}

function sameRow(a: Order, b: Order): boolean {
  return (
    a.updatedAt === b.updatedAt &&
    a.createdAt === b.createdAt &&
    a.seen === b.seen &&
    a.status === b.status &&
    a.payment === b.payment &&
    a.buyerNick === b.buyerNick &&
    a.memo === b.memo &&
    a.flag === b.flag &&
    a.refund?.status === b.refund?.status &&
    a.refund?.fee === b.refund?.fee &&
    a.refund?.id === b.refund?.id &&
    a.items.length === b.items.length &&
    a.items.every((i, n) => {
      const j = b.items[n]!;
      return i.oid === j.oid && i.title === j.title && i.num === j.num && i.price === j.price;
    })
  );
}

function countUnread(states: readonly OrderState[]): number {
  let n = 0;
  for (const s of states) if (!s.order.seen) n++;
  return n;
}

/** Whether the order comes after the cursor in the list's order. */
function afterCursor(s: OrderState, after: NonNullable<OrderQuery['after']>): boolean {
  return compareNewestFirst(s.sortAt, s.key, after.updatedAt, orderKey(after)) > 0;
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
