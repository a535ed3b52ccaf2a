/**
 * The benchmark run's two outputs: one table for the terminal, and docs/benchmarks.md (machine,
 * date, method, figures with the baselines side by side, each target MET or MISSED with its
 * figures, and what the figures say about each miss).
 */
import { POLL_CEILINGS_MS } from '../src/shared/settings';
import { CONSUME_RATE_PER_SECOND } from '../src/main/core/intake/pauses';
import { B1_POLICIES, B1_QUIET_HOURS, type B1Result, type B1Run, type B1Runner } from './b1Day';
import type { B2Result, B2Run } from './b2Drain';
import type { B3Result } from './b3Store';
import { BASELINE_COMMIT, describeRun, FRAME_BUDGET_MS, type B4Result, type WindowRun } from './b4Window';
import type { B5Result } from './b5Team';
import { HOUR_MS } from './dayTraffic';
import type { Machine } from './machine';
import type { Target } from './targets';

export interface BenchReport {
  machine: Machine;
  quick: boolean;
  wallMs: number;
  b1: B1Result;
  b2: B2Result;
  b3: B3Result;
  b4: B4Result;
  b5: B5Result;
}

export function allTargets(r: BenchReport): Target[] {
  return [...r.b1.targets, ...r.b2.targets, ...r.b3.targets, ...r.b4.targets, ...r.b5.targets];
}

const int = (n: number): string => Math.round(n).toLocaleString('en');
const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const plural = (n: number, one: string, many = `${one}s`): string => `${int(n)} ${n === 1 ? one : many}`;
const notRun = (t: Target): string => `not run: ${t.reason}`;

const RUNNER_NAMES: Record<B1Runner, string> = {
  realtime: 'realtime (scheduler)',
  balanced: 'balanced (scheduler, default)',
  saver: 'saver (scheduler)',
  'balanced-quiet': 'balanced + quiet hours 23:00–08:00',
  'balanced-learned': 'balanced, learned',
  documented: 'baseline: documented loop',
  fixed5s: 'baseline: fixed 5 s poll',
};

function b2Name(run: B2Run): string {
  return run.runner === 'scheduler' ? 'scheduler' : 'baseline: documented loop';
}

// ---- the terminal table ----

/** Terminal columns a string takes: CJK and fullwidth characters take two. */
function width(text: string): number {
  let w = 0;
  for (const ch of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
      ? 2
      : 1;
  return w;
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i]!))
      .join(' │ ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('─┼─');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function b1Figures(run: B1Run, perDay: boolean): string {
  const unit = perDay ? '/day' : '';
  return (
    `${int(run.calls)} calls${unit} · ${int(run.points)} 点券${unit} · latency p50 ${sec(run.latencyMs.p50)} p95 ${sec(run.latencyMs.p95)} max ${sec(run.latencyMs.max)} · ` +
    `daytime p95 ${sec(run.daytimeLatencyMs.p95)} · busiest second ${run.maxCallsPerSecond}, windows above 10: ${run.windowsAbove} · stored ${int(run.stored)}/${int(run.published)}`
  );
}

function b2Figures(run: B2Run): string {
  const stored = run.storedOnce
    ? 'each stored once'
    : `STORED WRONG (${run.journalLines} lines, ${run.journalIds} ids, ${run.sentIds} sent, ${run.queuedIds} queued)`;
  return (
    `${int(run.drained)} msgs in ${sec(run.elapsedMs)}${run.complete ? '' : ' (window ended it)'} = ${int(run.messagesPerSecond)} msg/s, ${pct(run.boundShare)} of bound · ` +
    `${run.calls} calls, ${run.refused} refused (202)${run.errors === run.refused ? '' : `, ${run.errors} failed`} · ${stored}`
  );
}

export function renderTable(r: BenchReport): string {
  const rows: string[][] = [];
  const perDay = isWholeDay(r.b1);
  for (const [label, runs] of [
    [`1 shop`, r.b1.single],
    [`${r.b1.settings.shops} shops`, r.b1.multi],
  ] as const) {
    for (const run of runs) rows.push(['B1', `${label} · ${RUNNER_NAMES[run.runner]}`, b1Figures(run, perDay), '']);
  }
  r.b2.runs.forEach((run) => rows.push(['B2', `${run.serviceTimeMs} ms answers · ${b2Name(run)}`, b2Figures(run), '']));
  const t = r.b3.throughput;
  rows.push([
    'B3',
    'decode + dedupe + store',
    `${int(t.messagesPerSecond)} msg/s (${int(t.fed)} msgs, batches of ${r.b3.settings.batch}, datasync each) · decode alone ${int(t.decodeMessagesPerSecond)} msg/s`,
    '',
  ]);
  rows.push([
    'B3',
    `start-up, ${int(r.b3.large.messages)} stored`,
    `${int(r.b3.large.openMs)} ms · heap ${mb(r.b3.large.heapUsedBytes)} after GC`,
    '',
  ]);
  rows.push([
    'B3',
    'append cost',
    `${int(r.b3.small.appendMedianUs)} µs at ${int(r.b3.small.messages)} stored · ${int(r.b3.large.appendMedianUs)} µs at ${int(r.b3.large.messages)} stored`,
    '',
  ]);
  rows.push(...b4Rows(r.b4));
  rows.push(...b5Rows(r.b5));
  return tableWithTargets(rows, allTargets(r));
}

/** A console table of a bench's rows, then its targets (with their reasons when asked). */
function tableWithTargets(rows: string[][], targets: readonly Target[], reasons = false): string {
  const targetRows = targets.map((t) => [
    t.bench,
    'target',
    t.verdict === 'NOT RUN' ? `${t.statement} (${notRun(t)})` : reasons ? `${t.statement}: ${t.reason}` : t.statement,
    t.verdict,
  ]);
  return textTable(['Bench', 'Case', 'Figures', 'Target'], [...rows, ...targetRows]);
}

const b4Case = (run: WindowRun): string =>
  `${run.orders.toLocaleString('en')} stored · ${run.variant === 'baseline' ? 'baseline' : 'current'}`;

/** B4's figures, one row per case, the baseline's beside the current code's. */
export function b4Rows(b4: B4Result): string[][] {
  return b4.runs.map((run) => ['B4', b4Case(run), describeRun(run), '']);
}

/** B4's rows and targets alone (bench/run.ts --only B4). */
export function renderB4Table(b4: B4Result): string {
  return tableWithTargets(b4Rows(b4), b4.targets, true);
}

const TARGETS_HEADER = ['', 'Target', 'Verdict', 'Figures'];

function targetRow(t: Target): string[] {
  return [t.bench, t.statement, `**${t.verdict}**`, t.verdict === 'NOT RUN' ? notRun(t) : t.reason];
}

/** A load average at a run's start or end, per core, past which the report calls the machine shared. */
const SHARED_LOAD_PER_CORE = 0.5;

/** A bench run on its own (`npm run bench -- --only <bench>`) writes into a report another run wrote,
 * whose machine table is not its own: its section says when and at what load it ran. */
interface RanAlone {
  machine: Machine;
  /** The load average when it ended. */
  endLoad: number;
}

function ranAloneNote(bench: string, { machine: m, endLoad }: RanAlone, sharedWhy: string): string {
  const shared = Math.max(m.loadAverage, endLoad) >= SHARED_LOAD_PER_CORE * m.cores;
  return (
    `${bench} ran on its own (\`npm run bench -- --only ${bench}\`) on ${m.date}: ${m.cpu}, ${m.cores} cores, Node ${m.node}; ` +
    `load average ${m.loadAverage} at the start and ${endLoad} at the end` +
    (shared ? `: the machine was shared with other work, which moves these figures${sharedWhy}.` : '.') +
    " The other benches' figures are from the run the machine table describes."
  );
}

function b4Section(b4: B4Result, alone?: RanAlone): string {
  const s = b4.settings;
  return [
    '## B4 — the window',
    '',
    "The built renderer in Debian's Chromium (headless, 420×640) through the e2e harness: the real core and IPC handlers, the local " +
      "gateway on loopback, the preload's own code (src/preload/api.ts, its early reads included) over a test bridge in place of " +
      "Electron's IPC. For each case the inbox holds that many stored paid orders, all seen. First render is from navigation start " +
      'to the first order row in the DOM (a MutationObserver): once cold (a fresh browser) ' +
      `and ${s.warmLoads} times warm (reloads in the same browser, as when the window is opened again; the harness reads the files ` +
      'again each time, from a worker thread of the test process, as Electron reads them off its main thread), the median of ' +
      "those being the figure. The app's window comes from its tradebell:// scheme, which lets V8 keep the script's compiled " +
      'code between loads (src/main/electron/appScheme.ts); the harness lets Chromium keep it the only way it does over http, with ' +
      'a cached response that each load revalidates (a 304), so the script’s bytes are not sent again as the app’s scheme sends ' +
      'them: the table gives the script’s fetch time for each window. The baseline’s window came from file://, of which ' +
      'Chromium keeps no code: its files are served uncached. Electron’s heuristic, as Chromium’s, keeps the code from ' +
      'the second load and uses it from the third, so the median of the warm loads is a load with it; the cold load has none. ' +
      `Then ${s.arrivals} paid orders are queued at the gateway at once, and every animation frame is timed until they are all ` +
      `stored and the list shows them; a frame longer than ${FRAME_BUDGET_MS.toFixed(1)} ms (60 Hz) missed a vsync. The page itself ` +
      'says when its list shows them, from its frame loop, so that the bench asks the page nothing while its frames are timed ' +
      '(the bridge still carries the app’s own calls and events). ' +
      `Then ${s.arrivals} more arrive under a Chromium trace, which says how long the page's main thread was busy between two ` +
      'animation frames and its longest task (bench/frameTrace.ts): a frame that missed while the page was busy for less than a ' +
      'frame was held up by something else. Tracing slows every task, so those frames are not the figure. The bridge adds a ' +
      'round trip through the test process to every call, which Electron’s IPC does not; its answers cross as JSON text, which ' +
      'costs the page about what Electron’s structured clone does (test/e2e/transport.ts), inside a DevTools command that the ' +
      'page’s main thread dispatches first, which Electron’s IPC does not have either.',
    '',
    `**The baseline**, in the same run: the window as it was at commit ${BASELINE_COMMIT.slice(0, 10)} (every batch refetched the ` +
      'list from the top; every query sorted and scanned all orders; rows carried their history), its src/ and test/e2e/ taken from ' +
      'git and run through its own harness (made to read its files off the main thread and carry its answers the same way) against a copy of the ' +
      'same stored inbox. Both ' +
      'windows are open at once and their warm ' +
      'loads alternate, so that other work on the machine weighs on both alike; the arrivals run on one window at a time.' +
      (b4.baselineSkipped ? ` Not run this time: ${b4.baselineSkipped}.` : ''),
    '',
    ...(alone ? [ranAloneNote('B4', alone, ' (for both windows alike, their loads alternating)'), ''] : []),
    mdTable(
      [
        'Case',
        'First render (warm, median)',
        'Script fetch (warm)',
        'Cold',
        'Longest frame',
        'Frames over 16.7 ms',
        'Tasks of 50 ms or more',
        "Page's main thread, traced: busiest frame, longest task",
      ],
      b4.runs.map((run) => [
        b4Case(run),
        `${run.warmMs.toFixed(0)} ms`,
        `${run.warmScriptFetchMs.toFixed(1)} ms`,
        `${run.coldMs.toFixed(0)} ms`,
        `${run.longestFrameMs.toFixed(1)} ms`,
        `${run.longFrames} of ${run.frames}`,
        run.longestTaskMs > 0 ? `longest ${run.longestTaskMs.toFixed(0)} ms` : 'none',
        run.pageWork
          ? `${run.pageWork.busiestFrameMs.toFixed(1)} ms, ${run.pageWork.longestTaskMs.toFixed(1)} ms`
          : 'no frames traced',
      ]),
    ),
    '',
    ...b4.targets.map(
      (t) =>
        `Target: ${t.statement}. **${t.verdict}**${t.verdict === 'NOT RUN' ? ` (${notRun(t)})` : `: ${t.reason}`}.`,
    ),
  ].join('\n');
}

// ---- docs/benchmarks.md ----

/**
 * The report `doc` (docs/benchmarks.md) with one bench's target rows and section replaced by a run
 * of that bench alone (its rows where the old ones were, else after the others); every other line
 * stays as its last run left it.
 */
function spliceBench(doc: string, bench: string, targets: Target[], section: string): string {
  const lines = doc.split('\n');
  const head = lines.indexOf('## Targets');
  if (head < 0) throw new Error('docs/benchmarks.md has no "## Targets" table: run the whole bench');
  let end = head + 1;
  while (end < lines.length && (lines[end] === '' || lines[end]!.startsWith('|'))) end++;
  while (lines[end - 1] === '') end--;
  const own = (l: string) => l.startsWith(`| ${bench} |`);
  const table = lines.slice(head, end);
  const at = table.findIndex(own);
  const kept = table.filter((l) => !own(l));
  const rows = mdTable(TARGETS_HEADER, targets.map(targetRow)).split('\n').slice(2);
  const withRows = at < 0 ? [...kept, ...rows] : [...kept.slice(0, at), ...rows, ...kept.slice(at)];
  const before = [...lines.slice(0, head), ...withRows, ...lines.slice(end)];
  const from = before.findIndex((l) => l.startsWith(`## ${bench} `));
  let to = from < 0 ? before.length : before.findIndex((l, i) => i > from && l.startsWith('## '));
  if (to < 0) to = before.length;
  const out =
    from >= 0
      ? [...before.slice(0, from), ...section.split('\n'), '', ...before.slice(to)]
      : [...before, '', ...section.split('\n'), ''];
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\n*$/, '\n');
}

/** `npm run bench -- --only B4`: B4's rows and section in the report, saying how it ran. */
export function spliceB4(doc: string, b4: B4Result, alone: RanAlone): string {
  return spliceBench(doc, 'B4', b4.targets, b4Section(b4, alone));
}

function isWholeDay(b1: B1Result): boolean {
  return b1.settings.fromMs === 0 && b1.settings.toMs === 24 * HOUR_MS;
}

function mdTable(header: string[], rows: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(esc).join(' | ')} |`),
  ].join('\n');
}

function b1Table(runs: B1Run[]): string {
  return mdTable(
    [
      'Poller',
      'Calls',
      '点券',
      'Latency p50',
      'p95',
      'max',
      'Daytime p95 (08–23 h)',
      'Busiest 1 s window (calls)',
      'Windows above 10',
      'Refused (202)',
      'Stored / published',
    ],
    runs.map((run) => [
      RUNNER_NAMES[run.runner],
      int(run.calls),
      int(run.points),
      sec(run.latencyMs.p50),
      sec(run.latencyMs.p95),
      sec(run.latencyMs.max),
      sec(run.daytimeLatencyMs.p95),
      String(run.maxCallsPerSecond),
      String(run.windowsAbove),
      String(run.refused),
      `${int(run.stored)} / ${int(run.published)}`,
    ]),
  );
}

function quantitiesOf(b1: B1Result): string {
  const qs = new Set([...b1.single, ...b1.multi].flatMap((r) => r.quantities));
  return [...qs].sort((a, b) => a - b).join(', ');
}

function clock(ms: number): string {
  const h = Math.floor(ms / HOUR_MS);
  const m = Math.round((ms % HOUR_MS) / 60_000);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

function b1Section(b1: B1Result): string {
  const s = b1.settings;
  const window = isWholeDay(b1) ? 'a whole day' : `the window ${clock(s.fromMs)}–${clock(s.toMs)} China time`;
  return [
    '## B1 — cost and latency over a simulated day',
    '',
    `The real \`Scheduler\` (src/main/core/intake/scheduler.ts) and the two baselines (bench/baselines.ts) poll an in-process gateway ` +
      `(bench/dayGateway.ts) on the \`VirtualClock\`, so ${window} runs in seconds. Each shop gets ${int(s.messagesPerDay)} messages ` +
      `(${int(b1.deliveriesPerShop)} deliveries, of which ${int(b1.redeliveriesPerShop)} redeliveries of the same TMC id): order lifecycles from the ` +
      `simulator's traffic model started on a day curve (quiet night, lunch rise, busy evening; bench/dayTraffic.ts), and a sale's burst of ` +
      `${int(s.burst)} TradeCreate messages within one minute at 20:00. The gateway answers after ${sec(s.serviceTimeMs)} with the messages ` +
      `published by then, refuses with 202 (free) past ${CONSUME_RATE_PER_SECOND} calls in any second, and bills 1 点券 per answered call, empty ` +
      `ones included. Every answer goes through the real \`decodeBatch\` into an in-memory dedupe store (no disk: file I/O does not happen in ` +
      `virtual time). Latency runs from a message's first publication to its storing. Calls and 点券 count what ` +
      `started within ${window}; a ${Math.round(s.tailMs / 60_000)}-minute tail lets the last messages in. Calls are counted as the gateway ` +
      'sees them, in sliding 1,000 ms windows.',
    '',
    `**What runs.** The scheduler is built as the app builds it (\`appScheduler\`), with the app's own defaults: quantity ` +
      `${quantitiesOf(b1)} (the calls as the gateway saw them), its pacing, lanes and pauses. The rows differ only in what a seller ` +
      `sets or a shop has lived: the mode; "balanced + quiet hours" switches on quiet hours ${B1_QUIET_HOURS.start}–${B1_QUIET_HOURS.end} ` +
      'in the notification settings (off by default), in which an idle shop is polled at saver\'s ceiling; "balanced, learned" has ' +
      `${s.historyDays} days of the shop's own history before the day (days of the same shape, other seeds), from which balanced mode polls ` +
      "the quietest hours of the week, which together bring at most 2 % of the messages, at saver's ceiling (src/main/core/intake/rhythm.ts). " +
      'The baselines call with the same quantity.',
    '',
    "**The baselines.** The documented loop is the API page's advice: call; when the answer is empty, sleep 100 ms; call again. " +
      'The fixed poll calls every 5 s whatever the answers say. Both call one shop, one call at a time.',
    '',
    '### One shop',
    '',
    b1Table(b1.single),
    '',
    `### ${s.shops} shops under one shared rate budget`,
    '',
    `One \`Scheduler\` for all ${s.shops} shops (one baseline loop per shop), one gateway and its one limit; every shop has its own day of ` +
      'the same shape, bursts at the same minute. Calls and 点券 are totals over the shops.',
    '',
    b1Table(b1.multi),
  ].join('\n');
}

function b2Section(b2: B2Result): string {
  const s = b2.settings;
  const rows = b2.runs.map((run) => [
    `${int(run.serviceTimeMs)} ms`,
    b2Name(run),
    `${int(run.drained)} / ${int(run.queued)}`,
    sec(run.elapsedMs) + (run.complete ? '' : ' (window)'),
    int(run.messagesPerSecond),
    pct(run.boundShare),
    String(run.calls),
    String(run.windowsAbove),
    run.errors === run.refused ? String(run.refused) : `${run.refused} (the client saw ${run.errors} failed calls)`,
    run.callsPerSecond.slice(0, 6).join(', '),
    sec(run.longestGapMs),
    run.storedOnce
      ? `yes (${int(run.journalIds)} ids)`
      : `NO: ${run.journalLines} lines, ${run.journalIds} ids, ${run.sentIds} sent, ${run.queuedIds} queued`,
  ]);
  const quantity = b2.boundPerSecond / CONSUME_RATE_PER_SECOND;
  const calls = Math.ceil(s.messages / quantity);
  return [
    '## B2 — burst drain over real HTTP',
    '',
    `The local gateway simulator (src/simulator) listens on 127.0.0.1 in a process of its own, as the real gateway is another ` +
      `machine, with ${int(s.messages)} messages queued (the traffic model's, 2 % redeliveries included), its ${CONSUME_RATE_PER_SECOND} calls/s ` +
      `limit (202 beyond) and a service time of 1 s, then 50 ms. The real \`GatewayClient\` (undici, its rate budget) and the real ` +
      `\`Scheduler\`, built as the app builds it (\`appScheduler\`: the app's defaults, quantity ${quantity}, balanced mode), drain it; every ` +
      `answer is decoded and appended to a real \`Inbox\` (journal + datasync) in a temporary directory. The bound is ${CONSUME_RATE_PER_SECOND} ` +
      `calls/s × ${quantity} = ${int(b2.boundPerSecond)} messages/s. Rate = messages drained / time from the first call to the last of them ` +
      `stored. A drain starts with one call (nothing is known to wait until it comes back) and ends with an answer time, so it pays two answer ` +
      `times beside its calls at the limit: with 1 s answers a drain of ${int(calls)} calls can reach at best ${pct(drainCeiling(calls, 1000))} of the bound ` +
      `(one of 100 calls: ${pct(drainCeiling(100, 1000))}); the backlog is a large sale's or a busy shop's night. The scheduler drains ` +
      `${plural(s.repeats, 'time').replace(/^1 time$/, 'once')} per service time; the baseline is the documented loop over the same client and ` +
      `store, one call at a time, stopped after ${sec(s.baselineWindowMs)} when it would take longer (its rate is then over that window). Calls ` +
      'are counted as the gateway saw them arrive, in sliding 1,000 ms windows. "Stored once" reads the journal file itself: every id the ' +
      'gateway sent is there, exactly once, and after a whole drain that is every id queued.',
    '',
    mdTable(
      [
        'Service time',
        'Poller',
        'Drained',
        'Time',
        'msg/s',
        'Share of bound',
        'Calls',
        'Windows above 10',
        'Refused (202)',
        'Calls in seconds 1–6',
        'Longest pause',
        'Stored once',
      ],
      rows,
    ),
  ].join('\n');
}

function b3Section(b3: B3Result): string {
  const t = b3.throughput;
  const s = b3.settings;
  const rows = [
    [
      'Decode + dedupe + store',
      `${int(t.messagesPerSecond)} msg/s: ${int(t.fed)} messages (${int(t.stored)} distinct) in ${int(t.batches)} batches of ${s.batch}, a datasync per batch, ${sec(t.wallMs)}`,
    ],
    [
      'Per batch (median)',
      `decodeBatch ${t.decodeMedianMs.toFixed(2)} ms, Inbox.append ${t.appendMedianMs.toFixed(2)} ms; a bare write + datasync of as many bytes ${t.datasyncMedianMs.toFixed(2)} ms`,
    ],
    ['decodeBatch alone', `${int(t.decodeMessagesPerSecond)} msg/s`],
    [
      'Parsing msg_data + content',
      `${t.losslessParseUs.toFixed(1)} µs/message with the app's lossless parser; JSON.parse of the same text ${t.nativeParseUs.toFixed(1)} µs (a yardstick: it rounds 19-digit ids)`,
    ],
    ['Journal', `${mb(t.journalBytes)} for ${int(t.stored)} messages`],
    [
      `Start-up, ${int(b3.large.messages)} stored`,
      `${int(b3.large.openMs)} ms (median of ${plural(s.rounds, 'fresh process', 'fresh processes')}); reading and checking the journal alone ${int(b3.large.journalReadMs)} ms`,
    ],
    [`Start-up, ${int(b3.small.messages)} stored`, `${int(b3.small.openMs)} ms`],
    [
      `Heap, ${int(b3.large.messages)} stored`,
      `${mb(b3.large.heapUsedBytes)} heapUsed after GC (${mb(b3.large.heapUsedBytes - b3.large.heapBeforeBytes)} of it the inbox); RSS ${mb(b3.large.rssBytes)}`,
    ],
    ...[b3.small, b3.large].map((x) => [
      `Append at ${int(x.messages)} stored`,
      `median ${int(x.appendMedianUs)} µs per ${s.batch}-message batch, interquartile spread ${int(x.appendIqrUs)} µs (${x.appendSamples} appends)`,
    ]),
  ];
  return [
    '## B3 — the pipeline and the store',
    '',
    `One thread, a real disk. Consume answers of ${s.batch} messages, with msg_data as the gateway client hands it over (the answer's own ` +
      `JSON already parsed), go through \`decodeBatch\` and \`Inbox.append\` (dedupe, one journal write and one datasync per batch) until the ` +
      `inbox holds ${int(s.messages)} messages; the wire text is built before the clock starts. Start-up and heap are measured in fresh ` +
      `processes (bench/inboxChild.ts, \`--expose-gc\`): \`Inbox.open\` of that journal, then heapUsed after a full GC. Append cost: one fresh ` +
      `process appends the same ${s.appendSamples} fresh batches to a store of ${int(s.smallStore)} messages and to the large one, taking turns, so ` +
      "the disk's slow and fast moments fall on both alike.",
    '',
    mdTable(['Figure', 'Value'], rows),
  ].join('\n');
}

/**
 * The best share of the bound a drain of `calls` full answers can reach: one first call (nothing is
 * known to wait before it comes back), then the rest at the limit, then the last answer's time.
 */
export function drainCeiling(calls: number, answerMs: number): number {
  const atLimitMs = (Math.max(0, calls - 1) / CONSUME_RATE_PER_SECOND) * 1000;
  const lastStartMs = Math.max(0, Math.ceil((calls - 1) / CONSUME_RATE_PER_SECOND) - 1) * 1000;
  return (atLimitMs + 1000 / CONSUME_RATE_PER_SECOND) / (answerMs + lastStartMs + answerMs);
}

/** What the figures of this run say about each missed target; only what the figures show. */
function missNotes(r: BenchReport): string[] {
  const notes: string[] = [];
  const missed = (bench: string, fragment: string) =>
    allTargets(r).some((t) => t.bench === bench && t.verdict === 'MISSED' && t.statement.includes(fragment));
  const drains = r.b2.runs.filter((x) => x.runner === 'scheduler');

  const missedDrains = drains.filter(
    (x) => !(x.complete && x.boundShare >= 0.95 && x.storedOnce && x.windowsAbove === 0),
  );
  if (missedDrains.length > 0) {
    const quantity = r.b2.boundPerSecond / CONSUME_RATE_PER_SECOND;
    notes.push(
      `**B2, the drains that missed.** ` +
        missedDrains
          .map((x) => {
            const calls = Math.ceil(x.queued / quantity);
            return (
              `${x.serviceTimeMs} ms answers: ${pct(x.boundShare)} of the bound, calls in its first seconds ${x.callsPerSecond.slice(0, 6).join(', ')}, ` +
              `longest pause ${sec(x.longestGapMs)}, ${x.refused} refused, ${x.windowsAbove} windows above 10; its ${calls} calls could at best have ` +
              `reached ${pct(drainCeiling(calls, x.serviceTimeMs))} (one first call and one last answer time on top of the calls at the limit)`
            );
          })
          .join('; ') +
        '.',
    );
  }
  const refusedRuns = r.b2.runs.filter((x) => x.refused > 0);
  if (refusedRuns.length > 0) {
    const refusedDrains = refusedRuns.filter((x) => x.runner === 'scheduler');
    const worst = refusedDrains.reduce<B2Run | undefined>(
      (a, b) => (!a || b.longestGapMs > a.longestGapMs ? b : a),
      undefined,
    );
    const consequence = worst
      ? `The scheduler's worst refused drain reached ${pct(worst.boundShare)} of the bound (longest pause ${sec(worst.longestGapMs)}).`
      : "None of the scheduler's drains was refused in this run.";
    notes.push(
      `**B2, refusals.** The gateway refused calls with 202 in ${refusedRuns.length} of ${r.b2.runs.length} drains ` +
        `(${refusedRuns.map((x) => `${x.runner === 'scheduler' ? 'scheduler' : 'baseline'} at ${x.serviceTimeMs} ms: ${x.refused}`).join('; ')}). ` +
        'The gateway counts arrivals on its own clock and the time from sending to arriving varies, so a client that starts exactly 10 calls ' +
        "a second now and then lands an 11th inside the gateway's second (the baseline does). The scheduler paces its starts by the latest " +
        "each call can reach the gateway (its answer time less the gateway's run time; from a gateway that answers within about a second, " +
        'the answer itself; a run time longer than any of late taken as a hold-up: src/main/core/intake/pacing.ts) and treats a 202 met ' +
        'while draining as "slow down": that lane retries after 1 s and the other lanes go on (`planForError`, `keepLanes`). ' +
        consequence,
    );
  }
  const t = r.b3.throughput;
  if (missed('B3', 'msg/s')) {
    const budgetMs = (r.b3.settings.batch / 50_000) * 1000;
    notes.push(
      `**B3, throughput.** At 50,000 msg/s a batch of ${r.b3.settings.batch} has ${budgetMs.toFixed(1)} ms for everything; decoding it took ` +
        `${t.decodeMedianMs.toFixed(2)} ms and appending it ${t.appendMedianMs.toFixed(2)} ms (medians), and decodeBatch alone runs at ` +
        `${int(t.decodeMessagesPerSecond)} msg/s. Of the ${((t.decodeMedianMs * 1000) / r.b3.settings.batch).toFixed(1)} µs decoding takes a message, its ` +
        'lossless JSON parse of msg_data and then content (`parseJsonLossless` in src/main/core/json.ts: a scan in script that quotes ' +
        'the integer literals beyond 2^53 and counts the keys, then JSON.parse, and lossless-json only for what the scan cannot vouch ' +
        `for) takes ${t.losslessParseUs.toFixed(1)} µs, ${(t.losslessParseUs / t.nativeParseUs).toFixed(1)}× JSON.parse of the ` +
        `same text (${t.nativeParseUs.toFixed(1)} µs, which would round the ids): the scan is the rest. Of the append, a bare write + ` +
        'datasync of as many bytes ' +
        `takes ${t.datasyncMedianMs.toFixed(2)} ms: the rest is work on the one thread (journal lines encoded, the orders view updated, ` +
        'garbage collected).',
    );
  }
  if (missed('B3', 'start-up')) {
    notes.push(
      `**B3, start-up.** \`Inbox.open\` took ${int(r.b3.large.openMs)} ms. It does not replay the journal (reading and checking its ` +
        `${mb(t.journalBytes)} line by line alone takes ${int(r.b3.large.journalReadMs)} ms, timed again on a warmer process): it starts from ` +
        'the snapshot saved at close (src/main/core/inbox/snapshot.ts). It still reads the whole journal (in one read, while the ' +
        "snapshot's lines are read and checked and the ids and the orders view rebuilt from them: `OrdersView.restore`, which " +
        "validates every saved order), then checks that the bytes the snapshot folds are still the file's start (one CRC-32), and " +
        'replays only the lines after it. The snapshot, its check and the restore all grow with the store.',
    );
  }
  return notes;
}

export function renderMarkdown(r: BenchReport): string {
  const m = r.machine;
  const targets = allTargets(r);
  const notes = missNotes(r);
  return [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench${r.quick ? ' -- --quick' : ''}\` (bench/run.ts): do not edit by hand, run it again.` +
      (r.quick ? ' **This is a quick run on tiny inputs: its figures say nothing about the targets.**' : ''),
    '',
    mdTable(
      ['Machine', ''],
      [
        ['Date', m.date],
        ['CPU', `${m.cpu}, ${m.cores} cores`],
        ['Memory', `${m.memoryGiB} GiB`],
        ['Node', m.node],
        ['OS', m.os],
        [
          'Load average at start',
          `${m.loadAverage} (other work on the machine moves the figures that depend on CPU time and the disk)`,
        ],
        ['Wall time of the run', sec(r.wallMs)],
      ],
    ),
    '',
    '## Targets',
    '',
    mdTable(TARGETS_HEADER, targets.map(targetRow)),
    '',
    ...(notes.length > 0 ? ['## What the figures say about the misses', '', ...notes.flatMap((n) => [n, ''])] : []),
    b1Section(r.b1),
    '',
    `The targets: balanced at most 1/8 of the documented loop's calls, with p95 latency within the balanced ceiling ` +
      `(${sec(POLL_CEILINGS_MS.balanced)}) plus one answer time; realtime p95 under 3 s; balanced + quiet hours at least a quarter fewer ` +
      "calls than balanced (about a third is what an idle shop's night at saver's ceiling saves) at the same daytime p95; balanced, " +
      'learned at most 1/12 of the documented loop’s calls within the same p95 bound; no scheduler row ' +
      `(${B1_POLICIES.join(', ')}) ever above ${CONSUME_RATE_PER_SECOND} calls in any 1,000 ms window, refused calls included, as the ` +
      'gateway saw them, over every run.',
    '',
    b2Section(r.b2),
    '',
    b3Section(r.b3),
    '',
    b4Section(r.b4),
    '',
    b5Section(r.b5),
    '',
  ].join('\n');
}

/** B5's rows for stdout: its figures beside its baseline, and its targets. */
function b5Rows(b5: B5Result): string[][] {
  const rows: string[][] = [];
  if (b5.latency && b5.drain) {
    const l = b5.latency;
    rows.push([
      'B5',
      'stream latency, batch to every seat’s disk',
      `p50 ${l.stream.p50.toFixed(1)} ms · p95 ${l.stream.p95.toFixed(1)} ms · without the stream p95 ${l.direct.p95.toFixed(1)} ms`,
      '',
    ]);
    rows.push([
      'B5',
      `${int(b5.settings.drainMessages)} through the stream`,
      b5.drain.perSeat.map((x) => `${int(x.rate)} msg/s`).join(' · '),
      '',
    ]);
  }
  return rows;
}

/** `npm run bench -- --only B5`: B5's table alone. */
export function renderB5Table(b5: B5Result): string {
  return tableWithTargets(b5Rows(b5), b5.targets);
}

/** `npm run bench -- --only B5`: B5's rows and section in the report, saying how it ran. */
export function spliceB5(doc: string, b5: B5Result, alone: RanAlone): string {
  return spliceBench(doc, 'B5', b5.targets, b5Section(b5, alone));
}

/** `alone`: B5 ran on its own, not in the run the file's machine table describes. */
function b5Section(b5: B5Result, alone?: RanAlone): string {
  const s = b5.settings;
  const load = alone
    ? ranAloneNote('B5', alone, '')
    : 'The other processes and the seats share the machine’s cores: the figures move with its load (see the load average above).';
  const lines = [
    '## B5 — team mode: the stream',
    '',
    'A real redis-server on loopback; the consumer side in the bench process (the real `StreamPublisher`, as `onBatch` uses it in ' +
      `team mode); ${s.seats} seats, each the real \`Seat\` in a process of its own, reading with XREAD BLOCK and storing into a real ` +
      '`Inbox` (decode, journal, datasync) as the app does (bench/b5Team.ts, bench/teamSeatChild.ts). Default timings and retention. ' +
      'Latency runs from the consumer receiving a batch to a seat having it on disk; ' +
      `${int(s.latencyBatches)} batches of 1 to 5 messages, one every 50 ms. Its baseline, in the same run: the same batches decoded ` +
      'and stored straight into an Inbox, as without team mode. The drain offers ' +
      `${int(s.drainMessages)} messages at the gateway's bound (batches of 200 every 100 ms: 2,000 msg/s); a seat's rate is messages ` +
      `over the time from the first batch offered to its last stored. ${load}`,
    '',
  ];
  if (!b5.latency || !b5.drain) return [...lines, `Not run: ${b5.targets[0]?.reason ?? ''}`].join('\n');
  const l = b5.latency;
  return [
    ...lines,
    mdTable(
      ['Path', 'p50', 'p95', 'max'],
      [
        [
          'through the stream (every seat)',
          ...[l.stream.p50, l.stream.p95, l.stream.max].map((x) => `${x.toFixed(1)} ms`),
        ],
        ['stored directly (baseline)', ...[l.direct.p50, l.direct.p95, l.direct.max].map((x) => `${x.toFixed(1)} ms`)],
      ],
    ),
    '',
    mdTable(
      ['Seat', 'Stored', 'Time', 'msg/s', 'Share of 2,000'],
      b5.drain.perSeat.map((x, i) => [`S${i}`, int(x.stored), sec(x.ms), int(x.rate), pct(x.rate / 2_000)]),
    ),
  ].join('\n');
}
