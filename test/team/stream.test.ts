/**
 * The stream against a real redis-server: what the consumer publishes every seat reads in order
 * from its saved position; a seat behind the trim says how much it missed; a batch the server
 * could not take waits in the outbox on disk (across a restart of the seat), keeps its order, and
 * is published with the mark that tells its own seat it already has it; a stream lost with a
 * server restart is noticed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/core/ports';
import type { TeamConnection } from '../../src/main/core/team/connection';
import { decodeEntries, encodeEntries } from '../../src/main/core/team/entry';
import { StreamPublisher } from '../../src/main/core/team/publisher';
import { StreamReader, type EntryGroup } from '../../src/main/core/team/reader';
import { openConnection, until } from './helpers';
import { RedisServer, redisAvailable, SKIP_REASON } from './redisServer';

const available = redisAvailable();
if (!available) console.warn(`team stream tests skipped: ${SKIP_REASON}`);

/** Entries of one message each, numbered: `m<k>`. */
function entries(from: number, count: number): string[] {
  return encodeEntries({
    messages: Array.from({ length: count }, (_, i) => ({ rowId: String(from + i), msgData: `m${from + i}` })),
    malformed: [],
  });
}

function texts(groups: EntryGroup[]): string[] {
  return groups.flatMap((g) => decodeEntries(g.entries).messages.map((m) => String(m.msgData)));
}

describe.skipIf(!available)('team stream', () => {
  let redis: RedisServer;
  let dir: string;
  const conns: TeamConnection[] = [];
  let shopNo = 0;
  beforeAll(async () => {
    // Small stream nodes, so that MAXLEN ~ trims at the small retentions used here.
    redis = await RedisServer.start(['--stream-node-max-entries', '4']);
    dir = await mkdtemp(join(tmpdir(), 'tradebell-stream-'));
  });
  afterAll(async () => {
    for (const c of conns) c.close();
    await redis?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function connection(): Promise<TeamConnection> {
    const conn = openConnection(redis.url);
    conns.push(conn);
    await conn.whenReady();
    return conn;
  }

  async function reader(name: string, conn: TeamConnection, seatId = name) {
    const got: { shop: string; groups: EntryGroup[] }[] = [];
    const missed: number[] = [];
    const resets: string[] = [];
    const r = await StreamReader.open({
      conn,
      seatId,
      dir: join(dir, name),
      blockMs: 200,
      commandTimeoutMs: 1_000,
      logger: silentLogger,
      hooks: {
        deliver: async (shop, groups) => void got.push({ shop, groups }),
        missed: (_shop, n) => void missed.push(n),
        reset: (shop) => void resets.push(shop),
        progressed: () => undefined,
      },
    });
    return { r, got, missed, resets, all: () => got.flatMap((g) => texts(g.groups)) };
  }

  async function publisher(name: string, conn: TeamConnection, retentionEntries = 10_000) {
    return StreamPublisher.open(join(dir, name), { conn, seatId: name, retentionEntries, logger: silentLogger });
  }

  it('every reader gets every entry once, in order, with the time it was consumed; positions survive a restart', async () => {
    const shop = `s${++shopNo}`;
    const conn = await connection();
    const pub = await publisher('p1', conn);
    const a = await reader('r1a', conn);
    a.r.setShops([shop]);
    a.r.start();
    expect(await pub.offer(shop, entries(1, 5), 1_000)).toEqual({});
    expect(await pub.offer(shop, entries(6, 5), 2_000)).toEqual({});
    await until(() => a.all().length === 10, 5_000, 'ten entries');
    expect(a.all()).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 1}`));
    expect(a.got.flatMap((g) => g.groups.map((x) => x.receivedAt))).toEqual([1_000, 2_000]);
    await a.r.stop();
    // A restarted seat reads on from its position: only what came after.
    await pub.offer(shop, entries(11, 3), 3_000);
    const again = await reader('r1a', conn);
    again.r.setShops([shop]);
    again.r.start();
    await until(() => again.all().length === 3, 5_000, 'the three new entries');
    await new Promise((r) => setTimeout(r, 300));
    expect(again.all()).toEqual(['m11', 'm12', 'm13']);
    expect(again.missed).toEqual([]);
    await again.r.stop();
    await pub.close();
  });

  it('a seat that fell behind the trim says how many entries it missed', async () => {
    const shop = `s${++shopNo}`;
    const conn = await connection();
    const pub = await publisher('p2', conn, 8);
    const a = await reader('r2', conn);
    a.r.setShops([shop]);
    a.r.start();
    await pub.offer(shop, entries(1, 2), 1);
    await until(() => a.all().length === 2, 5_000, 'two entries');
    await a.r.stop();
    for (let i = 0; i < 10; i++) await pub.offer(shop, entries(3 + i * 10, 10), 2);
    const back = await reader('r2', conn);
    back.r.setShops([shop]);
    back.r.start();
    await until(() => back.missed.length > 0, 5_000, 'the gap to be reported');
    const got = back.all();
    const first = Number(got[0]!.slice(1));
    // Everything from the first entry still kept is read; what came before it is counted.
    expect(back.missed).toEqual([first - 3]);
    expect(got).toEqual(Array.from({ length: 102 - first + 1 }, (_, i) => `m${first + i}`));
    await back.r.stop();
    await pub.close();
  });

  it('keeps what the server cannot take, in order, across a restart of the seat, and publishes it marked', async () => {
    const shop = `s${++shopNo}`;
    const conn = await connection();
    const pub = await publisher('p3', conn);
    await pub.offer(shop, entries(1, 2), 1);
    await redis.stop({ save: true });
    await until(() => !conn.ready, 3_000, 'the connection to drop');
    const kept1 = (await pub.offer(shop, entries(3, 2), 2)).kept;
    expect(kept1?.entries).toHaveLength(2);
    await pub.markStored(kept1!);
    const kept2 = (await pub.offer(shop, entries(5, 2), 3)).kept;
    expect(pub.backlog(shop)).toBe(4);
    // The seat stops before it stored the second batch; its next run finds both.
    await pub.close();
    const next = await publisher('p3', conn);
    expect(next.backlog(shop)).toBe(4);
    expect(next.unstored().map((b) => b.id)).toEqual([kept2!.id]);
    await redis.startAgain();
    await until(() => conn.ready, 10_000, 'reconnection');
    // The stored batch goes out; the one not yet stored here holds the shop's later ones back.
    await next.flush();
    expect(next.backlog(shop)).toBe(2);
    expect((await next.offer(shop, entries(7, 1), 4)).kept).toBeDefined();
    for (const b of next.unstored()) await next.markStored(b);
    await next.flush();
    expect(next.backlog(shop)).toBe(0);

    const own = await reader('r3own', conn, 'p3');
    const other = await reader('r3other', conn);
    for (const x of [own, other]) {
      x.r.setShops([shop]);
      x.r.start();
    }
    await until(() => other.all().length === 7, 5_000, 'the backlog at the other seat');
    expect(other.all()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    await until(() => own.r.position(shop).n === 7, 5_000, 'the own seat to pass the backlog');
    // Its own seat stored the backlog when it kept it: it reads past it without storing it again.
    expect(own.all()).toEqual(['m1', 'm2']);
    for (const x of [own, other]) await x.r.stop();
    await next.close();
  });

  it('notices a stream lost with a server restart and reads the new one from its start', async () => {
    const shop = `s${++shopNo}`;
    const conn = await connection();
    const pub = await publisher('p4', conn);
    const a = await reader('r4', conn);
    a.r.setShops([shop]);
    a.r.start();
    await pub.offer(shop, entries(1, 5), 1);
    await until(() => a.all().length === 5, 5_000, 'five entries');
    await redis.stop({ save: false });
    await redis.startAgain();
    await until(() => conn.ready, 10_000, 'reconnection');
    await pub.offer(shop, entries(6, 2), 2);
    await until(() => a.all().length === 7, 5_000, 'the new stream');
    expect(a.resets).toEqual([shop]);
    await a.r.stop();
    await pub.close();
  });
});
