/**
 * The CLI's --once: consume every shop until an empty answer, then stop. Bounded: transient errors
 * are retried with the scheduler's back-off a few times, errors that will not heal end that shop
 * at once, and a queue that never empties stops after DRAIN_MAX_CALLS rather than bill forever.
 */
import type { ShopId } from '../../../shared/domain';
import type { AppError } from '../../../shared/errors';
import type { Clock } from '../clock';
import type { ConsumeOk, Gateway } from '../gateway/types';
import { planForError } from './policy';

const DRAIN_MAX_CALLS = 10_000;
const DRAIN_MAX_ATTEMPTS = 5;

export interface DrainDeps {
  gateway: Gateway;
  shops: readonly ShopId[];
  quantity: number;
  clock: Clock;
  random: () => number;
  signal: AbortSignal;
  onBatch: (shop: ShopId, answer: ConsumeOk, receivedAt: number) => Promise<void>;
  onError: (shop: ShopId, error: AppError) => void;
}

export async function drainShops(d: DrainDeps): Promise<void> {
  for (const shop of d.shops) {
    let attempt = 0;
    for (let calls = 0; calls < DRAIN_MAX_CALLS; calls++) {
      const r = await d.gateway.consume(shop, { quantity: d.quantity }, { signal: d.signal });
      if (!r.ok) {
        d.onError(shop, r.error);
        const plan = planForError(r.error, ++attempt, d.random);
        if (plan.action === 'stop' || attempt >= DRAIN_MAX_ATTEMPTS) break;
        await d.clock.sleep(plan.delayMs, d.signal);
        continue;
      }
      attempt = 0;
      await d.onBatch(shop, r.value, d.clock.now());
      if (r.value.messages.length === 0 && r.value.malformed.length === 0) break;
    }
  }
}
