import { describe, expect, it } from 'vitest';
import { ArrivalPacing } from '../../../../src/main/core/intake/pacing';
import { ARRIVAL_MARGIN_MS } from '../../../../src/main/core/intake/pauses';

describe('ArrivalPacing', () => {
  it('a call whose answer has not come counts as arriving any time until it comes, while nothing is known', () => {
    const p = new ArrivalPacing(2, 1_000);
    expect(p.estimateMs(0)).toBe(Infinity);
    const a = p.record(0);
    p.record(10);
    expect(p.nextAt(20)).toBe(Infinity);
    // The answer 1 s later, of which the gateway ran 990 ms: it arrived within 10 ms of its start.
    p.answered(a, 1_000, 990, false);
    expect(a.lateMs).toBe(10);
    expect(p.nextAt(1_000)).toBe(1_010);
  });

  it('trusts an estimate after ten answers: the third largest bound plus the spread of the latest', () => {
    const p = new ArrivalPacing(10, 1_000);
    const lates = [30, 12, 11, 10, 14, 13, 10, 12, 11, 200];
    const starts = lates.map((_, i) => p.record(i * 100));
    lates.forEach((late, i) => p.answered(starts[i]!, 1_000 + late, 1_000, false));
    // The 200 ms outlier is ignored as the largest (third largest: 14), not as spread (200 - 10).
    expect(p.estimateMs(5_000)).toBe(14 + 190);
    const q = new ArrivalPacing(10, 1_000);
    const qs = Array.from({ length: 10 }, (_, i) => q.record(i * 100));
    qs.forEach((start, i) => q.answered(start, 1_020 + (i % 2) * 4, 1_000, false));
    expect(q.estimateMs(5_000)).toBe(24 + 4);
    expect(q.spacingMs(5_000)).toBeCloseTo((1_000 + 28) / 10);
    // Answers older than the memory no longer count.
    expect(q.estimateMs(5_000 + 10 * 60_000)).toBe(Infinity);
  });

  it('keeps at most `limit` calls that could arrive within a window of each other', () => {
    const p = new ArrivalPacing(3, 1_000);
    for (let i = 0; i < 10; i++) p.answered(p.record(i * 2_000), 5, 0, false);
    const now = 30_000;
    const s1 = p.record(now);
    const s2 = p.record(now);
    const s3 = p.record(now);
    expect(p.nextAt(now)).toBe(now + 5 + 1_000);
    // The first answered: it arrived at once, so the window counts from its start.
    p.answered(s1, 5, 5, false);
    expect(p.nextAt(now)).toBe(now + 5 + 1_000);
    expect([s2.lateMs, s3.lateMs]).toEqual([5, 5]);
  });

  it('without the gateway’s run time: the fixed margin, or the whole answer time when shorter', () => {
    const p = new ArrivalPacing(10, 1_000);
    const first = p.record(0);
    p.answered(first, 1_000, undefined, false);
    expect(first.lateMs).toBe(1_000);
    expect(p.estimateMs(1_000)).toBe(ARRIVAL_MARGIN_MS);
    const quick = p.record(1_000);
    p.answered(quick, 3, undefined, false);
    expect(quick.lateMs).toBe(3);
    // A failure says nothing of the network: its call keeps the smaller of the two.
    const failed = p.record(2_000);
    p.answered(failed, 20_000, undefined, true);
    expect(failed.lateMs).toBe(ARRIVAL_MARGIN_MS);
  });

  it('spaces starts by the least gap, and forgets starts from a clock set back', () => {
    const p = new ArrivalPacing(10, 1_000, 25);
    p.record(1_000);
    expect(p.nextAt(1_000)).toBe(1_025);
    expect(p.nextAt(500)).toBe(500);
  });
});
