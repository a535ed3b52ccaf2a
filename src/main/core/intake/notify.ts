/**
 * Which newly stored messages become a notification, and in what words.
 *
 * A seller wants to hear about money coming in (a paid order) and money going out (a refund
 * request), once per order and status, and not fifty times in a row after a sale: notifications
 * are held for a short window, and a topic with more than a few pending becomes one summary.
 * Everything else stays in the inbox, which has it whether or not it was notified.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock';
import { CHINA_OFFSET_MS } from '../clock';
import type { NotificationSpec, Order, ShopId, Tid, TmcMessage } from '../../../shared/domain';
import type { Flag } from '../../../shared/flag';
import { DEFAULT_NOTIFY, type Language, type NotifySettings, type TopicRule } from '../../../shared/settings';
import { shortTopic, topicGroup } from '../../../shared/topics';
import { idString } from '../json';
import { textField } from './decoder';
import { formatFen, yuanToFen } from './money';

export type OrderLookup = (shop: ShopId, tid: Tid) => Order | undefined;

export interface NotifyDeps {
  clock: Clock;
  settings: () => NotifySettings;
  emit: (n: NotificationSpec) => void;
  /** Default Chinese. */
  language?: () => Language;
  /** A shop's display name, for the body. */
  shopName?: (shop: ShopId) => string | undefined;
  /** Further own-echo test beyond expectEcho (e.g. a memo written by another of the user's tools). */
  isOwnEcho?: (m: TmcMessage) => boolean;
  /** How long notifications are held to see whether a burst follows; default 2 s. */
  windowMs?: number;
  /** More than this many pending for one topic become one summary; default 3. */
  summaryAbove?: number;
}

/** The echo of a memo save arrives within seconds; ten minutes covers a slow queue. */
const ECHO_WINDOW_MS = 10 * 60_000;
/** (order, topic, status) keys already notified. The inbox drops duplicate messages across
 * restarts; this catches the same news in different messages (one per sub-order). */
const RECENT_MAX = 20_000;
/** Longer keys are kept as a digest: RECENT_MAX of them stay a few MB at most. */
const KEY_MAX = 160;
const ECHOES_MAX = 1_000;
/** Tids written out in a summary's body; all of them go in `tids`. */
const SUMMARY_TIDS_SHOWN = 5;
/** Item titles written out in an order's body. */
const ITEMS_SHOWN = 2;

const TOPIC_LABEL: Record<string, { zh: string; en: string }> = {
  TradeCreate: { zh: '新订单', en: 'New order' },
  TradeBuyerPay: { zh: '新付款订单', en: 'New paid order' },
  TradeSellerShip: { zh: '订单已发货', en: 'Order shipped' },
  TradePartlySellerShip: { zh: '订单部分发货', en: 'Order partly shipped' },
  TradeSuccess: { zh: '交易成功', en: 'Order completed' },
  TradeClose: { zh: '交易关闭', en: 'Order closed' },
  TradeModifyFee: { zh: '订单改价', en: 'Price changed' },
  TradeChanged: { zh: '订单变更', en: 'Order changed' },
  TradeMemoModified: { zh: '备注已修改', en: 'Memo changed' },
  TradeLogisticsAddressChanged: { zh: '收货地址已修改', en: 'Address changed' },
  TradeRated: { zh: '订单已评价', en: 'Order rated' },
  TradePartlyRefund: { zh: '部分退款', en: 'Partial refund' },
  RefundCreated: { zh: '新退款申请', en: 'New refund request' },
  RefundSellerAgreeAgreement: { zh: '已同意退款', en: 'Refund agreed' },
  RefundSellerRefuseAgreement: { zh: '已拒绝退款', en: 'Refund refused' },
  RefundBuyerReturnGoods: { zh: '买家已退货', en: 'Buyer returned goods' },
  RefundSuccess: { zh: '退款成功', en: 'Refund completed' },
  RefundClosed: { zh: '退款关闭', en: 'Refund closed' },
  ItemAdd: { zh: '新商品', en: 'Item added' },
  ItemUpdate: { zh: '商品已更新', en: 'Item updated' },
  ItemUpshelf: { zh: '商品已上架', en: 'Item listed' },
  ItemDownshelf: { zh: '商品已下架', en: 'Item delisted' },
  ItemDelete: { zh: '商品已删除', en: 'Item deleted' },
  ItemStockChanged: { zh: '库存变化', en: 'Stock changed' },
  ItemZeroStock: { zh: '商品售罄', en: 'Item sold out' },
};

interface Pending {
  msg: TmcMessage;
  short: string;
  key: string;
  orderOf: OrderLookup;
}

interface Echo {
  memo: string;
  flag: Flag;
  until: number;
}

export class NotifyPolicy {
  private readonly deps: NotifyDeps;
  private readonly windowMs: number;
  private readonly summaryAbove: number;
  private pending: Pending[] = [];
  private timer?: AbortController;
  private readonly recent = new Set<string>();
  private readonly echoes = new Map<string, Echo>();
  private muteUntil?: number;

  constructor(deps: NotifyDeps) {
    this.deps = deps;
    this.windowMs = deps.windowMs ?? 2_000;
    this.summaryAbove = deps.summaryAbove ?? 3;
  }

  /** Newly stored messages only (AppendResult.added): a message offered twice is news twice. */
  offer(messages: readonly TmcMessage[], orderOf: OrderLookup): void {
    const settings = this.deps.settings();
    const now = this.deps.clock.now();
    this.pruneEchoes(now);
    const offered = new Set(messages.map((m) => m.id));
    for (const msg of messages) {
      const short = shortTopic(msg.topic);
      const rule: TopicRule | undefined = settings.rules[short] ?? DEFAULT_NOTIFY.rules[short];
      if (!rule?.enabled) continue;
      if (settings.mutedShops.includes(msg.shop)) continue;
      if (!meetsMinimum(rule, msg, orderOf)) continue;
      if (this.isEcho(msg, short, now)) continue;
      const key = newsKey(msg, short);
      if (this.recent.has(key) || storedBefore(msg, key, offered, orderOf)) continue;
      this.remember(key);
      if (
        this.silenced(now) ||
        (inQuietHours(settings.quietHours, now) && !(settings.quietHours.allowRefunds && isRefund(msg.topic)))
      )
        continue;
      this.pending.push({ msg, short, key, orderOf });
    }
    if (this.pending.length > 0 && !this.timer) this.arm();
  }

  /** The user just saved this memo and flag: its TradeMemoModified echo is no news. */
  expectEcho(shop: ShopId, tid: Tid, memo: string, flag: Flag): void {
    const now = this.deps.clock.now();
    this.pruneEchoes(now);
    this.echoes.delete(`${shop}|${tid}`);
    this.echoes.set(`${shop}|${tid}`, { memo, flag, until: now + ECHO_WINDOW_MS });
    if (this.echoes.size > ECHOES_MAX) this.echoes.delete(this.echoes.keys().next().value!);
  }

  /** Silences every notification, refunds included, for `minutes`. */
  muteFor(minutes: number): void {
    this.muteUntil = this.deps.clock.now() + Math.max(0, minutes) * 60_000;
  }

  unmute(): void {
    this.muteUntil = undefined;
  }

  get mutedUntil(): number | undefined {
    return this.muteUntil !== undefined && this.muteUntil > this.deps.clock.now() ? this.muteUntil : undefined;
  }

  /** Emits what is held now instead of at the end of the window. */
  flush(): void {
    this.timer?.abort();
    this.timer = undefined;
    const items = this.pending;
    this.pending = [];
    if (items.length === 0 || this.silenced(this.deps.clock.now())) return;
    const byTopic = new Map<string, Pending[]>();
    for (const p of items) {
      const group = byTopic.get(p.short);
      if (group) group.push(p);
      else byTopic.set(p.short, [p]);
    }
    const settings = this.deps.settings();
    const lang = this.deps.language?.() ?? 'zh-CN';
    for (const group of byTopic.values()) {
      if (group.length > this.summaryAbove) this.deps.emit(this.summary(group, lang, settings.sound));
      else for (const p of group) this.deps.emit(this.single(p, lang, settings.sound));
    }
  }

  /** Drops what is held and the pending timer (shutting down). */
  dispose(): void {
    this.timer?.abort();
    this.timer = undefined;
    this.pending = [];
  }

  private arm(): void {
    const timer = new AbortController();
    this.timer = timer;
    this.deps.clock.sleep(this.windowMs, timer.signal).then(
      () => {
        if (this.timer === timer) this.flush();
      },
      () => undefined,
    );
  }

  private silenced(now: number): boolean {
    return this.muteUntil !== undefined && this.muteUntil > now;
  }

  private isEcho(msg: TmcMessage, short: string, now: number): boolean {
    if (short !== 'TradeMemoModified') return false;
    if (this.deps.isOwnEcho?.(msg)) return true;
    if (msg.tid === undefined || textField(msg.content.action_type)?.toLowerCase() !== 'seller') return false;
    const echo = this.echoes.get(`${msg.shop}|${msg.tid}`);
    if (!echo || echo.until < now) return false;
    // When the message says what the memo now is, it must be ours: someone else's edit within the
    // window is news.
    // A field of another type than text or number says nothing either way.
    const memo = textField(msg.content.seller_memo);
    const flag = textField(msg.content.seller_flag);
    if (memo !== undefined && memo !== echo.memo) return false;
    if (flag !== undefined && flag !== String(echo.flag)) return false;
    return true;
  }

  private pruneEchoes(now: number): void {
    for (const [k, e] of this.echoes) if (e.until < now) this.echoes.delete(k);
  }

  private remember(key: string): void {
    this.recent.add(key);
    if (this.recent.size > RECENT_MAX) this.recent.delete(this.recent.values().next().value!);
  }

  private single(p: Pending, lang: Language, sound: boolean): NotificationSpec {
    const { msg, short } = p;
    const en = lang === 'en';
    const order = msg.tid !== undefined ? p.orderOf(msg.shop, msg.tid) : undefined;
    const fen = amountFen(msg, order);
    const title = fen === undefined ? label(short, lang) : `${label(short, lang)} ¥${formatFen(fen)}`;
    const lines: string[] = [];
    const buyer = msg.buyerNick ?? order?.buyerNick;
    if (buyer) lines.push(en ? `Buyer: ${buyer}` : `买家：${buyer}`);
    const titles = (order?.items ?? []).map((i) => i.title).filter((t): t is string => !!t);
    if (titles.length > 0) lines.push(itemsLine(titles, en));
    if (short === 'TradeMemoModified' && typeof msg.content.seller_memo === 'string') {
      lines.push(en ? `Memo: ${msg.content.seller_memo}` : `备注：${msg.content.seller_memo}`);
    }
    const shop = this.deps.shopName?.(msg.shop);
    if (shop) lines.push(en ? `Shop: ${shop}` : `店铺：${shop}`);
    if (msg.tid !== undefined) lines.push(en ? `Order ${msg.tid}` : `订单号：${msg.tid}`);
    return {
      key: p.key,
      kind: 'order',
      shop: msg.shop,
      title,
      body: lines.join('\n'),
      tids: msg.tid !== undefined ? [msg.tid] : [],
      topic: msg.topic,
      sound,
    };
  }

  private summary(group: Pending[], lang: Language, sound: boolean): NotificationSpec {
    const en = lang === 'en';
    const first = group[0]!;
    const tids = [...new Set(group.flatMap((p) => (p.msg.tid !== undefined ? [p.msg.tid] : [])))];
    let total = 0;
    let anyAmount = false;
    for (const p of group) {
      const order = p.msg.tid !== undefined ? p.orderOf(p.msg.shop, p.msg.tid) : undefined;
      const fen = amountFen(p.msg, order);
      if (fen !== undefined) {
        total += fen;
        anyAmount = true;
      }
    }
    const n = group.length;
    const name = label(first.short, lang);
    const money = anyAmount ? `¥${formatFen(total)}` : '';
    const title = en
      ? `${name} ×${n}${money ? `, ${money} in total` : ''}`
      : `${n} ${tids.length > 0 ? '笔' : '条'}${name}${money ? `，共 ${money}` : ''}`;
    const lines: string[] = [];
    if (tids.length > 0) {
      const shown = tids.slice(0, SUMMARY_TIDS_SHOWN);
      const more = tids.length > shown.length;
      lines.push(
        en
          ? `Orders ${shown.join(', ')}${more ? ` and ${tids.length - shown.length} more` : ''}`
          : `订单号：${shown.join('、')}${more ? ` 等 ${tids.length} 笔` : ''}`,
      );
    }
    const shops = [...new Set(group.map((p) => p.msg.shop))];
    const names = shops.map((s) => this.deps.shopName?.(s)).filter((s): s is string => !!s);
    if (names.length > 0) lines.push(en ? `Shops: ${names.join(', ')}` : `店铺：${names.join('、')}`);
    return {
      key: `summary|${first.short}|${this.deps.clock.now()}`,
      kind: 'summary',
      shop: shops.length === 1 ? shops[0] : undefined,
      title,
      body: lines.join('\n'),
      tids,
      topic: first.msg.topic,
      sound,
    };
  }
}

function label(short: string, lang: Language): string {
  const l = TOPIC_LABEL[short];
  if (!l) return short;
  return lang === 'en' ? l.en : l.zh;
}

function itemsLine(titles: string[], en: boolean): string {
  const shown = titles.slice(0, ITEMS_SHOWN);
  const rest = titles.length - shown.length;
  if (en) return `${shown.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
  return `${shown.join('、')}${rest > 0 ? ` 等 ${titles.length} 件商品` : ''}`;
}

function isRefund(topic: string): boolean {
  return topicGroup(topic) === 'refund';
}

/** A refund's amount is its refund fee; anything else is the order's payment. */
function amountFen(msg: TmcMessage, order: Order | undefined): number | undefined {
  const refundFee = msg.content.refund_fee;
  const yuan = isRefund(msg.topic)
    ? typeof refundFee === 'string' || typeof refundFee === 'number'
      ? String(refundFee)
      : order?.refund?.fee
    : (msg.payment ?? order?.payment);
  return yuan === undefined ? undefined : yuanToFen(yuan);
}

/** An amount that cannot be told (a message without one, an order not folded yet) passes: a
 * threshold must not hide an order just because its message was terse. */
function meetsMinimum(rule: TopicRule, msg: TmcMessage, orderOf: OrderLookup): boolean {
  if (!rule.minAmount) return true;
  const min = yuanToFen(rule.minAmount);
  if (min === undefined) return true;
  const order = msg.tid !== undefined ? orderOf(msg.shop, msg.tid) : undefined;
  const fen = amountFen(msg, order);
  return fen === undefined || fen >= min;
}

/** One notification per order, topic and status (and refund, for refunds). */
function newsKey(msg: TmcMessage, short: string): string {
  return newsKeyOf(msg.shop, msg.tid ?? `msg:${msg.id}`, short, msg.status, idString(msg.content.refund_id));
}

function newsKeyOf(
  shop: ShopId,
  subject: string,
  short: string,
  status: string | undefined,
  refundId: string | undefined,
): string {
  const key = `${shop}|${subject}|${short}|${status ?? ''}|${refundId ?? ''}`;
  // The status is wire text of any length: RECENT_MAX keys the size of an answer would hold
  // gigabytes, so a long key is kept as its digest.
  return key.length <= KEY_MAX ? key : `#${createHash('sha256').update(key).digest('base64')}`;
}

/**
 * The same news already reached the store in an earlier batch (another sub-order's message, or a
 * run before a restart): it was offered then, so it is no news now. The recent set only covers
 * this run; the order's stored events cover restarts.
 */
function storedBefore(msg: TmcMessage, key: string, offered: ReadonlySet<string>, orderOf: OrderLookup): boolean {
  if (msg.tid === undefined) return false;
  const order = orderOf(msg.shop, msg.tid);
  return !!order?.events.some(
    (e) => !offered.has(e.msgId) && newsKeyOf(msg.shop, msg.tid!, shortTopic(e.topic), e.status, e.refundId) === key,
  );
}

function minutesOf(hhmm: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : undefined;
}

/** Start and end are China time; a start after the end crosses midnight (23:00–08:00). */
export function inQuietHours(q: NotifySettings['quietHours'], now: number): boolean {
  if (!q.enabled) return false;
  const start = minutesOf(q.start);
  const end = minutesOf(q.end);
  if (start === undefined || end === undefined || start === end) return false;
  const dayMs = 86_400_000;
  const minute = Math.floor(((((now + CHINA_OFFSET_MS) % dayMs) + dayMs) % dayMs) / 60_000);
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}
