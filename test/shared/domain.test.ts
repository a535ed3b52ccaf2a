import { describe, expect, it } from 'vitest';
import { orderKey } from '../../src/shared/domain';

describe('orderKey', () => {
  it('is one key per shop and tid, the same wherever it is made', () => {
    const tid = '1588826713157361977';
    expect(orderKey({ shop: 'shop1', tid })).toBe(orderKey({ shop: 'shop1', tid }));
    expect(orderKey({ shop: 'shop1', tid })).not.toBe(orderKey({ shop: 'shop2', tid }));
    // A shop id that ends in digits must not run into the tid.
    expect(orderKey({ shop: 's1', tid: '23' })).not.toBe(orderKey({ shop: 's', tid: '123' }));
  });
});
