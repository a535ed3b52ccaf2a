/**
 * The consumer's side of the stream: every consumed batch is appended to the shop's stream before
 * anything is stored, or, when the server cannot take it, kept in a local outbox on disk and
 * published when the server is back.
 *
 * The outbox and the backlog:
 * - Order: a shop's batches reach the stream in the order they were consumed. While a shop has
 *   batches waiting, its new ones queue behind them instead of overtaking them.
 * - Stored here first: a kept batch is stored and notified on this seat at once (the shop PC keeps
 *   ringing through an outage), and marked so; it is published only once marked, carrying this
 *   seat's id in `l`, which tells this seat's reader that it already has it. The other seats store
 *   it when they read it.
 * - Dedupe: a batch whose publication timed out may in fact have reached the stream; kept and
 *   published again, it arrives twice, and every seat drops the second copy by its TMC ids.
 * - Durable: the outbox is a journal (one flushed write per change), so a seat that quits or
 *   crashes during an outage publishes its backlog at its next start.
 */
import path from 'node:path';
import type { ShopId } from '../../../shared/domain';
import { Journal } from '../inbox/journal';
import type { Logger } from '../ports';
import type { TeamConnection } from './connection';
import { shopKeys } from './keys';

/** KEYS: stream, seq. ARGV: maxlen, origin seat, receivedAt, stored-by (or ''), entries... */
const PUBLISH = `
local count = #ARGV - 4
local first = redis.call('incrby', KEYS[2], count) - count
local id = false
for i = 1, count do
  if ARGV[4] == '' then
    id = redis.call('xadd', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'n', first + i, 'o', ARGV[2], 't', ARGV[3], 'e', ARGV[i + 4])
  else
    id = redis.call('xadd', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'n', first + i, 'o', ARGV[2], 't', ARGV[3], 'l', ARGV[4], 'e', ARGV[i + 4])
  end
end
return id`;

type OutboxRecord =
  | { k: 'batch'; id: number; shop: ShopId; t: number; e: string[] }
  | { k: 'stored'; id: number }
  | { k: 'sent'; id: number };

function isOutboxRecord(v: unknown): v is OutboxRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  if (!Number.isSafeInteger(r.id)) return false;
  if (r.k === 'stored' || r.k === 'sent') return true;
  return (
    r.k === 'batch' &&
    typeof r.shop === 'string' &&
    Number.isFinite(r.t) &&
    Array.isArray(r.e) &&
    r.e.every((x) => typeof x === 'string')
  );
}

export interface KeptBatch {
  id: number;
  shop: ShopId;
  /** When the consumer received it. */
  receivedAt: number;
  entries: string[];
  /** Stored (and notified) on this seat. */
  stored: boolean;
}

export const OUTBOX_FILE = 'outbox.jsonl';
/** Sent lines past which the outbox is rewritten to what still waits. */
const REWRITE_AFTER_LINES = 1_000;

export interface PublisherOptions {
  conn: TeamConnection;
  /** This seat's id: the `o` (origin) of what it publishes. */
  seatId: string;
  retentionEntries: number;
  logger: Logger;
}

export class StreamPublisher {
  private readonly kept: KeptBatch[] = [];
  private nextId: number;
  private flushing?: Promise<void>;
  private doneLines = 0;

  private constructor(
    private readonly opts: PublisherOptions,
    private readonly outbox: Journal<OutboxRecord>,
    kept: KeptBatch[],
  ) {
    this.kept = kept;
    this.nextId = kept.reduce((max, b) => Math.max(max, b.id), 0) + 1;
  }

  /** Opens the outbox in `dir`; what it still holds is the backlog of an earlier run. */
  static async open(dir: string, opts: PublisherOptions): Promise<StreamPublisher> {
    const { journal, records } = await Journal.open(path.join(dir, OUTBOX_FILE), isOutboxRecord);
    const batches = new Map<number, KeptBatch>();
    for (const r of records) {
      if (r.k === 'batch') batches.set(r.id, { id: r.id, shop: r.shop, receivedAt: r.t, entries: r.e, stored: false });
      else if (r.k === 'stored') {
        const b = batches.get(r.id);
        if (b) b.stored = true;
      } else batches.delete(r.id);
    }
    return new StreamPublisher(
      opts,
      journal,
      [...batches.values()].sort((a, b) => a.id - b.id),
    );
  }

  /** Entries kept for a shop and not yet published. */
  backlog(shop?: ShopId): number {
    let n = 0;
    for (const b of this.kept) if (shop === undefined || b.shop === shop) n += b.entries.length;
    return n;
  }

  /** Kept batches not yet stored here (an earlier run stopped in between): store them, then markStored. */
  unstored(): KeptBatch[] {
    return this.kept.filter((b) => !b.stored);
  }

  /**
   * A consumed batch: appended to the stream, or kept when the server cannot take it now or the
   * shop has earlier batches waiting. A kept batch is the caller's to store (then markStored).
   * Rejects only when even the outbox cannot be written.
   */
  async offer(shop: ShopId, entries: string[], receivedAt: number): Promise<{ kept?: KeptBatch }> {
    if (entries.length === 0) return {};
    if (!this.kept.some((b) => b.shop === shop) && this.opts.conn.ready) {
      try {
        await this.append(shop, entries, receivedAt, '');
        return {};
      } catch (e) {
        this.opts.logger.warn('team: publish failed, kept locally', { shop, error: String(e) });
      }
    }
    const batch: KeptBatch = { id: this.nextId++, shop, receivedAt, entries, stored: false };
    await this.outbox.append([{ k: 'batch', id: batch.id, shop, t: receivedAt, e: entries }]);
    this.kept.push(batch);
    return { kept: batch };
  }

  async markStored(batch: KeptBatch): Promise<void> {
    await this.outbox.append([{ k: 'stored', id: batch.id }]);
    batch.stored = true;
  }

  /** Publishes the kept batches in order, each once stored here; stops at the first failure. */
  flush(): Promise<void> {
    this.flushing ??= this.flushKept().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushKept(): Promise<void> {
    const blocked = new Set<ShopId>();
    for (const batch of [...this.kept]) {
      if (blocked.has(batch.shop)) continue;
      if (!batch.stored || !this.opts.conn.ready) {
        blocked.add(batch.shop);
        continue;
      }
      try {
        await this.append(batch.shop, batch.entries, batch.receivedAt, this.opts.seatId);
      } catch (e) {
        this.opts.logger.warn('team: backlog not published yet', { shop: batch.shop, error: String(e) });
        blocked.add(batch.shop);
        continue;
      }
      await this.outbox.append([{ k: 'sent', id: batch.id }]);
      this.kept.splice(this.kept.indexOf(batch), 1);
      this.doneLines += 2;
    }
    if (this.kept.length === 0 && this.doneLines > 0) {
      await this.outbox.rewrite([]);
      this.doneLines = 0;
    } else if (this.doneLines > REWRITE_AFTER_LINES) {
      await this.outbox.rewrite(
        this.kept.flatMap((b): OutboxRecord[] => [
          { k: 'batch', id: b.id, shop: b.shop, t: b.receivedAt, e: b.entries },
          ...(b.stored ? [{ k: 'stored' as const, id: b.id }] : []),
        ]),
      );
      this.doneLines = 0;
    }
  }

  private async append(shop: ShopId, entries: string[], receivedAt: number, storedBy: string): Promise<void> {
    const keys = shopKeys(shop);
    await this.opts.conn.run((c) =>
      c.eval(PUBLISH, {
        keys: [keys.stream, keys.seq],
        arguments: [String(this.opts.retentionEntries), this.opts.seatId, String(receivedAt), storedBy, ...entries],
      }),
    );
  }

  async close(): Promise<void> {
    await this.flushing?.catch(() => undefined);
    await this.outbox.close();
  }
}
