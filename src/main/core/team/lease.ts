/**
 * The consumer lease of one shop: a Redis key holding `<token>|<seat name>` with a TTL. The seat
 * that holds it is the only one that may call consume for the shop.
 *
 * Fencing. The gateway knows nothing of leases, so the guard sits on our side, right before each
 * consume call: one script checks that the key still holds this seat's token and extends it
 * (atomic on the server: nobody can take the key between the check and the extension). The answer
 * only counts if it came back within the TTL (less a safety margin) of the moment the check was
 * sent, so a seat that was paused (a sleeping laptop, a stopped process) while the check was out
 * cannot act on it. A failed renewal is a lost lease, with one exception: the server became
 * unreachable while the lease was still provably ours (within its deadline). Then the seat keeps
 * consuming on that belief ("outage") and publishes what it took once the server is back; the
 * other seats cannot take the lease while the server is down, so nobody else consumes meanwhile.
 * What no client-side check can close: a pause between the check and the request leaving the
 * machine (the same instant in the event loop); the margin covers the request's way out.
 */
import type { ShopId } from '../../../shared/domain';
import type { Clock } from '../clock';
import { TeamUnreachable, type TeamConnection } from './connection';
import { shopKeys } from './keys';

/** Takes the key when it is free, extends it when it is ours; answers who holds it now. */
const ACQUIRE = `
local v = redis.call('get', KEYS[1])
if v == false then
  redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[2])
  return ARGV[1]
end
if v == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) end
return v`;

/** Extends the key only while it is ours: 1, or 0 when it is gone or someone else's. */
const CHECK = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('pexpire', KEYS[1], ARGV[2])
  return 1
end
return 0`;

const RELEASE = `
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;

export type LeaseRole =
  /** Someone else holds it, or nobody does. */
  | 'none'
  /** Ours, checked with the server within the deadline. */
  | 'held'
  /** Ours when the server went away; kept until the server is back. */
  | 'outage';

export interface LeaseTimings {
  leaseTtlMs: number;
  safetyMs: number;
}

/** The holder's seat name from a lease value. */
export function holderName(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const bar = value.indexOf('|');
  return bar < 0 ? value : value.slice(bar + 1);
}

export class ShopLease {
  private role: LeaseRole = 'none';
  /** The local deadline of a held lease. */
  private validUntil = Number.NEGATIVE_INFINITY;
  /** The seat holding the lease, as last seen (this seat's name when it holds it). */
  holder?: string;
  private readonly key: string;

  constructor(
    readonly shop: ShopId,
    /** `<token>|<seat name>`: the token is this run's, so a restarted seat never renews its old lease. */
    private readonly value: string,
    private readonly conn: TeamConnection,
    private readonly clock: Clock,
    private readonly timings: LeaseTimings,
    /** The role changed. */
    private readonly changed: (lease: ShopLease) => void,
  ) {
    this.key = shopKeys(shop).lease;
  }

  get current(): LeaseRole {
    return this.role;
  }

  /** Whether this seat may consume now, without asking the server (for the scheduler's shop set). */
  get consuming(): boolean {
    return this.role === 'outage' || (this.role === 'held' && this.clock.now() < this.validUntil);
  }

  /** Takes the lease if free (or reasserts it if still ours). Errors are left to the caller. */
  async acquire(): Promise<boolean> {
    const sentAt = this.clock.now();
    const v = await this.conn.run((c) =>
      c.eval(ACQUIRE, { keys: [this.key], arguments: [this.value, String(this.timings.leaseTtlMs)] }),
    );
    this.holder = holderName(typeof v === 'string' ? v : null);
    if (v === this.value) this.hold(sentAt);
    else this.set('none');
    return this.role === 'held';
  }

  /**
   * The check before a consume call (and the periodic renewal): true only if the server confirmed
   * the lease within the deadline, or the server is unreachable and the lease was ours when it went.
   */
  async check(): Promise<boolean> {
    if (this.role === 'outage') return true;
    if (this.role !== 'held') return false;
    const sentAt = this.clock.now();
    let answer: unknown;
    try {
      answer = await this.conn.run((c) =>
        c.eval(CHECK, { keys: [this.key], arguments: [this.value, String(this.timings.leaseTtlMs)] }),
      );
    } catch (e) {
      if (e instanceof TeamUnreachable) this.serverLost();
      else this.set('none');
      return this.consuming;
    }
    if (answer === 1) this.hold(sentAt);
    else this.set('none');
    return this.consuming;
  }

  /** The server went away: a lease within its deadline is kept through the outage. */
  serverLost(): void {
    if (this.role !== 'held') return;
    this.set(this.clock.now() < this.validUntil ? 'outage' : 'none');
  }

  /** Gives the lease up (quit, pause, sleep) so another seat takes over at once. */
  async release(): Promise<void> {
    const was = this.role;
    this.set('none');
    if (was === 'none') return;
    try {
      await this.conn.run((c) => c.eval(RELEASE, { keys: [this.key], arguments: [this.value] }));
    } catch {
      // Unreachable: the key expires by itself.
    }
  }

  /** Forgets the lease without telling the server (a seat that stops for good while unreachable). */
  drop(): void {
    this.set('none');
  }

  private hold(sentAt: number): void {
    this.validUntil = sentAt + this.timings.leaseTtlMs - this.timings.safetyMs;
    this.holder = holderName(this.value);
    this.set(this.clock.now() < this.validUntil ? 'held' : 'none');
  }

  private set(role: LeaseRole): void {
    if (role === this.role) return;
    this.role = role;
    this.changed(this);
  }
}
