import { describe, expect, it } from 'vitest';
import { parseJsonLossless } from '../../src/main/core/json';
import {
  CONTENT_ID_KEYS,
  encodeContent,
  encodeMsgData,
  RawJson,
  writeJson,
  type SimMessage,
} from '../../src/simulator';

const TID = '1588826713157361977';
const publisher = { userId: '3293576715', userNick: '高墣旗舰店', appKey: '12421314' };

describe('writeJson', () => {
  it('writes digit strings under id keys as bare numbers, everything else like JSON.stringify', () => {
    const value = {
      tid: TID,
      oid: '1588821237361977',
      payment: '48.00',
      post_fee: '0.00',
      nick: '201314雨洁',
      code: '123',
      n: 5,
      ok: true,
      none: null,
      list: [{ tid: TID }],
      q: 'a"b\\c\n',
    };
    const text = writeJson(value, CONTENT_ID_KEYS);
    expect(text).toContain(`"tid":${TID},`);
    expect(text).toContain('"oid":1588821237361977,');
    expect(text).toContain(`"list":[{"tid":${TID}}]`);
    expect(text).toContain('"code":"123"');
    // A 16-digit oid is a safe number and comes back as one; the 19-digit tid as its digits.
    expect(parseJsonLossless(text)).toEqual({ ...value, oid: 1588821237361977 });
    const { tid: _t, oid: _o, list: _l, ...plain } = value;
    expect(writeJson(plain, CONTENT_ID_KEYS)).toBe(JSON.stringify(plain));
  });

  it('keeps a non-digit id as a string, skips undefined and writes RawJson verbatim', () => {
    expect(writeJson({ tid: 'abc', gone: undefined, raw: new RawJson('[1,2') }, CONTENT_ID_KEYS)).toBe(
      '{"tid":"abc","raw":[1,2}',
    );
  });
});

describe('message encoding', () => {
  const base: SimMessage = {
    id: '9876543210987654321',
    topic: 'taobao_trade_TradeCreate',
    tid: TID,
    pubTime: '2022-06-13 18:08:09',
    content: { buyer_nick: '201314雨洁', tid: TID, status: 'TRADE_NO_CREATE_PAY' },
  };

  it('writes msg_data with the page keys in order, ids bare, content as a JSON string', () => {
    const text = encodeMsgData(base, publisher);
    expect(text).toBe(
      `{"content":${JSON.stringify(`{"buyer_nick":"201314雨洁","tid":${TID},"status":"TRADE_NO_CREATE_PAY"}`)},"id":9876543210987654321,"pub_app_key":"12421314","pub_time":"2022-06-13 18:08:09","topic":"taobao_trade_TradeCreate","user_id":3293576715,"user_nick":"高墣旗舰店"}`,
    );
  });

  it('uses rawMsgData and string content as given', () => {
    expect(encodeMsgData({ ...base, rawMsgData: 'not json' }, publisher)).toBe('not json');
    expect(encodeContent({ ...base, content: '{"tid":' })).toBe('{"tid":');
  });

  it('writes XML content with escaping', () => {
    expect(encodeContent({ ...base, contentFormat: 'xml', content: { tid: TID, seller_memo: 'a<b & "c"' } })).toBe(
      `<?xml version="1.0" encoding="utf-8"?><content><tid>${TID}</tid><seller_memo>a&lt;b &amp; &quot;c&quot;</seller_memo></content>`,
    );
  });
});
