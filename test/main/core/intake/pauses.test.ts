import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUANTITY,
  MAX_RETRY_MS,
  ceilingInForce,
  ceilingMs,
  clampQuantity,
  drainLanes,
  idlePauseMs,
  partialPauseMs,
  planForError,
  saveRetryMs,
} from '../../../../src/main/core/intake/pauses';
import { formatFen, yuanToFen } from '../../../../src/shared/money';
import { appError, type ErrorKind } from '../../../../src/shared/errors';
import { gatewayError } from '../../../support/errors';
import type { PollMode } from '../../../../src/shared/settings';

describe('poll policy', () => {
  it('ceilings per mode, custom clamped to 1 s .. 1 h', () => {
    expect(ceilingMs({ mode: 'realtime' })).toBe(2_000);
    expect(ceilingMs({ mode: 'balanced' })).toBe(10_000);
    expect(ceilingMs({ mode: 'saver' })).toBe(60_000);
    expect(ceilingMs({ mode: 'custom', customCeilingMs: 25_000 })).toBe(25_000);
    expect(ceilingMs({ mode: 'custom', customCeilingMs: 10 })).toBe(1_000);
    expect(ceilingMs({ mode: 'custom', customCeilingMs: 1e12 })).toBe(3_600_000);
    expect(ceilingMs({ mode: 'custom', customCeilingMs: Number.NaN })).toBe(10_000);
    expect(ceilingMs({ mode: 'custom' })).toBe(10_000);
  });

  it('idle pauses double from 1 s up to the ceiling', () => {
    const ladder = (mode: 'realtime' | 'balanced' | 'saver') =>
      [1, 2, 3, 4, 5, 6, 7, 8, 100].map((n) => idlePauseMs({ mode }, n));
    expect(ladder('realtime')).toEqual([1_000, 2_000, 2_000, 2_000, 2_000, 2_000, 2_000, 2_000, 2_000]);
    expect(ladder('balanced')).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000, 10_000, 10_000]);
    expect(ladder('saver')).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(idlePauseMs({ mode: 'balanced' }, 0)).toBe(1_000);
  });

  it('partial pauses are short: 500 ms realtime, 1 s otherwise', () => {
    expect(partialPauseMs({ mode: 'realtime' })).toBe(500);
    expect(partialPauseMs({ mode: 'balanced' })).toBe(1_000);
    expect(partialPauseMs({ mode: 'saver' })).toBe(1_000);
    expect(partialPauseMs({ mode: 'custom', customCeilingMs: 1_000 })).toBe(250);
  });

  it('clamps the batch size to the gateway range', () => {
    expect([0, 10, 100, 200, 5_000].map(clampQuantity)).toEqual([10, 10, 100, 200, 200]);
  });

  it.each<[ErrorKind, string]>([
    ['auth', 'all'],
    ['quota', 'all'],
    ['unsupported', 'all'],
    ['not_found', 'all'],
    ['shop_unauthorized', 'shop'],
    ['bad_request', 'shop'],
  ])('%s stops (%s)', (kind, scope) => {
    expect(planForError(gatewayError(kind), 1, () => 0.5)).toEqual({ action: 'stop', scope });
  });

  it('retries transient and network kinds within the mode’s ceiling, plus jitter; slow kinds within a minute', () => {
    const delay = (kind: ErrorKind, attempt: number, r: number, mode: PollMode = 'balanced') => {
      const p = planForError(gatewayError(kind), attempt, () => r, { mode });
      return p.action === 'retry' ? p.delayMs : -1;
    };
    for (const kind of ['transient', 'timeout', 'network', 'bad_answer', 'http'] as const) {
      expect([1, 2, 3, 50].map((n) => delay(kind, n, 0))).toEqual([5_000, 10_000, 10_000, 10_000]);
      expect(delay(kind, 1, 1)).toBe(6_250);
      expect(delay(kind, 3, 1)).toBe(12_500);
      expect(delay(kind, 3, 0.5)).toBe(11_250);
      expect([1, 2, 50].map((n) => delay(kind, n, 0, 'realtime'))).toEqual([2_000, 2_000, 2_000]);
      expect(delay(kind, 50, 1, 'realtime')).toBe(2_500);
      expect([1, 2, 3, 4, 5, 50].map((n) => delay(kind, n, 0, 'saver'))).toEqual([
        5_000, 10_000, 20_000, 40_000, 60_000, 60_000,
      ]);
      expect(delay(kind, 50, 1, 'saver')).toBe(60_000);
    }
    expect(delay('server', 1, 0)).toBe(30_000);
    expect(delay('server', 1, 1)).toBe(37_500);
    expect(delay('server', 99, 1)).toBe(60_000);
    expect(delay('unknown_code', 2, 1, 'realtime')).toBe(60_000);
    // A random source out of range cannot go below the step, nor past a minute.
    expect(delay('network', 4, -3)).toBe(10_000);
    expect(delay('network', 4, 7, 'saver')).toBe(50_000);
    expect(delay('network', 5, 7, 'saver')).toBe(60_000);
    expect(
      planForError(appError('network', 'connection_failed', { cause: 'reset', sys: 'ECONNRESET' }), 9, () => 1, {
        mode: 'custom',
        customCeilingMs: 3_600_000,
      }),
    ).toEqual({
      action: 'retry',
      delayMs: MAX_RETRY_MS,
    });
  });

  it('a 202 is retried after a second with the lanes kept, twice; then the transient back-off from its first step', () => {
    const busy = gatewayError('transient', 202);
    expect(planForError(busy, 1, () => 1)).toEqual({ action: 'retry', delayMs: 1_000, keepLanes: true });
    expect(planForError(busy, 2, () => 1)).toEqual({ action: 'retry', delayMs: 1_000, keepLanes: true });
    expect(planForError(busy, 3, () => 0)).toEqual({ action: 'retry', delayMs: 5_000 });
    expect(planForError(busy, 4, () => 0)).toEqual({ action: 'retry', delayMs: 10_000 });
    expect(planForError(busy, 50, () => 1)).toEqual({ action: 'retry', delayMs: 12_500 });
    // 101 (timed out) and an HTTP 202 with a body that is not the gateway's are not "busy".
    expect(planForError(gatewayError('transient', 101), 1, () => 0)).toEqual({
      action: 'retry',
      delayMs: 5_000,
    });
    expect(
      planForError(appError('bad_answer', 'unreadable_answer', { status: 202, sample: 'html' }), 1, () => 0),
    ).toEqual({
      action: 'retry',
      delayMs: 5_000,
    });
  });

  it('a refused save is tried again after 1 s, doubling to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map(saveRetryMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('the ceiling in force: quiet hours at least saver’s, a learned ceiling only in balanced mode', () => {
    expect(ceilingInForce({ mode: 'balanced' })).toBe(10_000);
    expect(ceilingInForce({ mode: 'balanced' }, { quiet: true })).toBe(60_000);
    expect(ceilingInForce({ mode: 'realtime' }, { quiet: true })).toBe(60_000);
    expect(ceilingInForce({ mode: 'custom', customCeilingMs: 600_000 }, { quiet: true })).toBe(600_000);
    expect(ceilingInForce({ mode: 'balanced' }, { learnedMs: 60_000 })).toBe(60_000);
    expect(ceilingInForce({ mode: 'balanced' }, { learnedMs: 3_600_000 })).toBe(60_000);
    expect(ceilingInForce({ mode: 'balanced' }, { learnedMs: 10 })).toBe(1_000);
    expect(ceilingInForce({ mode: 'realtime' }, { learnedMs: 60_000 })).toBe(2_000);
    expect(ceilingInForce({ mode: 'balanced' }, { learnedMs: 4_000, quiet: true })).toBe(60_000);
    // The pauses follow the ceiling given as a number as they follow a mode's.
    expect(idlePauseMs(60_000, 9)).toBe(idlePauseMs({ mode: 'saver' }, 9));
    expect(partialPauseMs(2_000)).toBe(partialPauseMs({ mode: 'realtime' }));
  });

  it('the app’s default quantity is the most the gateway gives', () => {
    expect(DEFAULT_QUANTITY).toBe(200);
  });

  it('drain lanes: the answer time over the start spacing, two more, within the cap', () => {
    expect(drainLanes(1_000, 105, 14)).toBe(12);
    expect(drainLanes(1_100, 105, 14)).toBe(13);
    expect(drainLanes(50, 105, 14)).toBe(3);
    expect(drainLanes(0, 105, 14)).toBe(2);
    expect(drainLanes(5_000, 105, 14)).toBe(14);
    expect(drainLanes(1_000, 105, 1)).toBe(1);
    expect(drainLanes(-5, 0, 14)).toBe(2);
  });
});

describe('money in fen', () => {
  it('reads yuan strings exactly', () => {
    expect(yuanToFen('12.30')).toBe(1_230);
    expect(yuanToFen('12.3')).toBe(1_230);
    expect(yuanToFen('12')).toBe(1_200);
    expect(yuanToFen('0.07')).toBe(7);
    expect(yuanToFen(' 48.00 ')).toBe(4_800);
    expect(yuanToFen('-5.00')).toBe(-500);
    expect(yuanToFen('1.005')).toBeUndefined();
    expect(yuanToFen('abc')).toBeUndefined();
    expect(yuanToFen('')).toBeUndefined();
    expect(yuanToFen('1e3')).toBeUndefined();
  });

  it('formats fen with thousands separators and two decimals', () => {
    expect(formatFen(1_234_500)).toBe('12,345.00');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(100_000_000)).toBe('1,000,000.00');
    expect(formatFen(-1_250)).toBe('-12.50');
  });
});
