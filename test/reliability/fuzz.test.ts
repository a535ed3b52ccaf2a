/**
 * Property tests with fast-check: the decoder, the memo validator, the TOP signer and the gateway
 * envelope reader fed random and mutated input. Nothing throws; ids come out digit for digit; a
 * memo is refused exactly when its UTF-8 form is over 1000 bytes; a signature follows every field.
 * The seed is fixed so CI sees the same inputs; TRADEBELL_FUZZ_SEED explores others.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayClient } from '../../src/main/core/gateway/client';
import { RateBudgets } from '../../src/main/core/gateway/rate';
import type { GatewayMessage } from '../../src/main/core/gateway/types';
import { decodeBatch } from '../../src/main/core/intake/decoder';
import { encodeMsgData, generateTraffic, PUB_APP_KEY } from '../../src/simulator';
import { signTop, TOP_SIGN_METHODS, verifyTopSignature, type TopParams } from '../../src/main/core/top/sign';
import type { ErrorKind } from '../../src/shared/errors';
import { MESSAGES } from '../../src/shared/i18n';
import { checkMemo, MEMO_MAX_BYTES, validateRemark } from '../../src/shared/memo';
import { json, startServer, type TestServer } from '../main/core/gateway/testServer';
import { pick } from './helpers';

const RUNS = pick(1_000, 10_000);
const SEED = Number(process.env.TRADEBELL_FUZZ_SEED ?? 20240601);
const params = (numRuns = RUNS) => ({ numRuns, seed: SEED });
const SHOP = 'shop1';
const NOW = Date.UTC(2024, 5, 1);

/** Entries in, entries out: each one either decoded or kept raw, never dropped, never thrown. */
function decodesWhole(messages: GatewayMessage[], malformed: string[] = []) {
  const batch = decodeBatch(SHOP, messages, malformed, NOW);
  expect(batch.messages.length + batch.undecoded.length).toBe(messages.length + malformed.length);
  for (const m of batch.messages) expect(m.id).toMatch(/^\d{1,30}$/);
  return batch;
}

const GOOD_MSG_DATA = generateTraffic(5, SHOP, 3, NOW).map((m) =>
  encodeMsgData(m, { userId: '3293576715', userNick: '高墣旗舰店', appKey: PUB_APP_KEY }),
);

/** Text damage of the kinds a proxy, a bad encoder or a cut connection causes. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 5 }),
      fc.constantFrom('\\', '"', '{', '}', '[', ']', ',', ':', '\\u', '\u0000', '99999999999999999999'),
    ),
  }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(text: string, m: Mutation): string {
  const at = m.at % (text.length + 1);
  switch (m.op) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.len);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'cut':
      return text.slice(0, at);
    case 'repeat':
      return text.slice(0, at + m.len) + text.slice(at);
  }
}

describe('fuzz: decoder', () => {
  it('random msg_data text or values never throw, and every entry is decoded or kept raw', () => {
    const entry = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.jsonValue({ maxDepth: 4 }),
      fc.json({ maxDepth: 4 }),
    );
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 5 }),
        fc.array(fc.string({ maxLength: 50 }), { maxLength: 2 }),
        (entries, malformed) => {
          decodesWhole(
            entries.map((msgData, i) => ({ rowId: String(i), msgData })),
            malformed,
          );
        },
      ),
      params(),
    );
  });

  it('mutated real msg_data never throws; what still decodes keeps digit-only ids', () => {
    fc.assert(
      fc.property(fc.constantFrom(...GOOD_MSG_DATA), fc.array(mutation, { minLength: 1, maxLength: 4 }), (good, ms) => {
        const text = ms.reduce(mutate, good);
        const batch = decodesWhole([{ rowId: '1', msgData: text }]);
        for (const m of batch.messages) if (m.tid !== undefined) expect(m.tid).toMatch(/^\d+$/);
      }),
      params(),
    );
  });

  it('mutated content inside sound msg_data never throws', () => {
    const content =
      '{"tid":1588826713157361977,"oid":1588826713157361978,"status":"WAIT_SELLER_SEND_GOODS","payment":"48.00","buyer_nick":"买家"}';
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), (ms, xml) => {
        const base = xml ? '<content><tid>1588826713157361977</tid><buyer_nick>买家</buyer_nick></content>' : content;
        const msgData = JSON.stringify({
          content: ms.reduce(mutate, base),
          id: '45407531231871',
          topic: 'taobao_trade_TradeBuyerPay',
          pub_time: '2024-06-01 10:00:00',
        });
        decodesWhole([{ rowId: '1', msgData }]);
      }),
      params(),
    );
  });

  it('ids of up to 30 digits, as bare numbers or strings, in JSON or XML, round-trip digit for digit', () => {
    const digits = fc.bigInt({ min: 0n, max: 10n ** 30n - 1n }).map(String);
    const idText = (id: string, quoted: boolean) => (quoted ? `"${id}"` : id);
    fc.assert(
      fc.property(
        digits,
        digits,
        digits,
        fc.boolean(),
        fc.constantFrom('json', 'xml', 'object'),
        fc.jsonValue({ maxDepth: 2 }),
        (id, tid, oid, quoted, form, noise) => {
          const extra = JSON.stringify(noise);
          const content =
            form === 'xml'
              ? `<content><tid>${tid}</tid><oid>${oid}</oid><status>TRADE_FINISHED</status></content>`
              : `{"noise":${extra},"tid":${idText(tid, quoted)},"oid":${idText(oid, quoted)},"status":"TRADE_FINISHED"}`;
          const contentField = form === 'object' ? content : JSON.stringify(content);
          const msgData = `{"content":${contentField},"id":${idText(id, quoted)},"topic":"taobao_trade_TradeSuccess","pub_time":"2024-06-01 10:00:00","user_id":${idText(tid, quoted)}}`;
          const [m] = decodesWhole([{ rowId: '1', msgData }]).messages;
          expect(m).toBeDefined();
          expect(m!.id).toBe(id);
          expect(m!.tid).toBe(tid);
          expect(m!.oid).toBe(oid);
          expect(m!.userId).toBe(tid);
          expect(m!.content.tid).toBe(tid);
        },
      ),
      params(),
    );
  });
});

describe('fuzz: memo validator', () => {
  /** Characters of every UTF-8 length, astral ones, combining marks and lone surrogate halves. */
  const char = fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    fc.constantFrom(
      'a',
      ' ',
      '\n',
      'é',
      'ß',
      '备',
      '注',
      '。',
      '😀',
      '𠮷',
      '👍🏽',
      '\u0301',
      '\u200d',
      '\ud83d',
      '\udc00',
      '\uffff',
    ),
  );
  const memo = fc.array(char, { maxLength: 600 }).map((cs) => cs.join(''));

  it('refuses a memo exactly when its UTF-8 length is over 1000 bytes', () => {
    fc.assert(
      fc.property(memo, (text) => {
        const bytes = Buffer.byteLength(text, 'utf8');
        const check = checkMemo(text);
        expect(check.bytes).toBe(bytes);
        expect(check.ok).toBe(bytes <= MEMO_MAX_BYTES);
        const refused = validateRemark({ shop: SHOP, tid: '1588826713157361977', memo: text, flag: 1 });
        expect(refused === null).toBe(bytes <= MEMO_MAX_BYTES);
      }),
      params(),
    );
  });

  it('at the boundary: 995..1005 bytes ending in a character of 1 to 4 bytes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 995, max: 1005 }),
        fc.constantFrom('a', 'é', '备', '😀', '\ud800'),
        fc.constantFrom('a', '备'),
        (total, last, fill) => {
          const lastBytes = Buffer.byteLength(last, 'utf8');
          const fillBytes = Buffer.byteLength(fill, 'utf8');
          const body =
            fill.repeat(Math.floor((total - lastBytes) / fillBytes)) + 'a'.repeat((total - lastBytes) % fillBytes);
          const text = body + last;
          expect(Buffer.byteLength(text, 'utf8')).toBe(total);
          expect(checkMemo(text).ok).toBe(total <= 1000);
        },
      ),
      params(RUNS / 10),
    );
  });
});

describe('fuzz: TOP signer', () => {
  const key = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((k) => k !== 'sign');
  const value = fc.string({ unit: 'grapheme', maxLength: 40 });
  const fields = fc.dictionary(key, value, { maxKeys: 10 });
  const method = fc.constantFrom(...TOP_SIGN_METHODS);
  const secret = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
  const HEX_LENGTH = { md5: 32, hmac: 32, 'hmac-sha256': 64 } as const;

  it('never throws on any text, and verifies what it signed', () => {
    const anyText = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(
      fc.property(
        fc.dictionary(anyText, fc.option(anyText, { nil: undefined }), { maxKeys: 10 }),
        anyText,
        method,
        (p, s, m) => {
          const signed: TopParams = { ...p, sign_method: m };
          const sign = signTop(signed, s, m);
          expect(sign).toMatch(new RegExp(`^[0-9A-F]{${HEX_LENGTH[m]}}$`));
          expect(verifyTopSignature({ ...signed, sign }, s)).toBe(true);
        },
      ),
      params(),
    );
  });

  it('the signature changes when any one field changes, is added, or the secret changes', () => {
    fc.assert(
      fc.property(fields, secret, method, key, value, secret, (p, s, m, k, v, otherSecret) => {
        const before = signTop(p, s, m);
        const old = Object.hasOwn(p, k) ? p[k] : undefined;
        if ((old ?? '') !== v) expect(signTop({ ...p, [k]: v }, s, m)).not.toBe(before);
        if (otherSecret !== s) expect(signTop(p, otherSecret, m)).not.toBe(before);
        // `sign` itself is never part of what is signed.
        expect(signTop({ ...p, sign: v }, s, m)).toBe(before);
      }),
      params(),
    );
  });
});

describe('fuzz: gateway envelope reader over HTTP', () => {
  let server: TestServer;
  let client: GatewayClient;
  let body = '';
  let status = 200;
  const KINDS: ErrorKind[] = [
    'transient',
    'server',
    'auth',
    'quota',
    'shop_unauthorized',
    'bad_request',
    'unsupported',
    'not_found',
    'unknown_code',
    'bad_answer',
    'http',
  ];

  beforeAll(async () => {
    server = await startServer();
    server.handle((_req, res) => json(res, body, status));
    // The rate budget is not under test here: a thousand calls must not take a hundred seconds.
    client = new GatewayClient({
      baseUrl: server.url,
      token: () => 'tok-fuzz',
      vvtype: () => 1,
      budgets: new RateBudgets({ limit: 1_000_000 }),
    });
  });

  afterAll(async () => {
    await client.close();
    await server.close();
  });

  const entry = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.record({
      id: fc.oneof(fc.nat(), fc.string()),
      msg_data: fc.oneof(
        fc.constantFrom(...GOOD_MSG_DATA),
        fc.string({ unit: 'binary' }),
        fc.jsonValue({ maxDepth: 3 }),
      ),
    }),
  );
  const envelope = fc
    .record(
      {
        code: fc.oneof(
          fc.constant(0),
          fc.constantFrom(100, 101, 200, 202, 203, 204, 302, 401, 404),
          fc.integer(),
          fc.string(),
          fc.constant(null),
        ),
        msg: fc.oneof(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 2 })),
        data: fc.oneof(
          fc.jsonValue({ maxDepth: 3 }),
          fc.record(
            {
              msg: fc.oneof(fc.array(entry, { maxLength: 4 }), fc.jsonValue({ maxDepth: 2 })),
              withholding_money: fc.jsonValue({ maxDepth: 1 }),
            },
            { requiredKeys: [] },
          ),
        ),
        msec: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o));
  const bodies = fc.oneof(
    envelope,
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.json({ maxDepth: 3 }),
    fc.tuple(envelope, fc.nat()).map(([t, n]) => t.slice(0, n % (t.length + 1))),
  );

  it(
    'random bodies and statuses never throw: a typed error or a batch the decoder takes whole',
    async () => {
      await fc.assert(
        fc.asyncProperty(bodies, fc.constantFrom(200, 200, 200, 401, 404, 500, 502), async (b, s) => {
          body = b;
          status = s;
          const r = await client.consume(SHOP, { quantity: 100 });
          if (r.ok) {
            decodesWhole(r.value.messages, r.value.malformed);
          } else {
            expect(KINDS).toContain(r.error.kind);
            for (const m of Object.values(MESSAGES)) {
              const words = m.describe(r.error);
              expect(typeof words).toBe('string');
              expect(words.length).toBeLessThan(2_000);
            }
          }
        }),
        params(),
      );
    },
    pick(60_000, 600_000),
  );
});
