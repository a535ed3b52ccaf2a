/**
 * B4 — the window, in Chromium through the e2e harness (the built renderer, the real core and IPC
 * handlers, the local gateway): time to first render of the inbox with 10,000 and 100,000 stored
 * orders, and the longest frame while 200 new paid orders arrive at once.
 *
 * Its baseline, in the same run: the window as it was before its list became incremental (the
 * commit BASELINE_COMMIT: every batch refetched the list from the top, every query sorted and
 * scanned every order, rows carried their history). That commit's src/ and test/e2e/ are taken
 * from git and run through its own harness, against a copy of the same stored inbox, open at the
 * same time as the current code's window, their loads taken in turn.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Inbox } from '../src/main/core/inbox/inbox';
import { decodeBatch } from '../src/main/core/intake/decoder';
import { generateTraffic, writeJson, CONTENT_ID_KEYS, type SimMessage } from '../src/simulator';
import { formatChinaTime } from '../src/shared/time';
import * as currentHarness from '../test/e2e/harness';
import { FRAME_TRACE_CATEGORIES, framesOf, type TraceEvent } from './frameTrace';
import { median } from './stats';
import { check, type Target } from './targets';

const ROOT = resolve(import.meta.dirname, '..');
const run = promisify(execFile);

/** The window before incremental updates: main when the list still refetched from the top. */
export const BASELINE_COMMIT = '2843aef884995a72d4295d3e2a62291770e6c239';

/** One frame at 60 Hz; an animation frame later than this by more than timer jitter missed a vsync. */
export const FRAME_BUDGET_MS = 1000 / 60;
export const FRAME_JITTER_MS = 1;

export type WindowVariant = 'baseline' | 'current';

/** What B4 needs of a harness module (test/e2e/harness.ts, of this tree or of the baseline's). */
interface HarnessModule {
  findChromium(): string | undefined;
  startHarness(opts: {
    dataDir: string;
    initScripts: string[];
    viewport: { width: number; height: number };
    shops: string[];
  }): Promise<{
    page: currentHarness.Harness['page'];
    sim: Pick<currentHarness.Harness['sim'], 'enqueue'>;
    core: { listOrders(q: { limit: number }): { total: number }; wake(): void };
    close(): Promise<void>;
  }>;
  closeBrowser(): Promise<void>;
}

/** What the page's callbacks touch, typed here so this file needs no DOM library. */
interface PageGlobal {
  __b4: {
    firstRow: number;
    frames: number[];
    tasks: number[];
    recordFrames(): void;
    stopFrames(): void;
    awaitSummary(text: string): void;
  };
  performance: {
    now(): number;
    getEntriesByType(
      type: string,
    ): { name: string; startTime: number; responseEnd?: number; domContentLoadedEventEnd?: number }[];
  };
  tradebell: { getState(): Promise<unknown> };
}

export interface WindowRun {
  variant: WindowVariant;
  orders: number;
  /** First load in a fresh browser: navigation start to the first order row. */
  coldMs: number;
  /** The median of the warm loads: reloads in a running browser, the files read again each time, as
   * the window's scheme (or, for the baseline, file://) reads them; compiled code kept between loads
   * as that scheme lets Chromium keep it (test/e2e/staticServer.ts). */
  warmMs: number;
  warmRunsMs: number[];
  warmDomContentLoadedMs: number;
  /** The median over the warm loads of the page's script's fetch, request to last byte: the current
   * window's revalidations get a 304 where the app's scheme would send the bytes again. */
  warmScriptFetchMs: number;
  /** One API call through the e2e bridge. */
  roundTripMs: number;
  arrivals: number;
  /** The longest interval between animation frames while the arrivals were stored and shown. */
  longestFrameMs: number;
  /** Frames longer than one 60 Hz frame plus jitter. */
  longFrames: number;
  frames: number;
  /** The longest of the page's long tasks (50 ms or more: the Long Tasks API reports no shorter). */
  longestTaskMs: number;
  /** What the page's main thread did while as many more orders arrived, traced (bench/frameTrace.ts);
   * undefined if the trace held no frames. */
  pageWork?: PageWork;
}

export interface PageWork {
  /** Its longest task. */
  longestTaskMs: number;
  /** The most it was busy between two animation frames. */
  busiestFrameMs: number;
  frames: number;
}

export interface B4Options {
  /** Stored orders for each first-render case. */
  sizes: number[];
  arrivals: number;
  /** Warm loads per case, of which the median is the figure. */
  warmLoads?: number;
  /** Run the baseline commit too (default true). */
  baseline?: boolean;
}

export interface B4Result {
  settings: Required<B4Options>;
  runs: WindowRun[];
  /** Why the baseline did not run, when it did not. */
  baselineSkipped?: string;
  targets: Target[];
}

/** What the page logs once its first order row is there. */
const FIRST_ROW_SIGNAL = '__b4:firstRow';
/** What the page logs once its list's summary shows the awaited text (`__b4.awaitSummary`). */
const SUMMARY_SIGNAL = '__b4:summary';

/**
 * Records when the first order row appears, and says so on the console, which the bench waits for:
 * asking the page (waitForFunction) would have Playwright compile its injected script in the fresh
 * page, on the page's main thread, while the page may still be waiting for its first reads.
 * The frame loop says, the same way, when the list's summary shows the text the bench awaits
 * (the arrivals all shown), so that the bench asks the page nothing while its frames are timed.
 * Frames are timed only while the bench records them (the arrivals): an animation-frame loop
 * left running would have each window draw 60 frames a second through the other's loads and
 * arrivals, on the same cores, as no idle window of the app does.
 */
const PROBE = `
  window.__b4 = { firstRow: -1, frames: [], tasks: [] };
  new MutationObserver((_, obs) => {
    if (document.querySelector('.row-main')) {
      window.__b4.firstRow = performance.now();
      obs.disconnect();
      console.debug('${FIRST_ROW_SIGNAL}');
    }
  }).observe(document, { childList: true, subtree: true });
  let recording = false;
  let awaited = '';
  window.__b4.awaitSummary = (text) => { awaited = text; };
  window.__b4.recordFrames = () => {
    if (recording) return;
    recording = true;
    let last = performance.now();
    const tick = (t) => {
      if (!recording) return;
      window.__b4.frames.push(t - last);
      last = t;
      if (awaited && document.querySelector('.summary')?.textContent?.includes(awaited)) {
        awaited = '';
        console.debug('${SUMMARY_SIGNAL}');
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  };
  window.__b4.stopFrames = () => { recording = false; };
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__b4.tasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  } catch {}
`;

/** Stores `orders` paid orders, all seen, in a fresh inbox, as the gateway would have delivered them. */
async function seedInbox(dir: string, orders: number, shop: string): Promise<void> {
  const inbox = await Inbox.open(join(dir, 'inbox'));
  const now = Date.now();
  const messages = paidOrders(42, shop, orders, now);
  for (let i = 0; i < messages.length; i += 500) {
    const slice = messages.slice(i, i + 500).map((m, j) => ({ rowId: String(i + j), msgData: msgDataOf(m) }));
    const batch = decodeBatch(shop, slice, [], now);
    await inbox.append(batch.messages, batch.undecoded);
  }
  await inbox.markSeen(messages.map((m) => m.tid!).filter(Boolean));
  await inbox.close();
}

/** Exactly `n` paid-order messages with distinct tids (not every generated lifecycle is paid). */
function paidOrders(seed: number, shop: string, n: number, now: number): SimMessage[] {
  const out = new Map<string, SimMessage>();
  for (let round = 0; out.size < n && round < 10; round++) {
    for (const m of generateTraffic(seed + round, shop, n, now, { topics: ['TradeBuyerPay'], duplicateRate: 0 })) {
      if (m.tid && !out.has(m.tid) && out.size < n) out.set(m.tid, m);
    }
  }
  return [...out.values()];
}

function msgDataOf(m: SimMessage): string {
  const content = typeof m.content === 'string' ? m.content : writeJson(m.content, CONTENT_ID_KEYS);
  return writeJson(
    { content, id: m.id, pub_time: m.pubTime, topic: m.topic, user_id: 1, user_nick: 'bench' },
    new Set(['id']),
  );
}

/** Where the baseline's sources are unpacked: inside the tree, so that its imports find this
 * tree's packages as Node and Vite look for them (Vite's resolver fails on a node_modules linked
 * into a temp folder, or a root inside node_modules). Git, the linter and the formatter ignore it. */
export const BASELINE_DIR = join(ROOT, '.bench-baseline');

/**
 * The baseline commit's harness, from its own sources (this tree's node_modules), or why its
 * commit could not be had (a shallow clone). Anything that fails after git has answered is the
 * bench's own fault, and is thrown.
 */
async function loadBaseline(): Promise<{ harness: HarnessModule; dir: string } | { skipped: string }> {
  try {
    await run('git', ['-C', ROOT, 'cat-file', '-e', `${BASELINE_COMMIT}^{commit}`]);
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { skipped: `commit ${BASELINE_COMMIT.slice(0, 10)} could not be taken from git (${why})` };
  }
  await mkdir(BASELINE_DIR, { recursive: true });
  const dir = await mkdtemp(join(BASELINE_DIR, 'b4-'));
  const archive = join(dir, 'tree.tar');
  await run('git', ['-C', ROOT, 'archive', '--format=tar', '-o', archive, BASELINE_COMMIT, 'src', 'test/e2e']);
  await run('tar', ['-xf', archive, '-C', dir]);
  await plumbLikeCurrent(dir);
  const harness = (await import(pathToFileURL(join(dir, 'test/e2e/harness.ts')).href)) as HarnessModule;
  return { harness, dir };
}

/** A file of this tree's e2e plumbing, as an import specifier in the baseline's tree: a file URL for
 * Node (the harness), a path for Vite (the bridge, which Vite bundles). */
const plumbing = (file: string, forVite = false) =>
  JSON.stringify(forVite ? join(ROOT, 'test/e2e', file) : pathToFileURL(join(ROOT, 'test/e2e', file)).href);

/**
 * What the baseline's e2e plumbing is made to do as this tree's does, so that the two windows are
 * measured alike and differ only in their own code:
 * - the page's files are served from a worker thread, as Electron reads file:// off main's thread
 *   (test/e2e/staticServer.ts); the baseline's harness served them from the Node event loop that
 *   runs the core, the gateway and the bridge;
 * - answers cross the bridge as JSON text, which costs the page about what Electron's structured
 *   clone does (test/e2e/transport.ts); the baseline's crossed as Playwright's own serialization.
 * Each line replaced must be found exactly once.
 */
const BASELINE_PLUMBING: { file: string; imports: string; replace: [string, string][] }[] = [
  {
    file: 'test/e2e/harness.ts',
    imports: `import { serveOffThread } from ${plumbing('staticServer.ts')};\nimport { encodeAnswer } from ${plumbing('transport.ts')};\n`,
    replace: [
      // That window came from file://: Chromium kept no compiled code of it.
      ['await serve(dir);', "await serveOffThread(dir, CONTENT_SECURITY_POLICY, 'nothing');"],
      ['return handler(event, ...args);', 'return encodeAnswer(await handler(event, ...args));'],
    ],
  },
  {
    file: 'test/e2e/bridgeEntry.ts',
    imports: `import { decodeAnswer } from ${plumbing('transport.ts', true)};\n`,
    replace: [
      [
        'invoke: (channel, ...args) => window.__tbInvoke(channel, args),',
        'invoke: async (channel, ...args) => decodeAnswer(await window.__tbInvoke(channel, args)),',
      ],
    ],
  },
];

async function plumbLikeCurrent(dir: string): Promise<void> {
  for (const { file, imports, replace } of BASELINE_PLUMBING) {
    let text = await readFile(join(dir, file), 'utf8');
    for (const [from, to] of replace) {
      if (text.split(from).length !== 2) throw new Error(`the baseline's ${file} does not have "${from}" exactly once`);
      text = text.replace(from, () => to);
    }
    await writeFile(join(dir, file), imports + text);
  }
}

interface Load {
  firstRow: number;
  domContentLoaded: number;
  scriptFetch: number;
}

/** Loads the page (`load`, or a load already under way) and reads its timings once its first row is there. */
async function firstRow(page: currentHarness.Harness['page'], load?: () => Promise<unknown>): Promise<Load> {
  if (load) {
    const shown = page.waitForEvent('console', { predicate: (m) => m.text() === FIRST_ROW_SIGNAL, timeout: 60_000 });
    await load();
    await shown;
  } else {
    // The harness's first load is already under way: its signal may have gone by.
    await page.waitForFunction(() => (globalThis as unknown as PageGlobal).__b4.firstRow > 0, undefined, {
      timeout: 60_000,
    });
  }
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobal;
    const nav = g.performance.getEntriesByType('navigation')[0];
    const start = nav?.startTime ?? 0;
    // The page's own module script (Vite names it assets/index-<hash>.js).
    const script = g.performance.getEntriesByType('resource').find((r) => /\/assets\/index-[^/]*\.js$/.test(r.name));
    return {
      firstRow: g.__b4.firstRow - start,
      domContentLoaded: (nav?.domContentLoadedEventEnd ?? 0) - start,
      scriptFetch: script ? (script.responseEnd ?? 0) - script.startTime : Number.NaN,
    };
  });
}

type Started = Awaited<ReturnType<HarnessModule['startHarness']>>;

interface Side {
  harness: HarnessModule;
  variant: WindowVariant;
  dataDir: string;
  h?: Started;
  cold?: Load;
  warm: Load[];
}

/** Seeds of the orders that arrive: a round's orders are new to the inbox and to each other. */
const ARRIVAL_SEEDS = { timed: 7, traced: 1_007 };

/**
 * One round of `arrivals` new paid orders, stored and shown: the page's animation frames timed by
 * the page, or, `traced`, what its main thread did in each frame, from a Chromium trace (which
 * slows the page's every task, so its frames are not the figure).
 */
async function arrivalsOn(side: Side, arrivals: number, traced: boolean) {
  const { page, sim, core } = side.h!;
  const browser = page.context().browser()!;
  // The frame loop starts, and settles (its first frame after an idle page may wait a vsync more),
  // before the frames that count.
  await page.evaluate(() => (globalThis as unknown as PageGlobal).__b4.recordFrames());
  await page.waitForTimeout(500);
  const before = core.listOrders({ limit: 1 }).total;
  // The page says when its list shows them all (its summary counts what the core holds), from its
  // frame loop: asking it (waitForFunction) would have Playwright inject its script into the page,
  // a task of 10 to 30 ms on the page's main thread, in the frames timed.
  const summary = `${before + arrivals} 单`;
  await page.evaluate((text) => {
    const b4 = (globalThis as unknown as PageGlobal).__b4;
    b4.frames.length = 0;
    b4.tasks.length = 0;
    b4.awaitSummary(text);
  }, summary);
  if (traced) await browser.startTracing(page, { categories: FRAME_TRACE_CATEGORIES });
  // Waited for from here on: nothing else is awaited before it.
  const shown = page
    .waitForEvent('console', { predicate: (m) => m.text() === SUMMARY_SIGNAL, timeout: 60_000 })
    .catch((e: unknown) => {
      throw new Error(`B4: the ${side.variant} window's list never showed "${summary}" after ${arrivals} arrivals`, {
        cause: e,
      });
    });
  const now = formatChinaTime(Date.now());
  sim.enqueue(
    'shop1',
    paidOrders(traced ? ARRIVAL_SEEDS.traced : ARRIVAL_SEEDS.timed, 'shop1', arrivals, Date.now()).map((m) => ({
      ...m,
      pubTime: now,
    })),
  );
  core.wake();
  await shown;
  await page.waitForTimeout(500);
  const trace = traced
    ? framesOf((JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }).traceEvents)
    : undefined;
  const { frames, tasks } = await page.evaluate(() => {
    const b4 = (globalThis as unknown as PageGlobal).__b4;
    b4.stopFrames();
    return { frames: b4.frames, tasks: b4.tasks };
  });
  return { before, arrived: core.listOrders({ limit: 1 }).total - before, frames, tasks, trace };
}

/**
 * One case: each variant's window over its own copy of a seeded inbox, both open at once, their
 * warm loads taken in turn (one of each, then again), so that other work on the machine weighs on
 * both alike. The arrivals run on one window at a time.
 */
async function measureCase(
  variants: { harness: HarnessModule; variant: WindowVariant }[],
  seeded: string,
  opts: Required<B4Options>,
): Promise<WindowRun[]> {
  const sides: Side[] = [];
  try {
    for (const v of variants) {
      const dataDir = await mkdtemp(join(tmpdir(), `tradebell-b4-${v.variant}-`));
      await cp(seeded, dataDir, { recursive: true });
      const side: Side = { ...v, dataDir, warm: [] };
      sides.push(side);
      side.h = await v.harness.startHarness({
        dataDir,
        initScripts: [PROBE],
        viewport: { width: 420, height: 640 },
        shops: ['shop1'],
      });
      side.cold = await firstRow(side.h.page);
    }
    for (let i = 0; i < opts.warmLoads; i++) {
      for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
        const page = side.h!.page;
        side.warm.push(await firstRow(page, () => page.reload()));
      }
    }
    const runs: WindowRun[] = [];
    for (const side of sides) {
      const page = side.h!.page;
      const roundTripMs = await page.evaluate(async () => {
        const g = globalThis as unknown as PageGlobal;
        const t0 = g.performance.now();
        for (let i = 0; i < 20; i++) await g.tradebell.getState();
        return (g.performance.now() - t0) / 20;
      });
      const { before, arrived, frames, tasks } = await arrivalsOn(side, opts.arrivals, false);
      const { trace } = await arrivalsOn(side, opts.arrivals, true);
      runs.push({
        variant: side.variant,
        orders: before,
        coldMs: side.cold!.firstRow,
        warmMs: median(side.warm.map((w) => w.firstRow)),
        warmRunsMs: side.warm.map((w) => w.firstRow),
        warmDomContentLoadedMs: median(side.warm.map((w) => w.domContentLoaded)),
        warmScriptFetchMs: median(side.warm.map((w) => w.scriptFetch)),
        roundTripMs,
        arrivals: arrived,
        longestFrameMs: frames.reduce((m, f) => Math.max(m, f), 0),
        longFrames: frames.filter((f) => f > FRAME_BUDGET_MS + FRAME_JITTER_MS).length,
        frames: frames.length,
        longestTaskMs: tasks.reduce((m, f) => Math.max(m, f), 0),
        pageWork: trace && {
          longestTaskMs: trace.longestTaskMs,
          busiestFrameMs: trace.frames.reduce((m, f) => Math.max(m, f.busyMs), 0),
          frames: trace.frames.length,
        },
      });
    }
    return runs;
  } finally {
    for (const side of sides) {
      await side.h?.close();
      await side.harness.closeBrowser();
      await rm(side.dataDir, { recursive: true, force: true });
    }
  }
}

const ms = (n: number) => `${n.toFixed(0)} ms`;

/** The page's long tasks (the Long Tasks API reports only those of 50 ms or more). */
function longTasks(r: Pick<WindowRun, 'longestTaskMs'>): string {
  return r.longestTaskMs > 0 ? `longest task ${r.longestTaskMs.toFixed(0)} ms` : 'no task of 50 ms or more';
}

export function describeRun(r: WindowRun): string {
  return (
    `first render ${ms(r.warmMs)} warm (median of ${r.warmRunsMs.length}: ${r.warmRunsMs.map((x) => x.toFixed(0)).join(', ')}; ` +
    `DOMContentLoaded ${ms(r.warmDomContentLoadedMs)}, script fetched in ${r.warmScriptFetchMs.toFixed(1)} ms), ` +
    `cold ${ms(r.coldMs)} · bridge call ${r.roundTripMs.toFixed(1)} ms · ` +
    `${r.arrivals} arrivals: longest frame ${r.longestFrameMs.toFixed(1)} ms, ${r.longFrames} of ${r.frames} frames over ` +
    `${FRAME_BUDGET_MS.toFixed(1)} ms, ${longTasks(r)} · ${describePageWork(r.pageWork)}`
  );
}

/** The traced round's figures: what the page's own main thread did. */
export function describePageWork(w: PageWork | undefined): string {
  return w
    ? `traced: the page's main thread busy at most ${w.busiestFrameMs.toFixed(1)} ms between two of ${w.frames} frames, longest task ${w.longestTaskMs.toFixed(1)} ms`
    : 'traced: no frames in the trace';
}

function targetsOf(opts: Required<B4Options>, runs: WindowRun[], baselineSkipped: string | undefined): Target[] {
  const find = (variant: WindowVariant, orders: number) =>
    runs.find((r) => r.variant === variant && r.orders === orders);
  const beside = (orders: number, figure: (r: WindowRun) => string) => {
    const b = find('baseline', orders);
    return b ? `; baseline ${figure(b)}` : baselineSkipped ? `; baseline not run: ${baselineSkipped}` : '';
  };
  const [small, large] = [opts.sizes[0]!, opts.sizes.at(-1)!];
  const render = (orders: number, limit: number): Target => {
    const statement = `first render with ${orders.toLocaleString('en')} stored orders ≤ ${limit} ms (warm)`;
    const r = find('current', orders);
    if (!r) return { bench: 'B4', statement, verdict: 'NOT RUN', reason: 'the case did not run' };
    return check(
      'B4',
      statement,
      r.warmMs <= limit,
      `${ms(r.warmMs)} median of ${r.warmRunsMs.length} warm loads (cold ${ms(r.coldMs)})${beside(orders, (b) => `${ms(b.warmMs)} (cold ${ms(b.coldMs)})`)}`,
    );
  };
  const current = runs.filter((r) => r.variant === 'current');
  const worst = current.reduce<WindowRun | undefined>(
    (w, r) => (!w || r.longestFrameMs > w.longestFrameMs ? r : w),
    undefined,
  );
  const frameStatement =
    `longest frame while ${opts.arrivals} orders arrive ≤ ${FRAME_BUDGET_MS.toFixed(1)} ms ` +
    `(animation-frame interval; ${FRAME_JITTER_MS} ms of timer jitter allowed)`;
  return [
    render(small, 150),
    render(large, 250),
    worst
      ? check(
          'B4',
          frameStatement,
          worst.longestFrameMs <= FRAME_BUDGET_MS + FRAME_JITTER_MS,
          current
            .map(
              (r) =>
                `${r.orders.toLocaleString('en')} stored: ${r.longestFrameMs.toFixed(1)} ms, ${r.longFrames} of ${r.frames} frames over` +
                beside(r.orders, (b) => `${b.longestFrameMs.toFixed(1)} ms, ${b.longFrames} of ${b.frames} over`),
            )
            .join(' · '),
        )
      : { bench: 'B4', statement: frameStatement, verdict: 'NOT RUN', reason: 'no case ran' },
  ];
}

export async function runWindowBench(options: B4Options): Promise<B4Result> {
  const opts: Required<B4Options> = { warmLoads: 7, baseline: true, ...options };
  if (!currentHarness.findChromium()) {
    const reason = 'no Chromium (apt-get install chromium)';
    return {
      settings: opts,
      runs: [],
      targets: targetsOf(opts, [], undefined).map((t) => ({ ...t, verdict: 'NOT RUN' as const, reason })),
    };
  }
  let baseline: { harness: HarnessModule; dir: string } | undefined;
  let baselineSkipped: string | undefined;
  if (opts.baseline) {
    const loaded = await loadBaseline();
    if ('skipped' in loaded) baselineSkipped = loaded.skipped;
    else baseline = loaded;
  } else baselineSkipped = 'not asked for';
  const runs: WindowRun[] = [];
  try {
    for (const orders of opts.sizes) {
      const seeded = await mkdtemp(join(tmpdir(), 'tradebell-b4-seed-'));
      try {
        await mkdir(seeded, { recursive: true });
        await seedInbox(seeded, orders, 'shop1');
        const variants = [
          ...(baseline ? [{ harness: baseline.harness, variant: 'baseline' as const }] : []),
          { harness: currentHarness as HarnessModule, variant: 'current' as const },
        ];
        runs.push(...(await measureCase(variants, seeded, opts)));
      } finally {
        await rm(seeded, { recursive: true, force: true });
      }
    }
  } finally {
    if (baseline) await rm(baseline.dir, { recursive: true, force: true });
  }
  return { settings: opts, runs, baselineSkipped, targets: targetsOf(opts, runs, baselineSkipped) };
}
