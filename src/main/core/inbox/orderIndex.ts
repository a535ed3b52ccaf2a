/**
 * The orders one filter matches, newest first the way the window lists them, with how many of
 * them are unread: kept up to date order by order by the view (orders.ts).
 */
import { compareNewestFirst } from '../../../shared/domain';
import type { OrderState } from './fold';
import { matchesFilter, type OrderFilter } from './orderQuery';
import { SortedIndex } from './sortedIndex';

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
