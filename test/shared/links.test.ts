import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl, orderPageUrl } from '../../src/shared/links';

describe('orderPageUrl', () => {
  it('builds the Taobao trade detail page, which the allowlist admits', () => {
    const url = orderPageUrl('1588826713157361977');
    expect(url).toBe('https://trade.taobao.com/trade/detail/trade_item_detail.htm?bizOrderId=1588826713157361977');
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it('refuses anything that is not a tid', () => {
    expect(() => orderPageUrl('123&x=1')).toThrow(RangeError);
    expect(() => orderPageUrl('')).toThrow(RangeError);
  });
});

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://trade.taobao.com/trade/detail/trade_item_detail.htm?bizOrderId=1',
    'https://trade.tmall.com/detail/orderDetail.htm?bizOrderId=1',
    'https://buyertrade.taobao.com/trade/itemlist/list_bought_items.htm',
    'https://myseller.taobao.com/home.htm',
    'https://qn.taobao.com/home.htm',
    'https://oauth.taobao.com/authorize?response_type=code&client_id=1&redirect_uri=https%3A%2F%2Fwww.vv-tool.com%2Fauth%2Fcallback',
    'https://www.vv-tool.com/auth?shop=1',
    'https://vv-tool.com/',
    'https://TRADE.TAOBAO.COM/x',
  ])('admits %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    'http://trade.taobao.com/x',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'data:text/html,<script>alert(1)</script>',
    'https://taobao.com.evil.com/x',
    'https://trade.taobao.com.evil.com/x',
    'https://eviltaobao.com/x',
    'https://evilvv-tool.com/',
    'https://trade.taobao.com@evil.com/x',
    'https://user:pw@trade.taobao.com/x',
    'https://user@trade.taobao.com/x',
    'https://evil.com\\@trade.taobao.com/x',
    'https://evil.com#@trade.taobao.com',
    'https://trade.taobao.com:8443/x',
    'https://trade.taobao.com./x',
    'https://www.taobao.com/',
    'https://.vv-tool.com/',
    'trade.taobao.com/x',
    '',
    `https://trade.taobao.com/${'x'.repeat(2100)}`,
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('refuses what is not a string', () => {
    expect(isAllowedExternalUrl(undefined)).toBe(false);
    expect(isAllowedExternalUrl({ href: 'https://trade.taobao.com/' })).toBe(false);
  });
});
