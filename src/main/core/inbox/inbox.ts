/**
 * The durable inbox: a journal on disk and, rebuilt from it at open, the message ids (dedupe,
 * also across restarts) and the orders view. Every change (a batch, a seen mark, a memo saved) is
 * a journal line flushed before its promise resolves; all of them run one at a time, so the
 * memory state is always what the file says.
 *
 * Start-up reads a snapshot of that state (saved at close, after a compaction, and when the
 * journal has grown well past the last one) and replays only the journal lines written since;
 * without a usable snapshot it replays the whole journal, as it would anyway.
 */
import path from 'node:path';
import type { OrderPage, OrderQuery } from '../../../shared/api';
import type { Order, ShopId, Tid, TmcMessage, UndecodedMessage } from '../../../shared/domain';
import type { Flag } from '../../../shared/flag';
import { validateRemark } from '../../../shared/memo';
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../ports';
import { Journal, type JournalMark, type JournalRecovery } from './journal';
import { isInboxRecord, type InboxRecord } from './records';
import { retain } from './retention';
import { loadSnapshot, saveSnapshot } from './snapshot';
import { InboxState } from './state';
import { DEFAULT_RETENTION, type AppendResult, type InboxStore, type RetentionPolicy } from './types';

export const JOURNAL_FILE = 'inbox.jsonl';

/** Seen and remark lines grow with the user's clicks, not with messages; past this many a
 * compaction is worth it even when the policy keeps everything. */
const STALE_LINES_LIMIT = 10_000;

export interface InboxOptions {
  retention?: RetentionPolicy;
  clock?: Clock;
  logger?: Logger;
  /** Journal bytes written since the last snapshot past which compact() saves a new one: a crash
   * then costs start-up at most this much replay; 8 MB by default (B3 in docs/benchmarks.md gives
   * the journal's bytes per message). */
  snapshotEveryBytes?: number;
  /** Told the tids whose orders a compaction changed or dropped (the window patches its list). */
  onOrdersChanged?: (tids: Tid[]) => void;
}

const SNAPSHOT_EVERY_BYTES = 8 * 1024 * 1024;

export class Inbox implements InboxStore {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly journal: Journal<InboxRecord>,
    /** What open() found and repaired in the journal (after the snapshot, when one was used). */
    readonly recovery: JournalRecovery,
    private state: InboxState,
    /** The journal bytes the snapshot on disk is the fold of, when it is known to be. */
    private savedMark: JournalMark | undefined,
    private readonly retention: RetentionPolicy,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly snapshotEveryBytes: number,
    private readonly onOrdersChanged: (tids: Tid[]) => void,
  ) {}

  static async open(dir: string, opts: InboxOptions = {}): Promise<Inbox> {
    const logger = opts.logger ?? silentLogger;
    const snapshot = await loadSnapshot(dir).catch((e: unknown) => {
      logger.warn('inbox snapshot unreadable, replaying the journal', { error: String(e) });
      return undefined;
    });
    let state = new InboxState();
    let savedMark: JournalMark | undefined;
    const { journal, recovery } = await Journal.replay(path.join(dir, JOURNAL_FILE), isInboxRecord, {
      ...(snapshot && { skip: snapshot.mark }),
      start: (skipped) => {
        if (snapshot && skipped) {
          state = snapshot.state;
          savedMark = snapshot.mark;
        }
        const into = state;
        return (r) => into.apply(r);
      },
    });
    if (snapshot && !savedMark) logger.info('inbox snapshot does not match the journal; replayed the journal in full');
    // A view replayed from the start is sorted once, now, not at the window's first query.
    state.view.seal();
    const inbox = new Inbox(
      dir,
      journal,
      recovery,
      state,
      savedMark,
      opts.retention ?? DEFAULT_RETENTION,
      opts.clock ?? systemClock,
      logger,
      opts.snapshotEveryBytes ?? SNAPSHOT_EVERY_BYTES,
      opts.onOrdersChanged ?? (() => undefined),
    );
    inbox.state.staleLines += recovery.corruptLines;
    if (recovery.truncatedBytes > 0 || recovery.corruptLines > 0)
      logger.warn('inbox journal repaired', { ...recovery });
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
      const records: InboxRecord[] = [];
      const inBatch = new Set<string>();
      for (const m of messages) {
        const seenInBatch = inBatch.size;
        if (this.state.ids.has(m.id) || inBatch.add(m.id).size === seenInBatch) continue;
        added.push(m);
        records.push({ k: 'message', m });
      }
      const duplicates = messages.length - added.length;
      for (const u of undecoded) records.push({ k: 'undecoded', u });
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

  changed(query: OrderQuery, tids: readonly Tid[]): OrderPage {
    return this.state.view.changed(query, tids);
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
    return (
      this.state.ids.size > maxMessages ||
      this.state.undecoded > maxMessages ||
      this.state.oldestAt < this.clock.now() - maxAgeMs
    );
  }

  /** Rewrites the journal to what the policy keeps, when it holds more, and saves a snapshot when
   * the last one is well behind; safe to call on a timer. */
  compact(): Promise<void> {
    return this.serial(async () => {
      if (this.overPolicy() || this.state.staleLines >= STALE_LINES_LIMIT) {
        await this.retainPolicy();
        await this.snapshot();
        return;
      }
      const mark = this.journal.mark();
      if (mark && mark.size - (this.savedMark?.size ?? 0) >= this.snapshotEveryBytes) await this.snapshot();
    });
  }

  /** Rewrites the journal to what the policy keeps, and the state to match. */
  private async retainPolicy(): Promise<void> {
    const now = this.clock.now();
    const kept = retain(await this.journal.readAll(), this.retention, now);
    const next = new InboxState();
    const records: InboxRecord[] = [
      ...kept.messages.map((m) => ({ k: 'message' as const, m })),
      ...kept.undecoded.map((u) => ({ k: 'undecoded' as const, u })),
      ...kept.remarks,
    ];
    for (const r of records) next.apply(r);
    next.view.seal();
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
    const changed = this.state.view.changedIn(next.view);
    this.state = next;
    if (changed.length > 0) this.onOrdersChanged(changed);
  }

  /** Saves the state as a snapshot unless the one on disk already holds it. Only ever a speed-up:
   * a failure is logged, and the next start replays more of the journal. */
  private async snapshot(): Promise<void> {
    const mark = this.journal.mark();
    if (mark === undefined || (mark.size === this.savedMark?.size && mark.crc === this.savedMark.crc)) return;
    try {
      await saveSnapshot(this.dir, this.state, mark);
      this.savedMark = mark;
    } catch (e) {
      this.logger.warn('inbox snapshot not saved', { error: String(e) });
    }
  }

  messageCount(): number {
    return this.state.ids.size;
  }

  undecodedCount(): number {
    return this.state.undecoded;
  }

  /** Waits for pending writes (and a running compaction), saves a snapshot, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.snapshot();
    await this.journal.close();
  }
}
