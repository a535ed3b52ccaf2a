/**
 * Turns the gateway's `data.msg` entries into TmcMessages. A message is encoded three times: the
 * answer's JSON (already parsed by the gateway client), `msg_data` (a JSON string, or an object as
 * the page's table describes it) and `content` (a JSON string, XML, or an object). Ids come out as
 * strings; anything that cannot be decoded is kept raw with its reason and never stops the batch.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ShopId, TmcMessage, UndecodedMessage } from '../../../shared/domain';
import { err, ok, type Result } from '../../../shared/result';
import { boundText } from '../bounded';
import { parseChinaTime } from '../clock';
import { asRecord } from '../gateway/shape';
import type { GatewayMessage } from '../gateway/types';
import { idString, parseJsonRepairing } from '../json';

export interface DecodedBatch {
  messages: TmcMessage[];
  undecoded: UndecodedMessage[];
}

/**
 * ASCII control characters (all but \n and \t) are dropped from wire text: OS notification
 * services reject or cut a toast at some of them (NUL ends the string in native code), and they
 * would sit invisibly in memos and searches. Markup is left alone: text is data, never rendered.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

export function cleanText(text: string): string {
  return text.replace(CONTROL_CHARS, '');
}

/** Content keys that hold ids: tid, oid, iid, num_iid, refund_id, user_id, sub_userid... */
const ID_KEY = /(?:^|_)(?:id|tid|oid|iid|userid)$/i;
const LOWER_D = 0x64;

/** ID_KEY, with the regex spared for the many keys that do not even end in a d. */
function isIdKey(key: string): boolean {
  return (key.charCodeAt(key.length - 1) | 0x20) === LOWER_D && ID_KEY.test(key);
}

/**
 * Ids as digit strings, text cleaned, structure and unknown fields kept. `own`: the value was
 * parsed here, so nobody else holds it and it is changed in place (most fields keep their value:
 * no copy of every content object); a value the caller handed in is copied instead.
 */
function normalise(value: unknown, key: string, own: boolean): unknown {
  if (isIdKey(key)) {
    const id = idString(value);
    if (id !== undefined) return id;
  }
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value)) {
    const items = own ? value : [...value];
    for (let i = 0; i < items.length; i++) items[i] = normalise(items[i], key, own);
    return items;
  }
  const record = asRecord(value);
  return record ? normaliseRecord(record, own) : value;
}

function normaliseRecord(record: Record<string, unknown>, own: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = own ? record : {};
  // The parsers make plain objects, so for...in sees exactly their own keys, and allocates nothing.
  for (const k in record) {
    const before = record[k];
    const value = normalise(before, k, own);
    if (own && value === before) continue;
    // A `__proto__` key from the wire must stay a plain field, not become the prototype; any
    // other key is assigned, which is as safe and much faster than defining it.
    if (k === '__proto__')
      Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    else out[k] = value;
  }
  return out;
}

/** Every value a string, so 19-digit ids in XML stay exact. */
const xmlParser = new XMLParser({ parseTagValue: false, parseAttributeValue: false });

function parseXmlContent(text: string): Result<Record<string, unknown>, string> {
  const valid = XMLValidator.validate(text);
  if (valid !== true) return err(`content is not valid XML: ${valid.err.msg}`);
  const parsed = asRecord(xmlParser.parse(text)) ?? {};
  const roots = Object.keys(parsed).filter((k) => !k.startsWith('?'));
  // TMC wraps the fields in one root element (`<content>`, `<trade>`...): the fields are inside it.
  if (roots.length === 1) {
    const root = parsed[roots[0]!];
    if (root === '') return ok({});
    const inner = asRecord(root);
    if (inner) return ok(inner);
    return err('XML content holds no fields');
  }
  return ok(Object.fromEntries(roots.map((k) => [k, parsed[k]])));
}

/** The content's fields, normalised. */
function decodeContent(content: unknown): Result<Record<string, unknown>, string> {
  if (content === undefined || content === null) return ok({});
  const record = asRecord(content);
  if (record) return ok(normaliseRecord(record, false));
  if (typeof content !== 'string')
    return err(`content is a ${Array.isArray(content) ? 'list' : typeof content}, not an object`);
  const text = content.trim();
  if (text === '') return ok({});
  if (text.startsWith('<')) {
    const xml = parseXmlContent(text);
    return xml.ok ? ok(normaliseRecord(xml.value, true)) : xml;
  }
  let parsed: unknown;
  try {
    parsed = parseJsonRepairing(text);
  } catch (e) {
    return err(`content is neither JSON nor XML: ${errorMessage(e)}`);
  }
  const fields = asRecord(parsed);
  return fields ? ok(normaliseRecord(fields, true)) : err('content JSON is not an object');
}

function decodeEnvelope(msgData: unknown): Result<Record<string, unknown>, string> {
  if (typeof msgData === 'string') {
    let parsed: unknown;
    try {
      parsed = parseJsonRepairing(msgData);
    } catch (e) {
      return err(`msg_data is not JSON: ${errorMessage(e)}`);
    }
    const record = asRecord(parsed);
    return record ? ok(record) : err('msg_data JSON is not an object');
  }
  const record = asRecord(msgData);
  return record ? ok(record) : err('msg_data is neither a JSON string nor an object');
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A content field as text: a string, or a number written without quotes; otherwise absent. */
export function textField(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/**
 * `pub_time` is China time without a zone; a missing or odd one falls back to the arrival time
 * rather than losing the message. One reader per batch remembers the last text it read: the
 * messages of a burst share a second.
 */
class PubTimeReader {
  private lastText = '';
  private lastTime = Number.NaN;

  read(v: unknown, receivedAt: number): number {
    if (typeof v === 'string' && v !== this.lastText) {
      this.lastText = v;
      this.lastTime = parseChinaTime(v);
    }
    const t = typeof v === 'string' ? this.lastTime : typeof v === 'number' ? v : Number.NaN;
    return Number.isFinite(t) ? t : receivedAt;
  }
}

function decodeMessage(
  shop: ShopId,
  entry: GatewayMessage,
  receivedAt: number,
  pubTimes: PubTimeReader,
): Result<TmcMessage, string> {
  const envelope = decodeEnvelope(entry.msgData);
  if (!envelope.ok) return envelope;
  const env = envelope.value;
  const id = idString(env.id);
  if (id === undefined) return err('no message id (inner id) in msg_data');
  const topic = typeof env.topic === 'string' ? env.topic.trim() : '';
  if (topic === '') return err('no topic in msg_data');
  const decoded = decodeContent(env.content);
  if (!decoded.ok) return decoded;
  const content = decoded.value;

  const message: TmcMessage = {
    id,
    rowId: entry.rowId,
    shop,
    topic,
    pubTime: pubTimes.read(env.pub_time, receivedAt),
    receivedAt,
    content,
  };
  const userId = idString(env.user_id);
  const userNick = textField(env.user_nick);
  const tid = idString(content.tid);
  const oid = idString(content.oid);
  const status = textField(content.status);
  const payment = textField(content.payment);
  const buyerNick = textField(content.buyer_nick);
  if (userId !== undefined) message.userId = userId;
  if (userNick !== undefined) message.userNick = cleanText(userNick);
  if (tid !== undefined) message.tid = tid;
  if (oid !== undefined) message.oid = oid;
  if (status !== undefined) message.status = status;
  if (payment !== undefined) message.payment = payment;
  if (buyerNick !== undefined) message.buyerNick = buyerNick;
  return ok(message);
}

/** The text of an entry as it came, for the undecoded record. */
function rawText(msgData: unknown): string {
  if (typeof msgData === 'string') return msgData;
  try {
    return JSON.stringify(msgData) ?? String(msgData);
  } catch {
    return String(msgData);
  }
}

export function decodeBatch(
  shop: ShopId,
  messages: GatewayMessage[],
  malformed: string[],
  receivedAt: number,
): DecodedBatch {
  const out: DecodedBatch = { messages: [], undecoded: [] };
  const pubTimes = new PubTimeReader();
  for (const entry of messages) {
    const decoded = decodeMessage(shop, entry, receivedAt, pubTimes);
    if (decoded.ok) out.messages.push(decoded.value);
    else
      out.undecoded.push({
        shop,
        rowId: entry.rowId,
        raw: rawText(entry.msgData),
        // A parser's words quote the wire (an XML tag thousands of characters long): the raw
        // entry is kept whole beside it, the reason is only its summary.
        reason: boundText(decoded.error),
        receivedAt,
      });
  }
  for (const raw of malformed) {
    out.undecoded.push({ shop, raw, reason: 'entry of data.msg is not an object with msg_data', receivedAt });
  }
  return out;
}
