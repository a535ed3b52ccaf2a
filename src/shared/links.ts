/**
 * The only links TradeBell opens outside itself. Pure, so the renderer can hide a link the main
 * process would refuse, and main can check every `openExternal` and `window.open` against it.
 */
import { isTid } from './memo';
import type { Tid } from './domain';

/** The seller-side detail page of one order on Taobao (Tmall orders open there too). */
export function orderPageUrl(tid: Tid): string {
  if (!isTid(tid)) throw new RangeError(`not a tid: ${tid}`);
  return `https://trade.taobao.com/trade/detail/trade_item_detail.htm?bizOrderId=${tid}`;
}

/** Taobao/Tmall order and seller pages, and the TOP authorisation page a 302 answer links to. */
const ALLOWED_HOSTS = new Set([
  'trade.taobao.com',
  'buyertrade.taobao.com',
  'myseller.taobao.com',
  'qn.taobao.com',
  'oauth.taobao.com',
  'trade.tmall.com',
  'vv-tool.com',
]);

/** vv-tool's own pages (authorisation, recharge, endpoint activation) live on its subdomains. */
const ALLOWED_SUFFIXES = ['.vv-tool.com'];

export const MAX_EXTERNAL_URL_LENGTH = 2048;

/**
 * True for an https link on the allowlist, on the default port, without credentials.
 * The WHATWG parser does the hard part: it lowercases and punycodes the host and reads `\` as `/`,
 * so `https://evil.com\@trade.taobao.com` comes out with host `evil.com`.
 */
export function isAllowedExternalUrl(raw: unknown): raw is string {
  if (typeof raw !== 'string' || raw.length > MAX_EXTERNAL_URL_LENGTH) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return false;
  const host = url.hostname;
  return (
    ALLOWED_HOSTS.has(host) || ALLOWED_SUFFIXES.some((suffix) => host.endsWith(suffix) && host.length > suffix.length)
  );
}
