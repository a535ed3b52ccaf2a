/**
 * The durable inbox: a journal on disk and, rebuilt from it at open, the message ids (dedupe,
 * also across restarts) and the orders view. Every change (a batch, a seen mark, a memo saved) is
 * a journal line flushed before its promise resolves; all of them run one at a time, so the
 * memory state is always what the file says.
 */
import path from 'node:path';
import type { OrderPage, OrderQuery } from '../../../shared/api';
import type { Order, ShopId, Tid, TmcMessage, UndecodedMessage } from '../../../shared/domain';
import type { Flag } from '../../../shared/flag';
import { validateRemark } from '../../../shared/memo';
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../ports';
import { Journal, type JournalRecovery } from './journal';
import { OrdersView } from './orders';
import { isInboxRecord, type InboxRecord } from './records';
import { retain } from './retention';
import { DEFAULT_RETENTION, type AppendResult, type InboxStore, type RetentionPolicy } from './types';

export const JOURNAL_FILE = 'inbox.jsonl';

/** Seen and remark lines grow with the user's clicks, not with messages; past this many a
 * compaction is worth it even when the policy keeps everything. */
const STALE_LINES_LIMIT = 10_000;

export interface InboxOptions {
  retention?: RetentionPolicy;
  clock?: Clock;
  logger?: Logger;
}

/** Everything the journal's records fold into. */
class InboxState {
  readonly ids = new Set<string>();
  readonly view = new OrdersView();
  undecoded = 0;
  /** receivedAt of the oldest message or undecoded entry. */
  oldestAt = Infinity;
  /** Lines a compaction would shrink: seen marks, remarks, corrupt lines. */
  staleLines = 0;

  apply(r: InboxRecord): void {
    switch (r.k) {
      case 'message':
        if (this.ids.has(r.m.id)) return;
        this.ids.add(r.m.id);
        this.view.applyMessage(r.m);
        this.oldestAt = Math.min(this.oldestAt, r.m.receivedAt);
        return;
      case 'undecoded':
        this.undecoded++;
        this.oldestAt = Math.min(this.oldestAt, r.u.receivedAt);
        return;
      case 'seen':
        this.view.applySeen(r.tids);
        this.staleLines++;
        return;
      case 'remark':
        this.view.applyRemark(r.shop, r.tid, r.memo, r.flag, r.at);
        this.staleLines++;
        return;
    }
  }
}

export class Inbox implements InboxStore {
  private state = new InboxState();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly journal: Journal<InboxRecord>,
    /** What open() found and repaired in the journal. */
    readonly recovery: JournalRecovery,
    private readonly retention: RetentionPolicy,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  static async open(dir: string, opts: InboxOptions = {}): Promise<Inbox> {
    const { journal, records, recovery } = await Journal.open(path.join(dir, JOURNAL_FILE), isInboxRecord);
    const logger = opts.logger ?? silentLogger;
    const inbox = new Inbox(journal, recovery, opts.retention ?? DEFAULT_RETENTION, opts.clock ?? systemClock, logger);
    for (const r of records) inbox.state.apply(r);
    inbox.state.staleLines += recovery.corruptLines;
    if (recovery.truncatedBytes > 0 || recovery.corruptLines > 0) logger.warn('inbox journal repaired', { ...recovery });
    // Trimming to the policy is housekeeping: the inbox is usable at once, appends queue behind it.
    if (inbox.overPolicy()) {
      inbox.compact().catch((e: unknown) => logger.warn('inbox compaction failed', { error: String(e) }));
    }
    return inbox;
  }

  /** One change at a time, in call order; a failed one does not block the next. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('inbox is closed'));
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Rejects when the disk write fails: then nothing of the batch counts as stored. */
  append(messages: TmcMessage[], undecoded: UndecodedMessage[] = []): Promise<AppendResult> {
    return this.serial(async () => {
      const added: TmcMessage[] = [];
      const inBatch = new Set<string>();
      let duplicates = 0;
      for (const m of messages) {
        if (this.state.ids.has(m.id) || inBatch.has(m.id)) {
          duplicates++;
          continue;
        }
        inBatch.add(m.id);
        added.push(m);
      }
      const records: InboxRecord[] = [...added.map((m) => ({ k: 'message' as const, m })), ...undecoded.map((u) => ({ k: 'undecoded' as const, u }))];
      await this.journal.append(records);
      for (const r of records) this.state.apply(r);
      return { added, duplicates };
    });
  }

  has(messageId: string): boolean {
    return this.state.ids.has(messageId);
  }

  query(query: OrderQuery): OrderPage {
    return this.state.view.query(query);
  }

  getOrder(shop: ShopId, tid: Tid): Order | undefined {
    return this.state.view.get(shop, tid);
  }

  markSeen(tids: Tid[]): Promise<void> {
    return this.serial(async () => {
      const unseen = this.state.view.unseenAmong(tids);
      if (unseen.length === 0) return;
      await this.write({ k: 'seen', tids: unseen, at: this.clock.now() });
    });
  }

  recordRemark(shop: ShopId, tid: Tid, memo: string, flag: Flag, at: number): Promise<void> {
    const invalid = validateRemark({ shop, tid, memo, flag });
    if (invalid !== null) return Promise.reject(new TypeError(invalid));
    return this.serial(() => this.write({ k: 'remark', shop, tid, memo, flag, at }));
  }

  private async write(record: InboxRecord): Promise<void> {
    await this.journal.append([record]);
    this.state.apply(record);
  }

  private overPolicy(): boolean {
    const { maxAgeMs, maxMessages } = this.retention;
    return this.state.ids.size > maxMessages || this.state.undecoded > maxMessages || this.state.oldestAt < this.clock.now() - maxAgeMs;
  }

  /** Rewrites the journal to what the policy keeps, when it holds more; safe to call on a timer. */
  compact(): Promise<void> {
    return this.serial(async () => {
      if (!this.overPolicy() && this.state.staleLines < STALE_LINES_LIMIT) return;
      const now = this.clock.now();
      const kept = retain(await this.journal.readAll(), this.retention, now);
      const next = new InboxState();
      const records: InboxRecord[] = [
        ...kept.messages.map((m) => ({ k: 'message' as const, m })),
        ...kept.undecoded.map((u) => ({ k: 'undecoded' as const, u })),
        ...kept.remarks,
      ];
      for (const r of records) next.apply(r);
      // One closing seen line carries every kept order's seen state, whatever history made it.
      const seenNow = new Set(this.state.view.seenTids());
      const seen = next.view.unseenAmong([...seenNow]);
      if (seen.length > 0) {
        const line: InboxRecord = { k: 'seen', tids: seen, at: now };
        records.push(line);
        next.apply(line);
      }
      await this.journal.rewrite(records);
      next.staleLines = 0;
      this.state = next;
    });
  }

  messageCount(): number {
    return this.state.ids.size;
  }

  undecodedCount(): number {
    return this.state.undecoded;
  }

  /** Waits for pending writes (and a running compaction), then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.journal.close();
  }
}
