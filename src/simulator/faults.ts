/**
 * Scripted faults: what a real gateway, proxy or network does on a bad day, applied to the next
 * matching calls so that tests can script exact cases.
 */
import { STATUS_CODES } from 'node:http';
import { consumeRow, encodeContent, encodeMsgData, type ConsumeRow, type Publisher } from './encode';
import type { Fault, SimEndpoint, SimMessage } from './types';

interface Rule {
  fault: Fault;
  endpoint?: SimEndpoint;
  shop?: string;
  times: number;
}

/** Faults that break messages need an answer that carries some. */
export function needsMessages(fault: Fault): boolean {
  return fault.type === 'malformed' && fault.what !== 'body';
}

export class FaultBook {
  private rules: Rule[] = [];

  add(fault: Fault, opts: { endpoint?: SimEndpoint; shop?: string; times?: number } = {}): void {
    this.rules.push({ fault, endpoint: opts.endpoint, shop: opts.shop, times: opts.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * The first fault that matches this call, counted as used. A fault that breaks messages waits
   * for an answer that has some (`hasMessages`), and only consume answers carry messages.
   */
  take(endpoint: SimEndpoint, shop: string | undefined, hasMessages: boolean): Fault | undefined {
    const rule = this.rules.find(
      (r) =>
        (r.endpoint === undefined || r.endpoint === endpoint) &&
        (r.shop === undefined || r.shop === shop) &&
        (!needsMessages(r.fault) || (endpoint === 'consume' && hasMessages)),
    );
    if (!rule) return undefined;
    rule.times -= 1;
    if (rule.times <= 0) this.rules.splice(this.rules.indexOf(rule), 1);
    return rule.fault;
  }
}

/** What a proxy in front of the gateway answers when it fails. */
export function httpFaultBody(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/** An answer cut off half way: not JSON. */
export function truncateBody(body: string): string {
  return body.slice(0, Math.max(1, Math.floor(body.length / 2)));
}

/**
 * The API page's own example: a backslash before each Chinese character inside msg_data, which
 * makes the whole answer invalid JSON (`\高` is no JSON escape).
 */
export function strayBackslashes(literal: string): string {
  return literal.replace(/[\u3400-\u9fff\uf900-\ufaff]/g, '\\$&');
}

export interface QueuedMessage {
  rowId: number;
  message: SimMessage;
}

/**
 * The rows of a consume answer, with the first message broken (`msg_data` or `content` cut in
 * half: still a valid JSON string, but its text cannot be decoded) or every msg_data given stray
 * backslashes. The other messages of the answer stay sound.
 */
export function brokenRows(
  what: 'msg_data' | 'content' | 'invalid_escapes',
  entries: QueuedMessage[],
  publisher: Publisher,
): ConsumeRow[] {
  return entries.map((e, i) => {
    if (what === 'invalid_escapes') {
      const row = consumeRow(e.rowId, encodeMsgData(e.message, publisher));
      return { rowId: row.rowId, msgDataLiteral: strayBackslashes(row.msgDataLiteral) };
    }
    if (i > 0) return consumeRow(e.rowId, encodeMsgData(e.message, publisher));
    if (what === 'content')
      return consumeRow(e.rowId, encodeMsgData(e.message, publisher, truncateBody(encodeContent(e.message))));
    return consumeRow(e.rowId, truncateBody(encodeMsgData(e.message, publisher)));
  });
}
