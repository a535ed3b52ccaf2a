import type { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CODE_MAX, ERROR_TEXT_MAX } from '../../../../src/main/core/bounded';
import { createHttpAgent } from '../../../../src/main/core/gateway/http';
import { PERMIT_METHOD, TopClient, type TopClientOptions } from '../../../../src/main/core/top/client';
import { verifyTopSignature } from '../../../../src/main/core/top/sign';
import { ManualClock } from '../gateway/timeHelpers';
import { json, startServer, type TestServer } from '../gateway/testServer';

const NOW = Date.UTC(2026, 10, 22, 4, 5, 6); // 12:05:06 in China
const OK_BODY = JSON.stringify({
  jindoucloud_message_authorize_permit_response: {
    authorize_info: {
      status: 'valid_session',
      created: '2026-11-22 12:05:07',
      subscriptions: {
        subscription: [
          { topic: 'trade', status: 'TradeBuyerPay' },
          { topic: 'refund', status: 'RefundCreated' },
        ],
      },
    },
    request_id: 'abc',
  },
});

let server: TestServer;
let agent: Agent;

beforeAll(async () => {
  server = await startServer();
  agent = createHttpAgent({ connectMs: 300, headersMs: 400, bodyMs: 400 });
});
afterAll(async () => {
  await agent.close();
  await server.close();
});
beforeEach(() => {
  server.received.length = 0;
  server.handle((_q, res) => json(res, OK_BODY));
});

function top(over: Partial<TopClientOptions> = {}): TopClient {
  return new TopClient({
    baseUrl: `${server.url}/router/rest`,
    appKey: '12345678',
    secret: () => 'sekrit',
    session: () => 'session-1',
    signMethod: 'hmac-sha256',
    dispatcher: agent,
    clock: new ManualClock(NOW),
    ...over,
  });
}

describe('TopClient.permit request', () => {
  it('posts a signed urlencoded form with the common and the call fields', async () => {
    const r = await top().permit({
      topics: ['trade', 'refund'],
      status: 'all;all',
      stop: false,
      openSubInfo: { trade: ['TradeBuyerPay'], refund: ['RefundCreated'] },
      stopSubInfo: '{"item":["ItemAdd"]}',
      subUserid: 123456,
      clientInfo: 'type=PC&version=0.1.0',
      categoryAction: 1,
    });
    expect(r.ok).toBe(true);
    const q = server.received[0]!;
    expect(q.method).toBe('POST');
    expect(q.path).toBe('/router/rest');
    expect(q.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    const { sign, ...unsigned } = q.fields;
    expect(unsigned).toEqual({
      method: PERMIT_METHOD,
      app_key: '12345678',
      session: 'session-1',
      timestamp: '2026-11-22 12:05:06',
      format: 'json',
      v: '2.0',
      sign_method: 'hmac-sha256',
      topics: 'trade;refund',
      status: 'all;all',
      stop: 'false',
      open_sub_info: '{"trade":["TradeBuyerPay"],"refund":["RefundCreated"]}',
      stop_sub_info: '{"item":["ItemAdd"]}',
      sub_userid: '123456',
      client_info: 'type=PC&version=0.1.0',
      category_action: '1',
    });
    expect(sign).toMatch(/^[0-9A-F]{64}$/);
    expect(verifyTopSignature(q.fields, 'sekrit')).toBe(true);
    expect(verifyTopSignature(q.fields, 'other')).toBe(false);
  });

  it('sends only the fields it was given', async () => {
    await top({ signMethod: 'md5' }).permit({ topics: 'trade' });
    const names = Object.keys(server.received[0]!.fields).sort();
    expect(names).toEqual([
      'app_key',
      'format',
      'method',
      'session',
      'sign',
      'sign_method',
      'timestamp',
      'topics',
      'v',
    ]);
    expect(verifyTopSignature(server.received[0]!.fields, 'sekrit')).toBe(true);
  });

  it.each([
    ['secret', { secret: () => null }, 'appSecret'],
    ['session', { session: () => '' }, 'session'],
    ['app key', { appKey: '' }, 'appKey'],
  ])('refuses to call without a %s', async (_what, over, missing) => {
    const r = await top(over).permit({ topics: 'trade' });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toMatchObject({
        kind: 'top',
        code: 'top_credentials_missing',
        params: { missing: [missing] },
        retryable: false,
        endpoint: PERMIT_METHOD,
      });
    expect(server.received).toHaveLength(0);
  });
});

describe('TopClient.permit answers', () => {
  it('reads the authorisation info and its subscriptions', async () => {
    expect(await top().permit({})).toEqual({
      ok: true,
      value: {
        status: 'valid_session',
        created: '2026-11-22 12:05:07',
        subscriptions: [
          { topic: 'trade', status: 'TradeBuyerPay' },
          { topic: 'refund', status: 'RefundCreated' },
        ],
      },
    });
  });

  it.each([
    ['a bare array', [{ topic: 'item', status: 'ItemAdd' }], [{ topic: 'item', status: 'ItemAdd' }]],
    ['a lone object', { subscription: { topic: 'item', status: 'ItemAdd' } }, [{ topic: 'item', status: 'ItemAdd' }]],
    ['nothing', undefined, []],
    [
      'junk entries',
      { subscription: [{ topic: 'item' }, 3, { topic: 'trade', status: 'TradeClose' }] },
      [{ topic: 'trade', status: 'TradeClose' }],
    ],
  ])('accepts subscriptions as %s', async (_shape, subscriptions, expected) => {
    server.handle((_q, res) =>
      json(
        res,
        JSON.stringify({
          jindoucloud_message_authorize_permit_response: { authorize_info: { status: 'valid_session', subscriptions } },
        }),
      ),
    );
    const r = await top().permit({});
    expect(r.ok && r.value.subscriptions).toEqual(expected);
  });

  it('maps error_response: sub_code as the code, sub_msg as the message, isv not retryable', async () => {
    server.handle((_q, res) =>
      json(
        res,
        '{"error_response":{"code":50,"msg":"Remote service error","sub_code":"isv.invalid-parameter","sub_msg":"非法参数"}}',
      ),
    );
    const r = await top().permit({});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({
      kind: 'top',
      code: 'top_error',
      params: { code: 'isv.invalid-parameter', msg: 'Remote service error', subMsg: '非法参数' },
      retryable: false,
      endpoint: PERMIT_METHOD,
    });
  });

  it("bounds the router's words: a 200,000-character sub_msg and sub_code, the session scrubbed first", async () => {
    const longMsg = `${'参数错误'.repeat(60)}session-1${'长'.repeat(200_000)}`;
    server.handle((_q, res) =>
      json(
        res,
        JSON.stringify({ error_response: { code: 50, sub_code: `isv.${'x'.repeat(200_000)}`, sub_msg: longMsg } }),
      ),
    );
    const r = await top().permit({});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    if (r.error.code !== 'top_error') throw new Error(r.error.code);
    const { subMsg = '', code = '' } = r.error.params;
    expect(subMsg.length).toBeLessThanOrEqual(ERROR_TEXT_MAX + 1);
    expect(subMsg).toContain('参数错误');
    expect(subMsg).not.toContain('session-');
    expect(code.length).toBeLessThanOrEqual(CODE_MAX + 1);
  });

  it('isp sub codes are retryable', async () => {
    server.handle((_q, res) =>
      json(
        res,
        '{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isp.top-remote-connection-timeout","sub_msg":"远程服务超时"}}',
      ),
    );
    const r = await top().permit({});
    expect(!r.ok && r.error).toMatchObject({
      kind: 'top',
      params: { code: 'isp.top-remote-connection-timeout' },
      retryable: true,
    });
  });

  it('without a sub_code, the code and msg are used', async () => {
    server.handle((_q, res) => json(res, '{"error_response":{"code":25,"msg":"Invalid signature"}}'));
    const r = await top().permit({});
    expect(!r.ok && r.error).toMatchObject({
      kind: 'top',
      params: { code: '25', msg: 'Invalid signature' },
      retryable: false,
    });
  });

  it('an error_response wins over the HTTP status', async () => {
    server.handle((_q, res) =>
      json(
        res,
        '{"error_response":{"code":7,"msg":"App Call Limited","sub_code":"accesscontrol.limited-by-app-access-count"}}',
        503,
      ),
    );
    const r = await top().permit({});
    expect(!r.ok && r.error).toMatchObject({
      kind: 'top',
      params: { code: 'accesscontrol.limited-by-app-access-count' },
    });
  });

  it('HTTP and body failures map like the gateway', async () => {
    server.handle((_q, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    const a = await top().permit({});
    expect(!a.ok && a.error).toMatchObject({
      kind: 'transient',
      code: 'http_status',
      params: { status: 502, sample: '502 Bad Gateway' },
      endpoint: PERMIT_METHOD,
    });

    server.handle((_q, res) => json(res, '<html>login</html>'));
    const b = await top().permit({});
    expect(!b.ok && b.error.kind).toBe('bad_answer');

    server.handle((_q, res) => json(res, '{"some_other_response":{}}'));
    const c = await top().permit({});
    expect(!c.ok && c.error.kind).toBe('bad_answer');

    server.handle((_q, res) => {
      res.socket?.destroy();
    });
    const d = await top().permit({});
    expect(!d.ok && d.error.kind).toBe('network');
  });

  it('refuses an answer over the size cap', async () => {
    const r = await top({ maxBodyBytes: 64 }).permit({});
    expect(!r.ok && r.error.kind).toBe('bad_answer');
  });
});
