/**
 * The orders view: messages folded per (shop, tid), because sellers think in orders. This file
 * keeps the index (by tid, and newest first); how a message changes an order is fold.ts, what the
 * window asks is orderQuery.ts, the snapshot's form of an order is savedOrder.ts.
 */
import type { OrderPage, OrderQuery } from '../../../shared/api';
import type { Order, ShopId, Tid, TmcMessage } from '../../../shared/domain';
import type { Flag } from '../../../shared/flag';
import { foldMemo, foldMessage, NameTable, newOrderState, type OrderState } from './fold';
import { copyOrder, queryOrders } from './orderQuery';
import { fromSaved, toSaved, type SavedOrder } from './savedOrder';

export { isSavedOrder, type SavedOrder } from './savedOrder';
export type { RefundState } from './fold';

/** Newest change first; the key keeps equal times in a stable order. */
function newestFirst(a: OrderState, b: OrderState): number {
  return b.order.updatedAt - a.order.updatedAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export class OrdersView {
  /** Orders by tid: a tid is one order, but a seller with several shops may in principle see it twice. */
  private readonly byTid = new Map<Tid, OrderState[]>();
  /** All orders, newest first once re-sorted. Only a change of updatedAt unsorts it, and
   * V8's TimSort re-sorts a nearly sorted array in about linear time, so a query after each
   * batch costs far less than sorting from scratch. */
  private readonly sorted: OrderState[] = [];
  private unsorted = false;
  private readonly names = new NameTable();

  get size(): number {
    return this.sorted.length;
  }

  private find(shop: ShopId, tid: Tid): OrderState | undefined {
    const sameTid = this.byTid.get(tid);
    if (sameTid === undefined) return undefined;
    for (const state of sameTid) if (state.order.shop === shop) return state;
    return undefined;
  }

  private add(state: OrderState): OrderState {
    const sameTid = this.byTid.get(state.order.tid);
    if (sameTid) sameTid.push(state);
    else this.byTid.set(state.order.tid, [state]);
    this.sorted.push(state);
    this.unsorted = true;
    return state;
  }

  /** Every order's state, for a snapshot. The orders are the view's own objects: write them out, do not keep them. */
  save(): SavedOrder[] {
    return this.sorted.map(toSaved);
  }

  /** The view a snapshot saved; the saved orders become its own. */
  static restore(saved: readonly SavedOrder[]): OrdersView {
    const view = new OrdersView();
    for (const s of saved) view.add(fromSaved(s));
    return view;
  }

  /** Folds one newly stored message in; one without a tid (item topics) belongs to no order. */
  applyMessage(m: TmcMessage): void {
    if (m.tid === undefined) return;
    const existing = this.find(m.shop, m.tid);
    const state = existing ?? this.add(newOrderState(m.shop, m.tid, m.pubTime, false));
    if (foldMessage(state, m, this.names, !existing)) this.unsorted = true;
  }

  /** The memo and flag the user just saved; an order not seen yet is created, already seen. */
  applyRemark(shop: ShopId, tid: Tid, memo: string, flag: Flag, at: number): void {
    const state = this.find(shop, tid) ?? this.add(newOrderState(shop, tid, at, true));
    foldMemo(state, flag, memo, at);
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
    return queryOrders(this.sorted, q);
  }
}
