import { appendFile, readFile, readdir, stat, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  encodeLines,
  Journal,
  JOURNAL_VERSION,
  JournalVersionError,
  type JournalMark,
  type Replay,
} from '../../../../src/main/core/inbox/journal';
import { MESSAGES } from '../../../../src/shared/i18n';
import { useTempDir } from './helpers';

interface Rec {
  n: number;
  s?: string;
}

const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && typeof (v as Rec).n === 'number';
const recs = (...ns: number[]): Rec[] => ns.map((n) => ({ n, s: `record ${n} 订单` }));

const tempDir = useTempDir();
const CLEAN = { truncatedBytes: 0, corruptLines: 0, unknownLines: 0 };
/** The format line every journal this version creates starts with. */
const HEAD = encodeLines([{ format: 'tradebell-journal', major: JOURNAL_VERSION.major, minor: JOURNAL_VERSION.minor }]);

async function fresh(): Promise<string> {
  return path.join(await tempDir(), 'j.jsonl');
}

async function openJ(file: string) {
  return Journal.open(file, isRec);
}

/** Opens, reads and closes again. */
async function readBack(file: string) {
  const { journal, records, recovery } = await openJ(file);
  await journal.close();
  return { records, recovery };
}

/** Writes records and closes, returning the file's lines (the first is the format line). */
async function seed(file: string, records: Rec[]): Promise<string[]> {
  const { journal } = await openJ(file);
  await journal.append(records);
  await journal.close();
  return (await readFile(file, 'utf8')).split('\n');
}

describe('Journal', () => {
  it('appends batches and reads them back in order after reopening', async () => {
    const file = await fresh();
    const first = await openJ(file);
    expect(first.records).toEqual([]);
    await first.journal.append(recs(1, 2));
    await first.journal.append([]);
    await first.journal.append(recs(3));
    await first.journal.close();
    const again = await openJ(file);
    expect(again.records).toEqual(recs(1, 2, 3));
    expect(again.recovery).toEqual(CLEAN);
    await again.journal.close();
  });

  it('starts with its format line, then writes one checksummed JSON line per record', async () => {
    const file = await fresh();
    const lines = await seed(file, recs(1));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(HEAD.toString('utf8').trimEnd());
    expect(lines[0]).toMatch(/^[0-9a-f]{8} \{"format":"tradebell-journal","major":1,"minor":0\}$/);
    expect(lines[1]).toMatch(/^[0-9a-f]{8} \{"n":1,/);
    expect(lines[2]).toBe('');
  });

  it('cuts a torn last line (half a write), keeps what came before, and appends cleanly after', async () => {
    const file = await fresh();
    const lines = await seed(file, recs(1, 2));
    const half = lines[1]!.slice(0, 20);
    await appendFile(file, half);
    const opened = await openJ(file);
    expect(opened.records).toEqual(recs(1, 2));
    expect(opened.recovery).toEqual({ ...CLEAN, truncatedBytes: Buffer.byteLength(half) });
    await opened.journal.append(recs(3));
    await opened.journal.close();
    const again = await openJ(file);
    expect(again.records).toEqual(recs(1, 2, 3));
    expect(again.recovery).toEqual(CLEAN);
    await again.journal.close();
  });

  it('cuts a complete last line whose checksum fails', async () => {
    const file = await fresh();
    const lines = await seed(file, recs(1, 2));
    // Same length, one digit changed: the JSON is still valid, only the checksum catches it.
    lines[2] = lines[2]!.replace('"n":2', '"n":7');
    await writeFile(file, lines.join('\n'));
    const opened = await openJ(file);
    expect(opened.records).toEqual(recs(1));
    expect(opened.recovery.truncatedBytes).toBe(Buffer.byteLength(lines[2]!) + 1);
    await opened.journal.close();
    expect((await stat(file)).size).toBe(Buffer.byteLength(lines[0]!) + Buffer.byteLength(lines[1]!) + 2);
  });

  it('skips and counts a corrupt line in the middle without losing the lines after it', async () => {
    const file = await fresh();
    const lines = await seed(file, recs(1, 2, 3, 4));
    lines[2] = lines[2]!.replace('record', 'rEcord');
    lines[3] = '{not json at all';
    await writeFile(file, lines.join('\n'));
    const opened = await openJ(file);
    expect(opened.records).toEqual(recs(1, 4));
    expect(opened.recovery).toEqual({ ...CLEAN, corruptLines: 2 });
    await opened.journal.append(recs(5));
    await opened.journal.close();
    expect((await readBack(file)).records).toEqual(recs(1, 4, 5));
  });

  it("keeps a whole line it cannot read (a newer version's record), in the middle and at the end", async () => {
    const file = await fresh();
    // This version reads only odd records; a newer one wrote the even ones too.
    const isOdd = (v: unknown): v is Rec => isRec(v) && v.n % 2 === 1;
    const lines = await seed(file, recs(1, 2, 3, 4));
    const opened = await Journal.open(file, isOdd);
    expect(opened.records).toEqual(recs(1, 3));
    expect(opened.recovery).toEqual({ ...CLEAN, unknownLines: 2 });
    await opened.journal.append(recs(5));
    await opened.journal.close();
    const text = await readFile(file, 'utf8');
    expect(text.startsWith(lines.join('\n'))).toBe(true);
    expect((await readBack(file)).records).toEqual(recs(1, 2, 3, 4, 5));
  });

  it('carries the lines it cannot read through a rewrite, byte for byte', async () => {
    const file = await fresh();
    const isOdd = (v: unknown): v is Rec => isRec(v) && v.n % 2 === 1;
    const lines = await seed(file, recs(1, 2, 3, 4));
    const { journal } = await Journal.open(file, isOdd);
    const contents = await journal.readAll();
    expect(contents.records).toEqual(recs(1, 3));
    expect(contents.unknown.map((b) => b.toString('utf8'))).toEqual([lines[2], lines[4]]);
    await journal.rewrite(recs(3), contents.unknown);
    await journal.close();
    const after = (await readFile(file, 'utf8')).split('\n');
    expect(after).toEqual([lines[0], lines[3], lines[2], lines[4], '']);
  });

  it('refuses a newer major version before changing anything, and reads a newer minor one', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'j.jsonl');
    const torn = '0123abcd {"n":';
    const newer = Buffer.concat([
      encodeLines([{ format: 'tradebell-journal', major: JOURNAL_VERSION.major + 1, minor: 0 }]),
      encodeLines(recs(1)),
      Buffer.from(torn),
    ]);
    await writeFile(file, newer);
    await writeFile(`${file}.tmp`, 'a rewrite in progress, perhaps');
    const error = await openJ(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JournalVersionError);
    expect((error as JournalVersionError).error).toMatchObject({
      code: 'journal_too_new',
      params: { file, found: '2.0', supported: 1 },
    });
    expect(MESSAGES.en.errorText((error as JournalVersionError).error)).toMatch(
      /newer TradeBell \(journal format 2\.0\).*Nothing was changed/,
    );
    expect(await readFile(file)).toEqual(newer);
    expect((await readdir(dir)).sort()).toEqual(['j.jsonl', 'j.jsonl.tmp']);

    const minor = Buffer.concat([
      encodeLines([{ format: 'tradebell-journal', major: JOURNAL_VERSION.major, minor: JOURNAL_VERSION.minor + 3 }]),
      encodeLines([...recs(1), { kind: 'added in a later minor' }, ...recs(2)]),
    ]);
    await writeFile(file, minor);
    const opened = await openJ(file);
    expect([opened.records, opened.recovery]).toEqual([recs(1, 2), { ...CLEAN, unknownLines: 1 }]);
    // A rewrite keeps the newer minor, since it carries that version's line over.
    await opened.journal.rewrite(recs(2), (await opened.journal.readAll()).unknown);
    await opened.journal.close();
    expect((await readFile(file, 'utf8')).split('\n')[0]).toContain(`"minor":${JOURNAL_VERSION.minor + 3}`);
  });

  it('reads a journal written before the format line existed, and adds the line at its next rewrite', async () => {
    const file = await fresh();
    const legacy = encodeLines(recs(1, 2));
    await writeFile(file, legacy);
    const { journal, records, recovery } = await openJ(file);
    expect([records, recovery]).toEqual([recs(1, 2), CLEAN]);
    await journal.append(recs(3));
    expect(await readFile(file)).toEqual(Buffer.concat([legacy, encodeLines(recs(3))]));
    await journal.rewrite(recs(2, 3));
    await journal.close();
    expect(await readFile(file)).toEqual(Buffer.concat([HEAD, encodeLines(recs(2, 3))]));
  });

  it('keeps a whole last line that lost only its newline, and ends it before the next append', async () => {
    const file = await fresh();
    await seed(file, recs(1, 2));
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, -1));
    const opened = await openJ(file);
    expect(opened.records).toEqual(recs(1, 2));
    expect(opened.recovery).toEqual(CLEAN);
    await opened.journal.append(recs(3));
    await opened.journal.close();
    const again = await openJ(file);
    expect(again.records).toEqual(recs(1, 2, 3));
    expect(again.recovery.corruptLines).toBe(0);
    await again.journal.close();
  });

  it('rewrites atomically to exactly the given records, then appends after them', async () => {
    const file = await fresh();
    const { journal } = await openJ(file);
    await journal.append(recs(1, 2, 3, 4));
    await journal.rewrite(recs(3, 4));
    expect(await journal.readAll()).toEqual({ records: recs(3, 4), unknown: [] });
    await journal.append(recs(5));
    await journal.close();
    expect(await readdir(path.dirname(file))).toEqual(['j.jsonl']);
    expect((await readBack(file)).records).toEqual(recs(3, 4, 5));
  });

  it('ignores the temp file of a compaction that crashed before its rename', async () => {
    const file = await fresh();
    await seed(file, recs(1));
    await writeFile(`${file}.tmp`, 'half of a rewrite');
    const opened = await openJ(file);
    expect(opened.records).toEqual(recs(1));
    await opened.journal.close();
    expect(await readdir(path.dirname(file))).toEqual(['j.jsonl']);
  });
});

/** Opens with a replay that skips `skip`, collecting what it is handed. */
async function replayJ(file: string, skip?: JournalMark) {
  const seen: Rec[] = [];
  let skipped: boolean | undefined;
  const { journal, recovery } = await Journal.replay(file, isRec, {
    ...(skip && { skip }),
    start: (s) => {
      skipped = s;
      return (r) => seen.push(r);
    },
  });
  return { journal, recovery, seen, skipped };
}

/** The mark of a file's whole content. */
async function markOf(file: string): Promise<JournalMark> {
  const bytes = await readFile(file);
  return { size: bytes.length, crc: crc32(bytes) };
}

describe('Journal marks and resumed replays', () => {
  it('marks exactly the bytes on disk, through appends, a repaired end and a rewrite', async () => {
    const file = await fresh();
    let { journal } = await openJ(file);
    expect(journal.mark()).toEqual({ size: HEAD.length, crc: crc32(HEAD) });
    await journal.append(recs(1, 2));
    expect(journal.mark()).toEqual(await markOf(file));
    await journal.close();
    // Lost its last newline: open puts it back, and the mark says so.
    await writeFile(file, (await readFile(file, 'utf8')).slice(0, -1));
    ({ journal } = await openJ(file));
    expect(journal.mark()).toEqual(await markOf(file));
    await journal.append(recs(3));
    expect(journal.mark()).toEqual(await markOf(file));
    await journal.rewrite(recs(2, 3));
    expect(journal.mark()).toEqual(await markOf(file));
    await journal.close();
    // A torn end cut at open is not part of the mark either.
    await appendFile(file, '0123abcd {"n":');
    ({ journal } = await openJ(file));
    expect(journal.mark()).toEqual(await markOf(file));
    await journal.close();
  });

  it('replays only the lines after the mark while the file starts with the marked bytes', async () => {
    const file = await fresh();
    const { journal } = await openJ(file);
    await journal.append(recs(1, 2));
    const mark = journal.mark()!;
    await journal.append(recs(3, 4));
    await journal.close();
    const resumed = await replayJ(file, mark);
    expect(resumed.skipped).toBe(true);
    expect(resumed.seen).toEqual(recs(3, 4));
    await resumed.journal.append(recs(5));
    await resumed.journal.close();
    // A mark at the very end: nothing to replay.
    const atEnd = await replayJ(file, await markOf(file));
    expect([atEnd.skipped, atEnd.seen]).toEqual([true, []]);
    await atEnd.journal.close();
  });

  it('still repairs a torn end after the mark', async () => {
    const file = await fresh();
    await seed(file, recs(1));
    const mark = await markOf(file);
    await appendFile(file, '0123abcd {"n":');
    const resumed = await replayJ(file, mark);
    expect([resumed.skipped, resumed.seen, resumed.recovery]).toEqual([true, [], { ...CLEAN, truncatedBytes: 14 }]);
    await resumed.journal.close();
  });

  it('replays from the start when the file no longer starts with the marked bytes', async () => {
    const file = await fresh();
    const lines = await seed(file, recs(1, 2, 3));
    const mark = await markOf(file);
    const cases: [string, () => Promise<void>, Rec[]][] = [
      // Compacted since: fewer bytes than the mark.
      ['shorter', () => writeFile(file, `${[lines[0], ...lines.slice(2, 4)].join('\n')}\n`), recs(2, 3)],
      // Same length, one record changed and checksummed again: only the CRC of the prefix tells.
      [
        'rewritten',
        async () => {
          const { journal } = await openJ(file);
          await journal.rewrite(recs(1, 2, 4));
          await journal.close();
        },
        recs(1, 2, 4),
      ],
      // A byte damaged inside the prefix: that line now fails its own checksum.
      ['damaged', () => writeFile(file, lines.join('\n').replace('record 2', 'record 7')), recs(1, 3)],
    ];
    for (const [name, change, expected] of cases) {
      await writeFile(file, lines.join('\n'));
      await change();
      const replay = await replayJ(file, mark);
      expect([name, replay.skipped, replay.seen]).toEqual([name, false, expected]);
      await replay.journal.close();
    }
  });

  it('does not resume from a mark that ends inside a line', async () => {
    const file = await fresh();
    await seed(file, recs(1, 2));
    const bytes = await readFile(file);
    const inside = bytes.length - 5;
    const replay = await replayJ(file, { size: inside, crc: crc32(bytes.subarray(0, inside)) });
    expect([replay.skipped, replay.seen]).toEqual([false, recs(1, 2)]);
    await replay.journal.close();
  });

  it('has no mark once a failed write could not be cut back off', async () => {
    const file = await fresh();
    const { journal } = await openJ(file);
    await journal.append(recs(1));
    // The file handle gone under it: the write fails, and so does the repair.
    await (journal as unknown as { handle: FileHandle }).handle.close();
    await expect(journal.append(recs(2))).rejects.toThrow();
    expect(journal.mark()).toBeUndefined();
  });

  it('takes a replay still in the making (a snapshot loading), and resumes from its mark once it comes', async () => {
    const file = await fresh();
    await seed(file, recs(1, 2));
    const mark = await markOf(file);
    await seed(file, recs(3));
    let giveReplay!: (r: Replay<Rec>) => void;
    const seen: Rec[] = [];
    let skipped: boolean | undefined;
    const opening = Journal.replay(file, isRec, new Promise<Replay<Rec>>((r) => (giveReplay = r)));
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([]);
    giveReplay({
      skip: mark,
      start: (s) => {
        skipped = s;
        return (r) => seen.push(r);
      },
    });
    const { journal } = await opening;
    expect([skipped, seen]).toEqual([true, recs(3)]);
    await journal.append(recs(4));
    await journal.close();
    expect((await readBack(file)).records).toEqual(recs(1, 2, 3, 4));
  });

  it('reads a file of many megabytes whole', async () => {
    const file = await fresh();
    const many = Array.from({ length: 20_000 }, (_, n) => ({ n, s: `record ${n} 订单 ${'x'.repeat(100)}` }));
    await seed(file, many);
    expect((await stat(file)).size).toBeGreaterThan(2 * 1024 * 1024);
    expect((await readBack(file)).records).toEqual(many);
  });

  it('replays an empty or missing file from the start, whatever the mark', async () => {
    const file = await fresh();
    await seed(file, recs(1));
    const mark = await markOf(file);
    await truncate(file, 0);
    const replay = await replayJ(file, mark);
    expect([replay.skipped, replay.seen]).toEqual([false, []]);
    await replay.journal.close();
  });
});
