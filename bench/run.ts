/**
 * `npm run bench`: B1, B2 and B3 in a few minutes, one table on stdout (progress on stderr), and
 * docs/benchmarks.md. B4 (the window) runs in Chromium through the e2e harness (NOT RUN without Chromium),
 * B5 (team mode's stream) against a redis-server it starts (NOT RUN without redis-server).
 *
 *   npm run bench                      the real inputs; writes docs/benchmarks.md
 *   npm run bench -- --quick           tiny inputs in seconds, to check the machinery; writes no file
 *   npm run bench -- --out <file>      writes the report there instead (with --quick too)
 *   npm run bench -- --only B4         B4 alone (or B5): its table on stdout, and its target rows and
 *                                      section replaced in docs/benchmarks.md (or --out), the rest left
 *                                      as it was; with --quick, no file
 *
 * A missed target is a finding, not a failure: the exit code is 0 unless a benchmark could not run.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runB1, type B1Options } from './b1Day';
import { runB2, type B2Options } from './b2Drain';
import { runB3, type B3Options } from './b3Store';
import { runWindowBench, type B4Options } from './b4Window';
import { runB5, type B5Options } from './b5Team';
import { HOUR_MS } from './dayTraffic';
import { describeMachine } from './machine';
import {
  renderB4Table,
  renderB5Table,
  renderMarkdown,
  renderTable,
  spliceB5,
  withB4,
  type BenchReport,
} from './report';

const DOCS_FILE = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

/** Inputs that exercise every path in seconds: an hour around the 20:00 burst, small backlogs. */
const QUICK: { b1: B1Options; b2: B2Options; b3: B3Options; b4: B4Options; b5: B5Options } = {
  b1: { messagesPerDay: 60, burst: 30, fromMs: 19.5 * HOUR_MS, toMs: 20.5 * HOUR_MS, shops: 2 },
  b2: { messages: 2_000, repeats: 1, baselineWindowMs: 3_000 },
  b3: { messages: 2_000, smallStore: 200, appendSamples: 5, rounds: 1 },
  b4: { sizes: [500, 2_000], arrivals: 50, warmLoads: 2 },
  b5: { latencyBatches: 40, drainMessages: 2_000 },
};

const FULL_B4: B4Options = { sizes: [10_000, 100_000], arrivals: 200 };

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  process.stderr.write(`${label}…\n`);
  const started = performance.now();
  const result = await run();
  process.stderr.write(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? argv[outAt + 1] : quick ? undefined : DOCS_FILE;
  if (outAt >= 0 && !out) throw new Error('--out needs a file');
  const onlyAt = argv.indexOf('--only');
  const machine = describeMachine();
  if (onlyAt >= 0) {
    const only = argv[onlyAt + 1];
    if (only === 'B4') {
      const b4 = await timed('B4 the window in Chromium', () => runWindowBench(quick ? QUICK.b4 : FULL_B4));
      process.stdout.write(`${renderB4Table(b4)}\n`);
      if (out) await writeFile(out, withB4(await readFile(out, 'utf8'), b4, machine, describeMachine().loadAverage));
    } else if (only === 'B5') {
      const b5 = await timed('B5 team mode: the stream', () => runB5(quick ? QUICK.b5 : {}));
      process.stdout.write(`${renderB5Table(b5)}\n`);
      if (out) await writeFile(out, spliceB5(await readFile(out, 'utf8'), b5, machine));
    } else throw new Error('--only takes B4 or B5');
    if (out) process.stderr.write(`updated ${only} in ${out}\n`);
    return;
  }
  const started = performance.now();
  const b1 = await timed('B1 cost and latency over a simulated day', () => runB1(quick ? QUICK.b1 : {}));
  const b2 = await timed('B2 burst drain over real HTTP', () => runB2(quick ? QUICK.b2 : {}));
  const b3 = await timed('B3 the pipeline and the store', () => runB3(quick ? QUICK.b3 : {}));
  const b4 = await timed('B4 the window in Chromium', () => runWindowBench(quick ? QUICK.b4 : FULL_B4));
  const b5 = await timed('B5 team mode: the stream', () => runB5(quick ? QUICK.b5 : {}));
  const report: BenchReport = { machine, quick, wallMs: performance.now() - started, b1, b2, b3, b4, b5 };

  process.stdout.write(`${renderTable(report)}\n`);
  if (out) {
    await mkdir(path.dirname(path.resolve(out)), { recursive: true });
    await writeFile(out, renderMarkdown(report));
    process.stderr.write(`wrote ${out}\n`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
