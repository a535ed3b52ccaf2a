/**
 * B3's measurements of a stored inbox, each in a fresh process so that the heap holds the inbox
 * and nothing the benchmark built, and every store starts alike. Prints one JSON line. Run with
 * --expose-gc.
 *
 *   inboxChild.ts open <dir>
 *     OpenFigures: how long Inbox.open took; the heap after a full GC before and after it; how long
 *     reading and checking the journal alone takes (timed after the open, on a warmer process: a
 *     lower bound of its share).
 *   inboxChild.ts append <seed> <samples> <batch size> <dir>...
 *     AppendFigures: opens every store, then appends the same fresh batches to each in turn,
 *     timing each append; taking turns puts the disk's slow and fast moments on all stores alike.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Inbox, JOURNAL_FILE } from '../src/main/core/inbox/inbox';
import { Journal } from '../src/main/core/inbox/journal';
import { isInboxRecord } from '../src/main/core/inbox/records';
import { decodeBatch } from '../src/main/core/intake/decoder';
import { backlog, BENCH_SHOP, wireBatches } from './backlog';
import type { AppendFigures, OpenFigures } from './b3Store';

/** Appends before the timed ones: the first calls of a fresh process also compile the path. */
const WARM_UP = 3;

const USAGE =
  'usage: node --expose-gc --import tsx bench/inboxChild.ts open <dir> | append <seed> <samples> <batch size> <dir>...\n';

const gc = (globalThis as { gc?: () => void }).gc;

async function measureOpen(collect: () => void, dir: string): Promise<OpenFigures> {
  collect();
  const before = process.memoryUsage();
  const started = performance.now();
  const inbox = await Inbox.open(dir);
  const openMs = performance.now() - started;
  collect();
  const after = process.memoryUsage();
  const messages = inbox.messageCount();
  await inbox.close();
  const readStart = performance.now();
  const { journal } = await Journal.open(path.join(dir, JOURNAL_FILE), isInboxRecord);
  const journalReadMs = performance.now() - readStart;
  await journal.close();
  return {
    openMs,
    journalReadMs,
    messages,
    heapUsedBytes: after.heapUsed,
    heapBeforeBytes: before.heapUsed,
    rssBytes: after.rss,
  };
}

async function measureAppend(
  collect: () => void,
  seed: number,
  samples: number,
  size: number,
  dirs: string[],
): Promise<AppendFigures> {
  const inboxes = await Promise.all(dirs.map((d) => Inbox.open(d)));
  const messages = inboxes.map((i) => i.messageCount());
  const now = Date.now();
  const batches = wireBatches(backlog(seed, BENCH_SHOP, size * (samples + WARM_UP), now), BENCH_SHOP, size).map(
    (b) => decodeBatch(BENCH_SHOP, b, [], now).messages,
  );
  const appendUs: number[][] = dirs.map(() => []);
  collect();
  for (const [i, batch] of batches.entries()) {
    for (const [j, inbox] of inboxes.entries()) {
      const t = performance.now();
      await inbox.append(batch);
      if (i >= WARM_UP) appendUs[j]!.push((performance.now() - t) * 1000);
    }
  }
  await Promise.all(inboxes.map((i) => i.close()));
  return { messages, appendUs };
}

async function main(args: string[]): Promise<unknown> {
  if (!gc) throw new Error(USAGE);
  const [mode, ...rest] = args;
  if (mode === 'open' && rest.length === 1) return measureOpen(gc, rest[0]!);
  const [seed, samples, size] = rest.slice(0, 3).map(Number);
  const dirs = rest.slice(3);
  if (mode === 'append' && Number.isInteger(seed) && samples! > 0 && size! > 0 && dirs.length > 0)
    return measureAppend(gc, seed!, samples!, size!, dirs);
  throw new Error(USAGE);
}

main(process.argv.slice(2)).then(
  (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
  (e: unknown) => {
    process.stderr.write(e instanceof Error ? e.message : String(e));
    process.exitCode = 2;
  },
);
