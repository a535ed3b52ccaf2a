import { describe, expect, it } from 'vitest';
import { ArrivalPacing } from '../../../../src/main/core/intake/pacing';
import { ARRIVAL_MARGIN_MS } from '../../../../src/main/core/intake/pauses';

/** Ten calls answered one after the other on one connection, each `late` ms on the way. */
function warmedUp(p: ArrivalPacing, lates: number[], from = 0): number {
  let t = from;
  for (const late of lates) {
    const s = p.record(t);
    t += 1_000 + late;
    p.answered(s, 1_000 + late, 1_000, false);
  }
  return t;
}

describe('ArrivalPacing', () => {
  it('a call on a new connection counts as arriving any time until its answer says when', () => {
    const p = new ArrivalPacing(2, 1_000);
    const a = p.record(0);
    p.record(10);
    expect(a.lateMs).toBe(Infinity);
    expect(p.nextAt(20)).toBe(Infinity);
    // The answer 1 s later, of which the gateway ran 990 ms: it arrived within 10 ms of its start.
    p.answered(a, 1_000, 990, false);
    expect(a.lateMs).toBe(10);
    expect(p.nextAt(1_000)).toBe(1_010);
  });

  it('a call on an open connection gets the largest bound of the latest answers plus their spread, once ten are in', () => {
    const p = new ArrivalPacing(10, 1_000);
    const t = warmedUp(p, [30, 12, 11, 10, 14, 13, 10, 12, 11]);
    expect(p.estimateMs(t)).toBe(Infinity);
    const u = warmedUp(p, [9], t);
    expect(p.estimateMs(u)).toBe(30 + 21);
    expect(p.record(u).lateMs).toBe(51);
    expect(p.spacingMs(u)).toBeCloseTo(105.1);
    // Twenty answers later the 30 ms one no longer counts; a minute later none does.
    const v = warmedUp(p, Array<number>(20).fill(8), u + 2_000);
    expect(p.estimateMs(v)).toBe(8);
    expect(p.estimateMs(v + 60_000)).toBe(Infinity);
  });

  it('a call beyond the connections open and idle is a new one, as is the first after a quiet spell', () => {
    const p = new ArrivalPacing(10, 1_000);
    const t = warmedUp(p, Array<number>(10).fill(5));
    expect(p.record(t).lateMs).toBe(5);
    // The one idle connection is taken: the next call at the same time opens another.
    expect(p.record(t).lateMs).toBe(Infinity);
    // Idle connections close after a few seconds.
    const q = new ArrivalPacing(10, 1_000);
    const u = warmedUp(q, Array<number>(10).fill(5));
    expect(q.record(u + 10_000).lateMs).toBe(Infinity);
  });

  it('keeps at most `limit` calls that could arrive within a window of each other', () => {
    const p = new ArrivalPacing(3, 1_000);
    const t = warmedUp(p, Array<number>(10).fill(5));
    const s1 = p.record(t);
    // Two more connections were never opened: their calls count until answered.
    const s2 = p.record(t);
    const s3 = p.record(t);
    expect([s1.lateMs, s2.lateMs, s3.lateMs]).toEqual([5, Infinity, Infinity]);
    expect(p.nextAt(t)).toBe(t + 5 + 1_000);
    p.answered(s2, 1_000, 990, false);
    p.answered(s3, 1_000, 980, false);
    expect([s2.lateMs, s3.lateMs]).toEqual([10, 20]);
    expect(p.nextAt(t + 1_000)).toBe(t + 5 + 1_000);
  });

  it('without the gateway’s run time: the fixed margin, or the whole answer time when shorter', () => {
    const p = new ArrivalPacing(10, 1_000);
    const first = p.record(0);
    p.answered(first, 1_000, undefined, false);
    expect(first.lateMs).toBe(1_000);
    expect(p.estimateMs(1_000)).toBe(ARRIVAL_MARGIN_MS);
    expect(p.record(1_000).lateMs).toBe(ARRIVAL_MARGIN_MS);
    expect(p.record(1_000).lateMs).toBe(ARRIVAL_MARGIN_MS);
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
