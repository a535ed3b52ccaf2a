import { describe, expect, it } from 'vitest';
import { framesOf, type TraceEvent } from '../../bench/frameTrace';

const PAGE = { pid: 7, tid: 1 };
const OTHER = { pid: 9, tid: 1 };
const ms = (n: number) => n * 1000;

const threadName = (where: { pid: number; tid: number }, name: string): TraceEvent => ({
  name: 'thread_name',
  ph: 'M',
  ts: 0,
  ...where,
  args: { name },
});
const frame = (at: number, where = PAGE): TraceEvent => ({
  name: 'FireAnimationFrame',
  ph: 'X',
  ts: ms(at),
  dur: ms(0.2),
  ...where,
});
const task = (at: number, dur: number, name = 'ThreadControllerImpl::RunTask', where = PAGE): TraceEvent => ({
  name,
  ph: 'X',
  ts: ms(at),
  dur: ms(dur),
  ...where,
});

describe('framesOf', () => {
  it("tells each frame's length, the page's main thread's work in it, and its longest task", () => {
    const trace = framesOf([
      threadName(PAGE, 'CrRendererMain'),
      threadName(OTHER, 'CrRendererMain'),
      threadName({ pid: 7, tid: 2 }, 'Compositor'),
      frame(1000),
      frame(1016.7),
      frame(1050),
      frame(1066.7),
      // In the first frame: 4 ms, traced under both names, the one inside the other.
      task(1002, 4),
      task(1002.1, 3.8, 'RunTask'),
      // Over the second and third frames' boundary: 20 ms, 10 of them in each.
      task(1040, 20),
      // Other threads' and processes' work is not the page's.
      task(1020, 30, 'ThreadControllerImpl::RunTask', { pid: 7, tid: 2 }),
      task(1020, 30, 'ThreadControllerImpl::RunTask', OTHER),
      // Before the first frame: not in any.
      task(900, 60),
    ]);
    expect(trace).toBeDefined();
    const frames = trace!.frames.map((f) => ({
      at: +f.atMs.toFixed(1),
      interval: +f.intervalMs.toFixed(1),
      busy: +f.busyMs.toFixed(1),
      longest: +f.longestTaskMs.toFixed(1),
    }));
    expect(frames).toEqual([
      { at: 0, interval: 16.7, busy: 4, longest: 4 },
      { at: 16.7, interval: 33.3, busy: 10, longest: 20 },
      { at: 50, interval: 16.7, busy: 10, longest: 20 },
    ]);
    expect(trace!.longestTaskMs).toBe(20);
  });

  it('reads the frames of the renderer main thread that ran animation frames, not of another renderer', () => {
    const trace = framesOf([
      threadName(OTHER, 'CrRendererMain'),
      threadName(PAGE, 'CrRendererMain'),
      frame(0),
      frame(16),
      task(1, 2, 'ThreadControllerImpl::RunTask', OTHER),
      task(2, 5),
    ]);
    expect(trace?.frames).toHaveLength(1);
    expect(trace!.frames[0]!.busyMs).toBe(5);
  });

  it('has nothing to say of a trace with fewer than two animation frames, or none on a renderer main thread', () => {
    expect(framesOf([threadName(PAGE, 'CrRendererMain'), frame(0), task(1, 5)])).toBeUndefined();
    expect(framesOf([threadName(PAGE, 'CrBrowserMain'), frame(0), frame(16)])).toBeUndefined();
    expect(framesOf([])).toBeUndefined();
  });
});
