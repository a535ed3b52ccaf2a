import type { Flag } from './flag';

/** Ids are strings end to end: tid, oid and message ids exceed 2^53. */
export type ShopId = string;
export type Tid = string;

/** One decoded TMC message, as stored in the inbox. */
export interface TmcMessage {
  /** The TMC message id (inner `id`): the dedupe key. */
  id: string;
  /** The gateway's row id (outer `id`). */
  rowId: string;
  shop: ShopId;
  /** Full topic, e.g. `taobao_trade_TradeBuyerPay`. */
  topic: string;
  /** `pub_time` read as China time (UTC+8), as epoch milliseconds. */
  pubTime: number;
  /** When TradeBell stored it, epoch milliseconds. */
  receivedAt: number;
  userId?: string;
  userNick?: string;
  tid?: Tid;
  oid?: string;
  status?: string;
  /** Yuan, as the gateway writes it ("48.00"). */
  payment?: string;
  buyerNick?: string;
  /** The topic's fields, ids as strings, unknown fields kept. */
  content: Record<string, unknown>;
}

/** A message that could not be decoded: kept raw, with the reason, never dropped. */
export interface UndecodedMessage {
  shop: ShopId;
  rowId?: string;
  raw: string;
  reason: string;
  receivedAt: number;
}

export interface OrderItem {
  oid?: string;
  title?: string;
  num?: number;
  price?: string;
}

export interface OrderEvent {
  msgId: string;
  topic: string;
  at: number;
  status?: string;
  /** Refund topics: which refund (an order may have several). */
  refundId?: string;
}

/** Messages folded per tid: sellers think in orders. */
export interface Order {
  shop: ShopId;
  tid: Tid;
  status?: string;
  payment?: string;
  buyerNick?: string;
  items: OrderItem[];
  /** The seller memo as TradeBell last learned it (a TradeMemoModified's seller_memo, or a save
   * made here). Undefined: not known, which is not the same as empty (''): a new order's messages
   * carry no memo, and the seller may have written one in Qianniu. */
  memo?: string;
  /** Likewise: undefined is not known. */
  flag?: Flag;
  refund?: { id?: string; fee?: string; status: string };
  createdAt: number;
  updatedAt: number;
  /** False until the user has looked at it since its last notable change. */
  seen: boolean;
  events: OrderEvent[];
}

/** What the inbox list shows of an order: everything but its history (the panel asks for that). */
export type OrderSummary = Omit<Order, 'events'>;

/**
 * The inbox's order, in the core's index and in the window's list alike: the newest change first,
 * then by key, so that orders changed in the same millisecond keep one order everywhere.
 */
export function compareNewestFirst(aAt: number, aKey: string, bAt: number, bKey: string): number {
  return bAt - aAt || (aKey < bKey ? -1 : aKey > bKey ? 1 : 0);
}

/** One order's key: a tid is unique on Taobao, but the shop keeps two test shops apart. Shop ids
 * hold no `:` (isShopId), so the key is unambiguous. */
export function orderKey(o: { shop: ShopId; tid: Tid }): string {
  return `${o.shop}:${o.tid}`;
}

interface NotificationBase {
  key: string;
  shop?: ShopId;
  tids: Tid[];
  /** The full topic name of the message (of the first, for a summary). */
  topic: string;
  sound: boolean;
}

/** One piece of news about one order (or one message without an order). */
export interface OrderNotification extends NotificationBase {
  kind: 'order';
  /** The payment, or a refund's fee, in fen; absent when the message did not tell. */
  amountFen?: number;
  buyer?: string;
  /** Item titles of the order. */
  items: string[];
  /** The new memo of a TradeMemoModified. */
  memo?: string;
  shopName?: string;
}

/** A burst of one topic, told as one. */
export interface SummaryNotification extends NotificationBase {
  kind: 'summary';
  /** Messages in the burst. */
  count: number;
  /** The sum of the amounts that were told, in fen; absent when none was. */
  totalFen?: number;
  shopNames: string[];
}

/**
 * What the notification policy decided to show: data, no words. Each face words it in the user's
 * language (notificationText in src/shared/i18n), at the moment it shows it.
 */
export type NotificationSpec = OrderNotification | SummaryNotification;

/** Trade statuses TradeBell has words for (in the catalogue); another status shows as it came. */
export const TRADE_STATUSES = [
  'TRADE_NO_CREATE_PAY',
  'WAIT_BUYER_PAY',
  'PAY_PENDING',
  'WAIT_SELLER_SEND_GOODS',
  'SELLER_CONSIGNED_PART',
  'WAIT_BUYER_CONFIRM_GOODS',
  'TRADE_BUYER_SIGNED',
  'TRADE_FINISHED',
  'TRADE_CLOSED',
  'TRADE_CLOSED_BY_TAOBAO',
  'REFUNDING',
] as const;

export type TradeStatus = (typeof TRADE_STATUSES)[number];

/** Statuses the gateway sends that read the same as another (待付款, 已关闭): the filter offers the other. */
const STATUS_ALIASES: Partial<Record<TradeStatus, TradeStatus>> = {
  TRADE_NO_CREATE_PAY: 'WAIT_BUYER_PAY',
  TRADE_CLOSED_BY_TAOBAO: 'TRADE_CLOSED',
};

/** The status filter offers one key per status word (待付款 once, not once per gateway status). */
export const STATUS_FILTERS: readonly TradeStatus[] = TRADE_STATUSES.filter((s) => !Object.hasOwn(STATUS_ALIASES, s));

/** The filter key a trade status falls under. */
export function statusFilterKey(status: string): string {
  return Object.hasOwn(STATUS_ALIASES, status) ? STATUS_ALIASES[status as TradeStatus]! : status;
}
