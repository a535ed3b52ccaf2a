import { isFlag, type Flag } from './flag';

/** The error code of a save refused because it would erase a memo TradeBell does not know (the
 * core's rule, RemarkRequest.clearUnknownMemo): the faces ask the user instead of showing it. */
export const MEMO_UNKNOWN = 'memo_unknown';

/** The same for the flag (RemarkRequest.clearUnknownFlag): bcro sets the flag it is sent, so gray
 * sent for an order whose flag is unknown would clear a colour set in Qianniu, unseen. */
export const FLAG_UNKNOWN = 'flag_unknown';

/** The bcro endpoint's limit, in UTF-8 bytes (a Chinese character is 3). */
export const MEMO_MAX_BYTES = 1000;

const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

export type MemoCheck = { ok: true; bytes: number } | { ok: false; bytes: number; over: number; message: string };

export function checkMemo(memo: string): MemoCheck {
  const bytes = utf8Length(memo);
  if (bytes <= MEMO_MAX_BYTES) return { ok: true, bytes };
  const over = bytes - MEMO_MAX_BYTES;
  return {
    ok: false,
    bytes,
    over,
    message: `备注过长：${bytes} 字节，超出 ${over} 字节（上限 ${MEMO_MAX_BYTES} 字节，一个汉字占 3 字节）。Memo is ${bytes} bytes, ${over} over the ${MEMO_MAX_BYTES}-byte limit.`,
  };
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

/** The one validation of a memo/flag edit, used by the core, the CLI and the renderer. */
export function validateRemark(input: { shop: unknown; tid: unknown; memo: unknown; flag: unknown }): string | null {
  if (!isShopId(input.shop)) return '店铺 ID 无效 (shop id must be letters or digits)';
  if (!isTid(input.tid)) return '订单号无效：只能是数字 (tid must be digits only)';
  if (!isFlag(input.flag)) return '旗帜无效：必须是 0–5 的整数 (flag must be an integer 0..5)';
  if (typeof input.memo !== 'string') return '备注必须是文本 (memo must be text)';
  const m = checkMemo(input.memo);
  return m.ok ? null : m.message;
}
