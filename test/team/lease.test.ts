/**
 * The consumer lease against a real redis-server: one holder, the check before a consume that
 * extends it, fencing (a seat whose lease was taken, or whose check came back after its deadline,
 * may not consume), and the outage rule (kept only when the server went away within the deadline).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/main/core/clock';
import type { TeamConnection } from '../../src/main/core/team/connection';
import { ShopLease } from '../../src/main/core/team/lease';
import { JumpClock, openConnection, until } from './helpers';
import { RedisServer, redisAvailable, SKIP_REASON } from './redisServer';

const available = redisAvailable();
if (!available) console.warn(`team lease tests skipped: ${SKIP_REASON}`);

describe.skipIf(!available)('consumer lease', () => {
  let redis: RedisServer;
  const conns: TeamConnection[] = [];
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    for (const c of conns) c.close();
    await redis?.close();
  });

  async function seat(name: string, clock = systemClock, ttl = 1_000) {
    const conn = openConnection(redis.url);
    conns.push(conn);
    await conn.whenReady();
    const changes: string[] = [];
    const lease = new ShopLease(
      `shop-${shopNo}`,
      `${name}-token|${name}`,
      conn,
      clock,
      {
        leaseTtlMs: ttl,
        safetyMs: 200,
      },
      (l) => changes.push(l.current),
    );
    return { conn, lease, changes };
  }
  let shopNo = 0;

  it('one holder at a time; the others see who holds it', async () => {
    shopNo++;
    const a = await seat('A');
    const b = await seat('B');
    expect(await a.lease.acquire()).toBe(true);
    expect(await b.lease.acquire()).toBe(false);
    expect(b.lease.holder).toBe('A');
    expect(b.lease.current).toBe('none');
    expect(a.lease.current).toBe('held');
    // The check before a consume extends the lease past its first TTL.
    for (let i = 0; i < 6; i++) {
      expect(await a.lease.check()).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(await b.lease.acquire()).toBe(false);
    await a.lease.release();
    expect(await b.lease.acquire()).toBe(true);
    expect(await a.lease.check()).toBe(false);
  });

  it('a paused holder whose lease expired and was taken may not consume when it wakes', async () => {
    shopNo++;
    const a = await seat('A');
    const b = await seat('B');
    expect(await a.lease.acquire()).toBe(true);
    // A does nothing (stopped) for longer than the TTL; B takes the free lease.
    await until(() => b.lease.acquire(), 3_000, 'B to take the expired lease');
    expect(await a.lease.check()).toBe(false);
    expect(a.lease.current).toBe('none');
    expect(a.changes).toEqual(['held', 'none']);
  });

  it('a check whose answer comes back after the deadline does not count, even if the server said yes', async () => {
    shopNo++;
    const clock = new JumpClock();
    const a = await seat('A', clock);
    expect(await a.lease.acquire()).toBe(true);
    // The process stalls for a whole TTL right after sending the check.
    clock.pauseAfterNextRead = 1_000;
    expect(await a.lease.check()).toBe(false);
    expect(a.lease.current).toBe('none');
  });

  it('kept through an outage only when the server went away within the deadline; reasserted after', async () => {
    shopNo++;
    const a = await seat('A', systemClock, 3_000);
    const b = await seat('B', systemClock, 3_000);
    expect(await a.lease.acquire()).toBe(true);
    await redis.stop();
    await until(() => !a.conn.ready, 3_000, 'the connection to drop');
    expect(await a.lease.check()).toBe(true);
    expect(a.lease.current).toBe('outage');
    await expect(b.lease.acquire()).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 3_200));
    // Long past the TTL: still the outage holder, and still the only one who may consume.
    expect(await a.lease.check()).toBe(true);
    await redis.startAgain();
    await until(() => a.conn.ready && b.conn.ready, 10_000, 'reconnection');
    expect(await a.lease.acquire()).toBe(true);
    expect(await b.lease.acquire()).toBe(false);
    expect(b.lease.holder).toBe('A');
  });

  it('a holder past its deadline when the server goes away loses the lease', async () => {
    shopNo++;
    const clock = new JumpClock();
    const a = await seat('A', clock, 1_000);
    expect(await a.lease.acquire()).toBe(true);
    clock.offset += 2_000;
    a.lease.serverLost();
    expect(a.lease.current).toBe('none');
    expect(await a.lease.check()).toBe(false);
  });
});
