/** What the window asks of the orders: filters, search, and the rows it gets back. */
import type { OrderQuery } from '../../../shared/api';
import { statusFilterKey, type Order, type OrderSummary } from '../../../shared/domain';
import type { Flag } from '../../../shared/flag';
import { REFUNDING, type OrderState } from './fold';

export function clampCount(v: number | undefined, fallback: number): number {
  return v !== undefined && Number.isFinite(v) ? Math.max(0, Math.floor(v)) : fallback;
}

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
