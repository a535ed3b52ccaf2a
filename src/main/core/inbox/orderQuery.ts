/** What the window asks of the orders: filters, search and a page, newest first. */
import type { OrderPage, OrderQuery } from '../../../shared/api';
import { statusFilterKey, type Order } from '../../../shared/domain';
import { REFUNDING, type OrderState } from './fold';

/** What leaves the view is a copy: the caller may keep or change it. */
export function copyOrder(o: Order): Order {
  const copy: Order = { ...o, items: o.items.map((i) => ({ ...i })), events: o.events.map((e) => ({ ...e })) };
  if (o.refund) copy.refund = { ...o.refund };
  return copy;
}

function haystackOf(o: Order): string {
  return [o.tid, o.buyerNick ?? '', ...o.items.map((i) => i.title ?? '')].join('\n').toLowerCase();
}

function clampCount(v: number | undefined, fallback: number): number {
  return v !== undefined && Number.isFinite(v) ? Math.max(0, Math.floor(v)) : fallback;
}

/** The page `q` asks for from orders already sorted newest first; `total` and `unread` count every
 * order the filters match. */
export function queryOrders(sorted: readonly OrderState[], q: OrderQuery): OrderPage {
  const offset = clampCount(q.offset, 0);
  const limit = clampCount(q.limit, Infinity);
  const search = q.search?.trim().toLowerCase() || undefined;
  const tids = q.tids && new Set(q.tids);
  const page: OrderPage = { orders: [], total: 0, unread: 0 };
  for (const state of sorted) {
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
