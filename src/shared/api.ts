/**
 * What the renderer may ask of the main process: `window.tradebell`.
 * The IPC contract (src/shared/ipc.ts) maps each method to a channel with validators; the loopback
 * test bridge implements the same interface against the same core.
 */
import type { AppError, ErrorKind } from './errors';
import type { Flag } from './flag';
import type { OrderEvent, OrderSummary, ShopId, Tid } from './domain';
import type { PublicSettings, Settings } from './settings';
import type { Result } from './result';

export type ShopRunState = 'listening' | 'paused' | 'stopped' | 'error' | 'disabled';

export interface ShopStatus {
  shop: ShopId;
  state: ShopRunState;
  /** Why it stopped or failed, in words the user can act on. */
  error?: AppError;
  lastCallAt?: number;
  lastMessageAt?: number;
}

export interface CostSummary {
  /** Calls and 点券 (1 点券 = ¥0.01) today (China date) and in total, per endpoint. */
  today: { calls: number; points: number };
  total: { calls: number; points: number };
  /** What the current polling policy would cost a day at the current traffic, 点券. */
  projectedDailyPoints: number;
}

export interface AppState {
  demo: boolean;
  paused: boolean;
  mutedUntil?: number;
  unread: number;
  shops: ShopStatus[];
  cost: CostSummary;
  /** An error that concerns everything (e.g. the token is invalid). */
  globalError?: AppError;
  /** At this hour an idle shop is polled about this often, and why: the mode's own pause, quiet
   * hours, or the shop's learned dead hours (the most frequent over the enabled shops). */
  polling?: { everyMs: number; reason: 'mode' | 'quiet' | 'learned' };
  /** Team mode, when it is on. */
  team?: TeamStatus;
}

export type TeamServerState = 'connecting' | 'connected' | 'unreachable';

export interface TeamShopStatus {
  shop: ShopId;
  /** The seat that consumes the shop, as last seen; absent when none does. */
  consumer?: string;
  /** This seat consumes it (also while the team server is unreachable). */
  self: boolean;
  /** Stream entries this seat has not stored yet. */
  lag?: number;
  /** Entries trimmed from the stream before this seat read them, since it started. */
  missed: number;
  /** Entries this seat consumed while the server was unreachable and has not published yet. */
  backlog: number;
  /** The server lost the shop's stream since this seat started (restarted without persistence). */
  reset: boolean;
}

export interface TeamStatus {
  /** This seat's name. */
  seat: string;
  server: TeamServerState;
  /** Why the server is unreachable, when known. */
  error?: string;
  shops: TeamShopStatus[];
}

export interface OrderQuery {
  shop?: ShopId;
  /** Status keys as in TRADE_STATUSES (domain.ts). */
  status?: string;
  flag?: Flag;
  unflaggedOnly?: boolean;
  /** Matches tid, buyer nick or item title. */
  search?: string;
  /** Only these tids (a summary notification's orders). */
  tids?: Tid[];
  limit?: number;
  offset?: number;
  /** Start after this order's place in the list (the last row the window holds): a page that
   * orders arriving at the top do not shift. */
  after?: OrderCursor;
}

/** A place in the list's order (compareNewestFirst): the sort key of one row. */
export interface OrderCursor {
  shop: ShopId;
  tid: Tid;
  updatedAt: number;
}

export interface OrderPage {
  /** The rows, without history: the memo/flag panel asks for that (orderHistory). */
  orders: OrderSummary[];
  total: number;
  unread: number;
}

export interface RemarkRequest {
  shop: ShopId;
  tid: Tid;
  /** Replaces the order's memo on Taobao. Left out: keep it. bcro has no "keep" (it replaces both
   * memo and flag), so the core sends the one it knows, and refuses (`validation`, code
   * `keep_unknown`) when it knows none. */
  memo?: string;
  /** The same for the flag. */
  flag?: Flag;
  /** The user confirmed clearing a memo TradeBell does not know (Order.memo undefined). Without
   * it, an empty memo for such an order is refused (`validation`, code `memo_unknown`). With the
   * memo left out, it means: keep the memo if known when the call is made, else clear it. */
  clearUnknownMemo?: boolean;
  /** The user chose gray for an order whose flag TradeBell does not know (Order.flag undefined).
   * Without it, flag 0 for such an order is refused (`validation`, code `flag_unknown`). */
  clearUnknownFlag?: boolean;
}

export interface RemarkResult {
  tid: Tid;
  modified?: string;
}

export type SettingsPatch = Partial<Settings>;

/** `teamPassword`: the team server's (Redis) password, split off the URL the user pasted. */
export type SecretName = 'token' | 'topSecret' | 'topSession' | 'teamPassword';

/** TOP message topics (trade, item, refund) and their statuses. */
export interface SubscriptionState {
  /** e.g. { trade: ['TradeBuyerPay', ...], refund: [...], item: [...] } */
  subscribed: Record<string, string[]>;
  status?: string;
  updatedAt?: number;
}

export interface SubscriptionChange {
  open: Record<string, string[]>;
  stop: Record<string, string[]>;
}

/** Where the window should go (notification click, tray menu). */
export type Navigation =
  | { view: 'order'; shop: ShopId; tid: Tid; focusPanel: boolean }
  | { view: 'inbox'; tids?: Tid[] }
  | { view: 'settings' }
  | { view: 'subscriptions' };

export type Unsubscribe = () => void;

export interface TradebellApi {
  getState(): Promise<AppState>;
  listOrders(query: OrderQuery): Promise<Result<OrderPage>>;
  /** After `onOrdersChanged`: the rows of these tids as the query's filters see them now (a tid
   * left out no longer matches, or is gone), with the query's total and unread. */
  changedOrders(query: OrderQuery, tids: Tid[]): Promise<Result<OrderPage>>;
  /** One order's messages, oldest first (empty for an order not stored). */
  orderHistory(shop: ShopId, tid: Tid): Promise<Result<OrderEvent[]>>;
  markSeen(tids: Tid[]): Promise<Result<void>>;
  remark(req: RemarkRequest): Promise<Result<RemarkResult>>;
  getSettings(): Promise<PublicSettings>;
  updateSettings(patch: SettingsPatch): Promise<Result<PublicSettings>>;
  /** Sets or clears (null) a secret; the renderer never reads one back. */
  setSecret(name: SecretName, value: string | null): Promise<Result<PublicSettings>>;
  pause(shop?: ShopId): Promise<Result<AppState>>;
  resume(shop?: ShopId): Promise<Result<AppState>>;
  mute(minutes: number): Promise<Result<AppState>>;
  getSubscriptions(): Promise<Result<SubscriptionState>>;
  changeSubscriptions(change: SubscriptionChange): Promise<Result<SubscriptionState>>;
  /** Opens an allowed https link (Taobao order page, vv-tool authorisation) in the browser. */
  openExternal(url: string): Promise<Result<void>>;
  copyText(text: string): Promise<Result<void>>;
  onState(listener: (state: AppState) => void): Unsubscribe;
  /** Orders changed (new messages, a seen mark, a memo saved, a compaction): the window asks for
   * these rows again (changedOrders) and patches its list. */
  onOrdersChanged(listener: (tids: Tid[]) => void): Unsubscribe;
  onNavigate(listener: (nav: Navigation) => void): Unsubscribe;
}

export type { AppError, ErrorKind };
