/**
 * The durable inbox: a journal on disk and, rebuilt from it at open, the message ids (dedupe,
 * also across restarts) and the orders view. Every change (a batch, a seen mark, a memo saved) is
 * a journal line flushed before its promise resolves; all of them run one at a time, so the
 * memory state is always what the file says.
 *
 * One process writes a folder: open() takes the folder's lock (folderLock.ts) and holds it until
 * close(). openReadOnly() is for a reader beside that writer (`cli remark` while `cli watch`
 * runs): it takes no lock and changes nothing on disk.
 *
 * Start-up reads a snapshot of that state (saved at close, after a compaction, and when the
 * journal has grown well past the last one) and replays only the journal lines written since;
 * without a usable snapshot it replays the whole journal, as it would anyway.
 */
import path from 'node:path';
import type { OrderPage, OrderQuery } from '../../../shared/api';
import type { Order, OrderEvent, ShopId, Tid, TmcMessage, UndecodedMessage } from '../../../shared/domain';
import { AppFailure, appError } from '../../../shared/errors';
import type { Flag } from '../../../shared/flag';
import { validateRemark } from '../../../shared/memo';
import { systemClock, type Clock } from '../clock';
import { keepPrivate, makePrivateDir } from '../files';
import { silentLogger, type Logger } from '../ports';
import { lockFolder, type FolderLock, type LockOptions } from './folderLock';
import { Journal, type AppendIo, type JournalMark, type JournalRecovery, type Replay } from './journal';
import { isInboxRecord, type InboxRecord } from './records';
import { retain, retentionNow } from './retention';
import { loadSnapshot, removeSnapshotTemp, saveSnapshot, SNAPSHOT_FILE } from './snapshot';
import { InboxState } from './state';
import { DEFAULT_RETENTION, type AppendResult, type InboxStore, type RetentionPolicy } from './types';

export const JOURNAL_FILE = 'inbox.jsonl';

/** Seen and remark lines grow with the user's clicks, not with messages; past this many a
 * compaction is worth it even when the policy keeps everything. */
const STALE_LINES_LIMIT = 10_000;

/** How far past the count limit a burst may take memory before a compaction runs at once instead
 * of at the next hourly one: memory follows the policy, not what the gateway sends. */
const OVER_COUNT_MARGIN = 0.1;
const OVER_COUNT_MIN = 1_000;

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
  /** The journal's appends go through this (tests fail them like a full disk). */
  appendIo?: AppendIo;
  lock?: LockOptions;
}

const SNAPSHOT_EVERY_BYTES = 8 * 1024 * 1024;

/** The folder's disk had no room to open the inbox (its lock, the journal's first line or a repair):
 * nothing was fetched, so nothing is lost; the user frees space and starts again. */
export class DiskFullError extends AppFailure {
  readonly code: string;
  constructor(
    readonly dir: string,
    cause: NodeJS.ErrnoException,
  ) {
    super(
      appError('storage', 'disk_full_at_start', { dir }, { retryable: false }),
      `the disk holding the data folder ${dir} is full: nothing was fetched`,
      { cause },
    );
    this.name = 'DiskFullError';
    this.code = cause.code ?? 'ENOSPC';
  }
}

function isDiskFull(e: unknown): e is NodeJS.ErrnoException {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** The error a read-only inbox gives for any change. */
export class ReadOnlyInboxError extends AppFailure {
  constructor() {
    super(appError('internal', 'inbox_read_only', {}), 'the inbox is open read-only: another process writes it');
    this.name = 'ReadOnlyInboxError';
  }
}

interface Loaded {
  state: InboxState;
  savedMark: JournalMark | undefined;
}

export class Inbox implements InboxStore {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private compactionQueued = false;

  private constructor(
    private readonly dir: string,
    /** Undefined when open read-only. */
    private readonly journal: Journal<InboxRecord> | undefined,
    private readonly lock: FolderLock | undefined,
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

  /**
   * Opens the folder as its one writer. Throws FolderInUseError when another live process holds
   * it, JournalVersionError (changing nothing) when a newer TradeBell wrote it, and DiskFullError
   * when its disk has no room to open it.
   */
  static async open(dir: string, opts: InboxOptions = {}): Promise<Inbox> {
    try {
      return await Inbox.openWriter(dir, opts);
    } catch (e) {
      throw isDiskFull(e) ? new DiskFullError(dir, e) : e;
    }
  }

  private static async openWriter(dir: string, opts: InboxOptions): Promise<Inbox> {
    const logger = opts.logger ?? silentLogger;
    const lock = await lockFolder(dir, opts.lock);
    try {
      // The snapshot is loaded while the journal is read.
      const loading = Inbox.startLoading(dir, logger);
      const { journal, recovery } = await Journal.replay(
        path.join(dir, JOURNAL_FILE),
        isInboxRecord,
        loading.then((l) => l.replay),
        opts.appendIo,
      );
      const { loaded } = await loading;
      try {
        // Housekeeping only once the journal is known to be of a version this one may touch.
        await removeSnapshotTemp(dir);
        await makePrivateDir(dir, true);
        await keepPrivate(path.join(dir, SNAPSHOT_FILE));
      } catch (e) {
        await journal.close();
        throw e;
      }
      const inbox = Inbox.create(dir, journal, lock, recovery, loaded, opts);
      inbox.state.staleLines += recovery.corruptLines;
      if (recovery.truncatedBytes > 0 || recovery.corruptLines > 0 || recovery.unknownLines > 0)
        logger.warn('inbox journal repaired', { ...recovery });
      // Trimming to the policy is housekeeping: the inbox is usable at once, appends queue behind it.
      if (inbox.overPolicy()) inbox.compactSoon();
      return inbox;
    } catch (e) {
      await lock.release();
      throw e;
    }
  }

  /**
   * Reads the folder beside its writer: no lock, nothing created, repaired, compacted or saved.
   * Changes are refused (ReadOnlyInboxError), except recordRemark, which only updates memory:
   * the writer learns the memo from its TradeMemoModified echo.
   */
  static async openReadOnly(dir: string, opts: InboxOptions = {}): Promise<Inbox> {
    const logger = opts.logger ?? silentLogger;
    const loading = Inbox.startLoading(dir, logger);
    const { recovery } = await Journal.read(
      path.join(dir, JOURNAL_FILE),
      isInboxRecord,
      loading.then((l) => l.replay),
    );
    const { loaded } = await loading;
    return Inbox.create(dir, undefined, undefined, recovery, loaded, opts);
  }

  /** The snapshot, if one can be used, and the replay that folds the journal lines after it. */
  private static async startLoading(
    dir: string,
    logger: Logger,
  ): Promise<{ loaded: Loaded; replay: Replay<InboxRecord> }> {
    const snapshot = await loadSnapshot(dir).catch((e: unknown) => {
      logger.warn('inbox snapshot unreadable, replaying the journal', { error: String(e) });
      return undefined;
    });
    const loaded: Loaded = { state: new InboxState(), savedMark: undefined };
    const replay: Replay<InboxRecord> = {
      ...(snapshot && { skip: snapshot.mark }),
      start: (skipped) => {
        if (snapshot && skipped) {
          loaded.state = snapshot.state;
          loaded.savedMark = snapshot.mark;
        } else if (snapshot) logger.info('inbox snapshot does not match the journal; replayed the journal in full');
        const into = loaded.state;
        return (r) => into.apply(r);
      },
    };
    return { loaded, replay };
  }

  private static create(
    dir: string,
    journal: Journal<InboxRecord> | undefined,
    lock: FolderLock | undefined,
    recovery: JournalRecovery,
    loaded: Loaded,
    opts: InboxOptions,
  ): Inbox {
    // A view replayed from the start is sorted once, now, not at the window's first query.
    loaded.state.view.seal();
    return new Inbox(
      dir,
      journal,
      lock,
      recovery,
      loaded.state,
      loaded.savedMark,
      opts.retention ?? DEFAULT_RETENTION,
      opts.clock ?? systemClock,
      opts.logger ?? silentLogger,
      opts.snapshotEveryBytes ?? SNAPSHOT_EVERY_BYTES,
      opts.onOrdersChanged ?? (() => undefined),
    );
  }

  /** True when open read-only (openReadOnly). */
  get readOnly(): boolean {
    return this.journal === undefined;
  }

  /** One change at a time, in call order; a failed one does not block the next. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('inbox is closed'));
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private writer(): Journal<InboxRecord> {
    if (!this.journal) throw new ReadOnlyInboxError();
    return this.journal;
  }

  /** Rejects when the disk write fails: then nothing of the batch counts as stored. */
  append(messages: TmcMessage[], undecoded: UndecodedMessage[] = []): Promise<AppendResult> {
    return this.serial(async () => {
      const journal = this.writer();
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
      await journal.append(records);
      for (const r of records) this.state.apply(r);
      if (this.farOverCount()) this.compactSoon();
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

  /** Every stored order's events, in no particular order. */
  forEachEvent(visit: (shop: ShopId, event: Readonly<OrderEvent>) => void): void {
    this.state.view.forEachEvent(visit);
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
    if (invalid !== null) return Promise.reject(new TypeError(`invalid remark: ${invalid.code}`));
    const record: InboxRecord = { k: 'remark', shop, tid, memo, flag, at };
    if (this.readOnly)
      return this.serial(async () => {
        this.state.apply(record);
      });
    return this.serial(() => this.write(record));
  }

  private async write(record: InboxRecord): Promise<void> {
    await this.writer().append([record]);
    this.state.apply(record);
  }

  private overPolicy(): boolean {
    const { maxAgeMs, maxMessages } = this.retention;
    return (
      this.state.ids.size > maxMessages ||
      this.state.undecoded > maxMessages ||
      this.state.oldestAt < retentionNow(this.clock.now(), this.state.newestPubs) - maxAgeMs
    );
  }

  private farOverCount(): boolean {
    const { maxMessages } = this.retention;
    const limit = maxMessages + Math.max(OVER_COUNT_MIN, Math.ceil(maxMessages * OVER_COUNT_MARGIN));
    return this.state.ids.size > limit || this.state.undecoded > limit;
  }

  /** Queues one compaction behind the writes already queued; failures are logged. */
  private compactSoon(): void {
    if (this.compactionQueued) return;
    this.compactionQueued = true;
    this.compact()
      .catch((e: unknown) => this.logger.warn('inbox compaction failed', { error: String(e) }))
      .finally(() => {
        this.compactionQueued = false;
      });
  }

  /** Rewrites the journal to what the policy keeps, when it holds more, and saves a snapshot when
   * the last one is well behind; safe to call on a timer. Does nothing when open read-only. */
  compact(): Promise<void> {
    return this.serial(async () => {
      if (this.readOnly) return;
      if (this.overPolicy() || this.state.staleLines >= STALE_LINES_LIMIT) {
        await this.retainPolicy();
        await this.snapshot();
        return;
      }
      const mark = this.writer().mark();
      if (mark && mark.size - (this.savedMark?.size ?? 0) >= this.snapshotEveryBytes) await this.snapshot();
    });
  }

  /** Rewrites the journal to what the policy keeps, and the state to match. Lines this version
   * cannot read (written by a newer one) are carried over unchanged. */
  private async retainPolicy(): Promise<void> {
    const journal = this.writer();
    const now = this.clock.now();
    const contents = await journal.readAll();
    const kept = retain(contents.records, this.retention, now);
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
    await journal.rewrite(records, contents.unknown);
    next.staleLines = 0;
    const changed = this.state.view.changedIn(next.view);
    this.state = next;
    if (changed.length > 0) this.onOrdersChanged(changed);
  }

  /** Saves the state as a snapshot unless the one on disk already holds it. Only ever a speed-up:
   * a failure is logged, and the next start replays more of the journal. */
  private async snapshot(): Promise<void> {
    const mark = this.journal?.mark();
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

  /** Waits for pending writes (and a running compaction), saves a snapshot, closes the file and
   * gives the folder up. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    if (!this.journal) return;
    try {
      await this.snapshot();
      await this.journal.close();
    } finally {
      await this.lock?.release();
    }
  }
}
