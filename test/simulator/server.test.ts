import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { idString, parseJsonLossless } from '../../src/main/core/json';
import { startSimulator, type SimMessage, type Simulator, type SimulatorOptions } from '../../src/simulator';
import { ManualClock } from '../main/core/gateway/timeHelpers';
import { BCRO, CONSUME, consume, decodeAll, envelopeOf, post } from './http';

const T0 = Date.UTC(2026, 10, 22, 4, 0, 0);
const TID = '1588826713157361977';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: SimulatorOptions = {}): Promise<Simulator> {
  sim = await startSimulator({ seed: 7, ...options });
  return sim;
}

function message(id: string, topic: string, tid = TID): SimMessage {
  return {
    id,
    topic,
    tid,
    pubTime: '2026-11-22 12:00:00',
    content: { tid, oid: tid, status: 'WAIT_SELLER_SEND_GOODS', buyer_nick: '雨洁', payment: '48.00' },
  };
}

describe('simulator server', () => {
  it('listens on 127.0.0.1 and stops listening on close', async () => {
    const s = await start();
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
    expect(s.port).toBeGreaterThan(0);
    const res = await consume(s.url, { shop_id: 'demo-shop-1' });
    expect(res.status).toBe(200);
    await s.close();
    sim = undefined;
    await expect(request(`${s.url}${CONSUME}`, { method: 'POST' })).rejects.toThrow();
  });

  it('answers a missing or wrong token with code 401 in an HTTP 200 envelope', async () => {
    const s = await start();
    for (const token of [null, 'not-the-token']) {
      const res = await consume(s.url, { shop_id: 'demo-shop-1' }, token);
      expect(res.status).toBe(200);
      expect(envelopeOf(res.text)).toMatchObject({ code: 401, data: [] });
    }
    const ok = await consume(s.url, { shop_id: 'demo-shop-1' }, 'demo-token');
    expect(envelopeOf(ok.text).code).toBe(0);
  });

  it('answers other paths and methods with code 404', async () => {
    const s = await start();
    expect(envelopeOf((await post(s.url, '/tool/erps/nothing', { shop_id: 'demo-shop-1' })).text).code).toBe(404);
    const get = await request(`${s.url}${CONSUME}`, { method: 'GET', headers: { authorization: 'Bearer demo-token' } });
    expect(envelopeOf(await get.body.text()).code).toBe(404);
  });

  it('consumes destructively, honouring quantity and billing 1 per call', async () => {
    const s = await start();
    s.enqueue(
      'demo-shop-1',
      Array.from({ length: 25 }, (_, i) =>
        message(String(9_000_000_000_000_000_000n + BigInt(i)), 'taobao_trade_TradeBuyerPay'),
      ),
    );
    const first = await consume(s.url, { shop_id: 'demo-shop-1', quantity: '10' });
    const env = envelopeOf(first.text);
    expect(env).toMatchObject({ code: 0, msg: '操作成功', data: { withholding_money: 1 } });
    expect(env.data.msg).toHaveLength(10);
    expect(s.queueLength('demo-shop-1')).toBe(15);
    const rest = envelopeOf((await consume(s.url, { shop_id: 'demo-shop-1' })).text);
    expect(rest.data.msg).toHaveLength(15);
    const empty = envelopeOf((await consume(s.url, { shop_id: 'demo-shop-1' })).text);
    expect(empty).toMatchObject({ code: 0, data: { msg: [], withholding_money: 1 } });
    // Outer row ids increase; the answers log says which TMC ids went out.
    const rowIds = [...(env.data.msg ?? []), ...(rest.data.msg ?? [])].map((r) => Number(r.id));
    expect(rowIds).toEqual([...rowIds].sort((a, b) => a - b));
    expect(new Set(rowIds).size).toBe(25);
    expect(s.answers.map((a) => a.ids.length)).toEqual([10, 15, 0]);
    expect(s.answers[0]?.ids[0]).toBe('9000000000000000000');
  });

  it('takes only the msg_type topic and leaves the others queued', async () => {
    const s = await start();
    s.enqueue('demo-shop-1', [
      message('11', 'taobao_trade_TradeCreate'),
      message('12', 'taobao_trade_TradeSellerShip'),
      message('13', 'taobao_trade_TradeCreate'),
      message('14', 'taobao_trade_TradeSellerShip'),
    ]);
    const res = decodeAll(
      (await consume(s.url, { shop_id: 'demo-shop-1', msg_type: 'taobao_trade_TradeSellerShip' })).text,
    );
    expect(res.map((d) => d.msgData.id)).toEqual([12, 14]);
    expect(s.queueLength('demo-shop-1')).toBe(2);
    expect(decodeAll((await consume(s.url, { shop_id: 'demo-shop-1' })).text).map((d) => d.msgData.topic)).toEqual([
      'taobao_trade_TradeCreate',
      'taobao_trade_TradeCreate',
    ]);
  });

  it('keeps queues per shop', async () => {
    const s = await start();
    s.generate('demo-shop-2', 3, { duplicateRate: 0 });
    expect(s.queueLength('demo-shop-1')).toBe(0);
    expect(envelopeOf((await consume(s.url, { shop_id: 'demo-shop-1' })).text).data.msg).toEqual([]);
    expect(s.queueLength('demo-shop-2')).toBeGreaterThanOrEqual(3);
  });

  it('writes 19-digit ids as bare number literals, intact in the raw body', async () => {
    const s = await start();
    const sent = s.generate('demo-shop-1', 5);
    const raw = (await consume(s.url, { shop_id: 'demo-shop-1', quantity: '200' })).text;
    for (const m of sent) {
      const content = m.content as Record<string, unknown>;
      // msg_data is a JSON string inside the answer, content a JSON string inside that: the
      // escaped quotes in front of the digits are \" then \\\".
      expect(raw).toMatch(new RegExp(`\\\\"id\\\\":${m.id}[,}]`));
      expect(raw).toMatch(new RegExp(`\\\\\\\\\\\\"tid\\\\\\\\\\\\":${String(content.tid)}[,}]`));
      expect(raw).not.toMatch(new RegExp(`"${String(content.tid)}`));
    }
  });

  it('triple-encodes messages so that a lossless decoding gets every id back exactly', async () => {
    const s = await start();
    const sent = s.generate('demo-shop-1', 4, { duplicateRate: 0 });
    const decoded = decodeAll((await consume(s.url, { shop_id: 'demo-shop-1', quantity: '200' })).text);
    expect(decoded).toHaveLength(sent.length);
    decoded.forEach((d, i) => {
      const m = sent[i] as SimMessage;
      const content = m.content as Record<string, unknown>;
      expect(typeof d.rowId).toBe('number');
      expect(Object.keys(d.msgData)).toEqual([
        'content',
        'id',
        'pub_app_key',
        'pub_time',
        'topic',
        'user_id',
        'user_nick',
      ]);
      expect(d.msgData.id).toBe(m.id);
      expect(d.msgData).toMatchObject({ pub_time: m.pubTime, topic: m.topic, pub_app_key: '12421314' });
      expect(idString(d.msgData.user_id)).toMatch(/^\d{10}$/);
      expect(d.content.tid).toBe(content.tid);
      expect(d.content.tid).toBe(m.tid);
      expect(BigInt(d.content.tid as string)).toBeGreaterThan(2n ** 53n);
      if ('oid' in content) expect(d.content.oid).toBe(content.oid);
      expect(d.content.buyer_nick).toBe(content.buyer_nick);
    });
  });

  it('encodes XML content and passes rawMsgData through untouched', async () => {
    const s = await start();
    s.enqueue('demo-shop-1', [
      {
        ...message('21', 'taobao_trade_TradeBuyerPay'),
        content: { tid: TID, seller_nick: '高墣<旗舰>店' },
        contentFormat: 'xml',
      },
      { id: '22', topic: 'x', pubTime: '', content: {}, rawMsgData: '{"whatever": [1,' },
    ]);
    const env = envelopeOf((await consume(s.url, { shop_id: 'demo-shop-1' })).text);
    const [xml, raw] = env.data.msg ?? [];
    const msgData = parseJsonLossless(xml?.msg_data ?? '') as Record<string, unknown>;
    expect(msgData.content).toBe(
      `<?xml version="1.0" encoding="utf-8"?><content><tid>${TID}</tid><seller_nick>高墣&lt;旗舰&gt;店</seller_nick></content>`,
    );
    expect(raw?.msg_data).toBe('{"whatever": [1,');
  });

  it('refuses a quantity outside 10..200 with code 100 and consumes nothing', async () => {
    const s = await start();
    s.generate('demo-shop-1', 2);
    const before = s.queueLength('demo-shop-1');
    for (const quantity of ['9', '201', 'ten', '-5', '10.5']) {
      const env = envelopeOf((await consume(s.url, { shop_id: 'demo-shop-1', quantity })).text);
      expect(env.code).toBe(100);
      expect(env.data).toEqual([]);
    }
    expect(s.queueLength('demo-shop-1')).toBe(before);
    for (const quantity of ['10', '200'])
      expect(envelopeOf((await consume(s.url, { shop_id: 'demo-shop-1', quantity })).text).code).toBe(0);
  });

  it('refuses an unknown shop with code 302 and an authorisation link, and a missing one with 100', async () => {
    const s = await start();
    const env = envelopeOf((await consume(s.url, { shop_id: 'someone-else' })).text);
    expect(env.code).toBe(302);
    expect(env.msg).toBe('未授权店铺');
    expect(String(env.data.url)).toMatch(/^https:\/\/.*state=someone-else/);
    expect(envelopeOf((await post(s.url, BCRO, { shop_id: 'someone-else', tid: TID, memo: 'x' })).text).code).toBe(302);
    expect(envelopeOf((await consume(s.url, {})).text).code).toBe(100);
    expect(s.calls.map((c) => [c.endpoint, c.shop])).toEqual([
      ['consume', 'someone-else'],
      ['remark', 'someone-else'],
      ['consume', undefined],
    ]);
  });

  it('accepts urlencoded forms too', async () => {
    const s = await start();
    s.enqueue('demo-shop-1', [message('31', 'taobao_trade_TradeCreate')]);
    const res = await post(s.url, CONSUME, { shop_id: 'demo-shop-1', quantity: '10' }, { urlencoded: true });
    expect(envelopeOf(res.text).data.msg).toHaveLength(1);
  });
});

describe('bcro', () => {
  it('records memo and flag, answers like the page and echoes TradeMemoModified after the delay', async () => {
    const clock = new ManualClock(T0);
    const s = await start({ clock, echoDelayMs: 1000 });
    const memo = '加急，已核对地址';
    const res = await post(s.url, BCRO, { shop_id: 'demo-shop-1', tid: TID, memo, flag: '1' });
    expect(res.text).toContain(`"tid":"${TID}"`);
    expect(envelopeOf(res.text)).toMatchObject({
      code: 0,
      data: { withholding_money: 1, modified: '2026-11-22 12:00:00', tid: TID },
    });
    expect(s.remarkOf(TID)).toEqual({ shop: 'demo-shop-1', memo, flag: 1, at: T0 });

    await clock.advance(999);
    expect(s.queueLength('demo-shop-1')).toBe(0);
    await clock.advance(1);
    expect(s.queueLength('demo-shop-1')).toBe(1);
    const [echo] = decodeAll((await consume(s.url, { shop_id: 'demo-shop-1' })).text);
    expect(echo?.msgData.topic).toBe('taobao_trade_TradeMemoModified');
    expect(echo?.content).toMatchObject({
      tid: TID,
      action_type: 'seller',
      seller_flag: 1,
      seller_memo: memo,
      modified: '2026-11-22 12:00:01',
    });
    expect(typeof echo?.content.seller_nick).toBe('string');
  });

  it('takes a memo of exactly 1000 UTF-8 bytes and refuses 1001', async () => {
    const s = await start({ echoDelayMs: 60_000 });
    const ok = '备'.repeat(333) + 'x';
    expect(new TextEncoder().encode(ok)).toHaveLength(1000);
    expect(
      envelopeOf((await post(s.url, BCRO, { shop_id: 'demo-shop-1', tid: TID, memo: ok, flag: '2' })).text).code,
    ).toBe(0);
    expect(s.remarkOf(TID)?.memo).toBe(ok);
    const refused = envelopeOf(
      (await post(s.url, BCRO, { shop_id: 'demo-shop-1', tid: TID, memo: `${ok}y`, flag: '2' })).text,
    );
    expect(refused.code).toBe(100);
    expect(refused.msg).toContain('1001');
    expect(s.remarkOf(TID)?.memo).toBe(ok);
  });

  it('validates tid and flag, defaults flag to 0 and keeps the memo when none is sent', async () => {
    const s = await start({ echoDelayMs: 60_000 });
    const invalid: Record<string, string>[] = [
      { tid: '12ab' },
      { tid: '' },
      { tid: TID, flag: '6' },
      { tid: TID, flag: '-1' },
      { tid: TID, flag: 'red' },
      { tid: TID, flag: '1.0' },
    ];
    for (const fields of invalid) {
      expect(envelopeOf((await post(s.url, BCRO, { shop_id: 'demo-shop-1', memo: 'm', ...fields })).text).code).toBe(
        100,
      );
    }
    expect(s.remarkOf(TID)).toBeUndefined();
    await post(s.url, BCRO, { shop_id: 'demo-shop-1', tid: TID, memo: '赠品', flag: '4' });
    await post(s.url, BCRO, { shop_id: 'demo-shop-1', tid: TID });
    expect(s.remarkOf(TID)).toMatchObject({ memo: '赠品', flag: 0 });
  });

  it('cancels a pending echo on close()', async () => {
    const clock = new ManualClock(T0);
    const s = await start({ clock, echoDelayMs: 1000 });
    await post(s.url, BCRO, { shop_id: 'demo-shop-1', tid: TID, memo: 'a' });
    await s.close();
    sim = undefined;
    await clock.advance(5000);
    expect(s.queueLength('demo-shop-1')).toBe(0);
  });
});

describe('rate limit', () => {
  it('answers code 202 beyond the per-endpoint limit within one second, unbilled', async () => {
    const clock = new ManualClock(T0);
    const s = await start({ clock, rateLimitPerSecond: 10 });
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) codes.push(envelopeOf((await consume(s.url, { shop_id: 'demo-shop-1' })).text).code);
    expect(codes).toEqual(Array(10).fill(0));
    const over = envelopeOf((await consume(s.url, { shop_id: 'demo-shop-1' })).text);
    expect(over.code).toBe(202);
    expect(over.data).toEqual([]);
    // The limit is per endpoint: bcro still has its own ten.
    expect(envelopeOf((await post(s.url, BCRO, { shop_id: 'demo-shop-1', tid: TID, memo: '' })).text).code).toBe(0);
    await clock.advance(1000);
    expect(envelopeOf((await consume(s.url, { shop_id: 'demo-shop-1' })).text).code).toBe(0);
  });
});

describe('service time', () => {
  it('waits serviceTimeMs before answering and reports it in msec', async () => {
    const clock = new ManualClock(T0);
    const s = await start({ clock, serviceTimeMs: 1000 });
    let done = false;
    const pending = consume(s.url, { shop_id: 'demo-shop-1' }).then((r) => {
      done = true;
      return r;
    });
    await expect.poll(() => s.calls.length).toBe(1);
    await clock.advance(999);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(envelopeOf((await pending).text)).toMatchObject({ code: 0, msec: 1000 });
  });
});

describe('automatic traffic', () => {
  it('enqueues orders on a timer and stops with close()', async () => {
    const clock = new ManualClock(T0);
    const s = await start({ clock, traffic: { ordersPerMinute: 60 }, shops: ['demo-shop-1'] });
    await clock.advance(0);
    for (let i = 0; i < 120; i++) await clock.advance(1000);
    const queued = s.queueLength('demo-shop-1');
    expect(queued).toBeGreaterThan(20);
    const topics = new Set(
      decodeAll((await consume(s.url, { shop_id: 'demo-shop-1', quantity: '200' })).text).map((d) => d.msgData.topic),
    );
    expect(topics).toContain('taobao_trade_TradeCreate');
    expect(topics).toContain('taobao_trade_TradeBuyerPay');
    await s.close();
    sim = undefined;
    const after = s.queueLength('demo-shop-1');
    for (let i = 0; i < 60; i++) await clock.advance(1000);
    expect(s.queueLength('demo-shop-1')).toBe(after);
  });
});
