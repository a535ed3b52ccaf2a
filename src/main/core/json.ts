/**
 * JSON from the gateway is parsed here and nowhere else: integers beyond 2^53 (tid, oid, message
 * ids) come out as their exact digit strings instead of rounded numbers.
 */
import { parse } from 'lossless-json';

function parseNumber(text: string): number | string {
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  if (/^-?\d+$/.test(text) && !Number.isSafeInteger(n)) return text;
  return n;
}

/** Throws SyntaxError on invalid JSON, like JSON.parse. */
export function parseJsonLossless(text: string): unknown {
  return parse(text, null, parseNumber);
}

/** An id as a string of digits, from a safe number or a digit string; otherwise undefined. */
export function idString(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === 'string' && /^\d{1,30}$/.test(v.trim())) return v.trim();
  return undefined;
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
