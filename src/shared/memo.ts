import { appError, type AppError } from './errors';
import type { RemarkRequest } from './api';
import type { Order } from './domain';
import { isFlag, type Flag } from './flag';

/** The bcro endpoint's limit, in UTF-8 bytes (a Chinese character is 3). */
export const MEMO_MAX_BYTES = 1000;

const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

export type MemoCheck = { ok: true; bytes: number } | { ok: false; bytes: number; over: number };

export function checkMemo(memo: string): MemoCheck {
  const bytes = utf8Length(memo);
  if (bytes <= MEMO_MAX_BYTES) return { ok: true, bytes };
  return { ok: false, bytes, over: bytes - MEMO_MAX_BYTES };
}

/** A Taobao trade id: decimal digits only, carried as a string (19 digits exceed 2^53). */
export function isTid(v: unknown): v is string {
  return typeof v === 'string' && /^[1-9]\d{0,19}$/.test(v);
}

export function isShopId(v: unknown): v is string {
  return typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v);
}

export interface RemarkInput {
  shop: string;
  tid: string;
  memo: string;
  flag: Flag;
}

/** The one validation of a memo/flag edit, used by the core, the CLI and the renderer: the
 * refusal as a `validation` error, or null. */
export function validateRemark(input: { shop: unknown; tid: unknown; memo: unknown; flag: unknown }): AppError | null {
  if (!isShopId(input.shop)) return appError('validation', 'bad_shop_id', {});
  if (!isTid(input.tid)) return appError('validation', 'bad_tid', {});
  if (!isFlag(input.flag)) return appError('validation', 'bad_flag', {});
  if (typeof input.memo !== 'string') return appError('validation', 'memo_not_text', {});
  const m = checkMemo(input.memo);
  return m.ok ? null : appError('validation', 'memo_too_long', { bytes: m.bytes, over: m.over, max: MEMO_MAX_BYTES });
}

/**
 * The memo and flag a remark sends: what the request gives, else the ones TradeBell knows now
 * (not a copy a window read earlier); undefined where it knows none, for the core's Remarks.save
 * to refuse. A memo left out with clearing confirmed (a batch that keeps known memos and clears
 * the rest) is cleared when unknown.
 */
export function partsToSend(
  req: Pick<RemarkRequest, 'memo' | 'flag' | 'clearUnknownMemo'>,
  known: Pick<Order, 'memo' | 'flag'> | undefined,
): { memo: string | undefined; flag: Flag | undefined } {
  return { memo: req.memo ?? known?.memo ?? (req.clearUnknownMemo ? '' : undefined), flag: req.flag ?? known?.flag };
}
