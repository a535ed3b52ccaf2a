import { describe, expect, it } from 'vitest';
import { OrdersView } from '../../../../src/main/core/inbox/orders';
import { isSavedOrder, type SavedOrder } from '../../../../src/main/core/inbox/savedOrder';
import { MINUTE, T0, trade } from './helpers';

function savedOne(): SavedOrder {
  const view = new OrdersView();
  const tid = '1588826713157361977';
  view.applyMessage(trade(tid, 'TradeBuyerPay', T0, { status: 'WAIT_SELLER_SEND_GOODS', oid: '1', title: '杯子' }));
  view.applyMessage(trade(tid, 'taobao_refund_RefundCreated', T0 + MINUTE, { refund_id: '5001', refund_fee: '1.00' }));
  view.applyMessage(trade(tid, 'TradeMemoModified', T0 + 2 * MINUTE, { seller_memo: '发顺丰', seller_flag: '3' }));
  return JSON.parse(JSON.stringify(view.save()[0])) as SavedOrder;
}

/** The saved order with one field replaced, at a path of keys and indexes. */
function broken(path: (string | number)[], value: unknown): unknown {
  const s = savedOne() as unknown as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = s;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path.at(-1)!] = value;
  return s;
}

describe('the saved form of an order', () => {
  it('accepts what the view saves, through JSON', () => {
    expect(isSavedOrder(savedOne())).toBe(true);
  });

  it('refuses a state the view would trip over, at any depth', () => {
    expect(isSavedOrder(null)).toBe(false);
    expect(isSavedOrder(broken(['order', 'tid'], 1588826713157361977))).toBe(false);
    expect(isSavedOrder(broken(['statusAt'], 'yesterday'))).toBe(false);
    expect(isSavedOrder(broken(['order', 'events', 0, 'at'], '12:00'))).toBe(false);
    expect(isSavedOrder(broken(['order', 'items', 0], 'a mug'))).toBe(false);
    expect(isSavedOrder(broken(['order', 'flag'], 9))).toBe(false);
    expect(isSavedOrder(broken(['refunds', 0], { status: 'REFUNDING', at: 1 }))).toBe(false);
    expect(isSavedOrder(broken(['refunds', 0, 1, 'status'], undefined))).toBe(false);
  });
});
