/**
 * An append-only file of JSON lines, each prefixed with the CRC-32 of its JSON: `0a1b2c3d {...}\n`.
 * Our own JSON, written by us with ids already strings, so plain JSON.parse is right here.
 *
 * Durability: a batch is one write followed by `datasync()` before `append()` resolves (rule 2,
 * store before notify). Crash safety: on open, a last line cut short by a crash (a failed
 * checksum, which is what a line without its end has) is truncated away and reported; a bad line
 * in the middle is skipped and counted, never poisons the rest. Appending costs the same however
 * much is stored: no rewrite, no scan.
 *
 * Forward compatibility: the first line names the format (`{"format":"tradebell-journal",...}`).
 * A newer major version is refused before anything is touched; a newer minor one is read, and a
 * line whose checksum holds but which this version cannot read (a record kind added later) is
 * never cut or dropped: it is counted, and a rewrite carries its bytes over unchanged. A file
 * without the line is major 1 (written before it existed).
 *
 * The journal also keeps the CRC-32 of all its bytes (a mark): whoever saved what the first bytes
 * fold into (the inbox's snapshot) can replay only the lines after them, for as long as the file
 * still starts with exactly those bytes.
 */
import { promises as fs, writeSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { AppFailure, appError } from '../../../shared/errors';
import { syncFolder as syncDir } from '../atomicFile';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../files';

export interface JournalRecovery {
  /** Bytes cut from the end of the file: a write torn by a crash. */
  truncatedBytes: number;
  /** Lines before the end that failed their checksum: skipped. */
  corruptLines: number;
  /** Whole lines (their checksum holds) this version cannot read: kept, and carried over by a rewrite. */
  unknownLines: number;
}

/** The first `size` bytes of a journal, and their CRC-32. */
export interface JournalMark {
  size: number;
  crc: number;
}

export type RecordGuard<R> = (value: unknown) => value is R;

/** The two calls an append makes: node:fs's, or a test's that fail like a full disk. */
export interface AppendIo {
  write(fd: number, buf: Buffer, offset: number, length: number): number;
  datasync(handle: fs.FileHandle): Promise<void>;
}

const NODE_APPEND_IO: AppendIo = { write: writeSync, datasync: (handle) => handle.datasync() };

/** How a replay at open runs. */
export interface Replay<R> {
  /** Bytes already folded in elsewhere: skipped if the file still starts with exactly them. */
  skip?: JournalMark;
  /** Called once, before the first record, with whether `skip` holds; returns where each record goes. */
  start(skipped: boolean): (record: R) => void;
}

/** Everything a journal holds, as a rewrite needs it. */
export interface JournalContents<R> {
  records: R[];
  /** Lines this version cannot read, each as its bytes without the newline, in file order. */
  unknown: Buffer[];
}

/**
 * The journal's format. Major: a change an older version must not read (it would misread or
 * lose data): it refuses the file. Minor: additions an older version can carry over unread (a new
 * record kind): it opens the file and passes those lines through.
 */
export interface JournalVersion {
  major: number;
  minor: number;
}

export const JOURNAL_VERSION: JournalVersion = { major: 1, minor: 0 };
const FORMAT_NAME = 'tradebell-journal';

/** The journal was written by a newer TradeBell whose format this one must not read. */
export class JournalVersionError extends AppFailure {
  constructor(
    readonly file: string,
    readonly found: JournalVersion,
    readonly supported: JournalVersion = JOURNAL_VERSION,
  ) {
    const format = `${found.major}.${found.minor}`;
    super(
      appError('storage', 'journal_too_new', { file, found: format, supported: supported.major }, { retryable: false }),
      `the inbox ${file} was written by a newer TradeBell (journal format ${format}); this version reads format ${supported.major}`,
    );
    this.name = 'JournalVersionError';
  }
}

const NEWLINE = 0x0a;
const SPACE = 0x20;
const CRC_HEX = 8;
/** A rewrite goes out in chunks so 100,000 records never sit in one giant string. */
const REWRITE_CHUNK = 2_000;

/** A line's bytes besides its JSON: the checksum, a space, the newline. */
const LINE_OVERHEAD = CRC_HEX + 2;
/** UTF-8 takes at most 3 bytes per UTF-16 unit (4 for a pair of them; JSON.stringify escapes a
 * lone one), so room is reserved from the lengths alone instead of measuring every line. */
const MAX_UTF8_PER_UNIT = 3;

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
/** Each byte's value as a lowercase hex digit, or -1. */
const HEX_VALUE = new Int8Array(256).fill(-1);
HEX_DIGITS.forEach((byte, value) => {
  HEX_VALUE[byte] = value;
});

/** The checksum as 8 lowercase hex digits at buf[at]. */
function writeCrc(buf: Buffer, at: number, crc: number): void {
  for (let k = at + CRC_HEX - 1; k >= at; k--) {
    buf[k] = HEX_DIGITS[crc & 0xf]!;
    crc >>>= 4;
  }
}

/** The 8 lowercase hex digits at buf[at] as a number (as writeCrc wrote them); undefined otherwise. */
function readCrc(buf: Buffer, at: number): number | undefined {
  let crc = 0;
  for (let k = at; k < at + CRC_HEX; k++) {
    const digit = HEX_VALUE[buf[k]!]!;
    if (digit < 0) return undefined;
    crc = crc * 16 + digit;
  }
  return crc;
}

/** Each record's JSON written straight into one buffer, its checksum then put in front of it. */
export function encodeLines(records: readonly unknown[]): Buffer {
  const jsons = records.map((r) => JSON.stringify(r));
  let bound = 0;
  for (const json of jsons) bound += LINE_OVERHEAD + MAX_UTF8_PER_UNIT * json.length;
  const buf = Buffer.allocUnsafe(bound);
  let end = 0;
  for (const json of jsons) {
    const start = end;
    const body = start + CRC_HEX + 1;
    end = body + buf.write(json, body, 'utf8');
    writeCrc(buf, start, crc32(buf.subarray(body, end)));
    buf[start + CRC_HEX] = SPACE;
    buf[end++] = NEWLINE;
  }
  return buf.subarray(0, end);
}

/** What one line holds. */
type Line<R> = { record: R } | 'unknown' | 'bad';

/** The line buf[start, end): a record, a whole line this version cannot read, or bad bytes. */
function decodeLine<R>(buf: Buffer, start: number, end: number, guard: RecordGuard<R>): Line<R> {
  const json = start + CRC_HEX + 1;
  if (end <= json || buf[start + CRC_HEX] !== SPACE) return 'bad';
  const expected = readCrc(buf, start);
  if (expected === undefined || crc32(buf.subarray(json, end)) !== expected) return 'bad';
  // The checksum proves these are the bytes some version wrote, whole: from here on the line is
  // never cut or dropped, only read or carried over.
  try {
    const value: unknown = JSON.parse(buf.toString('utf8', json, end));
    return guard(value) ? { record: value } : 'unknown';
  } catch {
    return 'unknown';
  }
}

interface Scan {
  corruptLines: number;
  unknownLines: number;
  /** Where the good data ends; past it is a torn last line. */
  goodLength: number;
  /** The last good line lacks its newline (the crash hit between the JSON and the newline). */
  missingNewline: boolean;
}

/** Hands each good record from `from` on to `visit` as it is read, and each unknown line to `unknown`. */
function scan<R>(
  buf: Buffer,
  from: number,
  guard: RecordGuard<R>,
  visit: (record: R) => void,
  unknown?: (line: Buffer) => void,
): Scan {
  const out: Scan = { corruptLines: 0, unknownLines: 0, goodLength: from, missingNewline: false };
  let pos = from;
  while (pos < buf.length) {
    const nl = buf.indexOf(NEWLINE, pos);
    const end = nl === -1 ? buf.length : nl;
    const isLast = nl === -1 || nl === buf.length - 1;
    const start = pos;
    pos = end + 1;
    // An empty line is what a torn write leaves once the next append starts a fresh line.
    if (end === start) {
      out.goodLength = Math.min(pos, buf.length);
      continue;
    }
    const line = decodeLine(buf, start, end, guard);
    if (line === 'bad') {
      if (isLast) break;
      out.corruptLines++;
    } else {
      if (line === 'unknown') {
        out.unknownLines++;
        unknown?.(buf.subarray(start, end));
      } else visit(line.record);
      out.missingNewline = nl === -1;
    }
    out.goodLength = Math.min(pos, buf.length);
  }
  return out;
}

function isVersion(v: unknown): v is JournalVersion {
  const r = v as Partial<JournalVersion> | null;
  return typeof r === 'object' && r !== null && Number.isSafeInteger(r.major) && Number.isSafeInteger(r.minor);
}

/** The format line at the start of the file: its version and where the records begin. */
function readHead(buf: Buffer): { version: JournalVersion; end: number } | undefined {
  const nl = buf.indexOf(NEWLINE);
  if (nl === -1) return undefined;
  const line = decodeLine(
    buf,
    0,
    nl,
    (v): v is { format: string } & JournalVersion => isVersion(v) && (v as { format?: unknown }).format === FORMAT_NAME,
  );
  if (typeof line !== 'object') return undefined;
  return { version: { major: line.record.major, minor: line.record.minor }, end: nl + 1 };
}

/** The version a file was written in (major 1 when it predates the format line), and where its records begin. */
function formatOf(file: string, buf: Buffer): { version: JournalVersion; end: number } {
  const head = readHead(buf);
  const version = head?.version ?? { major: 1, minor: 0 };
  if (version.major > JOURNAL_VERSION.major) throw new JournalVersionError(file, version);
  return { version, end: head?.end ?? 0 };
}

/** The format line a file of this version starts with; a rewrite keeps a newer minor it carried over. */
function headLine(minor: number): Buffer {
  return encodeLines([{ format: FORMAT_NAME, major: JOURNAL_VERSION.major, minor }]);
}

/** Every record of a file written whole by writeFileAtomically; undefined if any line is bad. */
export function decodeWhole<R>(buf: Buffer, guard: RecordGuard<R>): R[] | undefined {
  const records: R[] = [];
  const found = scan(buf, 0, guard, (r) => records.push(r));
  return found.corruptLines === 0 &&
    found.unknownLines === 0 &&
    found.goodLength === buf.length &&
    !found.missingNewline
    ? records
    : undefined;
}

/** Whether the bytes begin with exactly the marked ones, ending at a line's end. */
function startsWith(buf: Buffer, mark: JournalMark): boolean {
  return (
    mark.size <= buf.length &&
    (mark.size === 0 || buf[mark.size - 1] === NEWLINE) &&
    crc32(buf.subarray(0, mark.size)) === mark.crc
  );
}

/**
 * The file's bytes (as many as it held when opened); none when it does not exist. Read with one
 * call rather than fs.readFile's chunks, each of which waits for the thread to ask for the next:
 * a journal read while a snapshot is parsed then arrives whole meanwhile.
 */
export async function readIfExists(file: string): Promise<Buffer> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw e;
  }
  try {
    const { size } = await handle.stat();
    const buf = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(buf, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buf.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

async function writeAll(handle: fs.FileHandle, buf: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buf.length) {
    const { bytesWritten } = await handle.write(buf, offset, buf.length - offset);
    offset += bytesWritten;
  }
}

/** The temp file a rewrite goes to before it is renamed into place. */
function tempOf(file: string): string {
  return `${file}.tmp`;
}

/** Writes the chunks to a new temp file and flushes it; returns the mark of all it holds. */
async function writeTemp(file: string, chunks: Iterable<Buffer>): Promise<JournalMark> {
  const out = await fs.open(tempOf(file), 'w', PRIVATE_FILE_MODE);
  const mark: JournalMark = { size: 0, crc: 0 };
  try {
    for (const chunk of chunks) {
      await writeAll(out, chunk);
      mark.size += chunk.length;
      mark.crc = crc32(chunk, mark.crc);
    }
    await out.sync();
  } finally {
    await out.close();
  }
  return mark;
}

/** Replaces a file whole or not at all: a temp file, flushed, then renamed over it. */
export async function writeFileAtomically(file: string, chunks: Iterable<Buffer>): Promise<void> {
  await writeTemp(file, chunks);
  await fs.rename(tempOf(file), file);
  await syncDir(path.dirname(file));
}

/** What writeFileAtomically leaves behind when a crash stops it before its rename. */
export async function removeTemp(file: string): Promise<void> {
  await fs.rm(tempOf(file), { force: true });
}

function* encodeChunks(records: readonly unknown[]): Iterable<Buffer> {
  for (let i = 0; i < records.length; i += REWRITE_CHUNK) yield encodeLines(records.slice(i, i + REWRITE_CHUNK));
}

function* unknownChunks(lines: readonly Buffer[]): Iterable<Buffer> {
  const newline = Buffer.from([NEWLINE]);
  for (const line of lines) yield Buffer.concat([line, newline]);
}

/** What a read-only replay found: nothing is repaired, so a torn end is only reported. */
export interface JournalReading {
  recovery: JournalRecovery;
  version: JournalVersion;
}

export class Journal<R> {
  private constructor(
    private readonly file: string,
    private readonly guard: RecordGuard<R>,
    private handle: fs.FileHandle,
    private size: number,
    /** CRC-32 of the file's first `size` bytes; undefined once a failed write left bytes we cannot account for. */
    private crc: number | undefined,
    /** The file's minor version: a rewrite keeps a newer one, since it carries that version's lines over. */
    private minor: number,
    private readonly io: AppendIo,
  ) {}

  /** A failed write may have left part of a line: the next append starts a fresh one. */
  private torn = false;

  /** Opens (creating it if need be), repairs a torn end, and returns what it holds. */
  static async open<R>(
    file: string,
    guard: RecordGuard<R>,
    io?: AppendIo,
  ): Promise<{ journal: Journal<R>; records: R[]; recovery: JournalRecovery }> {
    const records: R[] = [];
    const { journal, recovery } = await Journal.replay(file, guard, { start: () => (r) => records.push(r) }, io);
    return { journal, records, recovery };
  }

  /**
   * Opens like open(), handing each record to the replay as it is read rather than keeping them all.
   * A file of a newer major version throws JournalVersionError before anything is changed. The
   * replay may still be in the making (a snapshot being loaded): the file is read meanwhile, and
   * its bytes wait for it (B3's start-up in docs/benchmarks.md).
   */
  static async replay<R>(
    file: string,
    guard: RecordGuard<R>,
    pendingReplay: Replay<R> | Promise<Replay<R>>,
    io: AppendIo = NODE_APPEND_IO,
  ): Promise<{ journal: Journal<R>; recovery: JournalRecovery }> {
    await makePrivateDir(path.dirname(file));
    const [buf, replay] = await Promise.all([readIfExists(file), pendingReplay]);
    const format = formatOf(file, buf);
    // A compaction that crashed before its rename leaves a temp file; the journal is intact.
    await removeTemp(file);
    const { found, skip } = replayBuffer(buf, format.end, guard, replay);
    const recovery = recoveryOf(buf, found);
    if (recovery.truncatedBytes > 0) await fs.truncate(file, found.goodLength);
    const handle = await fs.open(file, 'a', PRIVATE_FILE_MODE);
    if (process.platform !== 'win32') await handle.chmod(PRIVATE_FILE_MODE);
    const from = skip?.size ?? 0;
    const crc = crc32(buf.subarray(from, found.goodLength), skip?.crc ?? 0);
    const journal = new Journal(file, guard, handle, found.goodLength, crc, format.version.minor, io);
    if (found.missingNewline) await journal.writeDurably(Buffer.from([NEWLINE]));
    if (found.goodLength === 0) await journal.writeDurably(headLine(JOURNAL_VERSION.minor));
    if (buf.length === 0) await syncDir(path.dirname(file));
    return { journal, recovery };
  }

  /**
   * Replays without writing anything: no folder or file is created, no torn end cut, no temp file
   * removed. For a reader beside the one writer (`cli remark` while `cli watch` runs): what looks
   * torn at the end may be a line being written, so it is only left out.
   */
  static async read<R>(
    file: string,
    guard: RecordGuard<R>,
    pendingReplay: Replay<R> | Promise<Replay<R>>,
  ): Promise<JournalReading> {
    const [buf, replay] = await Promise.all([readIfExists(file), pendingReplay]);
    const format = formatOf(file, buf);
    const { found } = replayBuffer(buf, format.end, guard, replay);
    return { recovery: recoveryOf(buf, found), version: format.version };
  }

  /** Everything written so far, or undefined when a failed write left the file's bytes unknown. */
  mark(): JournalMark | undefined {
    return this.crc === undefined ? undefined : { size: this.size, crc: this.crc };
  }

  /** Appends the records as one write and flushes them to disk before resolving. */
  async append(records: readonly R[]): Promise<void> {
    if (records.length === 0) return;
    const body = encodeLines(records);
    await this.writeDurably(this.torn ? Buffer.concat([Buffer.from([NEWLINE]), body]) : body);
  }

  /**
   * The bytes go to the OS at once (a copy into its cache: tens of microseconds for a batch), and
   * only the flush to disk is waited for off the thread. An async write would cost a round trip
   * through the thread pool per batch, and whatever the thread has queued meanwhile (a garbage
   * collection, typically) would run before the flush even starts instead of while it runs.
   */
  private async writeDurably(buf: Buffer): Promise<void> {
    try {
      for (let offset = 0; offset < buf.length;)
        offset += this.io.write(this.handle.fd, buf, offset, buf.length - offset);
      const flushed = this.io.datasync(this.handle);
      // The file's checksum moves on while the disk works; it counts only once the flush succeeded.
      const crc = this.crc === undefined ? undefined : crc32(buf, this.crc);
      await flushed;
      this.size += buf.length;
      this.crc = crc;
      this.torn = false;
    } catch (e) {
      // Cut a partial write back off; if even that fails, the next append begins a new line so
      // only this batch's torn line is lost, not the next record too.
      this.torn = await this.handle.truncate(this.size).then(
        () => false,
        () => true,
      );
      if (this.torn) this.crc = undefined;
      throw e;
    }
  }

  /** Every good record and every line this version cannot read, from disk (compaction works
   * from the file, not from memory). */
  async readAll(): Promise<JournalContents<R>> {
    const buf = await fs.readFile(this.file);
    const contents: JournalContents<R> = { records: [], unknown: [] };
    scan(
      buf,
      readHead(buf)?.end ?? 0,
      this.guard,
      (r) => contents.records.push(r),
      (line) => contents.unknown.push(Buffer.from(line)),
    );
    return contents;
  }

  /**
   * Replaces the whole journal atomically: a temp file, flushed, then renamed over it. The format
   * line comes first, the records next, then the lines this version cannot read, byte for byte.
   */
  async rewrite(records: readonly R[], unknown: readonly Buffer[] = []): Promise<void> {
    const minor = unknown.length > 0 ? Math.max(this.minor, JOURNAL_VERSION.minor) : JOURNAL_VERSION.minor;
    const mark = await writeTemp(this.file, [headLine(minor), ...encodeChunks(records), ...unknownChunks(unknown)]);
    await this.handle.close();
    try {
      await fs.rename(tempOf(this.file), this.file);
      this.size = mark.size;
      this.crc = mark.crc;
      this.torn = false;
      this.minor = minor;
    } finally {
      this.handle = await fs.open(this.file, 'a', PRIVATE_FILE_MODE);
    }
    await syncDir(path.dirname(this.file));
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Scans the records after the format line, resuming after `skip` when the file still starts with it. */
function replayBuffer<R>(
  buf: Buffer,
  headEnd: number,
  guard: RecordGuard<R>,
  replay: Replay<R>,
): { found: Scan; skip: JournalMark | undefined } {
  const skip = replay.skip !== undefined && startsWith(buf, replay.skip) ? replay.skip : undefined;
  const found = scan(buf, Math.max(skip?.size ?? 0, headEnd), guard, replay.start(skip !== undefined));
  if (found.goodLength < headEnd) found.goodLength = headEnd;
  return { found, skip };
}

function recoveryOf(buf: Buffer, found: Scan): JournalRecovery {
  return {
    truncatedBytes: buf.length - found.goodLength,
    corruptLines: found.corruptLines,
    unknownLines: found.unknownLines,
  };
}
