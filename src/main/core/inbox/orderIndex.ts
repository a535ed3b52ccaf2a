/**
 * What the window's list asks of the orders view: the orders one filter matches, newest first,
 * with how many there are and how many are unread, kept up to date order by order as messages,
 * seen marks and memos change them, so that neither a batch nor a query sorts or scans them all.
 */
import type { OrderQuery } from '../../../shared/api';
import { compareNewestFirst, statusFilterKey, type Order, type OrderSummary } from '../../../shared/domain';
import type { Flag } from '../../../shared/flag';
import type { OrderState } from './orders';
import { SortedIndex } from './sortedIndex';

/** The status filter's key for orders with an open refund; also `refund.status` while open. */
export const REFUNDING = 'REFUNDING';

/** An OrderQuery's filters in one canonical form: the key of an index kept for them. */
export interface OrderFilter {
  shop?: string;
  status?: string;
  flag?: Flag;
  unflaggedOnly?: true;
  /** Trimmed and lower-cased. */
  search?: string;
}

export function filterOf(q: OrderQuery): OrderFilter {
  const f: OrderFilter = {};
  if (q.shop !== undefined) f.shop = q.shop;
  if (q.status !== undefined) f.status = q.status === REFUNDING ? REFUNDING : statusFilterKey(q.status);
  if (q.flag !== undefined) f.flag = q.flag;
  if (q.unflaggedOnly) f.unflaggedOnly = true;
  const search = q.search?.trim().toLowerCase();
  if (search) f.search = search;
  return f;
}

export function filterKey(f: OrderFilter): string {
  return JSON.stringify([f.shop, f.status, f.flag, f.unflaggedOnly, f.search]);
}

export function isEmptyFilter(f: OrderFilter): boolean {
  return Object.keys(f).length === 0;
}

function haystackOf(o: Order): string {
  return [o.tid, o.buyerNick ?? '', ...o.items.map((i) => i.title ?? '')].join('\n').toLowerCase();
}

export function matchesFilter(state: OrderState, f: OrderFilter): boolean {
  const o = state.order;
  if (f.shop !== undefined && o.shop !== f.shop) return false;
  if (f.status !== undefined) {
    if (f.status === REFUNDING) {
      if (o.refund?.status !== REFUNDING) return false;
    } else if (o.status === undefined || statusFilterKey(o.status) !== f.status) return false;
  }
  if (f.flag !== undefined && o.flag !== f.flag) return false;
  // Flag 0 (gray) is Taobao's "no flag".
  if (f.unflaggedOnly && o.flag) return false;
  if (f.search !== undefined && !(state.haystack ??= haystackOf(o)).includes(f.search)) return false;
  return true;
}

/** The list's order, on the key an order was placed under (see OrderState.sortAt). */
export function newestFirst(a: OrderState, b: OrderState): number {
  return compareNewestFirst(a.sortAt, a.key, b.sortAt, b.key);
}

/** The orders one filter matches, newest first, and how many of them are unread. */
export class OrderIndex {
  unread = 0;

  constructor(
    readonly filter: OrderFilter,
    readonly orders: SortedIndex<OrderState> = new SortedIndex(newestFirst),
  ) {
    for (const s of orders) if (!s.order.seen) this.unread++;
  }

  /** The index of `filter` over orders already sorted: one pass, no sort. */
  static fromSorted(filter: OrderFilter, sorted: Iterable<OrderState>): OrderIndex {
    const matching: OrderState[] = [];
    for (const s of sorted) if (matchesFilter(s, filter)) matching.push(s);
    return new OrderIndex(filter, SortedIndex.fromSorted(matching, newestFirst));
  }

  get total(): number {
    return this.orders.size;
  }

  /** Adds the order when the filter matches it. */
  offer(state: OrderState): void {
    if (!matchesFilter(state, this.filter)) return;
    this.orders.insert(state);
    if (!state.order.seen) this.unread++;
  }

  /** Takes the order out, as it was placed (before its change). */
  withdraw(state: OrderState): void {
    if (this.orders.delete(state) && !state.order.seen) this.unread--;
  }
}

/** What the list shows of an order: everything but its history, copied (the caller may keep it). */
export function summaryOf(o: Order): OrderSummary {
  const row: OrderSummary = {
    shop: o.shop,
    tid: o.tid,
    items: o.items.map((i) => ({ ...i })),
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    seen: o.seen,
  };
  if (o.status !== undefined) row.status = o.status;
  if (o.payment !== undefined) row.payment = o.payment;
  if (o.buyerNick !== undefined) row.buyerNick = o.buyerNick;
  if (o.memo !== undefined) row.memo = o.memo;
  if (o.flag !== undefined) row.flag = o.flag;
  if (o.refund) row.refund = { ...o.refund };
  return row;
}

/** The whole order, history included, copied. */
export function copyOrder(o: Order): Order {
  return { ...summaryOf(o), events: o.events.map((e) => ({ ...e })) };
}
