import type { Flag } from '../../../shared/flag';
import type { Order, OrderEvent, ShopId, Tid, TmcMessage, UndecodedMessage } from '../../../shared/domain';
import type { OrderPage, OrderQuery } from '../../../shared/api';

export interface AppendResult {
  /** Messages stored for the first time, in arrival order: only these may be notified. */
  added: TmcMessage[];
  /** Messages already stored (same TMC id), dropped. */
  duplicates: number;
}

export interface RetentionPolicy {
  maxAgeMs: number;
  maxMessages: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { maxAgeMs: 30 * 86_400_000, maxMessages: 100_000 };

/** The durable store: appended and flushed before anything is notified (rule 2). */
export interface InboxStore {
  /** Stores a batch; resolves once it is on disk (flushed). */
  append(messages: TmcMessage[], undecoded?: UndecodedMessage[]): Promise<AppendResult>;
  has(messageId: string): boolean;
  query(query: OrderQuery): OrderPage;
  /** The rows of these tids as the query's filters see them now, with the query's counts. */
  changed(query: OrderQuery, tids: readonly Tid[]): OrderPage;
  getOrder(shop: ShopId, tid: Tid): Order | undefined;
  /** Marks orders seen; persisted. */
  markSeen(tids: Tid[]): Promise<void>;
  /** Records the memo/flag the user just saved, so the orders view and the next edit know it. */
  recordRemark(shop: ShopId, tid: Tid, memo: string, flag: Flag, at: number): Promise<void>;
  /** Keeps the policy's window of messages; runs in the background. */
  compact(): Promise<void>;
  messageCount(): number;
  undecodedCount(): number;
  close(): Promise<void>;
}

export type { OrderEvent };
