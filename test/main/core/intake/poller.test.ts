import { describe, expect, it } from 'vitest';
import { ShopPoller, type PollContext } from '../../../../src/main/core/intake/poller';
import { batch } from './fakes';
import { appError, gatewayCodeOf } from '../../../../src/shared/errors';
import { gatewayError } from '../../../support/errors';

const CTX: PollContext = { policy: { mode: 'balanced' }, ceilingMs: 10_000 };
const SPACING = 100;
const busy = gatewayError('transient', 202);
const never = () => 0;

/** A shop that has drained for a while on `lanes` lanes, all in flight at t = 10 s. */
function draining(lanes: number): ShopPoller {
  const s = new ShopPoller('A', 0, 14);
  s.started(0);
  s.finished();
  // A full batch that took 1 s to come back and be stored: 12 lanes at one start per 100 ms.
  s.answered(200, 200, 9_000, 10_000, CTX, SPACING);
  expect(s.concurrency).toBe(12);
  for (let i = 0; i < lanes; i++) s.started(10_000);
  return s;
}

describe('ShopPoller lanes', () => {
  it('starts with one lane, and opens the drain’s lanes only after a full answer', () => {
    const s = new ShopPoller('A', 0, 14);
    expect(s.concurrency).toBe(1);
    s.started(0);
    s.finished();
    s.answered(200, 200, 0, 1_000, CTX, SPACING);
    expect(s.concurrency).toBe(12);
    s.received(40, 200);
    expect(s.concurrency).toBe(1);
    s.callNow(5_000);
    expect(s.concurrency).toBe(1);
  });

  it('a busy answer amid a drain keeps the lanes; the shop waits a second or for the next full batch', () => {
    const s = draining(12);
    s.finished();
    const plan = s.failed(busy, 10_000, 10_100, CTX, never);
    expect(plan).toEqual({ action: 'retry', delayMs: 1_000, keepLanes: true });
    expect(s.concurrency).toBe(12);
    expect(s.nextCallAt).toBe(11_100);
    expect(s.lastError && gatewayCodeOf(s.lastError)).toBe(202);
    // Another call of the drain comes back full: more is waiting, call at once.
    s.finished();
    s.answered(200, 200, 10_000, 11_000, CTX, SPACING);
    expect(s.nextCallAt).toBe(11_000);
    expect(s.lastError).toBeUndefined();
  });

  it('busy answers to calls started together are one; a third round in a row leaves one lane', () => {
    const first = new ShopPoller('A', 0, 14);
    first.started(0);
    first.finished();
    first.failed(busy, 0, 50, CTX, never);
    expect(first.concurrency).toBe(1);
    expect(first.nextCallAt).toBe(1_050);

    const together = draining(12);
    for (const at of [10_100, 10_200, 10_300]) {
      together.finished();
      together.failed(busy, 10_000, at, CTX, never);
    }
    expect(together.failures).toBe(1);
    expect(together.concurrency).toBe(12);

    const rounds = draining(12);
    for (const [started, at] of [
      [10_000, 10_100],
      [10_150, 11_200],
      [11_250, 12_300],
    ] as const) {
      rounds.finished();
      rounds.failed(busy, started, at, CTX, never);
    }
    expect(rounds.failures).toBe(3);
    expect(rounds.concurrency).toBe(1);
    expect(rounds.nextCallAt).toBe(17_300);
  });

  it('a blip (202, 101, 502, a reset at once) is one failure: the next call comes after the first step', () => {
    const s = draining(4);
    const blip = [
      busy,
      gatewayError('transient', 101),
      appError('transient', 'http_status', { status: 502, sample: 'bad gateway' }),
      appError('network', 'connection_failed', { cause: 'reset', sys: 'ECONNRESET' }),
    ];
    blip.forEach((e, i) => {
      s.finished();
      s.failed(e, 10_000, 10_200 + i, CTX, never);
    });
    expect(s.failures).toBe(1);
    expect(s.concurrency).toBe(1);
    expect(s.nextCallAt).toBe(10_203 + 5_000);
  });

  it('any other failure leaves one lane and backs off', () => {
    const s = draining(12);
    s.finished();
    s.failed(gatewayError('transient', 101), 10_000, 10_100, CTX, never);
    expect(s.concurrency).toBe(1);
    expect(s.nextCallAt).toBe(15_100);
  });

  it('an answer larger than asked backs off like a bad answer, with one lane', () => {
    const s = draining(1);
    s.finished();
    s.oversized(appError('bad_answer', 'over_quantity', { count: 250, quantity: 200 }), 11_000, CTX, never);
    expect(s.concurrency).toBe(1);
    expect(s.nextCallAt).toBe(16_000);
    expect(s.lastError?.kind).toBe('bad_answer');
  });
});

describe('ShopPoller held batches', () => {
  it('holds refused batches in order, calls nothing meanwhile, retries with a growing pause, then calls at once', () => {
    const s = new ShopPoller('A', 0, 14);
    const refused = appError('storage', 'store_failed', {
      cause: 'disk_full',
      messages: 5,
      sys: 'ENOSPC',
      detail: 'ENOSPC',
    });
    s.hold({ shop: 'A', answer: batch(5), receivedAt: 1 }, refused, 1_000);
    s.hold({ shop: 'A', answer: batch(7), receivedAt: 2 }, undefined, 1_100);
    expect(s.held.map((b) => b.answer.messages.length)).toEqual([5, 7]);
    expect(s.active).toBe(false);
    expect(s.holdError?.kind).toBe('storage');
    expect(s.holdRetryAt).toBe(2_000);
    s.refused(refused, 2_000);
    expect(s.holdRetryAt).toBe(4_000);
    s.refused(refused, 4_000);
    expect(s.holdRetryAt).toBe(8_000);
    s.held.splice(0);
    s.released(9_000);
    expect(s.active).toBe(true);
    expect(s.holdError).toBeUndefined();
    expect(s.nextCallAt).toBe(9_000);
    expect(s.concurrency).toBe(1);
  });
});
