/**
 * B5: what team mode's stream costs. A real redis-server on loopback; the consumer's side in this
 * process (the real StreamPublisher, as the app's onBatch uses it); three seats, each the real
 * Seat in a process of its own storing into a real Inbox (bench/teamSeatChild.ts). Every figure is
 * from the consumer receiving a batch (the moment onBatch is called) to a seat having it on disk.
 *
 * - Latency: small batches (1 to 5 messages, as a quiet shop's answers are) every 50 ms. The
 *   baseline, in the same run: the same batches stored straight into an Inbox here, as a seat
 *   without team mode stores them. The stream adds the difference.
 * - Drain: 20,000 messages offered at the gateway's bound (batches of 200 every 100 ms: 2,000
 *   msg/s); each seat's rate = messages / time from the first batch offered to its last stored.
 *
 * The app's settings: default timings and retention; the seats read with XREAD BLOCK as in the app.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Inbox } from '../src/main/core/inbox/inbox';
import { decodeBatch } from '../src/main/core/intake/decoder';
import { silentLogger } from '../src/main/core/ports';
import { TeamConnection } from '../src/main/core/team/connection';
import { encodeEntries } from '../src/main/core/team/entry';
import { DEFAULT_RETENTION_ENTRIES, DEFAULT_TIMINGS } from '../src/main/core/team/keys';
import { StreamPublisher } from '../src/main/core/team/publisher';
import { RedisServer, redisAvailable, SKIP_REASON } from '../test/team/redisServer';
import { backlog, wireBatches } from './backlog';
import { latencyOf, percentile, type Latency } from './stats';
import { check, type Target } from './targets';
import type { SeatReply, SeatRequest } from './teamSeatChild';

export interface B5Options {
  latencyBatches?: number;
  drainMessages?: number;
  seats?: number;
}

export interface B5Result {
  settings: Required<B5Options>;
  ran: boolean;
  latency?: { stream: Latency; direct: Latency; perSeatP95: number[] };
  drain?: { offeredMs: number; perSeat: { stored: number; ms: number; rate: number }[] };
  targets: Target[];
}

const DEFAULTS: Required<B5Options> = { latencyBatches: 400, drainMessages: 20_000, seats: 3 };
const LATENCY_TARGET_MS = 100;
const DRAIN_BOUND = 2_000;
const DRAIN_SHARE = 0.95;
const DRAIN_BATCH = 200;
const DRAIN_EVERY_MS = 100;
const LATENCY_EVERY_MS = 50;
const CHILD = fileURLToPath(new URL('./teamSeatChild.ts', import.meta.url));
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class SeatProcess {
  private constructor(private readonly child: ChildProcess) {}
  static async start(req: Extract<SeatRequest, { type: 'start' }>): Promise<SeatProcess> {
    const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const s = new SeatProcess(child);
    const r = await s.ask(req);
    if (r.type !== 'ready') throw new Error(`seat: ${JSON.stringify(r)}`);
    return s;
  }
  ask(req: SeatRequest): Promise<SeatReply> {
    return new Promise((resolve, reject) => {
      this.child.once('message', (m: SeatReply) => resolve(m));
      this.child.once('exit', (code) => reject(new Error(`seat exited (${code})`)));
      this.child.send(req);
    });
  }
  async storedAt(): Promise<Record<string, number>> {
    const r = await this.ask({ type: 'report' });
    if (r.type !== 'report') throw new Error(`seat: ${JSON.stringify(r)}`);
    return r.storedAt;
  }
  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'close' } satisfies SeatRequest);
    await exited;
  }
}

/** Waits until every seat has stored every id (or the time is up). */
async function settle(seats: SeatProcess[], ids: readonly string[], ms: number): Promise<Record<string, number>[]> {
  const end = Date.now() + ms;
  for (;;) {
    const all = await Promise.all(seats.map((s) => s.storedAt()));
    if (all.every((a) => ids.every((id) => a[id] !== undefined)) || Date.now() > end) return all;
    await sleep(200);
  }
}

export async function runB5(opts: B5Options = {}): Promise<B5Result> {
  const settings = { ...DEFAULTS, ...opts };
  if (!redisAvailable()) {
    const why = SKIP_REASON;
    return {
      settings,
      ran: false,
      targets: [
        { bench: 'B5', statement: 'stream latency', verdict: 'NOT RUN', reason: why },
        { bench: 'B5', statement: 'drain', verdict: 'NOT RUN', reason: why },
      ],
    };
  }
  const redis = await RedisServer.start();
  const dir = await mkdtemp(path.join(tmpdir(), 'tradebell-b5-'));
  const conn = new TeamConnection({
    url: redis.url,
    commandTimeoutMs: DEFAULT_TIMINGS.commandTimeoutMs,
    logger: silentLogger,
    onState: () => undefined,
  });
  conn.open();
  await conn.whenReady();
  const seats: SeatProcess[] = [];
  try {
    /** One seat process per seat, each with its own folder, reading `shop`'s stream. */
    const startSeats = async (shop: string, folder: string) => {
      for (let i = 0; i < settings.seats; i++)
        seats.push(
          await SeatProcess.start({
            type: 'start',
            url: redis.url,
            shop,
            dir: path.join(dir, `${folder}-${i}`),
            name: `S${i}`,
          }),
        );
    };
    const publisher = await StreamPublisher.open(path.join(dir, 'consumer'), {
      conn,
      seatId: 'bench-consumer',
      retentionEntries: DEFAULT_RETENTION_ENTRIES,
      logger: silentLogger,
    });
    const direct = await Inbox.open(path.join(dir, 'direct'));

    // Latency: one shop, small batches.
    const latShop = 'bench-latency';
    await startSeats(latShop, 'lat');
    const latMessages = backlog(51, latShop, settings.latencyBatches * 3, Date.now());
    const sentAt = new Map<string, number>();
    const directLatency: number[] = [];
    let offset = 0;
    for (let b = 0; b < settings.latencyBatches && offset < latMessages.length; b++) {
      const size = 1 + (b % 5);
      const slice = latMessages.slice(offset, offset + size);
      offset += size;
      const [batch] = wireBatches(slice, latShop, size);
      const t0 = now();
      const ids = slice.map((m) => m.id);
      for (const id of ids) if (!sentAt.has(id)) sentAt.set(id, t0);
      await publisher.offer(latShop, encodeEntries({ messages: batch!, malformed: [] }), Date.now());
      // The baseline: the same batch decoded and stored here, as without team mode.
      const d0 = now();
      const decoded = decodeBatch(latShop, batch!, [], Date.now());
      await direct.append(decoded.messages);
      directLatency.push(now() - d0);
      await sleep(LATENCY_EVERY_MS);
    }
    const latStored = await settle(seats, [...sentAt.keys()], 30_000);
    const perSeat = latStored.map((stored) =>
      [...sentAt].flatMap(([id, t]) => (stored[id] === undefined ? [] : [stored[id]! - t])),
    );
    const all = perSeat.flat();
    for (const s of seats.splice(0)) await s.close();

    // Drain: 20,000 offered at 2,000 msg/s.
    const drainShop = 'bench-drain';
    await startSeats(drainShop, 'drain');
    const drainMessages = backlog(52, drainShop, settings.drainMessages, Date.now());
    const batches = wireBatches(drainMessages, drainShop, DRAIN_BATCH);
    const start = now();
    for (let b = 0; b < batches.length; b++) {
      const due = start + b * DRAIN_EVERY_MS;
      if (due > now()) await sleep(due - now());
      await publisher.offer(drainShop, encodeEntries({ messages: batches[b]!, malformed: [] }), Date.now());
    }
    const offeredMs = now() - start;
    const unique = [...new Set(drainMessages.map((m) => m.id))];
    const drainStored = await settle(seats, unique, 60_000);
    const drainPerSeat = drainStored.map((stored) => {
      const times = unique.flatMap((id) => (stored[id] === undefined ? [] : [stored[id]!]));
      const ms = Math.max(...times) - start;
      return { stored: times.length, ms, rate: (drainMessages.length / ms) * 1000 };
    });

    await publisher.close();
    await direct.close();
    const stream = latencyOf(all);
    const directLat = latencyOf(directLatency);
    const perSeatP95 = perSeat.map((l) => percentile(l, 95));
    const complete = drainPerSeat.every((s) => s.stored === unique.length);
    const minRate = Math.min(...drainPerSeat.map((s) => s.rate));
    return {
      settings,
      ran: true,
      latency: { stream, direct: directLat, perSeatP95 },
      drain: { offeredMs, perSeat: drainPerSeat },
      targets: [
        check(
          'B5',
          `stream latency p95 ≤ ${LATENCY_TARGET_MS} ms on loopback, consumer's batch to every seat's disk`,
          stream.p95 <= LATENCY_TARGET_MS && all.length === sentAt.size * settings.seats,
          `p95 ${stream.p95.toFixed(1)} ms (per seat ${perSeatP95.map((p) => p.toFixed(1)).join(', ')} ms; max ${stream.max.toFixed(1)} ms) against ${directLat.p95.toFixed(1)} ms p95 to store the same batches without the stream: the stream adds about ${(stream.p95 - directLat.p95).toFixed(1)} ms; ${all.length} of ${sentAt.size * settings.seats} stored`,
        ),
        check(
          'B5',
          `${settings.drainMessages.toLocaleString('en')} messages through the stream, every seat ≥ ${DRAIN_SHARE * 100} % of ${DRAIN_BOUND.toLocaleString('en')} msg/s`,
          complete && minRate >= DRAIN_SHARE * DRAIN_BOUND,
          `offered in ${(offeredMs / 1000).toFixed(2)} s; per seat ${drainPerSeat.map((s) => `${Math.round(s.rate).toLocaleString('en')} msg/s (${((s.rate / DRAIN_BOUND) * 100).toFixed(1)} %, ${s.stored.toLocaleString('en')} of ${unique.length.toLocaleString('en')} ids stored)`).join('; ')}`,
        ),
      ],
    };
  } finally {
    for (const s of seats) await s.close().catch(() => undefined);
    conn.close();
    await redis.close();
    await rm(dir, { recursive: true, force: true });
  }
}
