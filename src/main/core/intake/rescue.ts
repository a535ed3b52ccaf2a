/**
 * Consumed batches that the inbox could not store by the time the app or the CLI stops: the
 * gateway has no confirm, so these messages exist nowhere else. Each is written to a file of its
 * own (`held-<folder tag>-<time>-<n>.jsonl`, one journal line: the raw answer, its shop and when
 * it came) in the first place that takes it: the data folder itself (a small file may fit where a
 * journal append did not, or the file the antivirus holds is only the journal), else a
 * `tradebell-held` folder in the system's temp folder. The next start looks in both, hands each
 * batch to the scheduler as held (stored before its shop calls again), and removes the file once
 * the batch is stored. The folder tag keeps two data folders from taking each other's batches.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { isShopId } from '../../../shared/memo';
import type { ShopId } from '../../../shared/domain';
import { appError, type AppError } from '../../../shared/errors';
import type { Logger } from '../ports';
import type { HeldBatch } from './poller';
import type { ConsumeOk, GatewayMessage } from '../gateway/types';
import { decodeWhole, encodeLines, writeFileAtomically } from '../inbox/journal';

const FORMAT = 1;

export interface HeldRecord {
  v: typeof FORMAT;
  shop: ShopId;
  receivedAt: number;
  answer: ConsumeOk;
}

export interface RescuedBatch extends HeldRecord {
  file: string;
}

/** Where held batches go, in order of preference. */
export function rescueDirs(dataDir: string): string[] {
  return [path.resolve(dataDir), path.join(tmpdir(), 'tradebell-held')];
}

function prefix(dataDir: string): string {
  return `held-${crc32(path.resolve(dataDir)).toString(16).padStart(8, '0')}-`;
}

function isMessage(v: unknown): v is GatewayMessage {
  return typeof v === 'object' && v !== null && typeof (v as GatewayMessage).rowId === 'string' && 'msgData' in v;
}

function isHeldRecord(v: unknown): v is HeldRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as HeldRecord;
  const a = r.answer as ConsumeOk | undefined;
  return (
    r.v === FORMAT &&
    typeof r.shop === 'string' &&
    isShopId(r.shop) &&
    Number.isFinite(r.receivedAt) &&
    typeof a === 'object' &&
    a !== null &&
    Array.isArray(a.messages) &&
    a.messages.every(isMessage) &&
    Array.isArray(a.malformed) &&
    a.malformed.every((m) => typeof m === 'string')
  );
}

export interface WriteOutcome {
  /** Where each batch went, in the order given; undefined where no place took it. */
  files: (string | undefined)[];
  /** The last refusal, when some batch went nowhere. */
  error?: unknown;
}

/** Writes each batch to the first place that takes it. */
export async function writeHeld(
  dataDir: string,
  batches: readonly Omit<HeldRecord, 'v'>[],
  dirs = rescueDirs(dataDir),
): Promise<WriteOutcome> {
  const out: WriteOutcome = { files: [] };
  let n = 0;
  for (const b of batches) {
    const record: HeldRecord = { v: FORMAT, shop: b.shop, receivedAt: b.receivedAt, answer: b.answer };
    const name = `${prefix(dataDir)}${b.receivedAt}-${process.pid}-${n++}.jsonl`;
    let written: string | undefined;
    for (const dir of dirs) {
      const file = path.join(dir, name);
      try {
        await fs.mkdir(dir, { recursive: true, mode: 0o700 });
        await writeFileAtomically(file, [encodeLines([record])]);
        written = file;
        break;
      } catch (e) {
        out.error = e;
        await fs.rm(`${file}.tmp`, { force: true }).catch(() => undefined);
      }
    }
    out.files.push(written);
  }
  if (out.files.every((f) => f !== undefined)) delete out.error;
  return out;
}

/** Every batch written for this data folder, oldest first; a file that cannot be read whole is
 * left where it is and named in `unreadable`. */
export async function readHeld(
  dataDir: string,
  dirs = rescueDirs(dataDir),
): Promise<{ batches: RescuedBatch[]; unreadable: string[] }> {
  const batches: RescuedBatch[] = [];
  const unreadable: string[] = [];
  const start = prefix(dataDir);
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.startsWith(start) || !name.endsWith('.jsonl')) continue;
      const file = path.join(dir, name);
      const records = decodeWhole(await fs.readFile(file).catch(() => Buffer.alloc(0)), isHeldRecord);
      if (records?.length === 1) batches.push({ ...records[0]!, file });
      else unreadable.push(file);
    }
  }
  batches.sort((a, b) => a.receivedAt - b.receivedAt);
  return { batches, unreadable };
}

export async function removeHeld(file: string): Promise<void> {
  await fs.rm(file, { force: true });
}

/** Hands every batch written away for this data folder to the scheduler as held: stored before
 * its shop calls again, its file removed once stored. */
export async function takeBackHeld(
  dataDir: string,
  scheduler: { hold(batch: HeldBatch): void },
  logger: Logger,
): Promise<void> {
  const { batches, unreadable } = await readHeld(dataDir);
  for (const file of unreadable) logger.error('a file of held messages cannot be read; left in place', { file });
  for (const b of batches) {
    logger.warn('taking back messages held at the last stop', { shop: b.shop, file: b.file });
    scheduler.hold({ shop: b.shop, answer: b.answer, receivedAt: b.receivedAt, onStored: () => removeHeld(b.file) });
  }
}

/** Writes what the scheduler still held at stop wherever it can go, and says where (or that some
 * could go nowhere) to each shop concerned. Batches taken back from a file still have it. */
export async function putAwayHeld(
  dataDir: string,
  held: readonly HeldBatch[],
  logger: Logger,
  report: (shop: ShopId, error: AppError) => void,
): Promise<void> {
  const fresh = held.filter((b) => !b.onStored);
  if (fresh.length === 0) return;
  const messages = fresh.reduce((n, b) => n + b.answer.messages.length + b.answer.malformed.length, 0);
  const { files, error } = await writeHeld(dataDir, fresh);
  const where = [...new Set(files.flatMap((f) => (f === undefined ? [] : [path.dirname(f)])))];
  const lost = files.filter((f) => f === undefined).length;
  logger.error('messages not stored at stop', { messages, files, error: error && String(error) });
  const problem =
    lost === 0
      ? appError('storage', 'held_saved', { messages, folders: where }, { retryable: false })
      : appError('storage', 'held_lost', { messages, batches: lost, detail: String(error) }, { retryable: false });
  for (const shop of new Set(fresh.map((b) => b.shop))) report(shop, problem);
}
