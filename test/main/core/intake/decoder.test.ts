import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_TEXT_MAX } from '../../../../src/main/core/bounded';
import { cleanText, decodeBatch } from '../../../../src/main/core/intake/decoder';
import type { GatewayMessage } from '../../../../src/main/core/gateway/types';
import { parseJsonLossless, parseJsonRepairing, repairStrayBackslashes } from '../../../../src/main/core/json';

/** The consume page's own example answer, verbatim (seeds/consume-messages.txt): its Chinese
 * text carries stray backslashes (`\雨`), which makes it invalid JSON. */
const PAGE_EXAMPLE = readFileSync(new URL('../../../fixtures/api-page-consume-example.txt', import.meta.url), 'utf8');

const SHOP = 'shop1';
const AT = Date.UTC(2024, 0, 2, 3, 4, 5);

/** msg_data as the gateway writes it, with the content (a JSON string unless given otherwise). */
function msgData(fields: Record<string, unknown>, content: unknown): string {
  return JSON.stringify({
    id: 1001,
    pub_time: '2024-01-02 11:04:05',
    topic: 'taobao_trade_TradeBuyerPay',
    user_id: 42,
    user_nick: 'seller',
    ...fields,
    content,
  });
}

function entry(msg: unknown, rowId = '7'): GatewayMessage {
  return { rowId, msgData: msg };
}

function decodeOne(msg: unknown) {
  return decodeBatch(SHOP, [entry(msg)], [], AT);
}

describe('the consume page example', () => {
  const expectPageMessage = (batch: ReturnType<typeof decodeBatch>) => {
    expect(batch.undecoded).toEqual([]);
    expect(batch.messages).toHaveLength(1);
    const m = batch.messages[0]!;
    expect(m).toMatchObject({
      id: '45407531231871',
      rowId: '106',
      shop: SHOP,
      topic: 'taobao_trade_TradeCreate',
      pubTime: Date.UTC(2022, 5, 13, 10, 8, 9),
      receivedAt: AT,
      userId: '3293576715',
      userNick: '高墣旗舰店',
      tid: '1588826713157361977',
      oid: '1588821237361977',
      status: 'TRADE_NO_CREATE_PAY',
      payment: '48.00',
      buyerNick: '201314雨洁',
    });
    expect(m.content).toEqual({
      buyer_nick: '201314雨洁',
      buyer_open_uid: 'AAE2DDDcLp7QIkJwHw9',
      post_fee: '0.00',
      iid: '67521386267',
      end_time: 1655114889000,
      payment: '48.00',
      oid: '1588821237361977',
      seller_nick: '高墣旗舰店',
      type: 'guarantee_trade',
      tid: '1588826713157361977',
      status: 'TRADE_NO_CREATE_PAY',
    });
  };

  it('is invalid JSON as printed, and parses once the stray backslashes are dropped', () => {
    expect(() => parseJsonLossless(PAGE_EXAMPLE)).toThrow();
    const body = parseJsonRepairing(PAGE_EXAMPLE) as { data: { msg: { id: number; msg_data: string }[] } };
    const row = body.data.msg[0]!;
    expectPageMessage(decodeBatch(SHOP, [{ rowId: String(row.id), msgData: row.msg_data }], [], AT));
  });

  it('decodes when the stray backslashes survive the outer layer into msg_data', () => {
    // A lenient outer parser that keeps unknown escapes as they are: only \" and \\ unescaped.
    const literal = /"msg_data":"((?:[^"\\]|\\[\s\S])*)"/.exec(PAGE_EXAMPLE)![1]!;
    const kept = literal.replace(/\\(["\\])/g, '$1');
    expect(kept).toContain('201314\\雨\\洁');
    expectPageMessage(decodeBatch(SHOP, [{ rowId: '106', msgData: kept }], [], AT));
  });

  it('decodes stray backslashes inside the content string alone', () => {
    const content = String.raw`{"buyer_nick":"201314\雨\洁","tid":1588826713157361977}`;
    const batch = decodeOne(msgData({}, content));
    expect(batch.messages[0]).toMatchObject({ buyerNick: '201314雨洁', tid: '1588826713157361977' });
  });
});

describe('repairStrayBackslashes', () => {
  it('drops only backslashes that cannot start an escape, and keeps escaped backslashes whole', () => {
    expect(repairStrayBackslashes(String.raw`"a\\b\雨\n\u0041\"\/x"`)).toBe(String.raw`"a\\b雨\n\u0041\"\/x"`);
    expect(repairStrayBackslashes(String.raw`"\\\洁"`)).toBe(String.raw`"\\洁"`);
  });

  it('is not applied to valid JSON, and a text the repair cannot fix still fails', () => {
    expect(parseJsonRepairing(String.raw`{"a":"x\\y"}`)).toEqual({ a: 'x\\y' });
    expect(() => parseJsonRepairing(String.raw`{"a":"\雨"`)).toThrow();
  });
});

describe('decodeBatch', () => {
  it('accepts msg_data and content already parsed to objects', () => {
    const batch = decodeOne({
      id: '1588826713157361999',
      topic: 'taobao_trade_TradeSellerShip',
      pub_time: '2024-01-02 11:04:05',
      content: { tid: 1234, status: 'WAIT_BUYER_CONFIRM_GOODS' },
    });
    expect(batch.messages[0]).toMatchObject({
      id: '1588826713157361999',
      tid: '1234',
      status: 'WAIT_BUYER_CONFIRM_GOODS',
      pubTime: AT,
    });
  });

  it('reads XML content with every value a string, so 19-digit ids stay exact', () => {
    const xml =
      '<?xml version="1.0" encoding="utf-8"?><content><tid>1588826713157361977</tid><oid>1588821237361977</oid><num>02</num><title>A &amp; B</title><extra_field>x</extra_field></content>';
    const m = decodeOne(msgData({}, xml)).messages[0]!;
    expect(m.tid).toBe('1588826713157361977');
    expect(m.oid).toBe('1588821237361977');
    expect(m.content).toEqual({
      tid: '1588826713157361977',
      oid: '1588821237361977',
      num: '02',
      title: 'A & B',
      extra_field: 'x',
    });
  });

  it('keeps every id as its exact digits, nested ones too, and unknown fields', () => {
    const content =
      '{"tid":1588826713157361977,"refund_id":158882671315736197,"num_iid":67521386267,"refund_fee":"1.00","new_thing":{"deep":[1,2]},"orders":[{"oid":1588821237361977001,"num":2}]}';
    const m = decodeOne(msgData({ user_id: 3293576715 }, content)).messages[0]!;
    expect(m.content).toEqual({
      tid: '1588826713157361977',
      refund_id: '158882671315736197',
      num_iid: '67521386267',
      refund_fee: '1.00',
      new_thing: { deep: [1, 2] },
      orders: [{ oid: '1588821237361977001', num: 2 }],
    });
    expect(m.userId).toBe('3293576715');
  });

  it('keeps a 19-digit inner id exact when msg_data writes it as a bare number', () => {
    const text =
      '{"content":"{}","id":1588826713157361977,"topic":"taobao_trade_TradeCreate","pub_time":"2024-01-02 11:04:05"}';
    expect(decodeOne(text).messages[0]!.id).toBe('1588826713157361977');
  });

  it('reads pub_time as China time and falls back to the arrival time when it is missing', () => {
    expect(decodeOne(msgData({ pub_time: '2024-01-01 00:00:00' }, '{}')).messages[0]!.pubTime).toBe(
      Date.UTC(2023, 11, 31, 16),
    );
    expect(decodeOne(msgData({ pub_time: undefined }, '{}')).messages[0]!.pubTime).toBe(AT);
  });

  it('drops control characters but keeps newlines, tabs and markup as text', () => {
    const content = JSON.stringify({
      buyer_nick: 'b\u0000u\u0007y<b>er</b>\u001b',
      title: 'line1\nline2\tx\r\u007f',
      status: 'WAIT_SELLER_SEND_GOODS',
    });
    const m = decodeOne(msgData({ user_nick: 'shop\u0008nick' }, content)).messages[0]!;
    expect(m.buyerNick).toBe('buy<b>er</b>');
    expect(m.content.title).toBe('line1\nline2\tx');
    expect(m.userNick).toBe('shopnick');
    expect(cleanText('a\u0001b\nc\td')).toBe('ab\nc\td');
  });

  it("normalises content handed over as an object into a copy, leaving the caller's object as it was", () => {
    const content = { tid: 1588826713157, nick: 'a\u0000b', items: [{ oid: 42, note: 'x\u0007' }] };
    const before = structuredClone(content);
    const m = decodeOne({ id: 7, topic: 'taobao_trade_TradeCreate', pub_time: '2024-01-02 11:04:05', content })
      .messages[0]!;
    expect(m.content).toEqual({ tid: '1588826713157', nick: 'ab', items: [{ oid: '42', note: 'x' }] });
    expect(content).toEqual(before);
  });

  it('normalises ids and text the same in a nested __proto__ field and a nested list', () => {
    const m = decodeOne(
      msgData({}, '{"__proto__":{"sub_oid":1588821237361977001,"n":"a\\u0001"},"list":[{"tid":12,"t":"\\u0002"}]}'),
    ).messages[0]!;
    expect(Object.getOwnPropertyDescriptor(m.content, '__proto__')?.value).toEqual({
      sub_oid: '1588821237361977001',
      n: 'a',
    });
    expect(m.content.list).toEqual([{ tid: '12', t: '' }]);
  });

  it('keeps a __proto__ field from the wire as a plain field', () => {
    const m = decodeOne(msgData({}, '{"__proto__":{"polluted":1},"tid":5}')).messages[0]!;
    expect(Object.getPrototypeOf(m.content)).toBe(Object.prototype);
    expect(Object.keys(m.content)).toContain('__proto__');
    expect((m.content as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('keeps each message it cannot decode raw with a reason, and decodes the rest of the batch', () => {
    const good = msgData({ id: 1 }, '{"tid":11}');
    const cases: [unknown, RegExp][] = [
      [msgData({ id: undefined }, '{}'), /no message id/],
      ['<html>502 Bad Gateway</html>', /msg_data is not JSON/],
      [msgData({}, 'hello there'), /content is neither JSON nor XML/],
      [msgData({}, '<a><b></a>'), /content is not valid XML/],
      [msgData({}, '[1,2]'), /content JSON is not an object/],
      [msgData({ topic: undefined }, '{}'), /no topic/],
      [msgData({ topic: '' }, '{}'), /no topic/],
      ['"just a string"', /msg_data JSON is not an object/],
      [12345, /neither a JSON string nor an object/],
    ];
    const entries = [
      entry(good, 'g1'),
      ...cases.map(([m], i) => entry(m, `b${i}`)),
      entry(msgData({ id: 2 }, '{"tid":22}'), 'g2'),
    ];
    const batch = decodeBatch(SHOP, entries, ['[1,2]', 'null'], AT);
    expect(batch.messages.map((m) => [m.rowId, m.tid])).toEqual([
      ['g1', '11'],
      ['g2', '22'],
    ]);
    expect(batch.undecoded).toHaveLength(cases.length + 2);
    cases.forEach(([m, reason], i) => {
      const u = batch.undecoded[i]!;
      expect(u).toMatchObject({ shop: SHOP, rowId: `b${i}`, receivedAt: AT });
      expect(u.reason).toMatch(reason);
      expect(u.raw).toBe(typeof m === 'string' ? m : JSON.stringify(m));
    });
    expect(batch.undecoded.slice(-2).map((u) => [u.raw, u.rowId])).toEqual([
      ['[1,2]', undefined],
      ['null', undefined],
    ]);
  });

  it('bounds a reason that quotes the wire (an XML tag 5,000 characters long), and keeps the entry whole', () => {
    const tag = 'a'.repeat(5_000);
    const m = msgData({}, `<${tag}></b>`);
    const [u] = decodeOne(m).undecoded;
    expect(u!.reason).toMatch(/^content is not valid XML: .*…$/);
    expect(u!.reason.length).toBeLessThanOrEqual(ERROR_TEXT_MAX + 1);
    expect(u!.raw).toBe(m);
  });

  it('keeps the message but not the lifted field when an id is not digits', () => {
    const m = decodeOne(msgData({}, '{"tid":"abc","oid":-5}')).messages[0]!;
    expect(m.tid).toBeUndefined();
    expect(m.oid).toBeUndefined();
    expect(m.content).toEqual({ tid: 'abc', oid: -5 });
  });
});
