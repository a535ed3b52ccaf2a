/**
 * Three seats in one process against a real redis-server, with short timings: one consumer per
 * shop; a seat that quits hands over; while the server is down only the holder consumes, stores
 * at once and publishes its backlog when the server is back, and gets the lease back first; every
 * seat ends with every entry exactly once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/main/core/clock';
import { silentLogger } from '../../src/main/core/ports';
import { decodeEntries } from '../../src/main/core/team/entry';
import { Seat } from '../../src/main/core/team/seat';
import { until } from './helpers';
import { RedisServer, redisAvailable, SKIP_REASON } from './redisServer';

const available = redisAvailable();
if (!available) console.warn(`team seat tests skipped: ${SKIP_REASON}`);

const TIMINGS = {
  leaseTtlMs: 1_500,
  renewEveryMs: 300,
  acquireEveryMs: 200,
  safetyMs: 300,
  commandTimeoutMs: 500,
  blockMs: 300,
};

interface TestSeat {
  name: string;
  seat: Seat;
  /** msg_data of every entry stored, in order. */
  stored: string[];
}

describe.skipIf(!available)('seats', () => {
  let redis: RedisServer;
  let dir: string;
  const open: TestSeat[] = [];
  beforeAll(async () => {
    redis = await RedisServer.start();
    dir = await mkdtemp(join(tmpdir(), 'tradebell-seat-'));
  });
  afterAll(async () => {
    for (const s of open) await s.seat.close();
    await redis?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function seat(name: string, shops: string[]): Promise<TestSeat> {
    const t: TestSeat = { name, seat: undefined as unknown as Seat, stored: [] };
    t.seat = await Seat.open({
      url: redis.url,
      seatName: name,
      dataDir: join(dir, name),
      inboxDir: join(dir, name, 'inbox'),
      clock: systemClock,
      logger: silentLogger,
      timings: TIMINGS,
      hooks: {
        consumingChanged: () => undefined,
        store: async (_shop, groups) => {
          for (const g of groups) for (const m of decodeEntries(g.entries).messages) t.stored.push(String(m.msgData));
        },
        changed: () => undefined,
      },
    });
    t.seat.setShops(shops, shops);
    await t.seat.start();
    open.push(t);
    return t;
  }

  const consumers = (seats: TestSeat[], shop: string) => seats.filter((s) => s.seat.consumingShops().includes(shop));
  const batch = (from: number, n: number) => ({
    messages: Array.from({ length: n }, (_, i) => ({ rowId: String(from + i), msgData: `m${from + i}` })),
    malformed: [],
  });

  it('one consumer; a seat that quits hands the shop over; through an outage only the holder consumes', async () => {
    const shop = 'team-shop';
    const seats = [await seat('A', [shop]), await seat('B', [shop]), await seat('C', [shop])];
    await until(() => consumers(seats, shop).length === 1, 5_000, 'one consumer');
    // Stable: over several TTLs nobody else takes it.
    for (let i = 0; i < 10; i++) {
      expect(consumers(seats, shop)).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 300));
    }
    let holder = consumers(seats, shop)[0]!;
    expect(await holder.seat.admit(shop)).toBe(true);
    for (const s of seats) if (s !== holder) expect(await s.seat.admit(shop)).toBe(false);
    await holder.seat.consumed(shop, batch(1, 3), 1);
    await until(() => seats.every((s) => s.stored.length === 3), 5_000, 'every seat to store the batch');

    // The holder quits: it releases the lease and another seat takes it within a round.
    await holder.seat.close();
    const rest = seats.filter((s) => s !== holder);
    await until(() => consumers(rest, shop).length === 1, 3_000, 'a new consumer');
    holder = consumers(rest, shop)[0]!;
    const other = rest.find((s) => s !== holder)!;
    await holder.seat.consumed(shop, batch(4, 2), 2);
    await until(() => rest.every((s) => s.stored.length === 5), 5_000, 'both to store');

    // The server goes down: the holder keeps consuming and storing; the other does not consume.
    await redis.stop({ save: true });
    await until(() => holder.seat.status().server === 'unreachable', 5_000, 'the outage to show');
    expect(other.seat.status().server).toBe('unreachable');
    expect(await holder.seat.admit(shop)).toBe(true);
    expect(await other.seat.admit(shop)).toBe(false);
    await holder.seat.consumed(shop, batch(6, 4), 3);
    expect(holder.stored).toHaveLength(9);
    expect(holder.seat.status().shops[0]!.backlog).toBe(4);
    // Longer than the lease TTL: the key will have expired when the server returns.
    await new Promise((r) => setTimeout(r, 2_000));
    await redis.startAgain();
    await until(() => other.stored.length === 9, 10_000, 'the backlog to reach the other seat');
    // Marked sent in the outbox just after the stream took it.
    await until(() => holder.seat.status().shops[0]!.backlog === 0, 5_000, 'the backlog to be marked sent');
    // The holder got its lease back; the other waited out its grace and did not take it.
    await new Promise((r) => setTimeout(r, 2 * TIMINGS.leaseTtlMs));
    expect(consumers(rest, shop)).toEqual([holder]);
    const expected = Array.from({ length: 9 }, (_, i) => `m${i + 1}`);
    for (const s of rest) expect([...s.stored].sort()).toEqual([...expected].sort());
    expect(holder.stored).toEqual(expected);
  }, 60_000);
});
