/**
 * The gateway's wire format, written by hand: ids are 19-digit numbers that the real gateway
 * writes as bare JSON number literals, and `JSON.stringify` of a JS number would round them.
 * A message is encoded three times: the answer's JSON, `msg_data` (a JSON string) and `content`
 * (a JSON or XML string inside it).
 */
import type { SimMessage } from './types';

/** Text written into the JSON verbatim (pre-encoded pieces, deliberately broken ones). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Content fields that carry ids: a digit string there becomes a bare number literal. */
export const CONTENT_ID_KEYS: ReadonlySet<string> = new Set(['tid', 'oid', 'iid', 'num_iid', 'refund_id']);

const DIGITS = /^-?\d+$/;

/** JSON text of `value`; under `idKeys`, digit strings are written as numbers. */
export function writeJson(value: unknown, idKeys: ReadonlySet<string> = new Set()): string {
  if (value instanceof RawJson) return value.text;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map((v) => writeJson(v, idKeys)).join(',')}]`;
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const text = idKeys.has(k) && typeof v === 'string' && DIGITS.test(v) ? v : writeJson(v, idKeys);
      parts.push(`${JSON.stringify(k)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(String(value));
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

function writeXmlFields(value: Record<string, unknown>): string {
  return Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const inner =
        v !== null && typeof v === 'object' && !Array.isArray(v)
          ? writeXmlFields(v as Record<string, unknown>)
          : xmlEscape(String(v));
      return `<${k}>${inner}</${k}>`;
    })
    .join('');
}

/** The `content` text of a message: a given string is kept as is. */
export function encodeContent(message: SimMessage): string {
  if (typeof message.content === 'string') return message.content;
  if (message.contentFormat === 'xml')
    return `<?xml version="1.0" encoding="utf-8"?><content>${writeXmlFields(message.content)}</content>`;
  return writeJson(message.content, CONTENT_ID_KEYS);
}

/** Who published a shop's messages: the seller account behind the shop. */
export interface Publisher {
  userId: string;
  userNick: string;
  appKey: string;
}

/** The decoded text of `msg_data`, keys in the gateway's (alphabetical) order. */
export function encodeMsgData(
  message: SimMessage,
  publisher: Publisher,
  content: string = encodeContent(message),
): string {
  if (message.rawMsgData !== undefined) return message.rawMsgData;
  return writeJson({
    content,
    id: new RawJson(message.id),
    pub_app_key: publisher.appKey,
    pub_time: message.pubTime,
    topic: message.topic,
    user_id: new RawJson(publisher.userId),
    user_nick: publisher.userNick,
  });
}

/** One entry of `data.msg`: the gateway's row id and the msg_data string. */
export interface ConsumeRow {
  rowId: number;
  /** The JSON string literal of msg_data, quotes included (faults may have broken it). */
  msgDataLiteral: string;
}

export function consumeRow(rowId: number, msgData: string): ConsumeRow {
  return { rowId, msgDataLiteral: JSON.stringify(msgData) };
}

export const CODE_TEXT: Record<number, string> = {
  0: '操作成功',
  100: '请求参数错误',
  101: '请求超时,请重试',
  103: '旺旺账号不存在',
  200: '系统错误,请联系客服',
  202: '系统错误,请稍后再试',
  203: '暂不支持当前接口',
  204: '请求异常:API 调用次数不足,请前往网站兑换次数。',
  302: '未授权店铺',
  401: '身份凭证无效',
  404: '请求路径或请求方式错误',
};

export interface EnvelopeMeta {
  msec: number;
  /** Epoch milliseconds; written as unix seconds. */
  now: number;
}

/**
 * `{code,msg,msec,time,data}`. Failed calls carry `data: []` (what a PHP backend writes for an
 * empty array) unless they have something to say, like 302's `url`.
 */
export function envelope(
  code: number,
  data: unknown,
  meta: EnvelopeMeta,
  msg: string = CODE_TEXT[code] ?? '未知错误',
): string {
  return writeJson({ code, msg, msec: meta.msec, time: Math.floor(meta.now / 1000), data: data ?? [] });
}

export function consumeData(rows: ConsumeRow[], withholdingMoney: number): RawJson {
  const msg = rows.map((r) => `{"id":${r.rowId},"msg_data":${r.msgDataLiteral}}`).join(',');
  return new RawJson(`{"msg":[${msg}],"withholding_money":${withholdingMoney}}`);
}
