/**
 * One seat of a team: several TradeBell installations on the same shops, one team server (Redis).
 *
 * For each shop the seat is either its consumer (it holds the lease: its scheduler polls the
 * gateway, and every answer goes to the stream before anything is stored) or a reader (it stores
 * what the stream brings). Every seat, the consumer included, stores from the stream, so every
 * inbox gets the same messages, each seat notifying under its own rules.
 *
 * When the team server is unreachable nobody may start consuming (that is the split team mode
 * exists to prevent): a seat without the lease waits and shows the server unreachable, the lease
 * holder keeps consuming, stores what it takes at once and keeps it in its outbox, and publishes
 * that backlog when the server is back. After a reconnect the seats that were not consuming wait
 * one lease TTL before they try to take a free lease, so the seat that consumed through the outage
 * gets it back first (its lease may have expired on the server, or been lost with a restart).
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TeamServerState, TeamShopStatus, TeamStatus } from '../../../shared/api';
import type { ShopId } from '../../../shared/domain';
import type { Clock } from '../clock';
import type { ConsumeOk } from '../gateway/types';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../files';
import type { Logger } from '../ports';
import { TeamConnection, type ServerState } from './connection';
import { encodeEntries } from './entry';
import { DEFAULT_RETENTION_ENTRIES, DEFAULT_TIMINGS, shopKeys, type TeamTimings } from './keys';
import { ShopLease, holderName } from './lease';
import { StreamPublisher } from './publisher';
import { StreamReader, type EntryGroup } from './reader';

export interface SeatHooks {
  /** The shops this seat consumes changed: the scheduler's set follows consumingShops(). */
  consumingChanged: () => void;
  /** Stores (flushed) and notifies entries from the stream, or kept here through an outage. */
  store: (shop: ShopId, groups: EntryGroup[]) => Promise<void>;
  /** Something status() shows changed. */
  changed: () => void;
}

export interface SeatOptions {
  /** redis:// or rediss:// without the password. */
  url: string;
  password?: string | null;
  seatName: string;
  /** The app's data folder: the seat's id and its outbox live in `team/` there. */
  dataDir: string;
  /** The inbox's folder: the stream positions live beside its journal. */
  inboxDir: string;
  clock: Clock;
  logger: Logger;
  hooks: SeatHooks;
  timings?: Partial<TeamTimings>;
  retentionEntries?: number;
}

const TEAM_DIR = 'team';
const SEAT_ID_FILE = 'seat-id';
const TICK_MS = 500;

interface ShopView {
  missed: number;
  reset: boolean;
  counter?: number;
}

export class Seat {
  private readonly timings: TeamTimings;
  private readonly leases = new Map<ShopId, ShopLease>();
  private readonly views = new Map<ShopId, ShopView>();
  private readShops: ShopId[] = [];
  private wanted = new Set<ShopId>();
  private suspended = false;
  private graceUntil = Number.NEGATIVE_INFINITY;
  private wasUnreachable = false;
  private lastRenewAt = new Map<ShopId, number>();
  private lastAcquireAt = Number.NEGATIVE_INFINITY;
  private readonly stopping = new AbortController();
  private ticking?: Promise<void>;
  private readonly value: string;

  private constructor(
    private readonly opts: SeatOptions,
    readonly seatId: string,
    private readonly conn: TeamConnection,
    private readonly publisher: StreamPublisher,
    private readonly reader: StreamReader,
  ) {
    this.timings = { ...DEFAULT_TIMINGS, ...opts.timings };
    this.value = `${randomUUID()}|${opts.seatName}`;
  }

  static async open(opts: SeatOptions): Promise<Seat> {
    const timings = { ...DEFAULT_TIMINGS, ...opts.timings };
    const dir = path.join(opts.dataDir, TEAM_DIR);
    await makePrivateDir(dir);
    await makePrivateDir(opts.inboxDir);
    const seatId = await loadSeatId(dir);
    // The connection and the reader report to the seat, which is made last, from them.
    const ref: { seat?: Seat } = {};
    const conn = new TeamConnection({
      url: opts.url,
      password: opts.password,
      commandTimeoutMs: timings.commandTimeoutMs,
      logger: opts.logger,
      onState: (s) => ref.seat?.serverState(s),
    });
    const publisher = await StreamPublisher.open(dir, {
      conn,
      seatId,
      retentionEntries: opts.retentionEntries ?? DEFAULT_RETENTION_ENTRIES,
      logger: opts.logger,
    });
    const reader = await StreamReader.open({
      conn,
      seatId,
      dir: opts.inboxDir,
      blockMs: timings.blockMs,
      commandTimeoutMs: timings.commandTimeoutMs,
      logger: opts.logger,
      hooks: {
        deliver: (shop, groups) => opts.hooks.store(shop, groups),
        // The reader starts in start(), after the seat exists.
        missed: (shop, n) => {
          ref.seat!.view(shop).missed += n;
          opts.logger.warn('team: entries trimmed from the stream before this seat read them', { shop, missed: n });
          opts.hooks.changed();
        },
        reset: (shop) => {
          ref.seat!.view(shop).reset = true;
          opts.hooks.changed();
        },
        progressed: () => opts.hooks.changed(),
      },
    });
    ref.seat = new Seat(opts, seatId, conn, publisher, reader);
    return ref.seat;
  }

  /** Stores what an earlier run kept and did not store, then connects and starts. */
  async start(): Promise<void> {
    for (const batch of this.publisher.unstored()) {
      await this.opts.hooks.store(batch.shop, [{ entries: batch.entries, receivedAt: batch.receivedAt }]);
      await this.publisher.markStored(batch);
    }
    this.conn.open();
    this.reader.start();
    this.ticking = this.tickLoop();
  }

  /**
   * The enabled shops (all of them are read) and those this seat may consume (not paused by the
   * user here). A shop no longer wanted gives its lease up at once, so another seat takes over.
   */
  setShops(read: readonly ShopId[], wanted: readonly ShopId[]): void {
    this.readShops = [...read];
    this.reader.setShops(this.readShops);
    this.wanted = new Set(wanted.filter((s) => read.includes(s)));
    for (const shop of read) {
      if (!this.leases.has(shop)) {
        this.leases.set(
          shop,
          new ShopLease(shop, this.value, this.conn, this.opts.clock, this.timings, () => this.roleChanged()),
        );
      }
    }
    for (const [shop, lease] of this.leases) {
      if (!this.wanted.has(shop) || this.suspended) void lease.release();
      if (!read.includes(shop)) this.leases.delete(shop);
    }
    this.opts.hooks.changed();
  }

  /** The shops this seat consumes now (held, or kept through an outage). */
  consumingShops(): ShopId[] {
    return [...this.leases.values()].filter((l) => l.current !== 'none').map((l) => l.shop);
  }

  /** The check before every consume call (the gateway wrapper's): the lease, asked of the server. */
  async admit(shop: ShopId): Promise<boolean> {
    if (this.stopping.signal.aborted || this.suspended) return false;
    const lease = this.leases.get(shop);
    if (!lease || !this.wanted.has(shop)) return false;
    const ok = await lease.check();
    if (ok) this.lastRenewAt.set(shop, this.opts.clock.now());
    return ok;
  }

  /** Whether the lease is still this seat's by its local deadline (or kept through an outage). */
  holds(shop: ShopId): boolean {
    return !this.stopping.signal.aborted && !this.suspended && (this.leases.get(shop)?.consuming ?? false);
  }

  /** The scheduler's onBatch in team mode: the stream first; kept and stored here when it cannot. */
  async consumed(shop: ShopId, answer: Pick<ConsumeOk, 'messages' | 'malformed'>, receivedAt: number): Promise<void> {
    const entries = encodeEntries(answer);
    if (entries.length === 0) return;
    const { kept } = await this.publisher.offer(shop, entries, receivedAt);
    if (!kept) return;
    await this.opts.hooks.store(shop, [{ entries, receivedAt }]);
    await this.publisher.markStored(kept);
    this.opts.hooks.changed();
    if (this.conn.ready) void this.publisher.flush();
  }

  /** The machine goes to sleep: give every lease up, take none until wake(). */
  suspend(): void {
    this.suspended = true;
    for (const lease of this.leases.values()) void lease.release();
  }

  wake(): void {
    this.suspended = false;
  }

  status(): TeamStatus {
    const server: TeamServerState = this.conn.state;
    const shops: TeamShopStatus[] = this.readShops.map((shop) => {
      const lease = this.leases.get(shop);
      const view = this.views.get(shop);
      const self = lease !== undefined && lease.current !== 'none';
      const position = this.reader.position(shop);
      const consumer = self ? this.opts.seatName : lease?.holder;
      return {
        shop,
        ...(consumer !== undefined && { consumer }),
        self,
        ...(view?.counter !== undefined && { lag: Math.max(0, view.counter - position.n) }),
        missed: view?.missed ?? 0,
        backlog: this.publisher.backlog(shop),
        reset: view?.reset ?? false,
      };
    });
    return {
      seat: this.opts.seatName,
      server,
      ...(server === 'unreachable' && this.conn.lastError !== undefined && { error: this.conn.lastError }),
      shops,
    };
  }

  /** Stops: gives the leases up (another seat takes over at once), publishes what it can, closes. */
  async close(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    this.stopping.abort();
    await this.ticking;
    await Promise.all([...this.leases.values()].map((l) => l.release()));
    if (this.conn.ready) await this.publisher.flush().catch(() => undefined);
    this.conn.close();
    await this.reader.stop();
    await this.publisher.close();
  }

  view(shop: ShopId): ShopView {
    let v = this.views.get(shop);
    if (!v) {
      v = { missed: 0, reset: false };
      this.views.set(shop, v);
    }
    return v;
  }

  private roleChanged(): void {
    this.opts.hooks.consumingChanged();
    this.opts.hooks.changed();
  }

  private serverState(state: ServerState): void {
    if (state === 'unreachable') {
      this.wasUnreachable = true;
      for (const lease of this.leases.values()) lease.serverLost();
    } else if (state === 'connected') {
      if (this.wasUnreachable) this.graceUntil = this.opts.clock.now() + this.timings.leaseTtlMs;
      this.wasUnreachable = false;
      this.lastAcquireAt = Number.NEGATIVE_INFINITY;
      this.roundNow.abort();
    }
    this.opts.hooks.changed();
  }

  /** Aborted to run the next round at once (the server is back, or the seat stops). */
  private roundNow = new AbortController();

  private async tickLoop(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      try {
        await this.tick();
      } catch (e) {
        this.opts.logger.warn('team: lease round failed', { error: String(e) });
      }
      const round = new AbortController();
      this.roundNow = round;
      const stop = () => round.abort();
      signal.addEventListener('abort', stop, { once: true });
      await this.opts.clock.sleep(TICK_MS, round.signal).catch(() => undefined);
      signal.removeEventListener('abort', stop);
    }
  }

  /** One round: reassert what was kept through an outage, renew, take free leases, read counters. */
  private async tick(): Promise<void> {
    if (!this.conn.ready || this.stopping.signal.aborted) return;
    const now = this.opts.clock.now();
    const work: Promise<unknown>[] = [];
    const acquireDue = now - this.lastAcquireAt >= this.timings.acquireEveryMs;
    if (acquireDue) this.lastAcquireAt = now;
    for (const [shop, lease] of this.leases) {
      const wanted = this.wanted.has(shop) && !this.suspended;
      if (lease.current === 'outage') {
        // Back from an outage: the lease again, before anyone else may try (they wait out the grace).
        work.push(wanted ? lease.acquire() : lease.release());
      } else if (lease.current === 'held') {
        if (now - (this.lastRenewAt.get(shop) ?? Number.NEGATIVE_INFINITY) >= this.timings.renewEveryMs) {
          this.lastRenewAt.set(shop, now);
          work.push(lease.check());
        }
      } else if (acquireDue) {
        if (wanted && now >= this.graceUntil) work.push(lease.acquire().catch(() => false));
        else work.push(this.readHolder(lease));
      }
      if (acquireDue) work.push(this.readCounter(shop));
    }
    await Promise.all(work.map((p) => p.catch(() => undefined)));
    if (this.publisher.backlog() > 0) await this.publisher.flush();
  }

  private async readHolder(lease: ShopLease): Promise<void> {
    const v = await this.conn.run((c) => c.get(shopKeys(lease.shop).lease));
    const before = lease.holder;
    lease.holder = holderName(v);
    if (before !== lease.holder) this.opts.hooks.changed();
  }

  private async readCounter(shop: ShopId): Promise<void> {
    const v = await this.conn.run((c) => c.get(shopKeys(shop).seq));
    const counter = v === null ? 0 : Number(v);
    if (!Number.isSafeInteger(counter)) return;
    this.reader.checkCounter(shop, counter);
    const view = this.view(shop);
    if (view.counter !== counter) {
      view.counter = counter;
      this.opts.hooks.changed();
    }
  }
}

async function loadSeatId(dir: string): Promise<string> {
  const file = path.join(dir, SEAT_ID_FILE);
  try {
    const id = (await readFile(file, 'utf8')).trim();
    if (/^[A-Za-z0-9-]{8,64}$/.test(id)) return id;
  } catch {
    // First start in team mode.
  }
  const id = randomUUID();
  await writeFile(file, id, { mode: PRIVATE_FILE_MODE });
  return id;
}
