import { appendFile, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../../../src/main/core/inbox/journal';
import { useTempDir } from './helpers';

interface Rec {
  n: number;
  s?: string;
}

const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && typeof (v as Rec).n === 'number';
const recs = (...ns: number[]): Rec[] => ns.map((n) => ({ n, s: `record ${n} 订单` }));

const tempDir = useTempDir();

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

/** Writes records and closes, returning the file's lines. */
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
    expect(again.recovery).toEqual({ truncatedBytes: 0, corruptLines: 0 });
    await again.journal.close();
  });

  it('writes one checksummed JSON line per record', async () => {
    const file = await fresh();
    const lines = await seed(file, recs(1));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    expect(lines[0]).toMatch(/^[0-9a-f]{8} \{"n":1,/);
  });

  it('cuts a torn last line (half a write), keeps what came before, and appends cleanly after', async () => {
    const file = await fresh();
    const lines = await seed(file, recs(1, 2));
    const half = lines[0]!.slice(0, 20);
    await appendFile(file, half);
    const opened = await openJ(file);
    expect(opened.records).toEqual(recs(1, 2));
    expect(opened.recovery).toEqual({ truncatedBytes: Buffer.byteLength(half), corruptLines: 0 });
    await opened.journal.append(recs(3));
    await opened.journal.close();
    const again = await openJ(file);
    expect(again.records).toEqual(recs(1, 2, 3));
    expect(again.recovery).toEqual({ truncatedBytes: 0, corruptLines: 0 });
    await again.journal.close();
  });

  it('cuts a complete last line whose checksum fails', async () => {
    const file = await fresh();
    const lines = await seed(file, recs(1, 2));
    // Same length, one digit changed: the JSON is still valid, only the checksum catches it.
    lines[1] = lines[1]!.replace('"n":2', '"n":7');
    await writeFile(file, lines.join('\n'));
    const opened = await openJ(file);
    expect(opened.records).toEqual(recs(1));
    expect(opened.recovery.truncatedBytes).toBe(Buffer.byteLength(lines[1]!) + 1);
    await opened.journal.close();
    expect((await stat(file)).size).toBe(Buffer.byteLength(lines[0]!) + 1);
  });

  it('skips and counts a corrupt line in the middle without losing the lines after it', async () => {
    const file = await fresh();
    const lines = await seed(file, recs(1, 2, 3, 4));
    lines[1] = lines[1]!.replace('record', 'rEcord');
    lines[2] = '{not json at all';
    await writeFile(file, lines.join('\n'));
    const opened = await openJ(file);
    expect(opened.records).toEqual(recs(1, 4));
    expect(opened.recovery).toEqual({ truncatedBytes: 0, corruptLines: 2 });
    await opened.journal.append(recs(5));
    await opened.journal.close();
    expect((await readBack(file)).records).toEqual(recs(1, 4, 5));
  });

  it('counts a line of the wrong shape as corrupt', async () => {
    const file = await fresh();
    const isOther = (v: unknown): v is Rec => isRec(v) && v.n !== 2;
    await seed(file, recs(1, 2, 3));
    const opened = await Journal.open(file, isOther);
    expect(opened.records).toEqual(recs(1, 3));
    expect(opened.recovery.corruptLines).toBe(1);
    await opened.journal.close();
  });

  it('keeps a whole last line that lost only its newline, and ends it before the next append', async () => {
    const file = await fresh();
    await seed(file, recs(1, 2));
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, -1));
    const opened = await openJ(file);
    expect(opened.records).toEqual(recs(1, 2));
    expect(opened.recovery).toEqual({ truncatedBytes: 0, corruptLines: 0 });
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
    expect(await journal.readAll()).toEqual(recs(3, 4));
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
