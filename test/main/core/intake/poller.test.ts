import { describe, expect, it } from 'vitest';
import { ShopPoller } from '../../../../src/main/core/intake/poller';
import type { PollPolicy } from '../../../../src/main/core/intake/policy';
import { appError } from '../../../../src/shared/errors';

const POLICY: PollPolicy = { mode: 'balanced' };
const busy = appError('transient', 'busy', { code: 202 });
const never = () => 0;

/** A shop that has drained for a while on `lanes` lanes, all in flight at t = 10 s. */
function draining(lanes: number): ShopPoller {
  const s = new ShopPoller('A', 0, 14, 105);
  s.callNow(0, POLICY);
  s.started(0);
  s.finished();
  // A full batch that took 1 s to come back and be stored: 12 lanes at one start per 105 ms.
  s.answered(100, 100, 9_000, 10_000, POLICY);
  expect(s.concurrency).toBe(12);
  for (let i = 0; i < lanes; i++) s.started(10_000);
  return s;
}

describe('ShopPoller lanes', () => {
  it('opens every lane when first polled, and only one after an answer that is not full', () => {
    const s = new ShopPoller('A', 0, 14, 105);
    expect(s.concurrency).toBe(14);
    s.received(40, 100);
    expect(s.concurrency).toBe(1);
  });

  it('a busy answer amid a drain keeps the lanes; the shop waits a second or for the next full batch', () => {
    const s = draining(12);
    s.finished();
    const plan = s.failed(busy, 10_100, POLICY, never);
    expect(plan).toEqual({ action: 'retry', delayMs: 1_000, keepLanes: true });
    expect(s.concurrency).toBe(12);
    expect(s.nextCallAt).toBe(11_100);
    expect(s.lastError?.code).toBe(202);
    // Another call of the drain comes back full: more is waiting, call at once.
    s.finished();
    s.answered(100, 100, 10_000, 11_000, POLICY);
    expect(s.nextCallAt).toBe(11_000);
    expect(s.lastError).toBeUndefined();
  });

  it('a busy answer with no drain going on, or a third in a row, leaves one lane', () => {
    const first = new ShopPoller('A', 0, 14, 105);
    first.started(0);
    first.finished();
    first.failed(busy, 50, POLICY, never);
    expect(first.concurrency).toBe(1);
    expect(first.nextCallAt).toBe(1_050);

    const s = draining(12);
    for (const at of [10_100, 10_200, 10_300]) {
      s.finished();
      s.failed(busy, at, POLICY, never);
    }
    expect(s.concurrency).toBe(1);
    expect(s.nextCallAt).toBe(15_300);
  });

  it('any other failure leaves one lane and backs off', () => {
    const s = draining(12);
    s.finished();
    s.failed(appError('transient', 'timed out', { code: 101 }), 10_100, POLICY, never);
    expect(s.concurrency).toBe(1);
    expect(s.nextCallAt).toBe(15_100);
  });
});
