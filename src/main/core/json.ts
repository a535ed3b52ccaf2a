/**
 * JSON from the gateway is parsed here and nowhere else: integers beyond 2^53 (tid, oid, message
 * ids) come out as their exact digit strings instead of rounded numbers.
 *
 * lossless-json decides every result, but it is slower than JSON.parse (B3 in docs/benchmarks.md
 * measures the two side by side), and every message goes through it twice. So the text is first
 * scanned for the few number literals JSON.parse would get wrong (an integer beyond 2^53, a
 * number too large for a double); those are put in quotes, which turns each into the very string
 * lossless-json makes of it, and JSON.parse does the rest. Whatever the scan cannot vouch for goes
 * to lossless-json as before: text that JSON.parse refuses (so the error is the one it always
 * was), a repeated key (lossless-json refuses those, JSON.parse keeps the last), deep nesting.
 */
import { parse } from 'lossless-json';

function parseNumber(text: string): number | string {
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  if (/^-?\d+$/.test(text) && !Number.isSafeInteger(n)) return text;
  return n;
}

/** Nesting the fast path takes on. Deeper text goes to lossless-json, whose recursion (its limit,
 * a few thousand levels) then decides as it always did. */
const MAX_FAST_DEPTH = 256;
/** A literal of up to 15 characters and no exponent is exact in a double: below 10^15 < 2^53. */
const SAFE_DIGITS = 15;
/** The JSON number grammar: only a literal that matches it in full is ever quoted. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** What follows a string's opening quote, up to and with its closing one. */
const STRING_REST = /[^"\\]*(?:\\[^][^"\\]*)*"/y;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

function isNumberChar(c: number): boolean {
  return (c >= DIGIT_0 && c <= DIGIT_9) || c === MINUS || c === PLUS || c === DOT || c === LOWER_E || c === UPPER_E;
}

/** A literal that lossless-json keeps as text, which JSON.parse would round or overflow. */
function keptAsText(literal: string): boolean {
  return JSON_NUMBER.test(literal) && typeof parseNumber(literal) === 'string';
}

const MAX_SAFE_TEXT = String(Number.MAX_SAFE_INTEGER);

/** keptAsText for a run of digits (ids: the literal nearly every message holds), without
 * converting it: past 2^53 - 1 by its length, or by comparing digits at the same length. A
 * leading zero is not JSON: left alone, for JSON.parse and then lossless-json to refuse. */
function beyondSafe(digits: string): boolean {
  if (digits.charCodeAt(0) === DIGIT_0) return false;
  return digits.length > MAX_SAFE_TEXT.length || (digits.length === MAX_SAFE_TEXT.length && digits > MAX_SAFE_TEXT);
}

interface Prepared {
  /** The text with the literals JSON.parse would get wrong in quotes. */
  text: string;
  /** Object keys written in the text: more than the parsed value holds means a repeated key. */
  keys: number;
}

/**
 * One pass outside strings, tracking whether an object key may come next. A literal is quoted
 * only where a value stands, so quoting can never make invalid text valid (a quoted literal in
 * a key's place would be); undefined when the text is too deep or a string never ends.
 */
function prepare(text: string): Prepared | undefined {
  /** For each open container, whether it is an object. */
  const inObject: boolean[] = [];
  let keyNext = false;
  let keys = 0;
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      if (keyNext) keys++;
      keyNext = false;
      // Most strings hold no escape: their first quote ends them, and indexOf finds it fastest.
      const close = text.indexOf('"', i + 1);
      if (close === -1) return undefined;
      if (text.charCodeAt(close - 1) !== BACKSLASH) i = close + 1;
      else {
        STRING_REST.lastIndex = i + 1;
        if (!STRING_REST.test(text)) return undefined;
        i = STRING_REST.lastIndex;
      }
    } else if ((c >= DIGIT_0 && c <= DIGIT_9) || c === MINUS) {
      const start = i;
      let digitsOnly = true;
      let exponent = false;
      for (; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d >= DIGIT_0 && d <= DIGIT_9) continue;
        if (!isNumberChar(d)) break;
        digitsOnly = false;
        if (d === LOWER_E || d === UPPER_E) exponent = true;
      }
      if (!keyNext && (exponent || i - start > SAFE_DIGITS)) {
        const literal = text.slice(start, i);
        if (digitsOnly ? beyondSafe(literal) : keptAsText(literal)) {
          out += `${text.slice(copied, start)}"${literal}"`;
          copied = i;
        }
      }
      keyNext = false;
    } else {
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (inObject.push(c === OPEN_OBJECT) > MAX_FAST_DEPTH) return undefined;
        keyNext = c === OPEN_OBJECT;
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        inObject.pop();
        keyNext = false;
      } else if (c === COMMA) {
        keyNext = inObject[inObject.length - 1] === true;
      } else if (c === COLON) {
        keyNext = false;
      }
      i++;
    }
  }
  return { text: copied === 0 ? text : out + text.slice(copied), keys };
}

/** Keys in the objects of a parsed value; its depth is bounded by prepare(). */
function keyCount(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (const item of value) n += keyCount(item);
    return n;
  }
  // for...in allocates nothing; JSON.parse makes plain objects, whose prototype adds no keys.
  const record = value as Record<string, unknown>;
  for (const key in record) n += 1 + keyCount(record[key]);
  return n;
}

/** Throws SyntaxError on invalid JSON, like JSON.parse. */
export function parseJsonLossless(text: string): unknown {
  const prepared = prepare(text);
  if (prepared) {
    try {
      const value: unknown = JSON.parse(prepared.text);
      if (keyCount(value) === prepared.keys) return value;
    } catch {
      // lossless-json decides below, and throws the error it always threw.
    }
  }
  return parseLossless(text);
}

/** lossless-json alone: the reference the fast path is held to. */
export function parseLossless(text: string): unknown {
  return parse(text, null, parseNumber);
}

const ID_DIGITS = /^\d{1,30}$/;

/** An id as a string of digits, from a safe number or a digit string; otherwise undefined. */
export function idString(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v !== 'string') return undefined;
  const trimmed = v.trim();
  return ID_DIGITS.test(trimmed) ? trimmed : undefined;
}

/** The characters that may follow a backslash in JSON. */
const ESCAPE_STARTS = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u']);

/**
 * Drops each backslash that precedes a character no JSON escape starts with. The API page's own
 * example writes `\雨` inside its strings; pairs such as `\\` are consumed whole, so a real
 * escaped backslash is never split.
 */
export function repairStrayBackslashes(text: string): string {
  return text.replace(/\\([\s\S])/g, (pair, next: string) => (ESCAPE_STARTS.has(next) ? pair : next));
}

/** Lossless JSON, strict first; one repair of stray backslashes, kept only if it then parses. */
export function parseJsonRepairing(text: string): unknown {
  try {
    return parseJsonLossless(text);
  } catch (strictError) {
    const repaired = repairStrayBackslashes(text);
    if (repaired === text) throw strictError;
    try {
      return parseJsonLossless(repaired);
    } catch {
      throw strictError;
    }
  }
}
