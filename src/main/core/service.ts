/**
 * The one service object every face drives (Electron IPC, CLI, the loopback test bridge).
 * core.ts implements it.
 */
import type {
  AppState,
  OrderPage,
  OrderQuery,
  RemarkRequest,
  RemarkResult,
  SecretName,
  SettingsPatch,
  SubscriptionChange,
  SubscriptionState,
  Unsubscribe,
} from '../../shared/api';
import type { NotificationSpec, OrderEvent, ShopId, Tid, TmcMessage, UndecodedMessage } from '../../shared/domain';
import type { AppError } from '../../shared/errors';
import type { PublicSettings } from '../../shared/settings';
import type { Result } from '../../shared/result';

export interface CoreEvents {
  state: AppState;
  /** Tids whose order changed: new messages, a seen mark, a memo saved, a compaction. */
  orders: Tid[];
  /** A notification the policy decided to show. */
  notify: NotificationSpec;
  /** Each newly stored message (the CLI prints these). */
  message: TmcMessage;
  undecoded: UndecodedMessage;
  error: { shop?: string; error: AppError };
}

export interface TradebellCore {
  start(): Promise<void>;
  stop(): Promise<void>;
  getState(): AppState;
  listOrders(query: OrderQuery): OrderPage;
  changedOrders(query: OrderQuery, tids: Tid[]): OrderPage;
  orderHistory(shop: ShopId, tid: Tid): OrderEvent[];
  markSeen(tids: Tid[]): Promise<void>;
  remark(req: RemarkRequest): Promise<Result<RemarkResult>>;
  getSettings(): PublicSettings;
  updateSettings(patch: SettingsPatch): Promise<Result<PublicSettings>>;
  setSecret(name: SecretName, value: string | null): Promise<Result<PublicSettings>>;
  pause(shop?: string): AppState;
  resume(shop?: string): AppState;
  mute(minutes: number): AppState;
  /** The system is going to sleep / the screen locked: stop calling. */
  suspend(): void;
  /** Woke up / unlocked: resume and catch up at once. */
  wake(): void;
  getSubscriptions(): Promise<Result<SubscriptionState>>;
  changeSubscriptions(change: SubscriptionChange): Promise<Result<SubscriptionState>>;
  on<K extends keyof CoreEvents>(event: K, listener: (payload: CoreEvents[K]) => void): Unsubscribe;
}
