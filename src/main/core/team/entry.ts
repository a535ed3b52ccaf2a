/**
 * A consumed entry as it travels through the stream: the gateway's row id and `msg_data` exactly as
 * the gateway sent them (a string, almost always), or the raw text of an entry that was not even an
 * object. Every seat decodes it again with its own decoder, as if it had consumed it itself.
 */
import type { ConsumeOk, GatewayMessage } from '../gateway/types';

/** What one stream entry's `e` field holds. */
type Encoded = { r: string; d: string } | { r: string; o: unknown } | { m: string };

/** The entries of a consume answer, one JSON text each. */
export function encodeEntries(answer: Pick<ConsumeOk, 'messages' | 'malformed'>): string[] {
  const out: string[] = [];
  for (const m of answer.messages) {
    const e: Encoded = typeof m.msgData === 'string' ? { r: m.rowId, d: m.msgData } : { r: m.rowId, o: m.msgData };
    out.push(JSON.stringify(e));
  }
  for (const raw of answer.malformed) out.push(JSON.stringify({ m: raw } satisfies Encoded));
  return out;
}

/** Entries back into what the decoder takes; one that is not ours is kept raw as malformed. */
export function decodeEntries(entries: readonly string[]): { messages: GatewayMessage[]; malformed: string[] } {
  const messages: GatewayMessage[] = [];
  const malformed: string[] = [];
  for (const text of entries) {
    let e: Partial<Record<'r' | 'd' | 'o' | 'm', unknown>> | undefined;
    try {
      // Our own JSON, ids already strings, msg_data a string: the plain parser is exact here.
      const parsed: unknown = JSON.parse(text);
      e = typeof parsed === 'object' && parsed !== null ? (parsed as typeof e) : undefined;
    } catch {
      e = undefined;
    }
    if (e && typeof e.r === 'string' && typeof e.d === 'string') messages.push({ rowId: e.r, msgData: e.d });
    else if (e && typeof e.r === 'string' && 'o' in e) messages.push({ rowId: e.r, msgData: e.o });
    else if (e && typeof e.m === 'string') malformed.push(e.m);
    else malformed.push(text);
  }
  return { messages, malformed };
}
