import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJsonLossless } from '../../src/main/core/json';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator';
import { ManualClock } from '../main/core/gateway/timeHelpers';
import { BCRO, consume, envelopeOf, post, TOP } from './http';

const T0 = Date.UTC(2026, 10, 22, 4, 0, 0);
const TID = '1588826713157361977';
const SHOP = 'demo-shop-1';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: SimulatorOptions = {}): Promise<Simulator> {
  sim = await startSimulator({ seed: 3, echoDelayMs: 60_000, ...options });
  return sim;
}

/** Three messages in the queue, duplicates off so each decodes to a distinct id. */
async function startWithMessages(options: SimulatorOptions = {}): Promise<Simulator> {
  const s = await start(options);
  s.generate(SHOP, 1, { duplicateRate: 0, topics: ['TradeCreate'] });
  s.generate(SHOP, 2, { duplicateRate: 0, topics: ['TradeBuyerPay'] });
  expect(s.queueLength(SHOP)).toBeGreaterThanOrEqual(3);
  return s;
}

function rowsOf(text: string): { id: unknown; msg_data: string }[] {
  return envelopeOf(text).data.msg ?? [];
}

function decodes(text: string): boolean {
  try {
    parseJsonLossless(text);
    return true;
  } catch {
    return false;
  }
}

describe('scripted faults', () => {
  it('code: answers the given result code to the next matching call only', async () => {
    const s = await startWithMessages();
    const before = s.queueLength(SHOP);
    s.injectFault({ type: 'code', code: 101 });
    const env = envelopeOf((await consume(s.url, { shop_id: SHOP })).text);
    expect(env).toMatchObject({ code: 101, msg: '请求超时,请重试', data: [] });
    expect(s.queueLength(SHOP)).toBe(before);
    expect(envelopeOf((await consume(s.url, { shop_id: SHOP })).text).code).toBe(0);
    expect(s.answers.map((a) => a.code)).toEqual([101, 0]);
  });

  it('code: 302 carries an authorisation link, and a custom msg is used', async () => {
    const s = await start();
    s.injectFault({ type: 'code', code: 302 });
    expect(String(envelopeOf((await consume(s.url, { shop_id: SHOP })).text).data.url)).toContain('https://');
    s.injectFault({ type: 'code', code: 204, msg: '请求异常:无该接口权限,请前往官网开通正式接口。' });
    expect(envelopeOf((await post(s.url, BCRO, { shop_id: SHOP, tid: TID, memo: 'x' })).text)).toMatchObject({
      code: 204,
      msg: '请求异常:无该接口权限,请前往官网开通正式接口。',
    });
  });

  it('matches faults by endpoint, shop and times', async () => {
    const s = await start();
    s.injectFault({ type: 'code', code: 202 }, { endpoint: 'remark', shop: 'demo-shop-2', times: 2 });
    expect(envelopeOf((await consume(s.url, { shop_id: 'demo-shop-2' })).text).code).toBe(0);
    expect(envelopeOf((await post(s.url, BCRO, { shop_id: SHOP, tid: TID, memo: '' })).text).code).toBe(0);
    const codes = [];
    for (let i = 0; i < 3; i++)
      codes.push(envelopeOf((await post(s.url, BCRO, { shop_id: 'demo-shop-2', tid: TID, memo: '' })).text).code);
    expect(codes).toEqual([202, 202, 0]);
  });

  it('clearFaults() drops the pending ones', async () => {
    const s = await start();
    s.injectFault({ type: 'code', code: 200 }, { times: 5 });
    s.clearFaults();
    expect(envelopeOf((await consume(s.url, { shop_id: SHOP })).text).code).toBe(0);
  });

  it('http: an HTML error page with the given status', async () => {
    const s = await start();
    s.injectFault({ type: 'http', status: 502 });
    const res = await consume(s.url, { shop_id: SHOP });
    expect(res.status).toBe(502);
    expect(res.contentType).toContain('text/html');
    expect(res.text).toContain('502 Bad Gateway');
    s.injectFault({ type: 'http', status: 503, body: 'busy', contentType: 'text/plain' });
    expect(await consume(s.url, { shop_id: SHOP })).toMatchObject({
      status: 503,
      text: 'busy',
      contentType: 'text/plain',
    });
  });

  it('reset: the connection is destroyed without an answer and nothing is consumed', async () => {
    const s = await startWithMessages();
    const before = s.queueLength(SHOP);
    s.injectFault({ type: 'reset' });
    await expect(consume(s.url, { shop_id: SHOP })).rejects.toThrow();
    expect(s.queueLength(SHOP)).toBe(before);
    expect(s.answers).toEqual([]);
    expect(envelopeOf((await consume(s.url, { shop_id: SHOP })).text).code).toBe(0);
  });

  it('delay: answers normally once the delay has passed', async () => {
    const clock = new ManualClock(T0);
    const s = await start({ clock });
    s.injectFault({ type: 'delay', ms: 5000 });
    let done = false;
    const pending = consume(s.url, { shop_id: SHOP }).then((r) => {
      done = true;
      return r;
    });
    await expect.poll(() => s.calls.length).toBe(1);
    await clock.advance(4999);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(envelopeOf((await pending).text)).toMatchObject({ code: 0, msec: 5000 });
  });

  it('drip: sends the normal answer a few bytes at a time', async () => {
    const clock = new ManualClock(T0);
    const s = await start({ clock });
    s.injectFault({ type: 'drip', bytesPerSecond: 100 });
    const form = new URLSearchParams({ shop_id: SHOP, tid: TID, memo: '加急', flag: '1' }).toString();
    const res = await request(`${s.url}${BCRO}`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-token', 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const total = Number(res.headers['content-length']);
    const chunks: Buffer[] = [];
    const reading = (async () => {
      for await (const chunk of res.body) chunks.push(chunk as Buffer);
    })();
    await expect.poll(() => chunks.length).toBe(1);
    expect(chunks[0]?.length).toBe(10);
    for (let i = 0; i * 10 < total; i++) {
      await clock.advance(100);
      await new Promise((r) => setTimeout(r, 5));
    }
    await reading;
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.length).toBeGreaterThan(10);
    expect(envelopeOf(text)).toMatchObject({ code: 0, data: { tid: TID } });
  });

  it('malformed body: the answer is cut off (and its messages are gone, as on a real gateway)', async () => {
    const s = await startWithMessages();
    s.injectFault({ type: 'malformed', what: 'body' });
    const res = await consume(s.url, { shop_id: SHOP });
    expect(res.status).toBe(200);
    expect(decodes(res.text)).toBe(false);
    expect(s.queueLength(SHOP)).toBe(0);
    expect(s.answers[0]?.ids.length).toBeGreaterThanOrEqual(3);
  });

  it('malformed msg_data: one message cannot be decoded, the others of the answer can', async () => {
    const s = await startWithMessages();
    s.injectFault({ type: 'malformed', what: 'msg_data' });
    const rows = rowsOf((await consume(s.url, { shop_id: SHOP })).text);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(decodes(rows[0]?.msg_data ?? '')).toBe(false);
    for (const row of rows.slice(1)) expect(decodes(row.msg_data)).toBe(true);
  });

  it('malformed content: msg_data decodes but its content does not; the others are sound', async () => {
    const s = await startWithMessages();
    s.injectFault({ type: 'malformed', what: 'content' });
    const rows = rowsOf((await consume(s.url, { shop_id: SHOP })).text);
    const contents = rows.map((r) => (parseJsonLossless(r.msg_data) as { content: string }).content);
    expect(decodes(contents[0] ?? '')).toBe(false);
    for (const c of contents.slice(1)) expect(decodes(c)).toBe(true);
  });

  it('malformed invalid_escapes: stray backslashes before Chinese characters, like the API page', async () => {
    const s = await startWithMessages();
    s.injectFault({ type: 'malformed', what: 'invalid_escapes' });
    const res = await consume(s.url, { shop_id: SHOP });
    expect(decodes(res.text)).toBe(false);
    expect(res.text).toMatch(/\\[\u4e00-\u9fff]/);
    expect(res.text).toContain('"msg":"操作成功"');
    // Without the stray backslashes the same text is valid JSON: nothing else is broken.
    expect(decodes(res.text.replace(/\\([\u4e00-\u9fff])/g, '$1'))).toBe(true);
  });

  it('message-breaking faults wait for an answer that carries messages', async () => {
    const s = await start();
    s.injectFault({ type: 'malformed', what: 'msg_data' });
    expect(decodes((await consume(s.url, { shop_id: SHOP })).text)).toBe(true);
    expect(decodes((await post(s.url, BCRO, { shop_id: SHOP, tid: TID, memo: '' })).text)).toBe(true);
    s.generate(SHOP, 1);
    expect(decodes(rowsOf((await consume(s.url, { shop_id: SHOP })).text)[0]?.msg_data ?? '')).toBe(false);
  });

  it('faults also apply to the TOP endpoint', async () => {
    const s = await start();
    s.injectFault({ type: 'code', code: 15 }, { endpoint: 'top' });
    expect(envelopeOf((await consume(s.url, { shop_id: SHOP })).text).code).toBe(0);
    const res = await post(s.url, TOP, { method: 'x' }, { token: null });
    expect(parseJsonLossless(res.text)).toMatchObject({ error_response: { code: 15, msg: 'Remote service error' } });
  });
});
