/**
 * The orders view: messages folded per (shop, tid), because sellers think in orders. This file
 * keeps the indexes (by tid, and newest first the way the window lists them); how a message
 * changes an order is fold.ts, what the window asks is orderQuery.ts, an index of one filter with
 * its unread count is orderIndex.ts, the snapshot's form of an order is savedOrder.ts.
 *
 * Every change to an order moves it in each index and updates each one's unread count, so a
 * query reads a page and two counts: no sort and no scan per batch or per query.
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
import type { Flag } from '../../../shared/flag';
import { foldMemo, foldMessage, NameTable, newOrderState, type OrderState } from './fold';
import { newestFirst, OrderIndex } from './orderIndex';
import {
  clampCount,
  copyOrder,
  filterKey,
  filterOf,
  isEmptyFilter,
  matchesFilter,
  summaryOf,
  type OrderFilter,
} from './orderQuery';
import { fromSaved, toSaved, type SavedOrder } from './savedOrder';
import { SortedIndex } from './sortedIndex';

export { isSavedOrder, type SavedOrder } from './savedOrder';
export type { OrderState, RefundState } from './fold';

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
  private readonly names = new NameTable();

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

  /** Creates an order with what `fold` makes of it, and places it in every index that matches it. */
  private create(shop: ShopId, tid: Tid, at: number, seen: boolean, fold: (state: OrderState) => void): void {
    const state = newOrderState(shop, tid, at, seen);
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
    for (const s of this.all.orders) saved.push(toSaved(s));
    return saved;
  }

  /** The view a snapshot saved; the saved orders become its own. Saved newest first, they need
   * no sort (a snapshot of another order is sorted once, here). */
  static restore(saved: readonly SavedOrder[]): OrdersView {
    const states = saved.map(fromSaved);
    if (!SortedIndex.isSorted(states, newestFirst)) states.sort(newestFirst);
    const view = new OrdersView(new OrderIndex({}, SortedIndex.fromSorted(states, newestFirst)));
    for (const state of states) view.remember(state);
    return view;
  }

  /** Folds one newly stored message in; one without a tid (item topics) belongs to no order. */
  applyMessage(m: TmcMessage): void {
    if (m.tid === undefined) return;
    const existing = this.find(m.shop, m.tid);
    if (existing) this.change(existing, (state) => foldMessage(state, m, this.names, false));
    else this.create(m.shop, m.tid, m.pubTime, false, (state) => foldMessage(state, m, this.names, true));
  }

  /** The memo and flag the user just saved; an order not seen yet is created, already seen. */
  applyRemark(shop: ShopId, tid: Tid, memo: string, flag: Flag, at: number): void {
    const fold = (state: OrderState) => void foldMemo(state, flag, memo, at);
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

  /** Every event of every order, in no particular order (the rhythm learned from the inbox). */
  forEachEvent(visit: (shop: ShopId, event: Readonly<OrderEvent>) => void): void {
    for (const sameTid of this.byTid.values())
      for (const s of sameTid) for (const e of s.order.events) visit(s.order.shop, e);
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
