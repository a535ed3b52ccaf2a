/**
 * How messages fold into an order. Messages arrive out of order and more than once, so every field
 * is decided by publication time, never by arrival: a TradeBuyerPay that turns up late cannot undo
 * TRADE_FINISHED.
 */
import { orderKey, type Order, type OrderEvent, type ShopId, type Tid, type TmcMessage } from '../../../shared/domain';
import { isFlag, type Flag } from '../../../shared/flag';
import { textField as text } from '../intake/decoder';
import { idString } from '../json';

const TRADE_PREFIX = 'taobao_trade_';
const REFUND_PREFIX = 'taobao_refund_';
const MEMO_TOPIC = 'taobao_trade_TradeMemoModified';

/** The status filter's key for orders with an open refund; also `refund.status` while open. */
export const REFUNDING = 'REFUNDING';
/** A refund's status once it is over, as Taobao's own refund status names them. */
const REFUND_ENDS: Record<string, string> = { RefundSuccess: 'SUCCESS', RefundClosed: 'CLOSED' };

/** A trade's life, in order: breaks ties between messages published in the same second. */
const STATUS_RANK: Record<string, number> = {
  TRADE_NO_CREATE_PAY: 0,
  WAIT_BUYER_PAY: 1,
  PAY_PENDING: 2,
  WAIT_SELLER_SEND_GOODS: 3,
  SELLER_CONSIGNED_PART: 4,
  WAIT_BUYER_CONFIRM_GOODS: 5,
  TRADE_BUYER_SIGNED: 6,
  TRADE_FINISHED: 7,
  TRADE_CLOSED: 7,
  TRADE_CLOSED_BY_TAOBAO: 7,
};

/** What a trade topic means when its content carries no status (parse leniently). */
const TOPIC_STATUS: Record<string, string> = {
  TradeCreate: 'WAIT_BUYER_PAY',
  TradeBuyerPay: 'WAIT_SELLER_SEND_GOODS',
  TradePartlySellerShip: 'SELLER_CONSIGNED_PART',
  TradeSellerShip: 'WAIT_BUYER_CONFIRM_GOODS',
  TradeSuccess: 'TRADE_FINISHED',
  TradeClose: 'TRADE_CLOSED',
};

/** Changes the row does not show but the seller must see (shipping to the old address). */
const ALWAYS_NOTABLE = new Set(['taobao_trade_TradeLogisticsAddressChanged']);

export interface RefundState {
  id?: string;
  fee?: string;
  status: string;
  at: number;
}

/** One order and what its folding needs to remember beside it. */
export interface OrderState {
  key: string;
  order: Order;
  /** The updatedAt the order is placed under in the view's indexes: changed only by moving it. */
  sortAt: number;
  statusAt: number;
  statusRank: number;
  paymentAt: number;
  memoAt: number;
  /** Per refund id: an order with one refund open and another closed is still refunding. Made
   * by the first refund message: most orders never have one. */
  refunds: Map<string, RefundState> | undefined;
  /** Lower-cased tid, buyer nick and item titles, for search; made by the first search after a
   * change, so that folding a message in (and replaying the journal) never pays for it. */
  haystack: string | undefined;
}

export function newOrderState(shop: ShopId, tid: Tid, at: number, seen: boolean): OrderState {
  return {
    key: orderKey({ shop, tid }),
    order: { shop, tid, items: [], createdAt: at, updatedAt: at, seen, events: [] },
    sortAt: at,
    statusAt: -Infinity,
    statusRank: -1,
    paymentAt: -Infinity,
    memoAt: -Infinity,
    refunds: undefined,
    haystack: undefined,
  };
}

/**
 * One copy of each topic and status name, not one per event: 100,000 stored messages would
 * otherwise hold 100,000 copies of a few dozen names. Bounded, since the names come off the wire.
 */
export class NameTable {
  private readonly names = new Map<string, string>();

  constructor(private readonly max = 512) {}

  shared(name: string): string {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    if (this.names.size < this.max) this.names.set(name, name);
    return name;
  }
}

/** Folds one message into its order's state; `isNew`: the state was just made for it. Returns
 * whether the order's updatedAt moved (its place in the newest-first list). */
export function foldMessage(state: OrderState, m: TmcMessage, names: NameTable, isNew: boolean): boolean {
  const o = state.order;
  insertEvent(o.events, eventOf(m, names));
  o.createdAt = Math.min(o.createdAt, m.pubTime);
  const moved = m.pubTime > o.updatedAt;
  if (moved) o.updatedAt = m.pubTime;
  // Whether anything the row shows changed (status, payment, buyer, memo, flag, refund, items):
  // such a change is news.
  let shown = false;
  if (m.buyerNick !== undefined && o.buyerNick === undefined) {
    o.buyerNick = m.buyerNick;
    shown = true;
  }
  if (m.topic.startsWith(TRADE_PREFIX)) shown = foldTrade(state, m) || shown;
  if (m.topic === MEMO_TOPIC)
    shown = foldMemo(state, flagOf(m.content.seller_flag), m.content.seller_memo, m.pubTime) || shown;
  if (m.topic.startsWith(REFUND_PREFIX)) shown = foldRefund(state, m) || shown;

  if (isNew || shown || ALWAYS_NOTABLE.has(m.topic)) o.seen = false;
  if (shown) state.haystack = undefined;
  return moved;
}

/** True when it changed what the row shows. */
function foldTrade(state: OrderState, m: TmcMessage): boolean {
  const o = state.order;
  let shown = false;
  const status = m.status ?? TOPIC_STATUS[m.topic.slice(TRADE_PREFIX.length)];
  if (status !== undefined) {
    const rank = STATUS_RANK[status] ?? -1;
    if (m.pubTime > state.statusAt || (m.pubTime === state.statusAt && rank >= state.statusRank)) {
      shown = o.status !== status;
      o.status = status;
      state.statusAt = m.pubTime;
      state.statusRank = rank;
    }
  }
  if (m.payment !== undefined && m.pubTime >= state.paymentAt) {
    shown = shown || o.payment !== m.payment;
    o.payment = m.payment;
    state.paymentAt = m.pubTime;
  }
  const title = text(m.content.title);
  if (m.oid === undefined && title === undefined) return shown;
  // One message per sub-order: the oid says which item this one is about.
  let item = o.items.find((i) => i.oid === m.oid);
  if (!item) {
    item = m.oid === undefined ? {} : { oid: m.oid };
    o.items.push(item);
    shown = true;
  }
  if (put(item, 'title', title)) shown = true;
  if (put(item, 'num', count(m.content.num))) shown = true;
  if (put(item, 'price', text(m.content.price))) shown = true;
  return shown;
}

/** The memo and flag, from TradeMemoModified or the user's own save. True when it changed either. */
export function foldMemo(state: OrderState, flag: Flag | undefined, memo: unknown, at: number): boolean {
  if (at < state.memoAt || (flag === undefined && typeof memo !== 'string')) return false;
  state.memoAt = at;
  const memoShown = put(state.order, 'memo', typeof memo === 'string' ? memo : undefined);
  const flagShown = put(state.order, 'flag', flag);
  return memoShown || flagShown;
}

/** Sets a field the row shows to a value a message brought (none: left as it is); true when it changed. */
function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): boolean {
  if (value === undefined || target[key] === value) return false;
  target[key] = value;
  return true;
}

/** True when it changed the refund's status or fee as the row shows them. */
function foldRefund(state: OrderState, m: TmcMessage): boolean {
  const id = text(m.content.refund_id);
  const key = id ?? m.oid ?? '';
  const ended = REFUND_ENDS[m.topic.slice(REFUND_PREFIX.length)];
  const refunds = (state.refunds ??= new Map());
  const prev = refunds.get(key);
  // Same second: an end outranks an open step, so a refund never reopens on a tie.
  if (prev && (m.pubTime < prev.at || (m.pubTime === prev.at && ended === undefined))) return false;
  const fee = text(m.content.refund_fee) ?? prev?.fee;
  const next: RefundState = { status: ended ?? REFUNDING, at: m.pubTime };
  if (id !== undefined) next.id = id;
  if (fee !== undefined) next.fee = fee;
  refunds.set(key, next);
  const before = state.order.refund;
  const after = shownRefund(refunds);
  state.order.refund = after;
  return before?.status !== after?.status || before?.fee !== after?.fee;
}

function count(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

function flagOf(v: unknown): Flag | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return isFlag(n) ? n : undefined;
}

/** Each event made whole in one literal: one added later would cost every event a second
 * allocation (its properties outside the object), kept as long as the order. */
function eventOf(m: TmcMessage, names: NameTable): OrderEvent {
  const msgId = m.id;
  const topic = names.shared(m.topic);
  const at = m.pubTime;
  const refundId = idString(m.content.refund_id);
  if (m.status === undefined) return refundId === undefined ? { msgId, topic, at } : { msgId, topic, at, refundId };
  const status = names.shared(m.status);
  return refundId === undefined ? { msgId, topic, at, status } : { msgId, topic, at, status, refundId };
}

/** Events stay in publication order; a late message slots in where it belongs. */
function insertEvent(events: OrderEvent[], event: OrderEvent): void {
  let i = events.length;
  while (i > 0 && events[i - 1]!.at > event.at) i--;
  if (i === events.length) events.push(event);
  else events.splice(i, 0, event);
}

/** An open refund wins over finished ones; otherwise the latest. */
function shownRefund(refunds: Map<string, RefundState>): Order['refund'] {
  let shown: RefundState | undefined;
  for (const r of refunds.values()) {
    const open = r.status === REFUNDING;
    const shownOpen = shown?.status === REFUNDING;
    if (!shown || (open && !shownOpen) || (open === shownOpen && r.at >= shown.at)) shown = r;
  }
  if (!shown) return undefined;
  const refund: NonNullable<Order['refund']> = { status: shown.status };
  if (shown.id !== undefined) refund.id = shown.id;
  if (shown.fee !== undefined) refund.fee = shown.fee;
  return refund;
}
