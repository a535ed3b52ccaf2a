import { describe, expect, it } from 'vitest';
import { appError } from '../../src/shared/errors';
import { MESSAGES } from '../../src/renderer/i18n';

describe('dictionaries', () => {
  it('have the same keys in Chinese and English', () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES['zh-CN']).sort());
  });

  it('name statuses, flags and errors from the shared tables', () => {
    const zh = MESSAGES['zh-CN'];
    const en = MESSAGES.en;
    expect(zh.statusWord('WAIT_SELLER_SEND_GOODS')).toBe('待发货');
    expect(en.statusWord('WAIT_SELLER_SEND_GOODS')).toBe('To ship');
    expect(zh.statusWord('SOMETHING_NEW')).toBe('SOMETHING_NEW');
    expect(zh.statusWord(undefined)).toBe('—');
    expect([0, 1, 2, 3, 4, 5].map((f) => zh.flagName(f as 0))).toEqual(['灰', '红', '黄', '绿', '蓝', '粉']);
    expect(en.flagName(5)).toBe('Pink');
    expect(en.describe(appError('quota', 'No calls left', { code: 204 }))).toBe(
      'No calls left (204) — No permission or no calls left: enable the endpoint or recharge at vv-tool, then resume.',
    );
  });

  it('says 退款中 for a refund under way only', () => {
    expect(MESSAGES['zh-CN'].refundWord('WAIT_SELLER_AGREE')).toBe('退款中');
    expect(MESSAGES['zh-CN'].refundWord('SUCCESS')).toBe('退款成功');
    expect(MESSAGES['zh-CN'].refundWord('CLOSED')).toBe('退款关闭');
  });
});
