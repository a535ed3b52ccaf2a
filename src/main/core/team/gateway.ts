/**
 * The lease check in front of the scheduler's consume calls. The scheduler knows nothing of teams:
 * it calls this as its gateway, and a call for a shop this seat may not consume never reaches the
 * gateway. It answers as an empty batch would (nothing consumed, nothing billed), marked `notSent`
 * so that the scheduler's pacing learns nothing about the network from it; the lost lease has
 * already taken the shop out of the scheduler's set, so no further call is planned.
 *
 * The check is a round trip to the team server between the scheduler's paced start and the call,
 * and its time varies: calls started evenly could leave in bunches and arrive at the gateway more
 * than 10 in a second. The scheduler's pacing learns the longer way from the answers, but only
 * after the fact; so the calls are also paced here, as they leave: evenly, one per tenth of the
 * gateway's window plus twice the fixed arrival margin (a team seat also stores the stream's
 * entries on the same thread, so the time from a call's turn to its bytes on the wire varies
 * more). Each call counts from when the thread next got to run after handing it over, not from its
 * turn: a call held up by a busy or stalled thread pushes the next ones back instead of leaving in
 * a bunch with them. The lease's local deadline is looked at once more just before the call.
 */
import { ok } from '../../../shared/result';
import type { ShopId } from '../../../shared/domain';
import type { Clock } from '../clock';
import type { ConsumeOk, Gateway } from '../gateway/types';
import { ARRIVAL_MARGIN_MS, CONSUME_RATE_PER_SECOND, GATEWAY_WINDOW_MS } from '../intake/pauses';

const GAP_MS = (GATEWAY_WINDOW_MS + 2 * ARRIVAL_MARGIN_MS) / CONSUME_RATE_PER_SECOND;

export interface LeaseGuard {
  /** Asks the team server: may this seat consume the shop now? */
  admit(shop: ShopId): Promise<boolean>;
  /** The same, from what the seat knows locally (the lease's deadline): no round trip. */
  holds(shop: ShopId): boolean;
}

const NOT_SENT: ConsumeOk = { messages: [], malformed: [], cost: 0, notSent: true };

/** `guard()` is read at each call: undefined when team mode is off (calls go straight through). */
export function leaseGuarded(inner: Gateway, guard: () => LeaseGuard | undefined, clock: Clock): Gateway {
  /** When the last call was handed over (moved later once the thread got to run after it). */
  let last = Number.NEGATIVE_INFINITY;
  return {
    async consume(shop, req, opts) {
      const g = guard();
      if (!g) return inner.consume(shop, req, opts);
      if (!(await g.admit(shop))) return ok(NOT_SENT);
      for (let at = last + GAP_MS; at > clock.now(); at = last + GAP_MS)
        await clock.sleep(at - clock.now(), opts?.signal);
      if (!g.holds(shop)) return ok(NOT_SENT);
      last = clock.now();
      const call = inner.consume(shop, req, opts);
      setImmediate(() => (last = Math.max(last, clock.now())));
      return call;
    },
    remark: (shop, req, opts) => inner.remark(shop, req, opts),
  };
}
