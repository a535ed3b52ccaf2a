/**
 * What the page's main thread did in each animation frame, from a Chromium trace: the frames are
 * the intervals between its requestAnimationFrame callbacks (FireAnimationFrame), and the work is
 * the tasks its main thread ran in them. A frame that missed a vsync while the page's main thread
 * was busy for less than a frame was not held up by the page's own work.
 */

/** The trace categories this reads: tasks (toplevel) and animation-frame callbacks (devtools.timeline). */
export const FRAME_TRACE_CATEGORIES = ['toplevel', 'devtools.timeline'];

/** A Chromium trace event, as far as this reads one (timestamps and durations in microseconds). */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/** The names a task on a Chromium thread is traced under, by version. */
const TASK_NAMES = new Set(['ThreadControllerImpl::RunTask', 'RunTask']);

export interface FrameWork {
  /** Start of the frame: its first animation-frame callback's start, ms from the first frame. */
  atMs: number;
  /** From this animation-frame callback to the next. */
  intervalMs: number;
  /** The page's main thread busy in the interval (its tasks' union, clipped to it). */
  busyMs: number;
  /** The longest task that overlapped the interval, whole. */
  longestTaskMs: number;
}

export interface FrameTrace {
  frames: FrameWork[];
  /** The longest task the page's main thread ran from the first frame to the last. */
  longestTaskMs: number;
}

/**
 * The frames of the renderer main thread that ran animation-frame callbacks (the page's: one page
 * traced at a time). Undefined if the trace holds none.
 */
export function framesOf(events: readonly TraceEvent[]): FrameTrace | undefined {
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const onMain = (e: TraceEvent) => mains.has(`${e.pid}:${e.tid}`);
  const fires = events.filter((e) => e.name === 'FireAnimationFrame' && e.ph === 'X' && onMain(e));
  if (fires.length < 2) return undefined;
  const page = `${fires[0]!.pid}:${fires[0]!.tid}`;
  const starts = [...new Set(fires.filter((e) => `${e.pid}:${e.tid}` === page).map((e) => e.ts))].sort((a, b) => a - b);
  const tasks = mergedTasks(
    events.filter((e) => TASK_NAMES.has(e.name) && e.ph === 'X' && `${e.pid}:${e.tid}` === page && e.dur !== undefined),
  );
  const first = starts[0]!;
  const last = starts.at(-1)!;
  const frames: FrameWork[] = [];
  for (let i = 1; i < starts.length; i++) {
    const [from, to] = [starts[i - 1]!, starts[i]!];
    let busy = 0;
    let longest = 0;
    for (const t of tasks) {
      if (t.end <= from || t.start >= to) continue;
      busy += Math.min(t.end, to) - Math.max(t.start, from);
      longest = Math.max(longest, t.end - t.start);
    }
    frames.push({
      atMs: (from - first) / 1000,
      intervalMs: (to - from) / 1000,
      busyMs: busy / 1000,
      longestTaskMs: longest / 1000,
    });
  }
  const longestTaskMs =
    tasks.filter((t) => t.end > first && t.start < last).reduce((m, t) => Math.max(m, t.end - t.start), 0) / 1000;
  return { frames, longestTaskMs };
}

/** Tasks as disjoint intervals: a task traced under both names, or nested in another, counts once. */
function mergedTasks(events: readonly TraceEvent[]): { start: number; end: number }[] {
  const sorted = events.map((e) => ({ start: e.ts, end: e.ts + e.dur! })).sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const t of sorted) {
    const prev = out.at(-1);
    if (prev && t.start < prev.end) prev.end = Math.max(prev.end, t.end);
    else out.push({ ...t });
  }
  return out;
}
