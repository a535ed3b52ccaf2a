/** The kinds of line the inbox journal holds. */
import type { ShopId, Tid, TmcMessage, UndecodedMessage } from '../../../shared/domain';
import { isFlag, type Flag } from '../../../shared/flag';
import { asRecord } from '../gateway/shape';

export type InboxRecord =
  | { k: 'message'; m: TmcMessage }
  | { k: 'undecoded'; u: UndecodedMessage }
  | { k: 'seen'; tids: Tid[]; at: number }
  | { k: 'remark'; shop: ShopId; tid: Tid; memo: string; flag: Flag; at: number };

export type RemarkRecord = Extract<InboxRecord, { k: 'remark' }>;

type Check = (v: unknown) => boolean;

const isText = (v: unknown): v is string => typeof v === 'string';
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optionalText = (v: unknown) => v === undefined || isText(v);

/** A check per field of the type, so a field added to it without one does not compile. Plain
 * checks rather than a schema library: every line of the journal passes here at start-up. */
type FieldChecks<T> = { readonly [K in keyof Required<T>]: Check };

const MESSAGE: FieldChecks<TmcMessage> = {
  id: isText,
  rowId: isText,
  shop: isText,
  topic: isText,
  pubTime: isTime,
  receivedAt: isTime,
  content: (v) => asRecord(v) !== undefined,
  userId: optionalText,
  userNick: optionalText,
  tid: optionalText,
  oid: optionalText,
  status: optionalText,
  payment: optionalText,
  buyerNick: optionalText,
};

const UNDECODED: FieldChecks<UndecodedMessage> = {
  shop: isText,
  raw: isText,
  reason: isText,
  receivedAt: isTime,
  rowId: optionalText,
};

/** An object whose every field named in `checks` passes its check. */
function hasFields<T>(v: unknown, checks: FieldChecks<T>): v is T {
  const r = asRecord(v);
  if (r === undefined) return false;
  for (const key in checks) if (!checks[key](r[key])) return false;
  return true;
}

/** A checksum proves the bytes are ours; this proves the line is a record this version reads. */
export function isInboxRecord(value: unknown): value is InboxRecord {
  const v = asRecord(value);
  if (!v) return false;
  switch (v.k) {
    case 'message':
      return hasFields(v.m, MESSAGE);
    case 'undecoded':
      return hasFields(v.u, UNDECODED);
    case 'seen':
      return Array.isArray(v.tids) && v.tids.every(isText) && isTime(v.at);
    case 'remark':
      return isText(v.shop) && isText(v.tid) && isText(v.memo) && isFlag(v.flag) && isTime(v.at);
    default:
      return false;
  }
}
