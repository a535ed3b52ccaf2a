import fc from 'fast-check';
import { parse } from 'lossless-json';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { idString, parseJsonLossless, parseLossless } from '../../../src/main/core/json';

// Counts the texts that reach lossless-json, to show which ones the fast path settles alone.
vi.mock('lossless-json', async (original) => {
  const actual = await original<typeof import('lossless-json')>();
  return { ...actual, parse: vi.fn(actual.parse) };
});

beforeEach(() => {
  vi.mocked(parse).mockClear();
});

describe('parseJsonLossless', () => {
  it('keeps a 19-digit tid digit for digit where JSON.parse rounds it', () => {
    const text = '{"tid":1588826713157361977,"oid":1588821237361977,"payment":"48.00","n":3}';
    expect((JSON.parse(text) as { tid: number }).tid).not.toBe(1588826713157361977n.toString());
    const v = parseJsonLossless(text) as Record<string, unknown>;
    expect(v.tid).toBe('1588826713157361977');
    expect(idString(v.oid)).toBe('1588821237361977');
    expect(v.payment).toBe('48.00');
    expect(v.n).toBe(3);
  });

  it('throws on invalid JSON', () => {
    expect(() => parseJsonLossless('<html>502</html>')).toThrow();
  });

  it('puts the boundary of exactness at 2^53 - 1, negative numbers alike', () => {
    const v = parseJsonLossless(
      '[9007199254740991,9007199254740992,-9007199254740991,-9007199254740992,1234567890123456,10000000000000000]',
    );
    expect(v).toEqual([
      9007199254740991,
      '9007199254740992',
      -9007199254740991,
      '-9007199254740992',
      1234567890123456,
      '10000000000000000',
    ]);
  });

  it('keeps a number too large for a double as its text, and decimals and small exponents as numbers', () => {
    expect(
      parseJsonLossless('{"a":1e400,"b":-2.5E+309,"c":1e20,"d":0.1,"e":1.5e-400,"f":12345678901234567890.5}'),
    ).toEqual({
      a: '1e400',
      b: '-2.5E+309',
      c: 1e20,
      d: 0.1,
      e: 0,
      f: 12345678901234567890.5,
    });
    expect(Object.is(parseJsonLossless('-0'), -0)).toBe(true);
  });

  it('leaves digits inside strings alone, escaped quotes and backslashes included', () => {
    const text = String.raw`{"a":"x\"12345678901234567890\\","b":12345678901234567890,"c":"\\\"99999999999999999999"}`;
    expect(parseJsonLossless(text)).toEqual({
      a: 'x"12345678901234567890\\',
      b: '12345678901234567890',
      c: '\\"99999999999999999999',
    });
  });

  it('refuses a repeated key, as lossless-json does, where JSON.parse would keep the last', () => {
    expect(() => parseJsonLossless('{"code":401,"code":0}')).toThrow(/Duplicate key/);
    expect(() => parseJsonLossless('{"a":{"id":1,"id":12345678901234567890}}')).toThrow(/Duplicate key/);
  });

  it("never quotes its way from invalid text to valid: a literal in a key's place, a leading zero", () => {
    expect(() => parseJsonLossless('{12345678901234567890:1}')).toThrow();
    expect(() => parseJsonLossless('{"a":1,12345678901234567890:1}')).toThrow();
    // A repeated key that lossless-json lets pass (same value) must not hide a made-up one.
    expect(() => parseJsonLossless('{"a":1,"a":1,12345678901234567890:2}')).toThrow();
    expect(() => parseJsonLossless('[01234567890123456789]')).toThrow();
  });

  it('settles ordinary gateway text without lossless-json, and hands it only what it must', () => {
    const content =
      '{"tid":1588826713157361977,"buyer_nick":"雨\\"洁\\\\","orders":[{"oid":1588821237361977001,"num":2,"price":-1.5e3}],"x":{}}';
    const entry = `{"content":${JSON.stringify(content)},"id":45407531231871,"user_id":3293576715,"pub_time":"2022-06-13 18:08:09"}`;
    const outer = parseJsonLossless(entry) as { content: string };
    expect(parseJsonLossless(outer.content)).toEqual({
      tid: '1588826713157361977',
      buyer_nick: '雨"洁\\',
      orders: [{ oid: '1588821237361977001', num: 2, price: -1500 }],
      x: {},
    });
    expect(parse).not.toHaveBeenCalled();
    expect(() => parseJsonLossless('{"a":1,"a":2}')).toThrow();
    expect(() => parseJsonLossless('[1,]')).toThrow();
    expect(parse).toHaveBeenCalledTimes(2);
  });

  it('keeps a __proto__ key as a plain field', () => {
    const v = parseJsonLossless('{"__proto__":{"polluted":12345678901234567890}}') as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(v, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('hands nesting deeper than 256 to lossless-json, which decides as before (its stack is its limit)', () => {
    const deep = (n: number) => `${'['.repeat(n)}12345678901234567890${']'.repeat(n)}`;
    const innermost = (v: unknown): unknown => (Array.isArray(v) ? innermost(v[0]) : v);
    expect(innermost(parseJsonLossless(deep(256)))).toBe('12345678901234567890');
    expect(parse).not.toHaveBeenCalled();
    expect(innermost(parseJsonLossless(deep(257)))).toBe('12345678901234567890');
    expect(parse).toHaveBeenCalledTimes(1);
    expect(() => parseJsonLossless(deep(100_000))).toThrow(RangeError);
  });
});

/** What a parser makes of a text: the value, or the error it throws (by name and message). */
function outcome(parse: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: parse() };
  } catch (e) {
    return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

/** Random JSON text, written the way a gateway might: every kind of literal, whitespace, escapes. */
const ws = fc.constantFrom('', '', ' ', '\n', '\t', '\r\n  ');
const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const integerText = fc.oneof(
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
  fc.constantFrom(
    '0',
    '-0',
    '9007199254740991',
    '9007199254740992',
    '-9007199254740993',
    '10000000000000000',
    '1588826713157361977',
  ),
);
const numberText = fc.oneof(
  integerText,
  fc.tuple(integerText, digits(1, 20)).map(([i, f]) => `${i}.${f}`),
  fc
    .tuple(
      fc.oneof(
        integerText,
        fc.tuple(integerText, digits(1, 5)).map(([i, f]) => `${i}.${f}`),
      ),
      fc.constantFrom('e', 'E'),
      fc.constantFrom('', '+', '-'),
      fc.integer({ min: 0, max: 420 }),
    )
    .map(([m, e, sign, exp]) => `${m}${e}${sign}${exp}`),
);
/** String bodies full of what trips a scanner: digit runs, escaped quotes and backslashes, \u escapes. */
const stringChunk = fc.oneof(
  fc.string({ maxLength: 4 }).map((s) => JSON.stringify(s).slice(1, -1)),
  digits(1, 22),
  fc.constantFrom(
    '\\"',
    '\\\\',
    '\\/',
    '\\n',
    '\\u0041',
    '\\u5927',
    '\\ud83d\\ude00',
    '订单',
    ':',
    ',',
    '{',
    '[',
    '}',
    ']',
    '-',
    'e',
    '\\\\\\"',
  ),
);
const stringText = fc.array(stringChunk, { maxLength: 6 }).map((chunks) => `"${chunks.join('')}"`);
/** Keys from a small set, so that objects often repeat one. */
const keyText = fc.oneof(
  fc.constantFrom('"id"', '"tid"', '"a"', '"__proto__"', '"1"', '"0"', '"id\\u0000"'),
  stringText,
);

const { json } = fc.letrec<{ json: string; array: string; object: string }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberText,
    stringText,
    fc.constantFrom('true', 'false', 'null'),
    tie('array'),
    tie('object'),
  ),
  array: fc
    .array(fc.tuple(ws, tie('json'), ws), { maxLength: 5 })
    .map((items) => `[${items.map((p) => p.join('')).join(',')}]`),
  object: fc
    .array(fc.tuple(ws, keyText, ws, ws, tie('json'), ws), { maxLength: 5 })
    .map((pairs) => `{${pairs.map(([a, k, b, c, v, d]) => `${a}${k}${b}:${c}${v}${d}`).join(',')}}`),
}));

/** A valid text with one character dropped, doubled or replaced by a structural one. */
const damaged = fc
  .tuple(json, fc.nat(), fc.constantFrom('drop', 'double', 'replace'), fc.constantFrom(...'"{}[],:\\ 0123456789-+.eE'))
  .map(([text, at, how, c]) => {
    if (text.length === 0) return c;
    const i = at % text.length;
    if (how === 'drop') return text.slice(0, i) + text.slice(i + 1);
    if (how === 'double') return text.slice(0, i) + text[i] + text.slice(i);
    return text.slice(0, i) + c + text.slice(i + 1);
  });

/** Valid JSON whose objects never repeat a key (keys without escapes, so no two spell one key). */
const plainKey = fc
  .oneof(
    fc.constantFrom('id', 'tid', '__proto__', '1', '0'),
    fc.string({ unit: fc.constantFrom(...'ab_1订"\\'), maxLength: 4 }),
  )
  .map((k) => JSON.stringify(k));
const { unique } = fc.letrec<{ unique: string; array: string; object: string }>((tie) => ({
  unique: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberText,
    stringText,
    fc.constantFrom('true', 'false', 'null'),
    tie('array'),
    tie('object'),
  ),
  array: fc
    .array(fc.tuple(ws, tie('unique'), ws), { maxLength: 5 })
    .map((items) => `[${items.map((p) => p.join('')).join(',')}]`),
  object: fc
    .uniqueArray(fc.tuple(plainKey, ws, tie('unique')), { maxLength: 5, selector: ([k]) => k })
    .map((pairs) => `{${pairs.map(([k, w, v]) => `${w}${k}${w}:${w}${v}`).join(',')}}`),
}));

describe('parseJsonLossless against lossless-json alone', () => {
  it('settles any valid text without a repeated key alone, with the same value', () => {
    fc.assert(
      fc.property(unique, (text) => {
        const expected = parseLossless(text);
        vi.mocked(parse).mockClear();
        expect(parseJsonLossless(text)).toStrictEqual(expected);
        expect(parse).not.toHaveBeenCalled();
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the same value for any JSON text (numbers of every size, strings of digits and escapes, nesting)', () => {
    fc.assert(
      fc.property(fc.tuple(ws, json, ws), (parts) => {
        const text = parts.join('');
        expect(outcome(() => parseJsonLossless(text))).toStrictEqual(outcome(() => parseLossless(text)));
      }),
      { numRuns: 1500 },
    );
  });

  it('gives the same value or the same error for damaged text', () => {
    fc.assert(
      fc.property(damaged, (text) => {
        expect(outcome(() => parseJsonLossless(text))).toStrictEqual(outcome(() => parseLossless(text)));
      }),
      { numRuns: 1500 },
    );
  });

  it('gives the same for consume entries with big ids, as the gateway writes them', () => {
    const entry = fc
      .record({
        id: integerText,
        userId: integerText,
        tid: integerText,
        oid: integerText,
        nick: stringText,
        payment: numberText,
      })
      .map(({ id, userId, tid, oid, nick, payment }) => {
        const content = `{"tid":${tid},"oid":${oid},"buyer_nick":${nick},"payment":${payment},"orders":[{"oid":${oid},"num":2}]}`;
        return `{"content":${JSON.stringify(content)},"id":${id},"topic":"taobao_trade_TradeBuyerPay","user_id":${userId}}`;
      });
    fc.assert(
      fc.property(entry, (text) => {
        const fast = outcome(() => parseJsonLossless(text));
        expect(fast).toStrictEqual(outcome(() => parseLossless(text)));
        const content = 'value' in fast ? (fast.value as { content: string }).content : '';
        expect(outcome(() => parseJsonLossless(content))).toStrictEqual(outcome(() => parseLossless(content)));
      }),
      { numRuns: 500 },
    );
  });
});
