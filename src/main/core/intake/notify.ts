/**
 * Which newly stored messages become a notification, and what it tells (the faces word it).
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
import { DEFAULT_NOTIFY, type NotifySettings, type TopicRule } from '../../../shared/settings';
import { shortTopic, topicGroup } from '../../../shared/topics';
import { idString } from '../json';
import { textField } from './decoder';
import { yuanToFen } from '../../../shared/money';

export type OrderLookup = (shop: ShopId, tid: Tid) => Order | undefined;

export interface NotifyDeps {
  clock: Clock;
  settings: () => NotifySettings;
  emit: (n: NotificationSpec) => void;
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
    for (const group of byTopic.values()) {
      if (group.length > this.summaryAbove) this.deps.emit(this.summary(group, settings.sound));
      else for (const p of group) this.deps.emit(this.single(p, settings.sound));
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

  private single(p: Pending, sound: boolean): NotificationSpec {
    const { msg, short } = p;
    const order = msg.tid !== undefined ? p.orderOf(msg.shop, msg.tid) : undefined;
    const fen = amountFen(msg, order);
    const buyer = msg.buyerNick ?? order?.buyerNick;
    const memo = msg.content.seller_memo;
    const shopName = this.deps.shopName?.(msg.shop);
    return {
      key: p.key,
      kind: 'order',
      shop: msg.shop,
      tids: msg.tid !== undefined ? [msg.tid] : [],
      topic: msg.topic,
      sound,
      items: (order?.items ?? []).map((i) => i.title).filter((t): t is string => !!t),
      ...(fen !== undefined && { amountFen: fen }),
      ...(buyer && { buyer }),
      ...(short === 'TradeMemoModified' && typeof memo === 'string' && { memo }),
      ...(shopName && { shopName }),
    };
  }

  private summary(group: Pending[], sound: boolean): NotificationSpec {
    const first = group[0]!;
    const tids = [...new Set(group.flatMap((p) => (p.msg.tid !== undefined ? [p.msg.tid] : [])))];
    let total: number | undefined;
    for (const p of group) {
      const order = p.msg.tid !== undefined ? p.orderOf(p.msg.shop, p.msg.tid) : undefined;
      const fen = amountFen(p.msg, order);
      if (fen !== undefined) total = (total ?? 0) + fen;
    }
    const shops = [...new Set(group.map((p) => p.msg.shop))];
    return {
      key: `summary|${first.short}|${this.deps.clock.now()}`,
      kind: 'summary',
      shop: shops.length === 1 ? shops[0] : undefined,
      tids,
      topic: first.msg.topic,
      sound,
      count: group.length,
      ...(total !== undefined && { totalFen: total }),
      shopNames: shops.map((s) => this.deps.shopName?.(s)).filter((s): s is string => !!s),
    };
  }
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
