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

const isText = (v: unknown): v is string => typeof v === 'string';
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optionalText = (v: unknown) => v === undefined || isText(v);

function isMessage(v: unknown): v is TmcMessage {
  const m = asRecord(v);
  return (
    m !== undefined &&
    isText(m.id) &&
    isText(m.rowId) &&
    isText(m.shop) &&
    isText(m.topic) &&
    isTime(m.pubTime) &&
    isTime(m.receivedAt) &&
    asRecord(m.content) !== undefined &&
    [m.userId, m.userNick, m.tid, m.oid, m.status, m.payment, m.buyerNick].every(optionalText)
  );
}

function isUndecoded(v: unknown): v is UndecodedMessage {
  const u = asRecord(v);
  return (
    u !== undefined &&
    isText(u.shop) &&
    isText(u.raw) &&
    isText(u.reason) &&
    isTime(u.receivedAt) &&
    optionalText(u.rowId)
  );
}

/** A checksum proves the bytes are ours; this proves the line is a record this version reads. */
export function isInboxRecord(value: unknown): value is InboxRecord {
  const v = asRecord(value);
  if (!v) return false;
  switch (v.k) {
    case 'message':
      return isMessage(v.m);
    case 'undecoded':
      return isUndecoded(v.u);
    case 'seen':
      return Array.isArray(v.tids) && v.tids.every(isText) && isTime(v.at);
    case 'remark':
      return isText(v.shop) && isText(v.tid) && isText(v.memo) && isFlag(v.flag) && isTime(v.at);
    default:
      return false;
  }
}
