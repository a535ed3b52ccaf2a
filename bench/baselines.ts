/**
 * What a seller would run without TradeBell's scheduler, for the benchmarks to compare against.
 * Both call one shop, one call at a time, on any Clock (B1 runs them on the virtual day, B2 on
 * the wall clock over real HTTP), and end when `signal` aborts: after the call in flight is
 * answered and stored, or at once during a pause.
 */
import type { ShopId } from '../src/shared/domain';
import type { AppError } from '../src/shared/errors';
import type { Clock } from '../src/main/core/clock';
import type { ConsumeOk, Gateway } from '../src/main/core/gateway/types';

export interface LoopDeps {
  gateway: Gateway;
  clock: Clock;
  shop: ShopId;
  quantity: number;
  onBatch: (shop: ShopId, ok: ConsumeOk, receivedAt: number) => Promise<void>;
  onError?: (shop: ShopId, error: AppError) => void;
  signal: AbortSignal;
}

/** The API page's advice: after an empty answer, sleep at least 100 ms before calling again. */
export const DOCUMENTED_EMPTY_SLEEP_MS = 100;
export const FIXED_POLL_MS = 5_000;

/** Sleeps unless stopped; false once the loop should end. */
async function rest(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms <= 0) return true;
  return clock.sleep(ms, signal).then(
    () => !signal.aborted,
    () => false,
  );
}

/** One call, its batch stored; true when messages came back. */
async function callOnce(deps: LoopDeps): Promise<boolean> {
  const r = await deps.gateway.consume(deps.shop, { quantity: deps.quantity });
  if (!r.ok) {
    deps.onError?.(deps.shop, r.error);
    return false;
  }
  await deps.onBatch(deps.shop, r.value, deps.clock.now());
  return r.value.messages.length + r.value.malformed.length > 0;
}

/**
 * The loop the API page suggests: call; when nothing came back, sleep 100 ms; call again. The
 * page says nothing about errors: they are treated like an empty answer.
 */
export async function documentedLoop(deps: LoopDeps): Promise<void> {
  while (!deps.signal.aborted) {
    const got = await callOnce(deps);
    if (!got && !(await rest(deps.clock, DOCUMENTED_EMPTY_SLEEP_MS, deps.signal))) return;
  }
}

/** A call every `periodMs` (start to start), whatever the answers say. */
export async function fixedPoll(deps: LoopDeps & { periodMs?: number }): Promise<void> {
  const period = deps.periodMs ?? FIXED_POLL_MS;
  while (!deps.signal.aborted) {
    const started = deps.clock.now();
    await callOnce(deps);
    if (!(await rest(deps.clock, started + period - deps.clock.now(), deps.signal))) return;
  }
}
