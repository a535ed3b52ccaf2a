import { describe, expect, it } from 'vitest';
import { isInboxRecord } from '../../../../src/main/core/inbox/records';

const message = {
  id: '9000000000000000001',
  rowId: '1',
  shop: 'shop1',
  topic: 'taobao_trade_TradeBuyerPay',
  pubTime: 1,
  receivedAt: 2,
  tid: '1588826713157361977',
  content: { tid: '1588826713157361977' },
};
const undecoded = { shop: 'shop1', raw: '{', reason: 'bad json', receivedAt: 2 };

describe('isInboxRecord', () => {
  it('reads each kind of line this version writes', () => {
    for (const r of [
      { k: 'message', m: message },
      { k: 'message', m: { ...message, buyerNick: 'nick', status: 'WAIT_SELLER_SEND_GOODS', payment: '1.00' } },
      { k: 'undecoded', u: undecoded },
      { k: 'undecoded', u: { ...undecoded, rowId: '7' } },
      { k: 'seen', tids: ['1'], at: 3 },
      { k: 'remark', shop: 'shop1', tid: '1', memo: '', flag: 0, at: 3 },
    ])
      expect(isInboxRecord(r), JSON.stringify(r)).toBe(true);
  });

  it('refuses a line missing a field, or with a field of the wrong type, required or optional', () => {
    const { content: _content, ...noContent } = message;
    const { reason: _reason, ...noReason } = undecoded;
    for (const r of [
      { k: 'message', m: noContent },
      { k: 'message', m: { ...message, id: 9 } },
      { k: 'message', m: { ...message, pubTime: Infinity } },
      { k: 'message', m: { ...message, content: 'x' } },
      { k: 'message', m: { ...message, tid: 1588826713157361977 } },
      { k: 'message', m: { ...message, buyerNick: null } },
      { k: 'message', m: null },
      { k: 'undecoded', u: noReason },
      { k: 'undecoded', u: { ...undecoded, rowId: 7 } },
      { k: 'seen', tids: [1], at: 3 },
      { k: 'remark', shop: 'shop1', tid: '1', memo: '', flag: 6, at: 3 },
      { k: 'other' },
      'message',
    ])
      expect(isInboxRecord(r), JSON.stringify(r)).toBe(false);
  });
});
