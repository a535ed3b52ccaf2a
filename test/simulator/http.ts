/** Talks to the simulator the way the gateway pages do (multipart form, Bearer token), without the client. */
import { FormData, request } from 'undici';
import { parseJsonLossless } from '../../src/main/core/json';

export const CONSUME = '/tool/erps/tbconsume';
export const BCRO = '/tool/accounts/bcro';
export const TOP = '/router/rest';

export interface Raw {
  status: number;
  text: string;
  contentType: string;
}

export async function post(
  base: string,
  path: string,
  fields: Record<string, string>,
  opts: { token?: string | null; urlencoded?: boolean } = {},
): Promise<Raw> {
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? 'demo-token' : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: FormData | string;
  if (opts.urlencoded) {
    body = new URLSearchParams(fields).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else {
    body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
  }
  const res = await request(`${base}${path}`, { method: 'POST', headers, body });
  return {
    status: res.statusCode,
    text: await res.body.text(),
    contentType: String(res.headers['content-type'] ?? ''),
  };
}

export interface Envelope {
  code: number;
  msg: string;
  msec: number;
  time: number;
  data: Record<string, unknown> & { msg?: { id: unknown; msg_data: string }[] };
}

export function envelopeOf(text: string): Envelope {
  return parseJsonLossless(text) as Envelope;
}

export interface Decoded {
  rowId: unknown;
  msgData: Record<string, unknown>;
  content: Record<string, unknown>;
}

/** The three decodings by hand: answer → msg_data string → content string. */
export function decodeAll(text: string): Decoded[] {
  return (envelopeOf(text).data.msg ?? []).map((row) => {
    const msgData = parseJsonLossless(row.msg_data) as Record<string, unknown>;
    return { rowId: row.id, msgData, content: parseJsonLossless(msgData.content as string) as Record<string, unknown> };
  });
}

export const consume = (base: string, fields: Record<string, string>, token?: string | null) =>
  post(base, CONSUME, fields, { token });
