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
