import { describe, expect, it } from 'vitest';
import { checkMemo, isTid, utf8Length, validateRemark } from '../../src/shared/memo';

describe('memo limit in UTF-8 bytes', () => {
  const chinese333 = '备'.repeat(333);
  it('counts a Chinese character as 3 bytes', () => {
    expect(utf8Length(chinese333)).toBe(999);
  });
  it('passes 333 Chinese characters and one ASCII byte (1000 bytes)', () => {
    expect(checkMemo(chinese333 + 'a')).toEqual({ ok: true, bytes: 1000 });
  });
  it('refuses one byte more and says by how much', () => {
    expect(checkMemo(chinese333 + 'ab')).toEqual({ ok: false, bytes: 1001, over: 1 });
    expect(validateRemark({ shop: 's', tid: '1', memo: chinese333 + 'ab', flag: 0 })).toMatchObject({
      kind: 'validation',
      code: 'memo_too_long',
      params: { bytes: 1001, over: 1, max: 1000 },
    });
  });
  it('refuses a 334th Chinese character by 2 bytes', () => {
    const r = checkMemo('备'.repeat(334));
    expect(r.ok ? 0 : r.over).toBe(2);
  });
});

describe('validateRemark', () => {
  const good = { shop: 'shop1', tid: '1588826713157361977', memo: '加急', flag: 1 };
  it('accepts a 19-digit tid as a string', () => {
    expect(validateRemark(good)).toBeNull();
    expect(isTid('1588826713157361977')).toBe(true);
  });
  it.each([
    ['tid as a number', { ...good, tid: 1588826713157361977 }, 'bad_tid'],
    ['tid with letters', { ...good, tid: '15888x' }, 'bad_tid'],
    ['flag 6', { ...good, flag: 6 }, 'bad_flag'],
    ['flag 1.5', { ...good, flag: 1.5 }, 'bad_flag'],
    ['flag as a string', { ...good, flag: '1' }, 'bad_flag'],
    ['memo not text', { ...good, memo: 5 }, 'memo_not_text'],
    ['bad shop', { ...good, shop: 'a b' }, 'bad_shop_id'],
  ])('refuses %s', (_name, input, code) => {
    expect(validateRemark(input)).toMatchObject({ kind: 'validation', code });
  });
});
