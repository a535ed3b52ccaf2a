import { describe, expect, it } from 'vitest';
import { ArrivalPacing } from '../../../../src/main/core/intake/pacing';
import { ARRIVAL_MARGIN_MS } from '../../../../src/main/core/intake/pauses';

/** Calls answered one after the other on one connection, each `late` ms on the way (the bound
 * counts one more: the run time is whole milliseconds), from a gateway running `runMs`. */
function warmedUp(p: ArrivalPacing, lates: number[], from = 0, runMs = 2_000): number {
  let t = from;
  for (const late of lates) {
    const s = p.record(t);
    t += runMs + late;
    p.answered(s, runMs + late, runMs, false);
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
    // The answer 1 s later, of which the gateway ran 990 ms: it arrived within 11 ms of its start.
    p.answered(a, 1_000, 990, false);
    expect(a.lateMs).toBe(11);
    expect(p.nextAt(1_000)).toBe(1_011);
  });

  it('from a gateway slower than a window, a call on an open connection gets the largest bound of the latest answers plus their spread, once ten are in', () => {
    const p = new ArrivalPacing(10, 1_000);
    const t = warmedUp(p, [29, 11, 10, 9, 13, 12, 9, 11, 10]);
    expect(p.estimateMs(t)).toBe(Infinity);
    const u = warmedUp(p, [8], t);
    expect(p.estimateMs(u)).toBe(30 + 21);
    expect(p.record(u).lateMs).toBe(51);
    expect(p.spacingMs(u)).toBeCloseTo(105.1);
    // Twenty answers later the 30 ms one no longer counts; a minute later none does.
    const v = warmedUp(p, Array<number>(20).fill(7), u + 2_000);
    expect(p.estimateMs(v)).toBe(8);
    expect(p.estimateMs(v + 60_000)).toBe(Infinity);
  });

  it('a call beyond the connections open and idle is a new one, as is the first after a quiet spell', () => {
    const p = new ArrivalPacing(10, 1_000);
    const t = warmedUp(p, Array<number>(10).fill(4));
    expect(p.record(t).lateMs).toBe(5);
    // The one idle connection is taken: the next call at the same time opens another.
    expect(p.record(t).lateMs).toBe(Infinity);
    // Idle connections close after a few seconds.
    const q = new ArrivalPacing(10, 1_000);
    const u = warmedUp(q, Array<number>(10).fill(4));
    expect(q.record(u + 10_000).lateMs).toBe(Infinity);
  });

  it('keeps at most `limit` calls that could arrive within a window of each other', () => {
    const p = new ArrivalPacing(3, 1_000);
    const t = warmedUp(p, Array<number>(10).fill(4));
    const s1 = p.record(t);
    // Two more connections were never opened: their calls count until answered.
    const s2 = p.record(t);
    const s3 = p.record(t);
    expect([s1.lateMs, s2.lateMs, s3.lateMs]).toEqual([5, Infinity, Infinity]);
    expect(p.nextAt(t)).toBe(t + 5 + 1_000);
    p.answered(s2, 2_000, 1_991, false);
    p.answered(s3, 2_000, 1_981, false);
    expect([s2.lateMs, s3.lateMs]).toEqual([10, 20]);
    expect(p.nextAt(t + 2_000)).toBe(t + 2_000);
  });

  it('from a gateway that answers within about a window, an unanswered call counts until its answer', () => {
    const p = new ArrivalPacing(2, 1_000);
    // Answers in 1,030 ms, of which the gateway ran 1,020: within a window, the estimate and half
    // a mean spacing.
    const t = warmedUp(p, Array<number>(10).fill(10), 0, 1_020);
    expect(p.estimateMs(t)).toBe(11);
    const a = p.record(t);
    p.record(t + 100);
    expect(a.lateMs).toBe(11);
    // The estimate alone would let a third call start at t + 1,011; it waits for an answer.
    expect(p.nextAt(t + 1_011)).toBe(Infinity);
    expect(p.nextAt(t + 1_200)).toBe(Infinity);
    // The gateway was held up: the call reached it 200 ms after its start, as its answer says.
    p.answered(a, 1_230, 1_020, false);
    expect(a.lateMs).toBe(211);
    expect(p.nextAt(t + 1_230)).toBe(t + 1_230);
  });

  it('from a slower gateway, an answer that ran longer than any of late shows a hold-up: the calls that can have reached it since the answer before count as arriving when it came', () => {
    const p = new ArrivalPacing(10, 1_000);
    // Ten answers, each 2,010 ms after its start, 2,000 of it at the gateway.
    const t = warmedUp(p, Array<number>(10).fill(10));
    expect(p.estimateMs(t)).toBe(11);
    const [a, b, c, d] = [p.record(t), p.record(t), p.record(t), p.record(t)];
    // c's and d's answers, as usual, are the last before the hold-up.
    p.answered(c, 2_010, 2_000, false);
    p.answered(d, 2_010, 2_000, false);
    const T = t + 2_010;
    const [c1, c2] = [p.record(T), p.record(T + 50)];
    expect([c1.lateMs, c2.lateMs]).toEqual([11, 11]);
    // a's answer at T + 290 ran 290 ms longer than any of late.
    p.answered(a, 2_300, 2_290, false);
    expect([c1.lateMs, c2.lateMs]).toEqual([290, 240]);
    // b, on a new connection, counts until its answer all the same.
    expect(b.lateMs).toBe(Infinity);
    // The calls a hold-up may have delayed say nothing of the network: the estimate stays.
    p.answered(c1, 2_310, 2_000, false);
    p.answered(c2, 2_260, 2_000, false);
    expect(c1.lateMs).toBe(311);
    expect(p.estimateMs(T + 2_310)).toBe(11);
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
