/**
 * Every seat's side of the stream, the consumer's included: XREAD BLOCK over the streams of all its
 * shops, from the last entry it stored, on a connection of its own. Each shop's new entries are
 * handed over to be stored (awaited: flushed to disk), and only then is the position saved, in a
 * small file beside the inbox journal. A crash between the two reads a few entries again; the
 * inbox drops the repeats by their TMC ids.
 *
 * Every entry carries its number in the shop's stream (`n`), so a gap shows what the trim took
 * before this seat read it ("missed"), and a number that goes back shows a stream that was lost and
 * begun again (a server restarted without persistence).
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ShopId } from '../../../shared/domain';
import { readIfExists } from '../inbox/journal';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../files';
import type { Logger } from '../ports';
import type { TeamConnection } from './connection';
import { shopKeys } from './keys';

export const POSITION_FILE = 'team-position.json';
const POSITION_VERSION = 1;
/** Entries per shop per read: big steps for a seat far behind, small enough that storing one step
 * never holds the thread long (the consumer's calls leave from the same thread). */
const READ_COUNT = 500;
const RETRY_MS = 500;

export interface Position {
  /** The last stream entry stored ('0-0': none yet). */
  id: string;
  /** Its number in the shop's stream (0: none). */
  n: number;
}

export interface EntryGroup {
  /** Entries as published (entry.ts), in stream order. */
  entries: string[];
  /** When the consumer received them. */
  receivedAt: number;
}

export interface ReaderHooks {
  /** Stores (flushed) and notifies; a rejection leaves the position where it was. */
  deliver: (shop: ShopId, groups: EntryGroup[]) => Promise<void>;
  /** Entries that this seat will never read: trimmed before it got to them. */
  missed: (shop: ShopId, count: number) => void;
  /** The shop's stream was lost and begun again: what it held before is gone for seats behind. */
  reset: (shop: ShopId) => void;
  /** The position moved (for the lag shown in the window). */
  progressed: (shop: ShopId, position: Position) => void;
}

export interface ReaderOptions {
  conn: TeamConnection;
  /** This seat's id: entries it published from its outbox (`l`) are already stored here. */
  seatId: string;
  /** The folder of the position file (the inbox's). */
  dir: string;
  blockMs: number;
  commandTimeoutMs: number;
  logger: Logger;
  hooks: ReaderHooks;
}

type XReadReply = { name: string; messages: { id: string; message: Record<string, string> }[] }[] | null;

function isPosition(v: unknown): v is Position {
  const p = v as Partial<Position> | null;
  return typeof p === 'object' && p !== null && typeof p.id === 'string' && Number.isSafeInteger(p.n);
}

export class StreamReader {
  private readonly positions = new Map<ShopId, Position>();
  private shops: ShopId[] = [];
  private readonly stopping = new AbortController();
  private done?: Promise<void>;
  /** The shops whose positions came from the file: only those can have missed anything. */
  private readonly known = new Set<ShopId>();

  private constructor(private readonly opts: ReaderOptions) {}

  static async open(opts: ReaderOptions): Promise<StreamReader> {
    const reader = new StreamReader(opts);
    await makePrivateDir(opts.dir);
    const text = (await readIfExists(path.join(opts.dir, POSITION_FILE))).toString('utf8');
    if (text.length > 0) {
      try {
        const saved = JSON.parse(text) as { v?: unknown; streams?: Record<string, unknown> };
        if (saved.v === POSITION_VERSION && saved.streams)
          for (const [shop, p] of Object.entries(saved.streams))
            if (isPosition(p)) {
              reader.positions.set(shop, p);
              reader.known.add(shop);
            }
      } catch (e) {
        opts.logger.warn('team: stream positions unreadable, reading the streams from their start', {
          error: String(e),
        });
      }
    }
    return reader;
  }

  position(shop: ShopId): Position {
    return this.positions.get(shop) ?? { id: '0-0', n: 0 };
  }

  setShops(shops: readonly ShopId[]): void {
    this.shops = [...shops];
  }

  start(): void {
    this.done ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.done;
  }

  /**
   * A number that goes back from the shop's counter: the server lost the stream. Its new entries
   * are read from the start of the new stream (their ids say nothing about the old ones).
   */
  checkCounter(shop: ShopId, counter: number): void {
    const p = this.positions.get(shop);
    if (!p || counter >= p.n) return;
    this.opts.logger.warn('team: the shop stream was reset on the server', { shop, position: p.n, counter });
    this.positions.set(shop, { id: '0-0', n: 0 });
    this.known.delete(shop);
    this.opts.hooks.reset(shop);
  }

  private async loop(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      await this.opts.conn.whenReady(signal);
      if (signal.aborted) return;
      const shops = this.shops;
      if (shops.length === 0) {
        await sleep(this.opts.blockMs, signal);
        continue;
      }
      let reply: XReadReply;
      try {
        reply = (await this.opts.conn.blocking
          .withCommandOptions({ timeout: this.opts.blockMs + this.opts.commandTimeoutMs })
          .xRead(
            shops.map((s) => ({ key: shopKeys(s).stream, id: this.position(s).id })),
            { COUNT: READ_COUNT, BLOCK: this.opts.blockMs },
          )) as XReadReply;
      } catch (e) {
        if (signal.aborted) return;
        this.opts.logger.warn('team: reading the stream failed', { error: String(e) });
        await sleep(RETRY_MS, signal);
        continue;
      }
      if (!reply) continue;
      let failed = false;
      for (const stream of reply) {
        const shop = shops.find((s) => shopKeys(s).stream === stream.name);
        if (shop === undefined || stream.messages.length === 0) continue;
        if (!(await this.take(shop, stream.messages))) failed = true;
      }
      await this.save();
      if (failed) await sleep(RETRY_MS, signal);
    }
  }

  /** Hands one shop's entries over and moves its position past them; false if storing failed. */
  private async take(shop: ShopId, messages: { id: string; message: Record<string, string> }[]): Promise<boolean> {
    const before = this.position(shop);
    let n = before.n;
    let missed = 0;
    const groups: EntryGroup[] = [];
    for (const { message } of messages) {
      const seq = Number(message.n);
      if (Number.isSafeInteger(seq)) {
        if (this.known.has(shop) && seq > n + 1) missed += seq - n - 1;
        if (seq <= n && n > 0) {
          this.opts.logger.warn('team: the shop stream was reset on the server', { shop, position: n, entry: seq });
          this.opts.hooks.reset(shop);
        }
        n = seq;
      }
      if (message.l !== undefined && message.l === this.opts.seatId) continue;
      const entry = message.e;
      if (entry === undefined) continue;
      const receivedAt = Number(message.t);
      const at = Number.isFinite(receivedAt) ? receivedAt : Date.now();
      const last = groups[groups.length - 1];
      if (last && last.receivedAt === at) last.entries.push(entry);
      else groups.push({ entries: [entry], receivedAt: at });
    }
    if (groups.length > 0) {
      try {
        await this.opts.hooks.deliver(shop, groups);
      } catch (e) {
        this.opts.logger.error('team: could not store entries from the stream', { shop, error: String(e) });
        return false;
      }
    }
    const position = { id: messages[messages.length - 1]!.id, n };
    this.positions.set(shop, position);
    this.known.add(shop);
    if (missed > 0) this.opts.hooks.missed(shop, missed);
    this.opts.hooks.progressed(shop, position);
    return true;
  }

  /**
   * Replaced whole (a temp file renamed over it) but not flushed: it is saved after every read, and
   * what a power cut can cost is an older position (entries read again, dropped by id) or, at
   * worst, none (the streams read again from their start).
   */
  private async save(): Promise<void> {
    const streams = Object.fromEntries(this.positions);
    const file = path.join(this.opts.dir, POSITION_FILE);
    try {
      await writeFile(`${file}.tmp`, JSON.stringify({ v: POSITION_VERSION, streams }), { mode: PRIVATE_FILE_MODE });
      await rename(`${file}.tmp`, file);
    } catch (e) {
      // The next start reads again from an older position; the repeats are dropped by id.
      this.opts.logger.warn('team: stream positions not saved', { error: String(e) });
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
