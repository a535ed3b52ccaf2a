/**
 * An append-only file of JSON lines, each prefixed with the CRC-32 of its JSON: `0a1b2c3d {...}\n`.
 * Our own JSON, written by us with ids already strings, so plain JSON.parse is right here.
 *
 * Durability: a batch is one write followed by `datasync()` before `append()` resolves (rule 2,
 * store before notify). Crash safety: on open, a last line cut short by a crash (no newline, bad
 * JSON or a failed checksum) is truncated away and reported; a bad line in the middle is skipped
 * and counted, never poisons the rest. Appending costs the same however much is stored: no
 * rewrite, no scan.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';

export interface JournalRecovery {
  /** Bytes cut from the end of the file: a write torn by a crash. */
  truncatedBytes: number;
  /** Lines before the end that failed their checksum, JSON or shape: skipped. */
  corruptLines: number;
}

export type RecordGuard<R> = (value: unknown) => value is R;

const NEWLINE = 0x0a;
const CRC_HEX = 8;
/** A rewrite goes out in chunks so 100,000 records never sit in one giant string. */
const REWRITE_CHUNK = 2_000;

function encodeLine(record: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(record), 'utf8');
  const prefix = Buffer.from(`${crc32(json).toString(16).padStart(CRC_HEX, '0')} `, 'latin1');
  return Buffer.concat([prefix, json, Buffer.from([NEWLINE])]);
}

function encodeLines(records: readonly unknown[]): Buffer {
  return Buffer.concat(records.map(encodeLine));
}

function decodeLine<R>(line: Buffer, guard: RecordGuard<R>): R | undefined {
  if (line.length <= CRC_HEX + 1 || line[CRC_HEX] !== 0x20) return undefined;
  const expected = Number.parseInt(line.subarray(0, CRC_HEX).toString('latin1'), 16);
  const json = line.subarray(CRC_HEX + 1);
  if (!Number.isInteger(expected) || crc32(json) !== expected) return undefined;
  try {
    const value: unknown = JSON.parse(json.toString('utf8'));
    return guard(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

interface Scan<R> {
  records: R[];
  corruptLines: number;
  /** Where the good data ends; past it is a torn last line. */
  goodLength: number;
  /** The last good line lacks its newline (the crash hit between the JSON and the newline). */
  missingNewline: boolean;
}

function scan<R>(buf: Buffer, guard: RecordGuard<R>): Scan<R> {
  const out: Scan<R> = { records: [], corruptLines: 0, goodLength: 0, missingNewline: false };
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(NEWLINE, pos);
    const end = nl === -1 ? buf.length : nl;
    const isLast = nl === -1 || nl === buf.length - 1;
    const line = buf.subarray(pos, end);
    pos = end + 1;
    // An empty line is what a torn write leaves once the next append starts a fresh line.
    if (line.length === 0) {
      out.goodLength = Math.min(pos, buf.length);
      continue;
    }
    const record = decodeLine(line, guard);
    if (record === undefined) {
      if (isLast) break;
      out.corruptLines++;
    } else {
      out.records.push(record);
      out.missingNewline = nl === -1;
    }
    out.goodLength = Math.min(pos, buf.length);
  }
  return out;
}

async function readIfExists(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw e;
  }
}

/** Makes a create or rename durable. Windows cannot open a directory: there it is a no-op. */
async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported on this platform; the rename itself is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

async function writeAll(handle: fs.FileHandle, buf: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buf.length) {
    const { bytesWritten } = await handle.write(buf, offset, buf.length - offset);
    offset += bytesWritten;
  }
}

export class Journal<R> {
  private constructor(
    private readonly file: string,
    private readonly guard: RecordGuard<R>,
    private handle: fs.FileHandle,
    private size: number,
  ) {}

  /** A failed write may have left part of a line: the next append starts a fresh one. */
  private torn = false;

  /** Opens (creating it if need be), repairs a torn end, and returns what it holds. */
  static async open<R>(file: string, guard: RecordGuard<R>): Promise<{ journal: Journal<R>; records: R[]; recovery: JournalRecovery }> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    // A compaction that crashed before its rename leaves a temp file; the journal is intact.
    await fs.rm(`${file}.tmp`, { force: true });
    const buf = await readIfExists(file);
    const found = scan(buf, guard);
    const recovery: JournalRecovery = { truncatedBytes: buf.length - found.goodLength, corruptLines: found.corruptLines };
    if (recovery.truncatedBytes > 0) await fs.truncate(file, found.goodLength);
    const handle = await fs.open(file, 'a');
    const journal = new Journal(file, guard, handle, found.goodLength);
    if (found.missingNewline) await journal.writeDurably(Buffer.from([NEWLINE]));
    if (buf.length === 0) await syncDir(path.dirname(file));
    return { journal, records: found.records, recovery };
  }

  /** Appends the records as one write and flushes them to disk before resolving. */
  async append(records: readonly R[]): Promise<void> {
    if (records.length === 0) return;
    const body = encodeLines(records);
    await this.writeDurably(this.torn ? Buffer.concat([Buffer.from([NEWLINE]), body]) : body);
  }

  private async writeDurably(buf: Buffer): Promise<void> {
    try {
      await writeAll(this.handle, buf);
      await this.handle.datasync();
      this.size += buf.length;
      this.torn = false;
    } catch (e) {
      // Cut a partial write back off; if even that fails, the next append begins a new line so
      // only this batch's torn line is lost, not the next record too.
      this.torn = await this.handle.truncate(this.size).then(
        () => false,
        () => true,
      );
      throw e;
    }
  }

  /** Every good record, read back from disk (compaction works from the file, not from memory). */
  async readAll(): Promise<R[]> {
    return scan(await fs.readFile(this.file), this.guard).records;
  }

  /** Replaces the whole journal atomically: a temp file, flushed, then renamed over it. */
  async rewrite(records: readonly R[]): Promise<void> {
    const tmp = `${this.file}.tmp`;
    const out = await fs.open(tmp, 'w');
    let size = 0;
    try {
      for (let i = 0; i < records.length; i += REWRITE_CHUNK) {
        const chunk = encodeLines(records.slice(i, i + REWRITE_CHUNK));
        await writeAll(out, chunk);
        size += chunk.length;
      }
      await out.sync();
    } finally {
      await out.close();
    }
    await this.handle.close();
    try {
      await fs.rename(tmp, this.file);
      this.size = size;
      this.torn = false;
    } finally {
      this.handle = await fs.open(this.file, 'a');
    }
    await syncDir(path.dirname(this.file));
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
