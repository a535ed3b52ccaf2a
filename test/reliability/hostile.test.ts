/**
 * A hostile gateway: each bad answer in the corpus goes through the real pipeline (GatewayClient
 * over HTTP → decodeBatch → a real Inbox on disk) and must come out as a typed error the UI can
 * show, or as a success that stores every good message of the batch and keeps the bad ones raw.
 * Then the same outcome, answered for ever by a fake gateway, drives the real Scheduler on a
 * virtual clock: no call may come sooner than the back-off (or the poll pause) allows.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { readFile, rm } from 'node:fs/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../src/main/core/core';
import { ERROR_TEXT_MAX, LINK_MAX } from '../../src/main/core/bounded';
import { GatewayClient } from '../../src/main/core/gateway/client';
import type { HttpTimeouts } from '../../src/main/core/gateway/http';
import { RateBudgets } from '../../src/main/core/gateway/rate';
import type { ConsumeOk, Gateway } from '../../src/main/core/gateway/types';
import { Inbox } from '../../src/main/core/inbox/inbox';
import { decodeBatch } from '../../src/main/core/intake/decoder';
import {
  DEFAULT_QUANTITY,
  idlePauseMs,
  partialPauseMs,
  planForError,
  type PollPolicy,
} from '../../src/main/core/intake/pauses';
import { Scheduler } from '../../src/main/core/intake/scheduler';
import { MemorySettingsStore } from '../../src/main/core/ports';
import { createRng, startSimulator, type SimMessage } from '../../src/simulator';
import { VirtualClock } from '../support/virtualClock';
import type { TmcMessage } from '../../src/shared/domain';
import { appError, type AppError, type ErrorCode, type ErrorKind } from '../../src/shared/errors';
import { MESSAGES } from '../../src/shared/i18n';
import { err, type Result } from '../../src/shared/result';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';
import { startServer, type Received, type TestServer } from '../main/core/gateway/testServer';
import { tempDir } from './helpers';

const TOKEN = 'tok-hostile';
const SHOP = 'shop1';
const TID = '1588826713157361977';
const OID = '1588826713157361978';
const GOOD1 = '4540753123187100001';
const GOOD2 = '4540753123187100002';
const BAD = '4540753123187100009';
/** Short limits keep the slow cases fast; the defaults (10 s / 20 s) are the same code with larger numbers. */
const TIMEOUTS: HttpTimeouts = { connectMs: 2_000, headersMs: 1_500, bodyMs: 1_500 };
const POLICY: PollPolicy = { mode: 'realtime' };
const MIN = 60_000;

type Serve = (req: Received, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

type Expected =
  | { error: ErrorKind; code?: ErrorCode; params?: Record<string, unknown> }
  | { stored: string[]; undecoded: number; check?: (messages: TmcMessage[]) => void };

interface Case {
  name: string;
  serve?: Serve;
  /** A base URL other than the scripted server's. */
  url?: () => string;
  expect: Expected;
}

// ---- building answers by hand: the corpus must be able to say anything ----

function contentText(extra = ''): string {
  return `{"tid":${TID},"oid":${OID},"status":"WAIT_SELLER_SEND_GOODS","payment":"48.00","buyer_nick":"买家"${extra}}`;
}

/** msg_data's text; each field given as raw JSON, undefined leaves it out. */
function msgData(over: Record<string, string | undefined> = {}): string {
  const fields: Record<string, string | undefined> = {
    content: JSON.stringify(contentText()),
    id: GOOD1,
    pub_app_key: '"12421314"',
    pub_time: '"2024-06-01 10:00:00"',
    topic: '"taobao_trade_TradeBuyerPay"',
    user_id: '3293576715',
    user_nick: '"高墣旗舰店"',
    ...over,
  };
  const parts = Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined);
  return `{${parts.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}

const row = (rowId: number, text: string) => `{"id":${rowId},"msg_data":${JSON.stringify(text)}}`;
const rawRow = (rowId: number, literal: string) => `{"id":${rowId},"msg_data":${literal}}`;
const good1 = () => row(1, msgData({ id: GOOD1 }));
const good2 = () => row(3, msgData({ id: GOOD2 }));

function answer(rows: string[]): string {
  return `{"code":0,"msg":"操作成功","msec":12,"time":1717200000,"data":{"msg":[${rows.join(',')}],"withholding_money":1}}`;
}

/** Two good messages around the bad entries: the good ones must be stored whatever the others do. */
const between = (...bad: string[]) => answer([good1(), ...bad, good2()]);
/** One bad message with content `text`, between two good ones. */
const withContent = (text: string) => between(row(2, msgData({ id: BAD, content: JSON.stringify(text) })));
const envelopeWith = (rest: string) => `{"msg":"操作成功","msec":12,"time":1717200000${rest}}`;

function send(text: string | Buffer, status = 200, type = 'application/json; charset=utf-8'): Serve {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': type });
    res.end(text);
  };
}

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const TWENTY_MB = 20 * 1024 * 1024;

/** Stored ids in arrival order: the first good one, the middle ones that decode, the last good one. */
const both = (middle: string[] = []) => [GOOD1, ...middle, GOOD2];

let server: TestServer;
let refusedUrl = '';
let apiPageExample = '';

beforeAll(async () => {
  server = await startServer();
  // A port that was just free: nothing listens there.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((r) => probe.close(() => r()));
  refusedUrl = `http://127.0.0.1:${port}`;
  apiPageExample = await readFile(new URL('../fixtures/api-page-consume-example.txt', import.meta.url), 'utf8');
});

afterAll(async () => {
  await server.close();
});

const CASES: Case[] = [
  // ---- the transport and HTTP ----
  {
    name: 'not JSON at all',
    serve: send('hello, this is not json', 200, 'text/plain'),
    expect: { error: 'bad_answer' },
  },
  {
    name: 'an HTML 502 page from a proxy',
    serve: send(NGINX_502, 502, 'text/html'),
    expect: { error: 'transient', params: { status: 502 } },
  },
  {
    name: 'an HTML 503 page',
    serve: send('<html><body><h1>Service Unavailable</h1></body></html>', 503, 'text/html'),
    expect: { error: 'transient', params: { status: 503 } },
  },
  {
    name: 'an HTML page with status 200 (captive portal)',
    serve: send('<!DOCTYPE html><html><body><form>Wi-Fi login</form></body></html>', 200, 'text/html'),
    expect: { error: 'bad_answer' },
  },
  {
    name: 'HTTP 404 with an HTML page',
    serve: send('<html><body>Not Found</body></html>', 404, 'text/html'),
    expect: { error: 'http', params: { status: 404 } },
  },
  {
    name: 'HTTP 403 with an empty body',
    serve: send('', 403, 'text/plain'),
    expect: { error: 'http', params: { status: 403 } },
  },
  { name: 'an empty body with status 200', serve: send(''), expect: { error: 'bad_answer' } },
  {
    name: 'an empty body with status 500',
    serve: send('', 500),
    expect: { error: 'transient', params: { status: 500 } },
  },
  {
    name: 'a body cut in half',
    serve: (_r, res) => send(between().slice(0, Math.floor(between().length / 2)))(_r, res, undefined as never),
    expect: { error: 'bad_answer' },
  },
  {
    name: 'a 20 MB body with its Content-Length',
    serve: (_r, res) => {
      res.on('error', () => undefined);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': TWENTY_MB });
      res.end(Buffer.alloc(TWENTY_MB, 0x20));
    },
    expect: { error: 'bad_answer' },
  },
  {
    name: 'a 20 MB body, chunked, that is otherwise valid JSON',
    serve: (_r, res) => {
      res.on('error', () => undefined);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"code":0,"msg":"');
      const chunk = 'x'.repeat(1024 * 1024);
      for (let i = 0; i < 20 && !res.destroyed; i++) res.write(chunk);
      res.end('","data":{"msg":[]}}');
    },
    expect: { error: 'bad_answer' },
  },
  {
    name: 'a body that drips one byte a second',
    serve: (_r, res) => {
      const bytes = Buffer.from(between());
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
      let i = 0;
      const timer = setInterval(() => {
        if (res.destroyed || i >= bytes.length) return clearInterval(timer);
        res.write(bytes.subarray(i, ++i));
      }, 1000);
      res.on('close', () => clearInterval(timer));
      res.write(bytes.subarray(0, ++i));
    },
    expect: { error: 'timeout', code: 'body_deadline' },
  },
  {
    name: 'no answer at all (headers never come)',
    serve: () => new Promise<void>(() => undefined),
    expect: { error: 'timeout' },
  },
  {
    name: 'a TCP reset instead of an answer',
    serve: (_r, _res, raw) => void raw.socket.resetAndDestroy(),
    expect: { error: 'network' },
  },
  {
    name: 'a TCP reset half way through the body',
    serve: (_r, res, raw) => {
      const bytes = Buffer.from(between());
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
      res.write(bytes.subarray(0, 100), () => setTimeout(() => raw.socket.resetAndDestroy(), 20));
    },
    expect: { error: 'network' },
  },
  { name: 'connection refused', url: () => refusedUrl, expect: { error: 'network', params: { sys: 'ECONNREFUSED' } } },
  { name: 'DNS failure (nonexistent.invalid)', url: () => 'http://nonexistent.invalid', expect: { error: 'network' } },
  {
    name: 'bytes that are not UTF-8',
    serve: send(Buffer.from([0xff, 0xfe, 0x7b, 0x80, 0x81, 0x7d])),
    expect: { error: 'bad_answer' },
  },
  {
    name: 'JSON nested 100,000 deep',
    serve: send(`${'['.repeat(100_000)}${']'.repeat(100_000)}`),
    expect: { error: 'bad_answer' },
  },

  // ---- the envelope ----
  { name: 'a JSON list instead of an object', serve: send('[{"code":0}]'), expect: { error: 'bad_answer' } },
  { name: '`code` missing', serve: send(envelopeWith(',"data":{"msg":[]}')), expect: { error: 'bad_answer' } },
  {
    name: '`code` as a string of digits',
    serve: send(between().replace('"code":0', '"code":"0"')),
    expect: { stored: both(), undecoded: 0 },
  },
  {
    name: '`code` as a word',
    serve: send(between().replace('"code":0', '"code":"ok"')),
    expect: { error: 'bad_answer' },
  },
  {
    name: '`code` as a fraction',
    serve: send(between().replace('"code":0', '"code":0.5')),
    expect: { error: 'bad_answer' },
  },
  { name: '`code` null', serve: send(between().replace('"code":0', '"code":null')), expect: { error: 'bad_answer' } },
  {
    name: '`code` beyond 2^53',
    serve: send(between().replace('"code":0', '"code":90071992547409930')),
    expect: { error: 'bad_answer' },
  },
  {
    name: 'an unknown result code',
    serve: send('{"code":999,"msg":"神秘错误","data":[]}'),
    expect: { error: 'unknown_code', params: { gatewayCode: 999 } },
  },
  {
    name: 'code 101 (retry)',
    serve: send('{"code":101,"msg":"请求超时,请重试","data":[]}'),
    expect: { error: 'transient', params: { gatewayCode: 101 } },
  },
  {
    name: 'code 200 (system error)',
    serve: send('{"code":200,"msg":"系统错误,请联系客服","data":[]}'),
    expect: { error: 'server', params: { gatewayCode: 200 } },
  },
  {
    name: 'code 203 (endpoint not supported)',
    serve: send('{"code":203,"msg":"暂不支持当前接口","data":[]}'),
    expect: { error: 'unsupported', params: { gatewayCode: 203 } },
  },
  {
    name: 'code 204 (quota used up)',
    serve: send('{"code":204,"msg":"API 调用次数不足","data":[]}'),
    expect: { error: 'quota', params: { gatewayCode: 204 } },
  },
  {
    name: 'code 302 (shop not authorised) with its link',
    serve: send('{"code":302,"msg":"未授权店铺","data":{"url":"https://oauth.taobao.com/authorize?state=shop1"}}'),
    expect: { error: 'shop_unauthorized', params: { gatewayCode: 302 } },
  },
  {
    name: 'code 401 inside an HTTP 401',
    serve: send('{"code":401,"msg":"身份凭证无效","data":[]}', 401),
    expect: { error: 'auth', params: { gatewayCode: 401 } },
  },
  {
    name: 'code 401 with a 200,000-character msg',
    serve: send(JSON.stringify({ code: 401, msg: `身份凭证无效${'长'.repeat(200_000)}`, data: [] })),
    expect: { error: 'auth', params: { gatewayCode: 401 } },
  },
  {
    name: 'code 302 with a 200,000-character link',
    serve: send(
      JSON.stringify({ code: 302, msg: '未授权店铺', data: { url: `https://x.example/${'q'.repeat(200_000)}` } }),
    ),
    expect: { error: 'shop_unauthorized', params: { gatewayCode: 302 } },
  },
  { name: 'code 0 inside an HTTP 503', serve: send(between(), 503), expect: { stored: both(), undecoded: 0 } },
  { name: '`data` missing', serve: send(envelopeWith(',"code":0')), expect: { error: 'bad_answer' } },
  { name: '`data` null', serve: send(envelopeWith(',"code":0,"data":null')), expect: { error: 'bad_answer' } },
  { name: '`data` a string', serve: send(envelopeWith(',"code":0,"data":"msg"')), expect: { error: 'bad_answer' } },
  {
    name: '`data` an empty list (PHP)',
    serve: send(envelopeWith(',"code":0,"data":[]')),
    expect: { error: 'bad_answer' },
  },
  {
    name: '`data.msg` missing',
    serve: send(envelopeWith(',"code":0,"data":{"withholding_money":1}')),
    expect: { error: 'bad_answer' },
  },
  {
    name: '`data.msg` an object',
    serve: send(envelopeWith(`,"code":0,"data":{"msg":{"0":${good1()}}}`)),
    expect: { error: 'bad_answer' },
  },
  {
    name: '`data.msg` a string',
    serve: send(envelopeWith(',"code":0,"data":{"msg":"[]"}')),
    expect: { error: 'bad_answer' },
  },
  { name: '`data.msg` an empty list', serve: send(answer([])), expect: { stored: [], undecoded: 0 } },
  {
    name: '`withholding_money` as text, `msec` as a word',
    serve: send(
      between().replace('"withholding_money":1', '"withholding_money":"abc"').replace('"msec":12', '"msec":"slow"'),
    ),
    expect: { stored: both(), undecoded: 0 },
  },
  {
    name: '`msec` an object with a `toString` key',
    serve: send(between().replace('"msec":12', '"msec":{"toString":0}')),
    expect: { stored: both(), undecoded: 0 },
  },
  {
    name: 'a byte-order mark before the JSON',
    serve: send(`\uFEFF${between()}`),
    expect: { stored: both(), undecoded: 0 },
  },
  {
    name: 'duplicate keys in the envelope',
    serve: send(between().replace('"code":0', '"code":401,"code":0')),
    expect: { error: 'bad_answer' },
  },
  {
    name: "the API page's own example answer (invalid escapes)",
    serve: (_r, res) => send(apiPageExample)(_r, res, undefined as never),
    expect: {
      stored: ['45407531231871'],
      undecoded: 0,
      check: ([m]) =>
        expect(m).toMatchObject({ tid: TID, oid: '1588821237361977', buyerNick: '201314雨洁', userNick: '高墣旗舰店' }),
    },
  },

  // ---- the messages ----
  {
    name: 'entries that are not objects (number, null, text, list)',
    serve: send(between('42', 'null', '"msg"', '[1,2]')),
    expect: { stored: both(), undecoded: 4 },
  },
  {
    name: 'an entry without msg_data',
    serve: send(between('{"id":2,"data":"x"}')),
    expect: { stored: both(), undecoded: 1 },
  },
  {
    name: '`msg_data` cut in half',
    serve: send(between(row(2, msgData({ id: BAD }).slice(0, 60)))),
    expect: { stored: both(), undecoded: 1 },
  },
  { name: '`msg_data` a number', serve: send(between(rawRow(2, '12345'))), expect: { stored: both(), undecoded: 1 } },
  { name: '`msg_data` null', serve: send(between(rawRow(2, 'null'))), expect: { stored: both(), undecoded: 1 } },
  {
    name: '`msg_data` a JSON list',
    serve: send(between(row(2, `[${msgData({ id: BAD })}]`))),
    expect: { stored: both(), undecoded: 1 },
  },
  {
    name: "`msg_data` an object, not a string (the table's reading)",
    serve: send(between(rawRow(2, msgData({ id: BAD })))),
    expect: { stored: both([BAD]), undecoded: 0 },
  },
  {
    name: '`msg_data` nested 100,000 deep',
    serve: send(between(row(2, `${'['.repeat(100_000)}${']'.repeat(100_000)}`))),
    expect: { stored: both(), undecoded: 1 },
  },
  {
    name: 'invalid escapes inside `msg_data`',
    serve: send(
      between(rawRow(2, JSON.stringify(msgData({ id: BAD, user_nick: '"高墣"' })).replace('高墣', '\\高\\墣'))),
    ),
    expect: { stored: both([BAD]), undecoded: 0 },
  },
  {
    name: 'no inner message id',
    serve: send(between(row(2, msgData({ id: undefined })))),
    expect: { stored: both(), undecoded: 1 },
  },
  {
    name: 'ids as bare numbers beyond 2^53',
    serve: send(between(row(2, msgData({ id: '9007199254740993123' })))),
    expect: {
      stored: both(['9007199254740993123']),
      undecoded: 0,
      check: (ms) =>
        expect(ms.map((m) => [m.tid, m.oid])).toEqual([
          [TID, OID],
          [TID, OID],
          [TID, OID],
        ]),
    },
  },
  {
    name: 'ids as strings',
    serve: send(
      between(
        row(
          2,
          msgData({
            id: `"${BAD}"`,
            content: JSON.stringify(`{"tid":"${TID}","oid":"${OID}","status":"WAIT_SELLER_SEND_GOODS"}`),
          }),
        ),
      ),
    ),
    expect: {
      stored: both([BAD]),
      undecoded: 0,
      check: (ms) => expect(ms[1]).toMatchObject({ id: BAD, tid: TID, oid: OID }),
    },
  },
  {
    name: 'an inner id of 40 digits',
    serve: send(between(row(2, msgData({ id: '1'.repeat(40) })))),
    expect: { stored: both(), undecoded: 1 },
  },
  {
    name: 'a negative inner id',
    serve: send(between(row(2, msgData({ id: '-5' })))),
    expect: { stored: both(), undecoded: 1 },
  },
  {
    name: 'a tid written as a float',
    serve: send(withContent('{"tid":1.588826713157362e18,"status":"WAIT_SELLER_SEND_GOODS"}')),
    // A rounded tid must never be stored as if it were exact: better no tid than another order's.
    expect: { stored: both([BAD]), undecoded: 0, check: (ms) => expect(ms[1]!.tid).toBeUndefined() },
  },
  {
    name: 'no topic',
    serve: send(between(row(2, msgData({ id: BAD, topic: undefined })))),
    expect: { stored: both(), undecoded: 1 },
  },
  {
    name: 'a topic as a number',
    serve: send(between(row(2, msgData({ id: BAD, topic: '7' })))),
    expect: { stored: both(), undecoded: 1 },
  },
  {
    name: 'an unknown topic',
    serve: send(between(row(2, msgData({ id: BAD, topic: '"taobao_future_SomethingNew"' })))),
    expect: {
      stored: both([BAD]),
      undecoded: 0,
      check: (ms) => expect(ms[1]!.topic).toBe('taobao_future_SomethingNew'),
    },
  },
  {
    name: '`content` in XML',
    serve: send(
      withContent(
        `<?xml version="1.0" encoding="utf-8"?><content><tid>${TID}</tid><oid>${OID}</oid><status>WAIT_SELLER_SEND_GOODS</status><buyer_nick>买家&amp;乙</buyer_nick></content>`,
      ),
    ),
    expect: {
      stored: both([BAD]),
      undecoded: 0,
      check: (ms) => expect(ms[1]).toMatchObject({ tid: TID, oid: OID, buyerNick: '买家&乙' }),
    },
  },
  {
    name: '`content` as broken XML',
    serve: send(withContent('<content><tid>1</oid></content>')),
    expect: { stored: both(), undecoded: 1 },
  },
  {
    name: '`content` with markup and script',
    serve: send(
      withContent(
        `{"tid":${TID},"buyer_nick":"<img src=x onerror=alert(1)><script>alert('x')</script>","title":"<b>包</b>"}`,
      ),
    ),
    expect: {
      stored: both([BAD]),
      undecoded: 0,
      check: (ms) => expect(ms[1]!.buyerNick).toBe("<img src=x onerror=alert(1)><script>alert('x')</script>"),
    },
  },
  {
    name: '`content` with control characters',
    serve: send(
      withContent(
        `{"tid":${TID},"buyer_nick":"买\\u0000家\\u0007\\u001b[31m\\u007f甲","status":"WAIT_SELLER_SEND_GOODS\\r"}`,
      ),
    ),
    expect: {
      stored: both([BAD]),
      undecoded: 0,
      check: (ms) => expect(ms[1]).toMatchObject({ buyerNick: '买家[31m甲', status: 'WAIT_SELLER_SEND_GOODS' }),
    },
  },
  {
    name: '`content` with lone surrogates and invalid UTF-8 bytes',
    serve: (_r, res) => {
      const [head, tail] = withContent(`{"tid":${TID},"buyer_nick":"\\ud800x@@"}`).split('@@');
      send(Buffer.concat([Buffer.from(head!), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(tail!)]))(
        _r,
        res,
        undefined as never,
      );
    },
    expect: { stored: both([BAD]), undecoded: 0 },
  },
  { name: '`content` a JSON list', serve: send(withContent('[1,2,3]')), expect: { stored: both(), undecoded: 1 } },
  {
    name: '`content` cut in half',
    serve: send(withContent(contentText().slice(0, 30))),
    expect: { stored: both(), undecoded: 1 },
  },
  {
    name: '`content` an object, not a string',
    serve: send(between(row(2, msgData({ id: BAD, content: contentText() })))),
    expect: { stored: both([BAD]), undecoded: 0, check: (ms) => expect(ms[1]).toMatchObject({ tid: TID, oid: OID }) },
  },
  {
    name: 'a `__proto__` key in `content`',
    serve: send(withContent(`{"tid":${TID},"__proto__":{"polluted":true}}`)),
    expect: {
      stored: both([BAD]),
      undecoded: 0,
      check: (ms) => {
        expect(Object.prototype.hasOwnProperty.call(ms[1]!.content, '__proto__')).toBe(true);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      },
    },
  },
  {
    name: '`content` fields as objects with `toString` keys',
    serve: send(
      withContent(
        `{"tid":${TID},"buyer_nick":{"toString":0},"payment":{"valueOf":0},"status":{"toString":"x"},"title":{"toString":0},"num":{"toString":0}}`,
      ),
    ),
    expect: { stored: both([BAD]), undecoded: 0, check: (ms) => expect(ms[1]).toMatchObject({ tid: TID }) },
  },
  {
    name: 'the same message id twice in one batch',
    serve: send(answer([good1(), good1(), good2()])),
    expect: { stored: both(), undecoded: 0 },
  },
  {
    name: 'a buyer nick of 200,000 characters',
    serve: send(withContent(`{"tid":${TID},"buyer_nick":"${'长'.repeat(200_000)}"}`)),
    expect: { stored: both([BAD]), undecoded: 0 },
  },
];

/** What the real pipeline makes of one answer: the client's Result, and what reached the inbox. */
async function throughPipeline(
  c: Case,
): Promise<{ result: Result<ConsumeOk, AppError>; messages: TmcMessage[]; stored: string[]; undecoded: number }> {
  server.handle(c.serve ?? send(answer([])));
  const client = new GatewayClient({
    baseUrl: c.url?.() ?? server.url,
    token: () => TOKEN,
    vvtype: () => 1,
    budgets: new RateBudgets(),
    timeouts: TIMEOUTS,
  });
  let result: Result<ConsumeOk, AppError>;
  try {
    result = await client.consume(SHOP, { quantity: DEFAULT_QUANTITY });
  } finally {
    await client.close();
  }
  if (!result.ok) return { result, messages: [], stored: [], undecoded: 0 };
  const batch = decodeBatch(SHOP, result.value.messages, result.value.malformed, Date.now());
  const dir = await tempDir('hostile');
  try {
    const inbox = await Inbox.open(dir);
    const appended = await inbox.append(batch.messages, batch.undecoded);
    const stored = appended.added.map((m) => m.id).filter((id) => inbox.has(id));
    const undecoded = inbox.undecodedCount();
    await inbox.close();
    return { result, messages: appended.added, stored, undecoded };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Call start times when every consume answers `result`, on a virtual clock. */
async function callTimes(result: Result<ConsumeOk, AppError>, forMs: number): Promise<number[]> {
  const clock = new VirtualClock();
  const times: number[] = [];
  const gateway: Gateway = {
    consume: async () => {
      times.push(clock.now());
      return result;
    },
    remark: async () => err(appError('internal', 'internal', { detail: 'not used' })),
  };
  const rng = createRng(7);
  const scheduler = new Scheduler({
    gateway,
    clock,
    random: () => rng.next(),
    polling: POLICY,
    onBatch: async () => undefined,
    onError: () => undefined,
  });
  scheduler.setShops([SHOP]);
  scheduler.start();
  await clock.advance(forMs);
  let stopped = false;
  const stopping = scheduler.stop().then(() => (stopped = true));
  while (!stopped) await clock.advance(1_000);
  await stopping;
  return times;
}

describe('hostile gateway: each bad answer is a typed error or a success that keeps the good messages', () => {
  it('has at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES)('$name', async (c) => {
    const { result, messages, stored, undecoded } = await throughPipeline(c);
    const want = c.expect;
    if ('error' in want) {
      expect(result.ok, JSON.stringify(result).slice(0, 300)).toBe(false);
      if (result.ok) return;
      expect(result.error.kind).toBe(want.error);
      if (want.code !== undefined) expect(result.error.code).toBe(want.code);
      if (want.params !== undefined) expect(result.error.params).toMatchObject(want.params);
      expect(result.error.endpoint).toBe('consume');
      // What it quotes from the answer is bounded; the link too.
      for (const quoted of Object.values(result.error.params))
        if (typeof quoted === 'string') expect(quoted.length).toBeLessThanOrEqual(ERROR_TEXT_MAX + 1);
      expect(result.error.authUrl?.length ?? 0).toBeLessThanOrEqual(LINK_MAX);
      // Words the UI can show, in either language: what happened, then the advice for the kind.
      for (const m of Object.values(MESSAGES)) {
        const what = m.errorText(result.error);
        expect(what.length).toBeGreaterThan(0);
        expect(m.describe(result.error)).toBe(m.errorLine(what, m.advice[result.error.kind]));
      }
    } else {
      expect(result.ok, JSON.stringify(result).slice(0, 300)).toBe(true);
      expect(stored).toEqual(want.stored);
      expect(undecoded).toBe(want.undecoded);
      want.check?.(messages);
    }

    // The back-off: the same outcome for ever never brings a call sooner than the plan's floor.
    if (!result.ok) {
      const times = await callTimes(result, 2 * 60 * MIN);
      const plan = planForError(result.error, 1, () => 0, POLICY);
      if (plan.action === 'stop') {
        expect(times).toHaveLength(1);
      } else {
        const gaps = times.slice(1).map((t, i) => t - times[i]!);
        gaps.forEach((gap, i) => {
          const floor = planForError(result.error, i + 1, () => 0, POLICY);
          expect(floor.action).toBe('retry');
          if (floor.action === 'retry') expect(gap).toBeGreaterThanOrEqual(floor.delayMs);
        });
        expect(gaps.length).toBeGreaterThan(3);
      }
    } else {
      const count = result.value.messages.length + result.value.malformed.length;
      const floor = count >= DEFAULT_QUANTITY ? 100 : count > 0 ? partialPauseMs(POLICY) : idlePauseMs(POLICY, 1);
      const times = await callTimes(result, 10 * MIN);
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(floor);
    }
  });
});

describe('hostile content through the Core: stored, and the polling goes on', () => {
  const OBJ = '{"toString":0,"valueOf":0}';
  const hostile = (id: string, topic: string, tid: string, fields: string): SimMessage => ({
    id,
    topic: `taobao_${topic}`,
    tid,
    pubTime: '2024-06-01 10:00:00',
    content: `{"tid":${tid},${fields}}`,
  });
  const T = ['1588826713157361971', '1588826713157361972', '1588826713157361973', '1588826713157361974'];

  it.each([
    [
      'a memo change whose action_type is an object',
      hostile('9000000000000000001', 'trade_TradeMemoModified', T[0]!, `"action_type":${OBJ},"seller_memo":"x"`),
    ],
    [
      'an echo of our own memo whose memo and flag are objects',
      hostile(
        '9000000000000000002',
        'trade_TradeMemoModified',
        T[1]!,
        `"action_type":"seller","seller_memo":${OBJ},"seller_flag":${OBJ}`,
      ),
    ],
    [
      'a refund whose fee and id are objects',
      hostile('9000000000000000003', 'refund_RefundCreated', T[2]!, `"refund_fee":${OBJ},"refund_id":${OBJ}`),
    ],
    [
      'a paid order whose payment, nick and status are objects',
      hostile(
        '9000000000000000004',
        'trade_TradeBuyerPay',
        T[3]!,
        `"payment":${OBJ},"buyer_nick":${OBJ},"status":${OBJ}`,
      ),
    ],
  ])('%s', async (_name, message) => {
    const sim = await startSimulator({ tokens: [TOKEN], shops: [SHOP], seed: 9, echoDelayMs: 60_000 });
    const dataDir = await tempDir('hostile-core');
    const settings: Settings = {
      ...structuredClone(DEFAULT_SETTINGS),
      gatewayBaseUrl: sim.url,
      shops: [{ id: SHOP, name: SHOP, colour: '#888888', enabled: true }],
      notify: {
        ...DEFAULT_SETTINGS.notify,
        rules: {
          TradeBuyerPay: { enabled: true },
          RefundCreated: { enabled: true },
          TradeMemoModified: { enabled: true },
        },
      },
    };
    const store = new MemorySettingsStore(settings);
    store.setSecret('token', TOKEN);
    const core = await Core.create({
      dataDir,
      settings: store,
      demo: false,
      budgets: new RateBudgets(),
      notifyWindowMs: 10,
      quantity: 10,
    });
    try {
      const errors: AppError[] = [];
      core.on('error', ({ error }) => errors.push(error));
      const stored = new Set<string>();
      core.on('message', (m) => stored.add(m.id));
      // The echo of our own save is expected for T[1]: its check reads the memo and flag.
      expect((await core.remark({ shop: SHOP, tid: T[1]!, memo: 'x', flag: 1 })).ok).toBe(true);
      sim.enqueue(SHOP, [message]);
      const good = sim.generate(SHOP, 5);
      await expect(core.drain()).resolves.toBeUndefined();
      expect(stored.has(message.id)).toBe(true);
      for (const m of good) expect(stored.has(m.id)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await core.stop();
      await sim.close();
    }
  });
});
