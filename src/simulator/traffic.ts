/**
 * The traffic model: order lifecycles as TMC messages, from a seeded PRNG so a seed always gives
 * the same messages. Pure: the benchmarks build a day of traffic with it, without a server.
 *
 * An order is created (TradeCreate), then either closed unpaid (TradeClose) or paid
 * (TradeBuyerPay); a paid order may get a refund (RefundCreated, maybe RefundSuccess), or be
 * shipped (TradeSellerShip) and maybe completed (TradeSuccess). Trade messages come one per
 * sub-order (`oid`) per status change, like TMC's. The gaps between steps are compressed to
 * seconds and minutes so that a demo shows orders moving.
 */
import { formatChinaTime } from '../main/core/clock';
import { ITEMS, NICK_HEADS, NICK_TAILS, SELLER_NICKS } from './names';
import { createRng, hashString, type Rng } from './rng';
import type { SimMessage } from './types';

export interface TrafficOptions {
  /** Keep only these topics (full `taobao_trade_TradeBuyerPay` or short `TradeBuyerPay`). */
  topics?: string[];
  /** Share of messages delivered a second time (same TMC id), default 0.02. */
  duplicateRate?: number;
  /** Orders start spread over this many ms, default 0 (all at once). */
  spanMs?: number;
  /**
   * 'start' (default): orders start at `now` and unfold after it (timed release, benchmarks);
   * 'end': the whole history is shifted to end at `now` (a backlog that already happened).
   */
  anchor?: 'start' | 'end';
}

/** A message and when it is delivered: its `pubTime`, or later for a redelivery. */
export interface TimedMessage {
  at: number;
  message: SimMessage;
}

/** The seller account behind a shop id, stable for the same id. */
export interface ShopIdentity {
  sellerNick: string;
  userId: string;
}

export function shopIdentity(shop: string): ShopIdentity {
  const h = hashString(shop);
  return {
    sellerNick: SELLER_NICKS[h % SELLER_NICKS.length] ?? SELLER_NICKS[0],
    userId: String(2_000_000_000 + (h % 1_000_000_000)),
  };
}

export const TOPIC = {
  create: 'taobao_trade_TradeCreate',
  pay: 'taobao_trade_TradeBuyerPay',
  ship: 'taobao_trade_TradeSellerShip',
  success: 'taobao_trade_TradeSuccess',
  close: 'taobao_trade_TradeClose',
  memo: 'taobao_trade_TradeMemoModified',
  refundCreated: 'taobao_refund_RefundCreated',
  refundSuccess: 'taobao_refund_RefundSuccess',
} as const;

const SECOND = 1000;
const MINUTE = 60 * SECOND;

interface SubOrder {
  oid: string;
  iid: string;
  title: string;
  num: number;
  priceFen: number;
}

interface Draft {
  at: number;
  topic: string;
  tid: string;
  /** Built last, from the final publication time: `anchor: 'end'` shifts the whole plan. */
  content: (at: number) => Record<string, unknown>;
}

/** Fen (分) to the gateway's yuan text, "48.00". */
export function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** A 19-digit trade number: always above 2^53, sharing the buyer's 6-digit tail like Taobao's. */
function tradeNumber(rng: Rng, lead: string, tail: string): string {
  let s = lead;
  while (s.length < 19 - tail.length) s += String(rng.int(0, 9));
  return s + tail;
}

function buyerNick(rng: Rng): string {
  switch (rng.int(0, 3)) {
    case 0:
      return rng.pick(NICK_HEADS) + rng.pick(NICK_TAILS);
    case 1:
      return String(rng.int(1990, 2024)) + rng.int(10, 99) + rng.pick(NICK_TAILS);
    case 2:
      return rng.pick(NICK_TAILS) + rng.int(1, 999);
    default:
      return `tb${rng.digits(8)}_${rng.int(10, 99)}`;
  }
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function openUid(rng: Rng): string {
  let s = 'AAE';
  for (let i = 0; i < 16; i++) s += BASE62[rng.int(0, BASE62.length - 1)];
  return s;
}

function planOrder(rng: Rng, seller: ShopIdentity, start: number): Draft[] {
  const tail = rng.digits(6);
  const lead = rng.chance(0.5) ? '15888' : '4';
  const tid = tradeNumber(rng, lead, tail);
  const count = rng.pick([1, 1, 1, 2, 2, 3]);
  const subs: SubOrder[] = [];
  for (let i = 0; i < count; i++) {
    const item = rng.pick(ITEMS);
    subs.push({
      // A single-item order's sub-order number is the order number itself, as on Taobao.
      oid: count === 1 ? tid : tradeNumber(rng, lead, tail),
      iid: String(600_000_000_000 + (hashString(item.title) % 100_000_000_000)),
      title: item.title,
      num: rng.pick([1, 1, 1, 2, 3]),
      priceFen: rng.int(item.minFen / 10, item.maxFen / 10) * 10,
    });
  }
  const postFen = rng.pick([0, 0, 0, 600, 1000]);
  const paymentFen = subs.reduce((sum, s) => sum + s.priceFen * s.num, postFen);
  const nick = buyerNick(rng);
  const uid = openUid(rng);
  const drafts: Draft[] = [];
  /** One message of this order: the fields all of them carry, then its own. */
  const draft = (at: number, topic: string, content: Draft['content']): void => {
    drafts.push({
      at,
      topic,
      tid,
      content: (pubAt) => ({ buyer_nick: nick, seller_nick: seller.sellerNick, tid, ...content(pubAt) }),
    });
  };
  // One per sub-order, like TMC's trade messages.
  const trade = (at: number, topic: string, status: string, finished = false) => {
    for (const s of subs)
      draft(at, topic, (pubAt) => ({
        buyer_open_uid: uid,
        post_fee: yuan(postFen),
        iid: s.iid,
        payment: yuan(paymentFen),
        oid: s.oid,
        type: 'guarantee_trade',
        status,
        title: s.title,
        num: s.num,
        price: yuan(s.priceFen),
        ...(finished ? { end_time: pubAt } : {}),
      }));
  };
  const refund = (at: number, topic: string, refundId: string, sub: SubOrder): void =>
    draft(at, topic, (pubAt) => ({
      refund_fee: yuan(sub.priceFen * sub.num),
      oid: sub.oid,
      refund_id: refundId,
      refund_phase: 'onsale',
      bill_type: 'refund_bill',
      modified: formatChinaTime(pubAt),
    }));

  trade(start, TOPIC.create, rng.chance(0.3) ? 'TRADE_NO_CREATE_PAY' : 'WAIT_BUYER_PAY');
  const outcome = rng.next();
  if (outcome < 0.12) {
    trade(start + rng.int(1 * MINUTE, 15 * MINUTE), TOPIC.close, 'TRADE_CLOSED');
    return drafts;
  }
  const paidAt = start + rng.int(5 * SECOND, 90 * SECOND);
  trade(paidAt, TOPIC.pay, 'WAIT_SELLER_SEND_GOODS');
  if (outcome < 0.22) {
    const sub = rng.pick(subs);
    const refundId = tradeNumber(rng, '2', tail);
    const askedAt = paidAt + rng.int(1 * MINUTE, 20 * MINUTE);
    refund(askedAt, TOPIC.refundCreated, refundId, sub);
    if (rng.chance(0.5)) {
      const refundedAt = askedAt + rng.int(2 * MINUTE, 30 * MINUTE);
      refund(refundedAt, TOPIC.refundSuccess, refundId, sub);
      if (subs.length === 1) trade(refundedAt + rng.int(1 * SECOND, 30 * SECOND), TOPIC.close, 'TRADE_CLOSED');
    }
    return drafts;
  }
  if (!rng.chance(0.7)) return drafts;
  const shippedAt = paidAt + rng.int(2 * MINUTE, 30 * MINUTE);
  trade(shippedAt, TOPIC.ship, 'WAIT_BUYER_CONFIRM_GOODS');
  if (!rng.chance(0.6)) return drafts;
  const doneAt = shippedAt + rng.int(10 * MINUTE, 60 * MINUTE);
  trade(doneAt, TOPIC.success, 'TRADE_FINISHED', true);
  return drafts;
}

function topicMatcher(topics: string[] | undefined): (topic: string) => boolean {
  if (!topics) return () => true;
  return (topic) => topics.some((t) => t === topic || topic.endsWith(`_${t}`));
}

/** `count` order lifecycles for `shop`, sorted by publication time. */
export function planTraffic(
  source: Rng | number,
  shop: string,
  count: number,
  now: number,
  opts: TrafficOptions = {},
): TimedMessage[] {
  const rng = typeof source === 'number' ? createRng(source) : source;
  const seller = shopIdentity(shop);
  const spanMs = opts.spanMs ?? 0;
  const duplicateRate = opts.duplicateRate ?? 0.02;
  const wanted = topicMatcher(opts.topics);
  const drafts: Draft[] = [];
  for (let i = 0; i < count; i++) drafts.push(...planOrder(rng, seller, now + Math.floor(rng.next() * spanMs)));
  const deliveries: { at: number; draft: Draft; id: string }[] = [];
  for (const draft of drafts) {
    const id = rng.digits(19);
    deliveries.push({ at: draft.at, draft, id });
    // At-least-once delivery: the same TMC message again, a little later.
    if (rng.chance(duplicateRate)) deliveries.push({ at: draft.at + rng.int(1 * SECOND, 60 * SECOND), draft, id });
  }
  const latest = deliveries.reduce((max, d) => Math.max(max, d.at), now);
  const shift = opts.anchor === 'end' ? now - latest : 0;
  return deliveries
    .filter((d) => wanted(d.draft.topic))
    .map(({ at, draft, id }) => {
      // pub_time has whole seconds; time fields of the content agree with it.
      const pubAt = Math.floor((draft.at + shift) / 1000) * 1000;
      return {
        at: at + shift,
        message: {
          id,
          topic: draft.topic,
          tid: draft.tid,
          pubTime: formatChinaTime(pubAt),
          content: draft.content(pubAt),
        },
      };
    })
    .sort((a, b) => a.at - b.at);
}

/** Same as planTraffic, messages only. */
export function generateTraffic(
  source: Rng | number,
  shop: string,
  count: number,
  now: number,
  opts: TrafficOptions = {},
): SimMessage[] {
  return planTraffic(source, shop, count, now, opts).map((t) => t.message);
}

/** The echo of a seller's own memo edit, as TMC sends it after a bcro. */
export function memoModifiedMessage(
  rng: Rng,
  shop: string,
  tid: string,
  memo: string,
  flag: number,
  at: number,
): SimMessage {
  const modified = formatChinaTime(at);
  return {
    id: rng.digits(19),
    topic: TOPIC.memo,
    tid,
    pubTime: modified,
    content: {
      tid,
      seller_nick: shopIdentity(shop).sellerNick,
      action_type: 'seller',
      seller_flag: flag,
      seller_memo: memo,
      modified,
    },
  };
}
