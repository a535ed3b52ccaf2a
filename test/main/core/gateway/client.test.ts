import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import type { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayClient, type GatewayClientOptions } from '../../../../src/main/core/gateway/client';
import { CostMeter } from '../../../../src/main/core/gateway/cost';
import { ERROR_TEXT_MAX } from '../../../../src/main/core/bounded';
import { createHttpAgent, type HttpTimeouts } from '../../../../src/main/core/gateway/http';
import { RateBudgets } from '../../../../src/main/core/gateway/rate';
import { decodeBatch } from '../../../../src/main/core/intake/decoder';
import type { ErrorKind } from '../../../../src/shared/errors';
import { busiestWindow, ManualClock } from './timeHelpers';
import { json, startServer, type TestServer } from './testServer';

const TIMEOUTS: HttpTimeouts = { connectMs: 300, headersMs: 400, bodyMs: 400 };
const BIG_TID = '1588826713157361977';

let server: TestServer;
let agent: Agent;
let clock: ManualClock;

beforeAll(async () => {
  server = await startServer();
  agent = createHttpAgent(TIMEOUTS);
});
afterAll(async () => {
  await agent.close();
  await server.close();
});
beforeEach(() => {
  server.received.length = 0;
  server.handle((_req, res) => json(res, '{"code":0,"msg":"ok","data":{"msg":[]}}'));
});

function client(over: Partial<GatewayClientOptions> = {}): GatewayClient {
  clock = new ManualClock(Date.UTC(2026, 10, 22, 4));
  return new GatewayClient({
    baseUrl: server.url,
    token: () => 'tok-123',
    vvtype: () => 2,
    dispatcher: agent,
    // Fresh, generous budgets: these tests are about answers, not pacing.
    budgets: new RateBudgets({ limit: 1000, clock }),
    timeouts: TIMEOUTS,
    ...over,
  });
}

function answer(body: string, status = 200): void {
  server.handle((_req, res) => json(res, body, status));
}

const consumeOk = (msg: string, extra = '"withholding_money":1') =>
  `{"code":0,"msg":"操作成功","msec":1106,"time":1655866153,"data":{"msg":${msg},${extra}}}`;

describe('requests', () => {
  it('consume posts multipart fields with the bearer token, quantity only when given', async () => {
    const c = client();
    expect((await c.consume('shop1', { quantity: 50, msgType: 'taobao_trade_TradeBuyerPay' })).ok).toBe(true);
    expect((await c.consume('shop1', {})).ok).toBe(true);
    const [first, second] = server.received;
    expect(first!.method).toBe('POST');
    expect(first!.path).toBe('/tool/erps/tbconsume');
    expect(first!.headers.authorization).toBe('Bearer tok-123');
    expect(first!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(first!.fields).toEqual({
      shop_id: 'shop1',
      quantity: '50',
      msg_type: 'taobao_trade_TradeBuyerPay',
      vvtype: '2',
    });
    expect(second!.fields).toEqual({ shop_id: 'shop1', vvtype: '2' });
  });

  it('remark always sends memo and flag, flag 0 and an empty memo included', async () => {
    answer('{"code":0,"msg":"ok","data":{"withholding_money":1,"modified":"2021-04-01 15:36:57","tid":"123456789"}}');
    const c = client({ vvtype: () => 1 });
    expect(await c.remark('shop1', { tid: '123456789', memo: '', flag: 0 })).toEqual({
      ok: true,
      value: { tid: '123456789', modified: '2021-04-01 15:36:57', cost: 1 },
    });
    expect(server.received[0]!.path).toBe('/tool/accounts/bcro');
    expect(server.received[0]!.fields).toEqual({
      shop_id: 'shop1',
      tid: '123456789',
      memo: '',
      flag: '0',
      vvtype: '1',
    });
  });

  it('trims a trailing slash of the base URL', async () => {
    await client({ baseUrl: `${server.url}/` }).consume('shop1', {});
    expect(server.received[0]!.path).toBe('/tool/erps/tbconsume');
  });
});

describe('local validation: a refused request never reaches the network', () => {
  const memo333 = '备'.repeat(333);

  it('accepts a memo of exactly 1000 UTF-8 bytes and refuses 1001, saying by how much', async () => {
    answer('{"code":0,"data":{"tid":"1"}}');
    const c = client();
    expect((await c.remark('s', { tid: '1', memo: `${memo333}a`, flag: 1 })).ok).toBe(true);
    expect(server.received).toHaveLength(1);
    const r = await c.remark('s', { tid: '1', memo: `${memo333}ab`, flag: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({
      kind: 'validation',
      code: 'memo_too_long',
      params: { bytes: 1001, over: 1, max: 1000 },
      endpoint: 'remark',
      retryable: false,
    });
    expect(server.received).toHaveLength(1);
  });

  const refusals: [string, (mk: typeof client) => Promise<{ ok: boolean; error?: { kind: ErrorKind } }>, ErrorKind][] =
    [
      ['flag 6', (mk) => mk().remark('s', { tid: '1', memo: '', flag: 6 as never }), 'validation'],
      ['flag 1.5', (mk) => mk().remark('s', { tid: '1', memo: '', flag: 1.5 as never }), 'validation'],
      ['flag "1"', (mk) => mk().remark('s', { tid: '1', memo: '', flag: '1' as never }), 'validation'],
      ['tid with letters', (mk) => mk().remark('s', { tid: '12a4', memo: '', flag: 0 }), 'validation'],
      [
        'tid as a rounded number',
        (mk) => mk().remark('s', { tid: 1588826713157362000 as never, memo: '', flag: 0 }),
        'validation',
      ],
      ['bad shop id', (mk) => mk().remark('a shop', { tid: '1', memo: '', flag: 0 }), 'validation'],
      ['quantity 9', (mk) => mk().consume('s', { quantity: 9 }), 'validation'],
      ['quantity 201', (mk) => mk().consume('s', { quantity: 201 }), 'validation'],
      ['quantity 10.5', (mk) => mk().consume('s', { quantity: 10.5 }), 'validation'],
      ['msg_type with spaces', (mk) => mk().consume('s', { msgType: 'a b' }), 'validation'],
      ['no token', (mk) => mk({ token: () => null }).consume('s', {}), 'auth'],
      ['blank token', (mk) => mk({ token: () => '  ' }).remark('s', { tid: '1', memo: '', flag: 0 }), 'auth'],
      ['token with a newline', (mk) => mk({ token: () => 'abc\r\nX-Evil: 1' }).consume('s', {}), 'auth'],
    ];

  for (const [name, call, kind] of refusals) {
    it(`refuses ${name} as ${kind}`, async () => {
      const r = await call(client);
      expect(r.ok).toBe(false);
      expect(r.error?.kind).toBe(kind);
      expect(server.received).toHaveLength(0);
    });
  }

  it.each(['not a url', 'ftp://api.vv-tool.com', ''])('refuses the base URL %j before any call', async (baseUrl) => {
    const r = await client({ baseUrl }).consume('s', {});
    expect(!r.ok && r.error).toMatchObject({ kind: 'validation', endpoint: 'consume' });
  });

  it('accepts the quantity bounds 10 and 200', async () => {
    const c = client();
    expect((await c.consume('s', { quantity: 10 })).ok).toBe(true);
    expect((await c.consume('s', { quantity: 200 })).ok).toBe(true);
    expect(server.received.map((r) => r.fields.quantity)).toEqual(['10', '200']);
  });
});

describe('ids stay strings', () => {
  it('keeps the 19-digit tid of a remark answer', async () => {
    answer(`{"code":0,"msg":"ok","data":{"withholding_money":1,"modified":"2021-04-01 15:36:57","tid":${BIG_TID}}}`);
    const r = await client().remark('s', { tid: BIG_TID, memo: 'x', flag: 2 });
    expect(r).toEqual({ ok: true, value: { tid: BIG_TID, modified: '2021-04-01 15:36:57', cost: 1 } });
    expect(server.received[0]!.fields.tid).toBe(BIG_TID);
  });

  it('passes msg_data through untouched, as a string or as an object with exact ids', async () => {
    const inner = `{"content":"{\\"tid\\":${BIG_TID},\\"status\\":\\"TRADE_NO_CREATE_PAY\\"}","id":45407531231871,"topic":"taobao_trade_TradeCreate"}`;
    const asString = JSON.stringify(inner);
    const asObject = `{"content":{"tid":${BIG_TID}},"id":4540753123187100123,"topic":"taobao_trade_TradeCreate"}`;
    answer(consumeOk(`[{"id":106,"msg_data":${asString}},{"id":9007199254740993,"msg_data":${asObject}}]`));
    const r = await client().consume('s', {});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [a, b] = r.value.messages;
    expect(a).toEqual({ rowId: '106', msgData: inner });
    expect(a!.msgData as string).toContain(`"tid\\":${BIG_TID}`);
    expect(b!.rowId).toBe('9007199254740993');
    expect(b!.msgData).toEqual({
      content: { tid: BIG_TID },
      id: '4540753123187100123',
      topic: 'taobao_trade_TradeCreate',
    });
    expect(r.value).toMatchObject({ cost: 1, msec: 1106, malformed: [] });
  });
});

describe('consume answers', () => {
  it("decodes the API page's own example answer (invalid escapes) instead of losing the batch", async () => {
    const page = readFileSync(new URL('../../../fixtures/api-page-consume-example.txt', import.meta.url), 'utf8');
    server.handle((_req, res) => json(res, page));
    const r = await client().consume('shop1', {});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const batch = decodeBatch('shop1', r.value.messages, r.value.malformed, 0);
    expect(batch.undecoded).toEqual([]);
    expect(batch.messages[0]?.tid).toBe(BIG_TID);
    expect(batch.messages[0]?.buyerNick).toBe('201314雨洁');
  });

  it('keeps entries that are not message objects raw, next to the good ones', async () => {
    answer(consumeOk('[1,"x",null,{"id":7},{"id":8,"msg_data":"{}"}]'));
    const r = await client().consume('s', {});
    expect(r).toEqual({
      ok: true,
      value: {
        messages: [{ rowId: '8', msgData: '{}' }],
        malformed: ['1', '"x"', 'null', '{"id":7}'],
        cost: 1,
        msec: 1106,
      },
    });
  });

  it('reads an empty list as no messages, and a missing withholding_money as 0', async () => {
    answer('{"code":0,"msg":"ok","data":{"msg":[]}}');
    expect(await client().consume('s', {})).toEqual({ ok: true, value: { messages: [], malformed: [], cost: 0 } });
  });

  it.each([
    ['data missing', '{"code":0,"msg":"ok"}'],
    ['data.msg missing', '{"code":0,"msg":"ok","data":{"withholding_money":1}}'],
    ['data.msg an object', '{"code":0,"msg":"ok","data":{"msg":{"id":1}}}'],
    ['data a string', '{"code":0,"msg":"ok","data":"none"}'],
  ])('refuses a wrong shape (%s) as bad_answer', async (_name, body) => {
    answer(body);
    const r = await client().consume('s', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'bad_answer', endpoint: 'consume', retryable: true });
  });

  it('refuses a remark answer without data as bad_answer', async () => {
    answer('{"code":0,"msg":"ok"}');
    const r = await client().remark('s', { tid: '1', memo: '', flag: 0 });
    expect(!r.ok && r.error.kind).toBe('bad_answer');
  });
});

describe('result codes', () => {
  it.each<[number | string, ErrorKind, boolean]>([
    [100, 'bad_request', false],
    [103, 'bad_request', false],
    [101, 'transient', true],
    [202, 'transient', true],
    [200, 'server', true],
    [203, 'unsupported', false],
    [204, 'quota', false],
    [302, 'shop_unauthorized', false],
    [401, 'auth', false],
    [404, 'not_found', false],
    [999, 'unknown_code', false],
    ['401', 'auth', false],
    [' 204 ', 'quota', false],
  ])('code %j → %s', async (code, kind, retryable) => {
    answer(`{"code":${JSON.stringify(code)},"msg":"网关消息","data":{}}`);
    for (const r of [await client().consume('s', {}), await client().remark('s', { tid: '1', memo: '', flag: 0 })]) {
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.error).toMatchObject({
        kind,
        code: 'gateway_code',
        params: { gatewayCode: Number(code), msg: '网关消息' },
        retryable,
      });
    }
    expect(server.received.map((q) => q.path)).toEqual(['/tool/erps/tbconsume', '/tool/accounts/bcro']);
  });

  it('sets the endpoint on every error', async () => {
    answer('{"code":401,"msg":"身份凭证无效"}');
    const a = await client().consume('s', {});
    const b = await client().remark('s', { tid: '1', memo: '', flag: 0 });
    expect(!a.ok && a.error.endpoint).toBe('consume');
    expect(!b.ok && b.error.endpoint).toBe('remark');
  });

  it.each([
    [
      'data.url',
      '{"code":302,"msg":"未授权店铺","data":{"url":"https://oauth.example.com/a?x=1"}}',
      'https://oauth.example.com/a?x=1',
    ],
    [
      'data.auth_url',
      '{"code":302,"msg":"未授权店铺","data":{"auth_url":"http://vv-tool.com/auth/9"}}',
      'http://vv-tool.com/auth/9',
    ],
    [
      'data as a string',
      '{"code":302,"msg":"未授权店铺","data":"请扫码 https://vv-tool.com/qr/1，然后重试"}',
      'https://vv-tool.com/qr/1',
    ],
    [
      'deeper in data',
      '{"code":302,"msg":"未授权店铺","data":{"auth":{"link":"https://vv-tool.com/deep"}}}',
      'https://vv-tool.com/deep',
    ],
    [
      'the message',
      '{"code":302,"msg":"未授权店铺，请访问 https://vv-tool.com/m 扫码授权","data":null}',
      'https://vv-tool.com/m',
    ],
    ['top-level url', '{"code":302,"msg":"未授权店铺","url":"https://vv-tool.com/top"}', 'https://vv-tool.com/top'],
  ])('302 takes the authorisation link from %s', async (_where, body, url) => {
    answer(body);
    const r = await client().consume('s', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'shop_unauthorized', params: { gatewayCode: 302 }, authUrl: url });
  });

  it('302 without any link has no authUrl', async () => {
    answer('{"code":302,"msg":"未授权店铺","data":{}}');
    const r = await client().consume('s', {});
    expect(!r.ok && r.error.kind).toBe('shop_unauthorized');
    expect(!r.ok && 'authUrl' in r.error).toBe(false);
  });
});

describe('text from outside is bounded where the error is made', () => {
  it('a 200,000-character msg comes out cut to about 300 characters, after the token was scrubbed', async () => {
    // The token sits across the cut: cut first, and its first half would survive the scrubbing.
    const msg = `${'无'.repeat(ERROR_TEXT_MAX - 4)}tok-123${'长'.repeat(200_000)}`;
    answer(JSON.stringify({ code: 401, msg }));
    for (const r of [await client().consume('s', {}), await client().remark('s', { tid: '1', memo: '', flag: 0 })]) {
      expect(r.ok).toBe(false);
      if (r.ok || r.error.code !== 'gateway_code') throw new Error('not a gateway code');
      const quoted = r.error.params.msg;
      expect(quoted.length).toBeLessThanOrEqual(ERROR_TEXT_MAX + 1);
      expect(quoted).toMatch(/^无无.*…$/);
      expect(quoted).not.toContain('tok-');
      expect(quoted).toContain('***');
    }
  });

  it('an error page of 200,000 characters gives an excerpt, and so does an unreadable 200', async () => {
    for (const status of [502, 200]) {
      answer(`<html><body>${'出错了 '.repeat(50_000)}</body></html>`, status);
      const r = await client().consume('s', {});
      if (r.ok || (r.error.code !== 'http_status' && r.error.code !== 'unreadable_answer'))
        throw new Error(`${status}`);
      expect(r.error.params.sample.length).toBeLessThanOrEqual(ERROR_TEXT_MAX + 1);
    }
  });

  it('a 302 keeps a link of a sane length whole, and drops one longer than any link', async () => {
    const sane = `https://vv-tool.com/auth?${'q'.repeat(500)}`;
    answer(JSON.stringify({ code: 302, msg: '未授权店铺', data: { url: sane } }));
    const kept = await client().consume('s', {});
    expect(!kept.ok && kept.error.authUrl).toBe(sane);
    answer(JSON.stringify({ code: 302, msg: '未授权店铺', data: { url: `https://x.example/${'q'.repeat(200_000)}` } }));
    const dropped = await client().consume('s', {});
    expect(!dropped.ok && dropped.error.kind).toBe('shop_unauthorized');
    expect(!dropped.ok && 'authUrl' in dropped.error).toBe(false);
  });
});

describe('HTTP and body failures', () => {
  it('an HTML 502 from a proxy is transient, with the status and an excerpt', async () => {
    server.handle((_q, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end(
        `<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center>${'<!-- pad -->'.repeat(500)}</body></html>`,
      );
    });
    const r = await client().consume('s', {});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({
      kind: 'transient',
      code: 'http_status',
      params: { status: 502 },
      retryable: true,
      endpoint: 'consume',
    });
    if (r.error.code !== 'http_status') return;
    expect(r.error.params.sample).toContain('502 Bad Gateway');
    expect(r.error.params.sample).not.toContain('<');
    expect(r.error.params.sample.length).toBeLessThan(300);
  });

  it('an HTML page with status 200 is a bad_answer with an excerpt', async () => {
    server.handle((_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>请先登录 portal</body></html>');
    });
    const r = await client().consume('s', {});
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toMatchObject({
        kind: 'bad_answer',
        code: 'unreadable_answer',
        params: { status: 200, sample: '请先登录 portal' },
      });
  });

  it.each([
    ['an empty body', ''],
    ['JSON that is not an object', '[1,2]'],
    ['an envelope without code', '{"msg":"ok","data":{}}'],
    ['a code that is not a number', '{"code":"ok","data":{}}'],
    ['truncated JSON', '{"code":0,"data":{"msg":['],
  ])('%s is a bad_answer', async (_name, body) => {
    answer(body);
    const r = await client().consume('s', {});
    expect(!r.ok && r.error.kind).toBe('bad_answer');
  });

  it('a 5xx without an envelope is transient; other statuses are http', async () => {
    answer('oops', 500);
    const a = await client().consume('s', {});
    expect(!a.ok && a.error).toMatchObject({ kind: 'transient', code: 'http_status', params: { status: 500 } });
    answer('I am a teapot', 418);
    const b = await client().consume('s', {});
    expect(!b.ok && b.error).toMatchObject({ kind: 'http', params: { status: 418 }, retryable: true });
    answer('', 403);
    const c = await client().consume('s', {});
    expect(!c.ok && c.error).toMatchObject({ kind: 'http', params: { status: 403 } });
  });

  it('an envelope wins over the HTTP status: its code is the outcome', async () => {
    answer('{"code":401,"msg":"身份凭证无效"}', 500);
    const r = await client().consume('s', {});
    expect(!r.ok && r.error).toMatchObject({ kind: 'auth', params: { gatewayCode: 401 } });
  });

  it('stops reading a 20 MB body once over the cap (chunked, no length given)', async () => {
    let written = 0;
    let finished = false;
    server.handle(async (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      while (written < 20 * 1024 * 1024 && !res.destroyed) {
        if (!res.write(chunk)) {
          await new Promise<void>((resolve) => {
            const done = () => {
              res.off('drain', done).off('close', done);
              resolve();
            };
            res.on('drain', done).on('close', done);
          });
        }
        written += chunk.length;
      }
      finished = written >= 20 * 1024 * 1024 && !res.destroyed;
      res.end();
    });
    const r = await client({ maxBodyBytes: 256 * 1024 }).consume('s', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('bad_answer');
    await new Promise((res) => setTimeout(res, 50));
    expect(finished).toBe(false);
    expect(written).toBeLessThan(20 * 1024 * 1024);
  });

  it('refuses a body whose declared length is over the cap without reading it', async () => {
    server.handle((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(20 * 1024 * 1024) });
      res.write('{"code":0,');
    });
    const r = await client().consume('s', {});
    expect(!r.ok && r.error).toMatchObject({ kind: 'bad_answer', endpoint: 'consume' });
  });

  it('a body that drips one byte a second times out', async () => {
    server.handle((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
      const timer = setInterval(() => res.write(' '), 1000);
      res.once('close', () => clearInterval(timer));
    });
    const r = await client().consume('s', {});
    expect(!r.ok && r.error).toMatchObject({ kind: 'timeout', endpoint: 'consume', retryable: true });
  });

  it('a body that drips fast enough to dodge the idle timeout still meets the whole-body deadline', async () => {
    server.handle((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 40);
      res.once('close', () => clearInterval(timer));
    });
    const r = await client().consume('s', {});
    expect(!r.ok && r.error).toMatchObject({ kind: 'timeout', code: 'body_deadline' });
  });

  it('no answer at all is a headers timeout', async () => {
    server.handle(() => undefined);
    const r = await client().consume('s', {});
    expect(!r.ok && r.error).toMatchObject({
      kind: 'timeout',
      code: 'timed_out',
      params: { stage: 'headers', sys: 'UND_ERR_HEADERS_TIMEOUT' },
    });
  });
});

describe('transport failures', () => {
  it('a reset connection is a network error', async () => {
    server.handle((_q, res) => {
      res.socket?.destroy();
    });
    const r = await client().consume('s', {});
    expect(!r.ok && r.error).toMatchObject({ kind: 'network', endpoint: 'consume', retryable: true });
  });

  it('a closed port is connection refused', async () => {
    const closed: Server = createServer();
    await new Promise<void>((res) => closed.listen(0, '127.0.0.1', res));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((res) => closed.close(() => res()));
    const r = await client({ baseUrl: `http://127.0.0.1:${port}` }).consume('s', {});
    expect(!r.ok && r.error).toMatchObject({
      kind: 'network',
      code: 'connection_failed',
      params: { cause: 'refused', sys: 'ECONNREFUSED' },
    });
  });

  it('an unknown host is a network error (ENOTFOUND)', async () => {
    const dns = createHttpAgent(TIMEOUTS, {
      lookup: (host, _o, cb) =>
        cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }), ''),
    });
    try {
      const r = await client({ baseUrl: 'http://gateway.invalid', dispatcher: dns }).consume('s', {});
      expect(!r.ok && r.error).toMatchObject({
        kind: 'network',
        params: { cause: 'host_not_found', sys: 'ENOTFOUND' },
      });
    } finally {
      await dns.close();
    }
  });

  it('a connection that never opens is a connect timeout', async () => {
    // A name lookup that never answers holds the socket before "connect", like a dropped SYN.
    const blackhole = createHttpAgent(TIMEOUTS, { lookup: () => undefined });
    try {
      const r = await client({ baseUrl: 'http://blackhole.test', dispatcher: blackhole }).consume('s', {});
      expect(!r.ok && r.error).toMatchObject({
        kind: 'timeout',
        params: { stage: 'connect', sys: 'UND_ERR_CONNECT_TIMEOUT' },
      });
    } finally {
      await blackhole.destroy();
    }
  });

  it('an aborted call says so, whether queued for the budget or in flight', async () => {
    const clockBudgets = new RateBudgets({ limit: 1, clock: new ManualClock() });
    const c = client({ budgets: clockBudgets });
    expect((await c.consume('s', {})).ok).toBe(true);
    const queued = new AbortController();
    const pending = c.consume('s', {}, { signal: queued.signal });
    queued.abort();
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'network', code: 'cancelled', retryable: false } });
    expect(server.received).toHaveLength(1);

    server.handle(() => undefined);
    const inFlight = new AbortController();
    const c2 = client();
    const p2 = c2.consume('s', {}, { signal: inFlight.signal });
    setTimeout(() => inFlight.abort(), 50);
    expect(await p2).toMatchObject({ ok: false, error: { kind: 'network', code: 'cancelled' } });
  });

  it('never throws, whatever the body', async () => {
    let body = '';
    server.handle((_q, res) => json(res, body));
    const c = client();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ code: 0, data: { msg: v } })),
        ),
        async (b) => {
          body = b;
          const r = await c.consume('s', {});
          expect(typeof r.ok).toBe('boolean');
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('cost meter', () => {
  it('records every answered call with its reported cost, answered errors at 0, and nothing for calls that never got an answer', async () => {
    const meter = new CostMeter(new ManualClock(Date.UTC(2026, 10, 22, 4)));
    const c = client({ meter });
    answer(consumeOk('[]', '"withholding_money":3'));
    await c.consume('shopA', {});
    answer('{"code":0,"msg":"ok","data":{"withholding_money":"2","tid":"1"}}');
    await c.remark('shopB', { tid: '1', memo: '', flag: 0 });
    answer('{"code":204,"msg":"API 调用次数不足"}');
    await c.consume('shopA', {});
    answer('<html>502</html>', 502);
    await c.consume('shopA', {});
    await c.consume('shopA', { quantity: 1 });
    const s = meter.summary();
    expect(s.total.byEndpoint).toEqual({ consume: { calls: 2, points: 3 }, remark: { calls: 1, points: 2 } });
    expect(s.total.byShop).toEqual({ shopA: { calls: 2, points: 3 }, shopB: { calls: 1, points: 2 } });
    expect(s.today.all).toEqual({ calls: 3, points: 5 });
  });
});

describe('rate budget through the client', () => {
  it('100 concurrent consumes never put more than 10 calls in any one-second window', async () => {
    const pace = new ManualClock(0);
    const budgets = new RateBudgets({ clock: pace });
    const c = client({ budgets });
    const arrivals: number[] = [];
    server.handle((_q, res) => {
      arrivals.push(pace.now());
      json(res, consumeOk('[]'));
    });
    const calls = Array.from({ length: 100 }, () => c.consume('s', {}));
    const budget = budgets.get('consume');
    for (let step = 0; step < 400 && arrivals.length < 100; step++) {
      // Let every call the budget has let through reach the server before time moves on.
      for (let spin = 0; spin < 200 && arrivals.length < 100 - budget.queued; spin++)
        await new Promise((r) => setTimeout(r, 2));
      await pace.advance(50);
    }
    const results = await Promise.all(calls);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(arrivals).toHaveLength(100);
    expect(busiestWindow(arrivals, 1000)).toBe(10);
    expect(Math.max(...arrivals)).toBe(9000);
  });

  it('consume and remark have separate budgets', async () => {
    const budgets = new RateBudgets({ limit: 1, clock: new ManualClock() });
    const c = client({ budgets });
    answer('{"code":0,"msg":"ok","data":{"msg":[],"tid":"1"}}');
    expect((await c.consume('s', {})).ok).toBe(true);
    expect((await c.remark('s', { tid: '1', memo: '', flag: 0 })).ok).toBe(true);
    expect(server.received).toHaveLength(2);
  });
});
