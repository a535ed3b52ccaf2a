import type { Order } from '../shared/domain';

/** One order on screen: a tid is unique on Taobao, but the shop keeps two test shops apart. */
export function orderKey(o: Pick<Order, 'shop' | 'tid'>): string {
  return `${o.shop}/${o.tid}`;
}
