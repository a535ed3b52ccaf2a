/**
 * Team mode's names and timings in Redis. Every key of a shop carries the shop id in braces (a
 * hash tag), so a clustered Redis keeps a shop's lease, stream and counter in one slot and the
 * scripts that touch two of them stay legal there.
 */
import type { ShopId } from '../../../shared/domain';

export interface ShopKeys {
  /** The consumer lease: `<token>|<seat name>` with a TTL. */
  lease: string;
  /** The shop's stream of consumed entries. */
  stream: string;
  /** How many entries were ever appended to the stream: each entry carries its number. */
  seq: string;
}

export function shopKeys(shop: ShopId): ShopKeys {
  const tag = `tradebell:{${shop}}`;
  return { lease: `${tag}:lease`, stream: `${tag}:stream`, seq: `${tag}:seq` };
}

export interface TeamTimings {
  /** The lease's TTL: how long a consumer that stopped answering blocks the others. */
  leaseTtlMs: number;
  /** How often the holder extends the lease (besides the check before every consume). */
  renewEveryMs: number;
  /** How often a seat that does not consume tries to take a free lease. */
  acquireEveryMs: number;
  /**
   * Taken off the TTL for the holder's own deadline: the lease is believed only while the time
   * since the check was sent is below the TTL less this, so a consume call is on its way well
   * before the key can expire on the server.
   */
  safetyMs: number;
  /** A command without an answer after this long counts as the server being unreachable. */
  commandTimeoutMs: number;
  /** XREAD BLOCK's wait; the reader also picks up a change of shops at this pace. */
  blockMs: number;
}

export const DEFAULT_TIMINGS: TeamTimings = {
  leaseTtlMs: 10_000,
  renewEveryMs: 3_000,
  acquireEveryMs: 2_000,
  safetyMs: 1_500,
  commandTimeoutMs: 2_500,
  blockMs: 2_000,
};

/**
 * Entries each shop's stream keeps (XADD MAXLEN ~): at about 1 KB an entry this is tens of MB per
 * shop, within the smallest managed instances, and days of a busy shop's messages.
 */
export const DEFAULT_RETENTION_ENTRIES = 50_000;
