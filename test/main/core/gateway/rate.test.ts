import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../../src/main/core/clock';
import { RateBudget, RateBudgets, SlidingWindow, sharedRateBudgets } from '../../../../src/main/core/gateway/rate';
import { busiestWindow, ManualClock } from './timeHelpers';

describe('busiestWindow (the checker itself)', () => {
  it('counts a window that starts at any recorded time', () => {
    expect(busiestWindow([0, 500, 999, 1000], 1000)).toBe(3);
    expect(busiestWindow([0, 999, 1000, 1000, 1998], 1000)).toBe(4);
    expect(busiestWindow([0, 999, 1000, 1000, 1999], 1000)).toBe(3);
  });
});

describe('SlidingWindow', () => {
  it('tells when one more event fits: at once under the limit, else a window after the limit-th last', () => {
    const w = new SlidingWindow(3, 1_025);
    expect(w.nextAt(0)).toBe(0);
    for (const t of [0, 50, 100]) w.record(t);
    expect(w.nextAt(100)).toBe(1_025);
    expect(w.nextAt(1_024)).toBe(1_025);
    expect(w.nextAt(1_025)).toBe(1_025);
    w.record(1_025);
    expect(w.nextAt(1_025)).toBe(1_075);
    // Any window of that length holds at most the limit.
    expect(busiestWindow([0, 50, 100, 1_025], 1_025)).toBe(3);
  });

  it('forgets times "in the future" when the clock is set back', () => {
    const w = new SlidingWindow(1, 1_000);
    w.record(10_000);
    expect(w.nextAt(5_000)).toBe(5_000);
  });
});

describe('RateBudget on fake timers', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-11-22T00:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets 100 concurrent callers through, never more than 10 in any one-second window, first come first served', async () => {
    const budget = new RateBudget({ clock: systemClock });
    const grants: { i: number; at: number }[] = [];
    const all = Array.from({ length: 100 }, (_, i) => budget.take().then(() => grants.push({ i, at: Date.now() })));
    await vi.advanceTimersByTimeAsync(20_000);
    await Promise.all(all);
    expect(grants).toHaveLength(100);
    expect(
      busiestWindow(
        grants.map((g) => g.at),
        1000,
      ),
    ).toBe(10);
    expect(grants.map((g) => g.i)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    // Ten a second, no faster and no slower: the last ten go at 9 s.
    const start = grants[0]!.at;
    expect(grants[99]!.at - start).toBe(9000);
  });

  it('grants at once while under the limit', async () => {
    const budget = new RateBudget({ clock: systemClock, limit: 3 });
    let granted = 0;
    for (let i = 0; i < 4; i++) void budget.take().then(() => granted++);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toBe(3);
    expect(budget.queued).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(granted).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toBe(4);
  });

  it('drops an aborted waiter and keeps serving the others', async () => {
    const budget = new RateBudget({ clock: systemClock, limit: 1 });
    await budget.take();
    const ctl = new AbortController();
    const order: string[] = [];
    const a = budget.take(ctl.signal).then(
      () => order.push('a'),
      (e: unknown) => order.push(`a aborted: ${String(e)}`),
    );
    const b = budget.take().then(() => order.push('b'));
    ctl.abort('stop');
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all([a, b]);
    expect(order).toEqual(['a aborted: stop', 'b']);
    await expect(budget.take(ctl.signal)).rejects.toBe('stop');
  });
});

describe('RateBudget on a manual clock', () => {
  it('does not stall for a window when the wall clock is set back', async () => {
    const clock = new ManualClock(10_000);
    const budget = new RateBudget({ clock, limit: 2 });
    await budget.take();
    await budget.take();
    let third = false;
    void budget.take().then(() => (third = true));
    // The clock jumps back an hour: the grants "in the future" must not block the queue for an hour.
    clock.set(10_000 - 3_600_000);
    await clock.advance(1000);
    expect(third).toBe(true);
  });
});

describe('RateBudgets', () => {
  it('keeps one budget per endpoint, and the process-wide one is shared', () => {
    const budgets = new RateBudgets();
    expect(budgets.get('consume')).toBe(budgets.get('consume'));
    expect(budgets.get('consume')).not.toBe(budgets.get('remark'));
    expect(sharedRateBudgets.get('consume')).toBe(sharedRateBudgets.get('consume'));
    expect(sharedRateBudgets.get('consume').limit).toBe(10);
    expect(sharedRateBudgets.get('consume').windowMs).toBe(1000);
  });
});
