/**
 * B3: the intake pipeline and the store on one core, with a real disk.
 * - Throughput: consume answers of `batch` messages (msg_data as the gateway client hands it over)
 *   through decodeBatch and Inbox.append (dedupe, one journal write and one datasync per batch)
 *   until the inbox holds `messages`. The wire text is built before the clock starts.
 * - Start-up and heap: fresh processes (inboxChild.ts) open the large store, and a small one.
 * - Append cost: one fresh process appends the same fresh batches to the small and the large
 *   store in turn, so that the disk's slow and fast moments fall on both alike.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { asRecord } from '../src/main/core/gateway/shape';
import type { GatewayMessage } from '../src/main/core/gateway/types';
import { Inbox, JOURNAL_FILE } from '../src/main/core/inbox/inbox';
import { decodeBatch } from '../src/main/core/intake/decoder';
import { parseJsonLossless } from '../src/main/core/json';
import type { SimMessage } from '../src/simulator';
import { backlog, BENCH_SHOP, wireBatches } from './backlog';
import { tallyJournal } from './journalTally';
import { median, percentile } from './stats';
import { check, type Target } from './targets';

export interface B3Options {
  /** Distinct messages stored by the throughput run: the large store. */
  messages?: number;
  batch?: number;
  /** Distinct messages in the small store of the append-cost comparison. */
  smallStore?: number;
  /** Batches appended to each store to time its append cost. */
  appendSamples?: number;
  /** Fresh processes opening each store. */
  rounds?: number;
  seed?: number;
}

export type B3Settings = Required<B3Options>;

export const B3_DEFAULTS: B3Settings = {
  messages: 100_000,
  batch: 200,
  smallStore: 1_000,
  appendSamples: 60,
  rounds: 3,
  seed: 11,
};

/** What `inboxChild.ts open` prints. */
export interface OpenFigures {
  openMs: number;
  /** Journal.open alone (read, checksums, JSON.parse), timed after Inbox.open. */
  journalReadMs: number;
  messages: number;
  /** heapUsed after a full GC with the inbox open, and before opening it. */
  heapUsedBytes: number;
  heapBeforeBytes: number;
  rssBytes: number;
}

/** What `inboxChild.ts append` prints: per store, its size and each timed append of one batch. */
export interface AppendFigures {
  messages: number[];
  appendUs: number[][];
}

/** A store: the median start-up and the largest heap over the rounds, the median append. */
export interface StoreFigures extends OpenFigures {
  appendMedianUs: number;
  /** The interquartile range of the appends: how much this disk and machine move the figure. */
  appendIqrUs: number;
  appendSamples: number;
}

export interface B3Result {
  settings: B3Settings;
  throughput: {
    /** Messages fed (redeliveries included), distinct ones stored, batches. */
    fed: number;
    stored: number;
    batches: number;
    wallMs: number;
    messagesPerSecond: number;
    /** The same batches through decodeBatch alone: the pipeline's CPU part. */
    decodeMessagesPerSecond: number;
    /** µs per message to parse msg_data and its content with the app's lossless parser, and with
     * JSON.parse (which would round 19-digit ids: a yardstick, never a choice). */
    losslessParseUs: number;
    nativeParseUs: number;
    /** Median per batch: decode, append (dedupe + write + datasync), and a bare write + datasync of as many bytes. */
    decodeMedianMs: number;
    appendMedianMs: number;
    datasyncMedianMs: number;
    journalBytes: number;
  };
  small: StoreFigures;
  large: StoreFigures;
  /** The large store's journal holds every distinct message once. */
  storedOnce: boolean;
  targets: Target[];
}

const CHILD = fileURLToPath(new URL('./inboxChild.ts', import.meta.url));

/** The shortest run of deliveries holding `distinct` distinct ids. */
function withDistinct(seed: number, distinct: number, now: number): SimMessage[] {
  const all = backlog(seed, BENCH_SHOP, Math.ceil(distinct * 1.05) + 10, now);
  const ids = new Set<string>();
  let end = 0;
  while (end < all.length && ids.size < distinct) ids.add(all[end++]!.id);
  return all.slice(0, end);
}

/** Messages whose two JSON layers are timed for the parser comparison. */
const PARSE_SAMPLE = 20_000;

/** µs per message to parse the msg_data text and then its content text with `parse`. */
function parseUs(entries: readonly GatewayMessage[], parse: (text: string) => unknown): number {
  const started = performance.now();
  for (const e of entries) {
    if (typeof e.msgData !== 'string') continue;
    const content = asRecord(parse(e.msgData))?.content;
    if (typeof content === 'string') parse(content);
  }
  return ((performance.now() - started) * 1000) / Math.max(1, entries.length);
}

/** Median ms of writing `bytes` and datasync-ing them, on the disk that holds `dir`. */
async function bareDatasyncMs(dir: string, bytes: number, samples: number): Promise<number> {
  const file = await open(path.join(dir, 'datasync.probe'), 'a');
  const buf = Buffer.alloc(Math.max(1, bytes), 0x61);
  const times: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const t = performance.now();
      await file.write(buf);
      await file.datasync();
      times.push(performance.now() - t);
    }
  } finally {
    await file.close();
  }
  return median(times);
}

async function child<T>(args: string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, ...args], {
    maxBuffer: 1 << 24,
  });
  return JSON.parse(stdout) as T;
}

/** The median start-up of a store over `rounds` processes, with the largest heap seen. */
async function openRounds(dir: string, rounds: number): Promise<OpenFigures> {
  const all: OpenFigures[] = [];
  for (let i = 0; i < rounds; i++) all.push(await child<OpenFigures>(['open', dir]));
  const peak = all.reduce((a, b) => (b.heapUsedBytes > a.heapUsedBytes ? b : a));
  return { ...peak, openMs: median(all.map((r) => r.openMs)), journalReadMs: median(all.map((r) => r.journalReadMs)) };
}

function appendStats(us: readonly number[]): Pick<StoreFigures, 'appendMedianUs' | 'appendIqrUs' | 'appendSamples'> {
  return { appendMedianUs: median(us), appendIqrUs: percentile(us, 75) - percentile(us, 25), appendSamples: us.length };
}

async function fill(dir: string, messages: readonly SimMessage[], batch: number): Promise<void> {
  const inbox = await Inbox.open(dir);
  for (const b of wireBatches(messages, BENCH_SHOP, batch))
    await inbox.append(decodeBatch(BENCH_SHOP, b, [], Date.now()).messages);
  await inbox.close();
}

export async function runB3(options: B3Options = {}): Promise<B3Result> {
  const s: B3Settings = { ...B3_DEFAULTS, ...options };
  const now = Date.now();
  const fed = withDistinct(s.seed, s.messages, now);
  const wire = wireBatches(fed, BENCH_SHOP, s.batch);
  const root = await mkdtemp(path.join(tmpdir(), 'tradebell-b3-'));
  try {
    const decodeStart = performance.now();
    for (const b of wire) decodeBatch(BENCH_SHOP, b, [], now);
    const decodeWallMs = performance.now() - decodeStart;
    const sample = wire.flat().slice(0, PARSE_SAMPLE);
    const losslessParseUs = parseUs(sample, parseJsonLossless);
    const nativeParseUs = parseUs(sample, (text) => JSON.parse(text) as unknown);

    const largeDir = path.join(root, 'large');
    const inbox = await Inbox.open(largeDir);
    const decodeTimes: number[] = [];
    const appendTimes: number[] = [];
    const started = performance.now();
    for (const b of wire) {
      const t0 = performance.now();
      const decoded = decodeBatch(BENCH_SHOP, b, [], Date.now());
      const t1 = performance.now();
      await inbox.append(decoded.messages, decoded.undecoded);
      decodeTimes.push(t1 - t0);
      appendTimes.push(performance.now() - t1);
    }
    const wallMs = performance.now() - started;
    const stored = inbox.messageCount();
    await inbox.close();
    const journalBytes = (await stat(path.join(largeDir, JOURNAL_FILE))).size;
    const tally = await tallyJournal(largeDir);
    const datasyncMedianMs = await bareDatasyncMs(root, Math.round(journalBytes / wire.length), s.appendSamples);

    const smallDir = path.join(root, 'small');
    await fill(smallDir, withDistinct(s.seed + 2, s.smallStore, now), s.batch);
    const smallOpen = await openRounds(smallDir, s.rounds);
    const largeOpen = await openRounds(largeDir, s.rounds);
    // The same fresh messages for both: another seed than the stores', so none is stored yet.
    const appends = await child<AppendFigures>([
      'append',
      String(s.seed + 1),
      String(s.appendSamples),
      String(s.batch),
      smallDir,
      largeDir,
    ]);
    const [smallUs, largeUs] = [appends.appendUs[0] ?? [], appends.appendUs[1] ?? []];
    const small: StoreFigures = { ...smallOpen, ...appendStats(smallUs) };
    const large: StoreFigures = { ...largeOpen, ...appendStats(largeUs) };

    const result: Omit<B3Result, 'targets'> = {
      settings: s,
      throughput: {
        fed: fed.length,
        stored,
        batches: wire.length,
        wallMs,
        messagesPerSecond: fed.length / (wallMs / 1000),
        decodeMessagesPerSecond: fed.length / (decodeWallMs / 1000),
        losslessParseUs,
        nativeParseUs,
        decodeMedianMs: median(decodeTimes),
        appendMedianMs: median(appendTimes),
        datasyncMedianMs,
        journalBytes,
      },
      small,
      large,
      storedOnce: tally.messageLines === tally.ids.size && tally.ids.size === s.messages && stored === s.messages,
    };
    return { ...result, targets: b3Targets(result) };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const MB = 1024 * 1024;
const fmt = (n: number): string => Math.round(n).toLocaleString('en');

function b3Targets(r: Omit<B3Result, 'targets'>): Target[] {
  const t = r.throughput;
  const perBatch = t.decodeMedianMs + t.appendMedianMs;
  const ratio = r.large.appendMedianUs / r.small.appendMedianUs;
  // "Within noise": the medians differ by less than the spread of either store's own appends.
  const noise = Math.min(r.small.appendIqrUs, r.large.appendIqrUs);
  const gap = Math.abs(r.large.appendMedianUs - r.small.appendMedianUs);
  return [
    check(
      'B3',
      'decode + dedupe + store ≥ 50,000 msg/s on one core',
      t.messagesPerSecond >= 50_000,
      `${fmt(t.messagesPerSecond)} msg/s with a datasync per ${r.settings.batch}-message batch; per batch (median) decode ${t.decodeMedianMs.toFixed(2)} ms + append ` +
        `${t.appendMedianMs.toFixed(2)} ms, where a bare write + datasync of as many bytes takes ${t.datasyncMedianMs.toFixed(2)} ms ` +
        `(${((t.datasyncMedianMs / perBatch) * 100).toFixed(0)} % of the batch); decodeBatch alone ${fmt(t.decodeMessagesPerSecond)} msg/s, ` +
        `its lossless parse of msg_data + content ${t.losslessParseUs.toFixed(1)} µs/message against ${t.nativeParseUs.toFixed(1)} µs for JSON.parse of the same text`,
    ),
    check(
      'B3',
      `inbox start-up under 1 s with ${fmt(r.large.messages)} messages`,
      r.large.openMs < 1000,
      `Inbox.open took ${fmt(r.large.openMs)} ms for a ${(t.journalBytes / MB).toFixed(1)} MB journal (median of ${r.settings.rounds} fresh process${r.settings.rounds === 1 ? '' : 'es'}); ` +
        `reading and checking the journal alone ${fmt(r.large.journalReadMs)} ms, the rest is replaying it into the ids and the orders view`,
    ),
    check(
      'B3',
      `inbox heap under 150 MB with ${fmt(r.large.messages)} messages`,
      r.large.heapUsedBytes < 150 * MB,
      `heapUsed after GC ${(r.large.heapUsedBytes / MB).toFixed(1)} MB (the most of ${r.settings.rounds} process${r.settings.rounds === 1 ? '' : 'es'}), ${((r.large.heapUsedBytes - r.large.heapBeforeBytes) / MB).toFixed(1)} MB of it the inbox; RSS ${fmt(r.large.rssBytes / MB)} MB`,
    ),
    check(
      'B3',
      `append cost the same at ${fmt(r.small.messages)} and ${fmt(r.large.messages)} stored, within noise`,
      gap <= noise,
      `median ${r.settings.batch}-message append ${fmt(r.small.appendMedianUs)} µs vs ${fmt(r.large.appendMedianUs)} µs (×${ratio.toFixed(2)}; ` +
        `${r.large.appendSamples} appends each, taking turns in one process); the ${fmt(gap)} µs between them against an interquartile spread of ` +
        `${fmt(r.small.appendIqrUs)} and ${fmt(r.large.appendIqrUs)} µs`,
    ),
  ];
}
