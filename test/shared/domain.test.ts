import { describe, expect, it } from 'vitest';
import { orderKey, STATUS_FILTERS, statusFilterKey, TRADE_STATUSES } from '../../src/shared/domain';

describe('orderKey', () => {
  it('is one key per shop and tid, the same wherever it is made', () => {
    const tid = '1588826713157361977';
    expect(orderKey({ shop: 'shop1', tid })).toBe(orderKey({ shop: 'shop1', tid }));
    expect(orderKey({ shop: 'shop1', tid })).not.toBe(orderKey({ shop: 'shop2', tid }));
    // A shop id that ends in digits must not run into the tid.
    expect(orderKey({ shop: 's1', tid: '23' })).not.toBe(orderKey({ shop: 's', tid: '123' }));
  });
});

describe('status filters', () => {
  it('offer each status word once, in the catalogue order, an alias falling under the status it reads as', () => {
    expect(STATUS_FILTERS).toEqual(TRADE_STATUSES.filter((s) => statusFilterKey(s) === s));
    expect(STATUS_FILTERS).not.toContain('TRADE_NO_CREATE_PAY');
    expect(STATUS_FILTERS).not.toContain('TRADE_CLOSED_BY_TAOBAO');
    expect(statusFilterKey('TRADE_NO_CREATE_PAY')).toBe('WAIT_BUYER_PAY');
    expect(statusFilterKey('TRADE_CLOSED_BY_TAOBAO')).toBe('TRADE_CLOSED');
    expect(STATUS_FILTERS.length).toBe(TRADE_STATUSES.length - 2);
  });

  it('a status from the wire that names an object property is its own key, not the property', () => {
    for (const status of ['constructor', 'toString', '__proto__', 'SOME_NEW_STATUS'])
      expect(statusFilterKey(status)).toBe(status);
  });
});
