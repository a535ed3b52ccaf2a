import { appendFile, chmod, cp, mkdir, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FolderInUseError } from '../../../../src/main/core/inbox/folderLock';
import { Inbox, JOURNAL_FILE, ReadOnlyInboxError } from '../../../../src/main/core/inbox/inbox';
import { encodeLines, JournalVersionError } from '../../../../src/main/core/inbox/journal';
import { loadSnapshot, saveSnapshot, SNAPSHOT_FILE } from '../../../../src/main/core/inbox/snapshot';
import type { RetentionPolicy } from '../../../../src/main/core/inbox/types';
import type { Logger } from '../../../../src/main/core/ports';
import type { TmcMessage, UndecodedMessage } from '../../../../src/shared/domain';
import { DAY, FakeClock, MINUTE, SHOP, T0, trade, useTempDir } from './helpers';

const tempDir = useTempDir();
const TID = '1588826713157361977';
const OID = '1588821237361977';

async function reopen(
  inbox: Inbox,
  dir: string,
  opts: { retention?: RetentionPolicy; clock?: FakeClock } = {},
): Promise<Inbox> {
  await inbox.close();
  return Inbox.open(dir, { clock: new FakeClock(), ...opts });
}

/** The journal's record lines (its first line names the format). */
async function journalLines(dir: string): Promise<string[]> {
  const lines = (await readFile(path.join(dir, JOURNAL_FILE), 'utf8')).split('\n').filter((l) => l !== '');
  expect(lines[0]).toMatch(/^[0-9a-f]{8} \{"format":"tradebell-journal","major":1,"minor":\d+\}$/);
  return lines.slice(1);
}

function undecoded(n: number, at = T0): UndecodedMessage {
  return { shop: SHOP, rowId: String(n), raw: `<html>${n}</html>`, reason: 'msg_data is not JSON', receivedAt: at };
}

describe('Inbox storage', () => {
  it('stores a batch and finds it again after a restart', async () => {
    const dir = await tempDir();
    let inbox = await Inbox.open(dir, { clock: new FakeClock() });
    const a = trade(TID, 'TradeCreate', T0, { status: 'WAIT_BUYER_PAY', oid: OID, title: '杯子', buyer_nick: 'bob' });
    const b = trade(TID, 'TradeBuyerPay', T0 + MINUTE, { status: 'WAIT_SELLER_SEND_GOODS', payment: '48.00' });
    const result = await inbox.append([a, b], [undecoded(1)]);
    expect(result).toEqual({ added: [a, b], duplicates: 0 });
    inbox = await reopen(inbox, dir);
    expect(inbox.messageCount()).toBe(2);
    expect(inbox.undecodedCount()).toBe(1);
    expect(inbox.has(a.id)).toBe(true);
    expect(inbox.has('123')).toBe(false);
    expect(inbox.getOrder(SHOP, TID)).toMatchObject({
      status: 'WAIT_SELLER_SEND_GOODS',
      payment: '48.00',
      buyerNick: 'bob',
      items: [{ oid: OID, title: '杯子' }],
    });
    expect(inbox.recovery).toEqual({ truncatedBytes: 0, corruptLines: 0, unknownLines: 0 });
    await inbox.close();
  });

  it('carries 19-digit ids through the disk digit for digit', async () => {
    const dir = await tempDir();
    let inbox = await Inbox.open(dir, { clock: new FakeClock() });
    const m = trade(TID, 'TradeCreate', T0, { oid: OID });
    m.id = '1588826713157361999';
    await inbox.append([m]);
    const text = await readFile(path.join(dir, JOURNAL_FILE), 'utf8');
    expect(text).toContain(`"tid":"${TID}"`);
    inbox = await reopen(inbox, dir);
    expect(inbox.has('1588826713157361999')).toBe(true);
    const order = inbox.getOrder(SHOP, TID)!;
    expect(order.tid).toBe(TID);
    expect(order.items[0]!.oid).toBe(OID);
    expect(inbox.query({ search: TID }).orders.map((o) => o.tid)).toEqual([TID]);
    await inbox.close();
  });

  it('drops duplicates within a batch and across a restart', async () => {
    const dir = await tempDir();
    let inbox = await Inbox.open(dir, { clock: new FakeClock() });
    const a = trade('1', 'TradeCreate', T0);
    const b = trade('2', 'TradeCreate', T0);
    const c = trade('3', 'TradeCreate', T0);
    expect(await inbox.append([a, a, b])).toEqual({ added: [a, b], duplicates: 1 });
    inbox = await reopen(inbox, dir);
    expect(await inbox.append([b, c, { ...c }])).toEqual({ added: [c], duplicates: 2 });
    expect(inbox.messageCount()).toBe(3);
    expect(await journalLines(dir)).toHaveLength(3);
    await inbox.close();
  });

  it('dedupes batches appended at the same time', async () => {
    const dir = await tempDir();
    const inbox = await Inbox.open(dir, { clock: new FakeClock() });
    const a = trade('1', 'TradeCreate', T0);
    const b = trade('2', 'TradeCreate', T0);
    const [r1, r2] = await Promise.all([inbox.append([a, b]), inbox.append([b, a])]);
    expect(r1.added).toHaveLength(2);
    expect(r2).toEqual({ added: [], duplicates: 2 });
    await inbox.close();
    await expect(inbox.append([trade('3', 'TradeCreate', T0)])).rejects.toThrow(/closed/);
  });

  it('survives a torn last line: earlier data intact, the tear reported, new appends fine', async () => {
    const dir = await tempDir();
    let inbox = await Inbox.open(dir, { clock: new FakeClock() });
    await inbox.append([trade('1', 'TradeCreate', T0), trade('2', 'TradeCreate', T0)]);
    await inbox.close();
    const [line] = await journalLines(dir);
    await appendFile(path.join(dir, JOURNAL_FILE), line!.slice(0, Math.floor(line!.length / 2)));
    inbox = await Inbox.open(dir, { clock: new FakeClock() });
    expect(inbox.recovery.truncatedBytes).toBeGreaterThan(0);
    expect(inbox.messageCount()).toBe(2);
    await inbox.append([trade('3', 'TradeCreate', T0)]);
    inbox = await reopen(inbox, dir);
    expect(inbox.recovery).toEqual({ truncatedBytes: 0, corruptLines: 0, unknownLines: 0 });
    expect(
      inbox
        .query({})
        .orders.map((o) => o.tid)
        .sort(),
    ).toEqual(['1', '2', '3']);
    await inbox.close();
  });

  it('skips a corrupt line in the middle and keeps everything else', async () => {
    const dir = await tempDir();
    let inbox = await Inbox.open(dir, { clock: new FakeClock() });
    await inbox.append([trade('1', 'TradeCreate', T0)]);
    await inbox.append([trade('2', 'TradeCreate', T0)]);
    await inbox.append([trade('3', 'TradeCreate', T0)]);
    await inbox.close();
    const lines = (await readFile(path.join(dir, JOURNAL_FILE), 'utf8')).split('\n');
    lines[2] = lines[2]!.replace('"tid":"2"', '"tid":"8"');
    await writeFile(path.join(dir, JOURNAL_FILE), lines.join('\n'));
    inbox = await Inbox.open(dir, { clock: new FakeClock() });
    expect(inbox.recovery).toEqual({ truncatedBytes: 0, corruptLines: 1, unknownLines: 0 });
    expect(
      inbox
        .query({})
        .orders.map((o) => o.tid)
        .sort(),
    ).toEqual(['1', '3']);
    await inbox.close();
  });
});

describe('Inbox user state', () => {
  it('persists markSeen, and writes nothing when nothing changes', async () => {
    const dir = await tempDir();
    let inbox = await Inbox.open(dir, { clock: new FakeClock() });
    await inbox.append([trade('1', 'TradeBuyerPay', T0), trade('2', 'TradeBuyerPay', T0)]);
    expect(inbox.query({}).unread).toBe(2);
    await inbox.markSeen(['1']);
    await inbox.markSeen(['1', '404']);
    expect(await journalLines(dir)).toHaveLength(3);
    inbox = await reopen(inbox, dir);
    expect(inbox.getOrder(SHOP, '1')!.seen).toBe(true);
    expect(inbox.getOrder(SHOP, '2')!.seen).toBe(false);
    expect(inbox.query({}).unread).toBe(1);
    await inbox.close();
  });

  it('persists recordRemark, and the later of remark and TradeMemoModified wins', async () => {
    const dir = await tempDir();
    let inbox = await Inbox.open(dir, { clock: new FakeClock() });
    await inbox.append([trade(TID, 'TradeMemoModified', T0, { seller_memo: 'old memo', seller_flag: 2 })]);
    expect(inbox.getOrder(SHOP, TID)).toMatchObject({ memo: 'old memo', flag: 2 });
    await inbox.recordRemark(SHOP, TID, '发顺丰，别发圆通', 1, T0 + MINUTE);
    inbox = await reopen(inbox, dir);
    expect(inbox.getOrder(SHOP, TID)).toMatchObject({ memo: '发顺丰，别发圆通', flag: 1 });
    await inbox.append([
      trade(TID, 'TradeMemoModified', T0 + 2 * MINUTE, { seller_memo: 'from qianniu', seller_flag: 4 }),
    ]);
    inbox = await reopen(inbox, dir);
    expect(inbox.getOrder(SHOP, TID)).toMatchObject({ memo: 'from qianniu', flag: 4 });
    await inbox.close();
  });

  it('refuses a remark that the gateway would refuse', async () => {
    const dir = await tempDir();
    const inbox = await Inbox.open(dir, { clock: new FakeClock() });
    await expect(inbox.recordRemark(SHOP, 'abc', 'x', 1, T0)).rejects.toThrow(/bad_tid/);
    await expect(inbox.recordRemark(SHOP, '1', '字'.repeat(400), 1, T0)).rejects.toThrow(/memo_too_long/);
    expect(await journalLines(dir)).toEqual([]);
    await inbox.close();
  });
});

describe('Inbox retention and compaction', () => {
  const policy = (maxAgeMs: number, maxMessages: number): RetentionPolicy => ({ maxAgeMs, maxMessages });

  it('drops messages older than the age limit', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0);
    let inbox = await Inbox.open(dir, { clock, retention: policy(30 * DAY, 1000) });
    await inbox.append([trade('1', 'TradeCreate', T0)], [undecoded(1, T0)]);
    clock.t = T0 + 35 * DAY;
    await inbox.append([trade('2', 'TradeCreate', T0 + 35 * DAY), trade('3', 'TradeCreate', T0 + 35 * DAY)]);
    await inbox.compact();
    expect(inbox.messageCount()).toBe(2);
    expect(inbox.undecodedCount()).toBe(0);
    expect(inbox.getOrder(SHOP, '1')).toBeUndefined();
    inbox = await reopen(inbox, dir, { clock, retention: policy(30 * DAY, 1000) });
    expect(
      inbox
        .query({})
        .orders.map((o) => o.tid)
        .sort(),
    ).toEqual(['2', '3']);
    expect(await journalLines(dir)).toHaveLength(2);
    await inbox.close();
  });

  it('keeps only the newest messages past the count limit', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0 + 10 * MINUTE);
    let inbox = await Inbox.open(dir, { clock, retention: policy(30 * DAY, 4) });
    const ms = Array.from({ length: 10 }, (_, i) => trade(String(100 + i), 'TradeCreate', T0 + i * MINUTE));
    await inbox.append(ms);
    await inbox.compact();
    expect(inbox.messageCount()).toBe(4);
    expect(inbox.has(ms[5]!.id)).toBe(false);
    expect(inbox.has(ms[6]!.id)).toBe(true);
    inbox = await reopen(inbox, dir, { clock, retention: policy(30 * DAY, 4) });
    expect(inbox.query({}).orders.map((o) => o.tid)).toEqual(['109', '108', '107', '106']);
    await inbox.close();
  });

  it('compacts at open when the journal holds more than the policy', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0 + DAY);
    let inbox = await Inbox.open(dir, { clock });
    await inbox.append(Array.from({ length: 6 }, (_, i) => trade(String(100 + i), 'TradeCreate', T0 + i)));
    inbox = await reopen(inbox, dir, { clock, retention: policy(30 * DAY, 2) });
    // The inbox is usable at once; the trim finishes before close() returns.
    await inbox.close();
    expect(await journalLines(dir)).toHaveLength(2);
  });

  it('does nothing when the journal is within the policy', async () => {
    const dir = await tempDir();
    const inbox = await Inbox.open(dir, { clock: new FakeClock() });
    await inbox.append([trade('1', 'TradeCreate', T0)]);
    await inbox.markSeen(['1']);
    const before = await readFile(path.join(dir, JOURNAL_FILE), 'utf8');
    await inbox.compact();
    expect(await readFile(path.join(dir, JOURNAL_FILE), 'utf8')).toBe(before);
    await inbox.close();
  });

  it('keeps the seen and remark state of kept orders through compaction and restart', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0);
    const retention = policy(30 * DAY, 6);
    let inbox = await Inbox.open(dir, { clock, retention });
    // tid 1: its old message goes, its newer one stays, and so does its old remark;
    // tid 2: seen, then changed again (unseen); tid 3: seen; tid 9: old messages and remark, all gone.
    await inbox.append([trade('9', 'TradeCreate', T0), trade('1', 'TradeCreate', T0 + 1)]);
    await inbox.recordRemark(SHOP, '9', 'gone', 3, T0);
    await inbox.recordRemark(SHOP, '1', 'first', 2, T0 + 1);
    await inbox.recordRemark(SHOP, '1', 'second', 1, T0 + 2);
    await inbox.append([
      trade('1', 'TradeBuyerPay', T0 + 10),
      trade('2', 'TradeBuyerPay', T0 + 11),
      trade('3', 'TradeBuyerPay', T0 + 12),
    ]);
    await inbox.markSeen(['1', '2', '3', '9']);
    await inbox.append([trade('2', 'TradeSellerShip', T0 + 13)]);
    clock.t = T0 + 30 * DAY + 5;
    // Two new messages: retention's "now" needs more than one publication time to vouch for it.
    await inbox.append([trade('4', 'TradeBuyerPay', clock.t), trade('4', 'TradeSellerShip', clock.t + 1)]);
    const before = inbox.query({});
    await inbox.compact();
    expect(inbox.messageCount()).toBe(6);
    const after = inbox.query({});
    inbox = await reopen(inbox, dir, { clock, retention });
    const reopened = inbox.query({});
    const summary = (page: typeof after) => page.orders.map((o) => [o.tid, o.seen, o.memo ?? null, o.flag ?? null]);
    expect(summary(after)).toEqual([
      ['4', false, null, null],
      ['2', false, null, null],
      ['3', true, null, null],
      ['1', true, 'second', 1],
    ]);
    expect(summary(reopened)).toEqual(summary(after));
    expect(summary(before).filter(([tid]) => tid !== '9')).toEqual(summary(after));
    expect(inbox.getOrder(SHOP, '9')).toBeUndefined();
    // 6 messages, the one remark that still matters, one seen line.
    expect(await journalLines(dir)).toHaveLength(8);
    await inbox.close();
  });

  it('keeps a recent remark whose order has no messages left', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0);
    let inbox = await Inbox.open(dir, { clock, retention: policy(30 * DAY, 1) });
    await inbox.recordRemark(SHOP, '55', 'note', 5, T0);
    await inbox.append([trade('1', 'TradeCreate', T0), trade('2', 'TradeCreate', T0)]);
    await inbox.compact();
    inbox = await reopen(inbox, dir, { clock, retention: policy(30 * DAY, 1) });
    expect(inbox.getOrder(SHOP, '55')).toMatchObject({ memo: 'note', flag: 5 });
    expect(inbox.messageCount()).toBe(1);
    await inbox.close();
  });
});

/** Everything the inbox shows, to compare one way of opening it with another. */
function shows(inbox: Inbox) {
  const page = inbox.query({});
  return {
    messages: inbox.messageCount(),
    undecoded: inbox.undecodedCount(),
    page,
    orders: page.orders.map((o) => inbox.getOrder(o.shop, o.tid)),
  };
}

/** A logger that keeps its lines. */
function keptLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string) => {
    lines.push(`${level} ${message}`);
  };
  return { lines, info: keep('info'), warn: keep('warn'), error: keep('error') };
}

/** The folder as a crash would leave it right now: every appended batch is on disk already. */
async function crashImage(dir: string): Promise<string> {
  const image = await tempDir();
  await cp(dir, image, { recursive: true });
  return image;
}

/** What opening the folder shows with its snapshot, and with the journal alone (a full replay). */
async function bothWays(dir: string, opts: { clock?: FakeClock; retention?: RetentionPolicy } = {}) {
  const plain = await crashImage(dir);
  await rm(path.join(plain, SNAPSHOT_FILE), { force: true });
  const results = [];
  for (const d of [dir, plain]) {
    const inbox = await Inbox.open(d, { clock: new FakeClock(), ...opts });
    results.push(shows(inbox));
    await inbox.close();
  }
  return { fromSnapshot: results[0]!, fullReplay: results[1]! };
}

describe('Inbox start-up from a snapshot', () => {
  it('saves one at close and starts from it next time', async () => {
    const dir = await tempDir();
    const inbox = await Inbox.open(dir, { clock: new FakeClock() });
    await inbox.append(
      [trade(TID, 'TradeCreate', T0, { oid: OID, title: '杯子' }), trade('2', 'TradeBuyerPay', T0)],
      [undecoded(1)],
    );
    await inbox.markSeen(['2']);
    await inbox.recordRemark(SHOP, TID, '发顺丰', 1, T0 + MINUTE);
    await inbox.close();
    const saved = await loadSnapshot(dir);
    expect(saved?.mark.size).toBe((await stat(path.join(dir, JOURNAL_FILE))).size);
    // Proof the next start reads it rather than the journal: a state only the snapshot holds.
    saved!.state.undecoded = 42;
    await saveSnapshot(dir, saved!.state, saved!.mark);
    const again = await Inbox.open(dir, { clock: new FakeClock() });
    expect(again.undecodedCount()).toBe(42);
    expect(again.getOrder(SHOP, TID)).toMatchObject({ memo: '发顺丰', flag: 1, items: [{ oid: OID, title: '杯子' }] });
    expect(again.getOrder(SHOP, '2')!.seen).toBe(true);
    await again.close();
  });

  it('replays the journal lines written after it (a crash since it was saved)', async () => {
    const dir = await tempDir();
    let inbox = await Inbox.open(dir, { clock: new FakeClock() });
    await inbox.append([trade('1', 'TradeCreate', T0)]);
    await inbox.close();
    inbox = await Inbox.open(dir, { clock: new FakeClock() });
    await inbox.append([
      trade('1', 'TradeBuyerPay', T0 + MINUTE, { status: 'WAIT_SELLER_SEND_GOODS' }),
      trade('2', 'TradeCreate', T0),
    ]);
    await inbox.markSeen(['1']);
    const image = await crashImage(dir);
    await inbox.close();
    const { fromSnapshot, fullReplay } = await bothWays(image);
    expect(fromSnapshot).toEqual(fullReplay);
    expect(fromSnapshot.page.orders.map((o) => [o.tid, o.status, o.seen])).toEqual([
      ['1', 'WAIT_SELLER_SEND_GOODS', true],
      ['2', 'WAIT_BUYER_PAY', false],
    ]);
  });

  it('is not used once its journal was rewritten under it (a compaction since), nor after the journal is gone', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0 + MINUTE);
    const retention: RetentionPolicy = { maxAgeMs: 30 * DAY, maxMessages: 2 };
    let inbox = await Inbox.open(dir, { clock, retention });
    await inbox.append([trade('1', 'TradeCreate', T0), trade('2', 'TradeCreate', T0), trade('3', 'TradeCreate', T0)]);
    await inbox.close();
    const before = await readFile(path.join(dir, SNAPSHOT_FILE));
    inbox = await Inbox.open(dir, { clock, retention });
    await inbox.close();
    // The compaction at open saved a new snapshot; the old one is put back, as a crash between
    // the journal's rename and the snapshot's would leave it.
    await writeFile(path.join(dir, SNAPSHOT_FILE), before);
    const log = keptLog();
    inbox = await Inbox.open(dir, { clock, retention, logger: log });
    expect(log.lines).toContain('info inbox snapshot does not match the journal; replayed the journal in full');
    expect(inbox.messageCount()).toBe(2);
    expect(
      inbox
        .query({})
        .orders.map((o) => o.tid)
        .sort(),
    ).toEqual(['2', '3']);
    await inbox.close();
    await rm(path.join(dir, JOURNAL_FILE));
    inbox = await Inbox.open(dir, { clock, retention });
    expect([inbox.messageCount(), inbox.query({}).total]).toEqual([0, 0]);
    await inbox.close();
  });

  it('is not used when torn, and a whole one is saved again at close', async () => {
    const dir = await tempDir();
    let inbox = await Inbox.open(dir, { clock: new FakeClock() });
    await inbox.append([trade('1', 'TradeCreate', T0), trade('2', 'TradeBuyerPay', T0)]);
    await inbox.close();
    const file = path.join(dir, SNAPSHOT_FILE);
    await truncate(file, (await stat(file)).size - 10);
    inbox = await Inbox.open(dir, { clock: new FakeClock() });
    expect(inbox.query({}).total).toBe(2);
    await inbox.close();
    expect(await loadSnapshot(dir)).toBeDefined();
  });

  it('never stops the inbox when it cannot be read or saved', async () => {
    const dir = await tempDir();
    let inbox = await Inbox.open(dir, { clock: new FakeClock() });
    await inbox.append([trade('1', 'TradeCreate', T0)]);
    await inbox.close();
    // A folder where the snapshot should be: reading it fails, and so does renaming over it.
    await rm(path.join(dir, SNAPSHOT_FILE));
    await mkdir(path.join(dir, SNAPSHOT_FILE, 'x'), { recursive: true });
    const log = keptLog();
    inbox = await Inbox.open(dir, { clock: new FakeClock(), logger: log });
    expect(inbox.messageCount()).toBe(1);
    await inbox.append([trade('2', 'TradeCreate', T0)]);
    await inbox.close();
    expect(log.lines.filter((l) => l.startsWith('warn'))).toEqual([
      'warn inbox snapshot unreadable, replaying the journal',
      'warn inbox snapshot not saved',
    ]);
    inbox = await Inbox.open(dir, { clock: new FakeClock() });
    expect(inbox.messageCount()).toBe(2);
    await inbox.close();
  });

  it('is saved by a compaction that rewrote the journal', async () => {
    const dir = await tempDir();
    const inbox = await Inbox.open(dir, {
      clock: new FakeClock(T0 + MINUTE),
      retention: { maxAgeMs: DAY, maxMessages: 1 },
    });
    await inbox.append([trade('1', 'TradeCreate', T0), trade('2', 'TradeCreate', T0)]);
    await inbox.compact();
    const journal = await readFile(path.join(dir, JOURNAL_FILE));
    expect((await loadSnapshot(dir))?.mark).toEqual({ size: journal.length, crc: crc32(journal) });
    await inbox.close();
  });

  it('is saved by housekeeping once the journal has grown well past it, and only then', async () => {
    const dir = await tempDir();
    const inbox = await Inbox.open(dir, { clock: new FakeClock(), snapshotEveryBytes: 4_000 });
    await inbox.append([trade('1', 'TradeCreate', T0)]);
    await inbox.compact();
    expect(await loadSnapshot(dir)).toBeUndefined();
    await inbox.append(Array.from({ length: 20 }, (_, i) => trade(String(10 + i), 'TradeCreate', T0)));
    await inbox.compact();
    const saved = await loadSnapshot(dir);
    expect(saved?.state.ids.size).toBe(21);
    expect(saved?.mark.size).toBe((await stat(path.join(dir, JOURNAL_FILE))).size);
    await inbox.close();
  });

  it('opens to what the journal alone says, whatever happened and wherever it crashed', async () => {
    type Op =
      | { append: TmcMessage[]; bad: boolean }
      | { seen: string[] }
      | { remark: string }
      | { compact: true }
      | { reopen: true }
      | { crash: true };
    const tids = ['1', '2', '3', '1588826713157361977'];
    const topics = [
      'TradeCreate',
      'TradeBuyerPay',
      'TradeSellerShip',
      'TradeMemoModified',
      'taobao_refund_RefundCreated',
    ];
    const message = fc
      .tuple(
        fc.constantFrom(...tids),
        fc.constantFrom(...topics),
        fc.integer({ min: 0, max: 20 }),
        fc.constantFrom('WAIT_SELLER_SEND_GOODS', 'TRADE_FINISHED', undefined),
      )
      .map(([tid, topic, i, status]) =>
        trade(tid, topic, T0 + i * MINUTE, {
          ...(status && { status }),
          seller_memo: `m${i}`,
          refund_id: String(i % 3),
        }),
      );
    const op: fc.Arbitrary<Op> = fc.oneof(
      {
        arbitrary: fc
          .tuple(fc.array(message, { minLength: 1, maxLength: 4 }), fc.boolean())
          .map(([ms, bad]) => ({ append: [...ms, ...ms.slice(0, 1)], bad })),
        weight: 4,
      },
      fc.subarray(tids).map((seen) => ({ seen })),
      fc.constantFrom(...tids).map((remark) => ({ remark })),
      fc.constant({ compact: true as const }),
      fc.constant({ reopen: true as const }),
      fc.constant({ crash: true as const }),
    );
    const clock = new FakeClock(T0 + 30 * MINUTE);
    const retention: RetentionPolicy = { maxAgeMs: 30 * DAY, maxMessages: 6 };
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 10 }), async (ops) => {
        const dir = await tempDir();
        let inbox = await Inbox.open(dir, { clock, retention, snapshotEveryBytes: 1_500 });
        let images: string[] = [];
        for (const o of ops) {
          if ('append' in o) await inbox.append(o.append, o.bad ? [undecoded(0, clock.now())] : []);
          else if ('seen' in o) await inbox.markSeen(o.seen);
          else if ('remark' in o) await inbox.recordRemark(SHOP, o.remark, `memo ${o.remark}`, 2, clock.now());
          else if ('compact' in o) await inbox.compact();
          else if ('reopen' in o) {
            await inbox.close();
            inbox = await Inbox.open(dir, { clock, retention, snapshotEveryBytes: 1_500 });
          } else images.push(await crashImage(dir));
        }
        await inbox.close();
        images = [...images, dir];
        for (const image of images) {
          const { fromSnapshot, fullReplay } = await bothWays(image, { clock, retention });
          expect(fromSnapshot).toEqual(fullReplay);
        }
      }),
      { numRuns: 20 },
    );
  }, 30_000);
});

/** Every file under the folder and its bytes, to prove nothing changed. */
async function folderImage(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) out[name] = (await readFile(path.join(dir, name))).toString('base64');
  return out;
}

describe('Inbox and its folder', () => {
  it('is one writer: a second open is refused while it is open, and succeeds once it is closed', async () => {
    const dir = await tempDir();
    const inbox = await Inbox.open(dir, { clock: new FakeClock() });
    const refused = await Inbox.open(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(FolderInUseError);
    expect((refused as Error).message).toContain(`pid ${process.pid}`);
    await inbox.close();
    await (await Inbox.open(dir)).close();
  });

  it('opens read-only beside the writer: sees what is stored, changes nothing on disk, refuses writes', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0 + 60 * DAY);
    const writer = await Inbox.open(dir, { clock });
    await writer.append([trade('1', 'TradeCreate', T0), trade('2', 'TradeBuyerPay', T0 + 60 * DAY)]);
    await writer.append([trade('3', 'TradeBuyerPay', T0 + 60 * DAY)]);
    // What a writer mid-way leaves: half a line at the end and a rewrite's temp file.
    const line = (await journalLines(dir))[0]!;
    await appendFile(path.join(dir, JOURNAL_FILE), line.slice(0, 30));
    await writeFile(path.join(dir, `${JOURNAL_FILE}.tmp`), 'a compaction being written');
    const before = await folderImage(dir);

    // Over the age limit too: a writer would compact at open.
    const reader = await Inbox.openReadOnly(dir, { clock, retention: { maxAgeMs: DAY, maxMessages: 1 } });
    expect(reader.readOnly).toBe(true);
    expect(reader.messageCount()).toBe(3);
    expect(reader.recovery.truncatedBytes).toBe(30);
    await expect(reader.append([trade('4', 'TradeCreate', T0)])).rejects.toBeInstanceOf(ReadOnlyInboxError);
    await expect(reader.markSeen(['1'])).rejects.toBeInstanceOf(ReadOnlyInboxError);
    await reader.recordRemark(SHOP, '2', 'set beside the writer', 1, clock.now());
    expect(reader.getOrder(SHOP, '2')).toMatchObject({ memo: 'set beside the writer', flag: 1 });
    await reader.compact();
    await reader.close();
    expect(await folderImage(dir)).toEqual(before);
    await writer.close();
  });

  it('reads nothing from a folder that does not exist, and creates nothing', async () => {
    const dir = path.join(await tempDir(), 'never-made');
    const reader = await Inbox.openReadOnly(dir);
    expect(reader.messageCount()).toBe(0);
    await reader.close();
    await expect(stat(dir)).rejects.toThrow(/ENOENT/);
  });

  it('refuses a journal of a newer major version with a clear error, changing nothing', async () => {
    const dir = await tempDir();
    const inbox = await Inbox.open(dir, { clock: new FakeClock() });
    await inbox.append([trade('1', 'TradeCreate', T0)]);
    await inbox.close();
    const file = path.join(dir, JOURNAL_FILE);
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[0] = encodeLines([{ format: 'tradebell-journal', major: 2, minor: 0 }])
      .toString('utf8')
      .trimEnd();
    // A torn end and a snapshot temp file, which an open by this version would otherwise clean up.
    await writeFile(file, `${lines.join('\n')}0123abcd {"k":`);
    await writeFile(path.join(dir, `${SNAPSHOT_FILE}.tmp`), 'half');
    const before = await folderImage(dir);
    for (const open of [() => Inbox.open(dir), () => Inbox.openReadOnly(dir)]) {
      const e = await open().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(e).toBeInstanceOf(JournalVersionError);
      expect((e as JournalVersionError).error).toMatchObject({
        code: 'journal_too_new',
        params: { found: '2.0', supported: 1 },
      });
      expect(await folderImage(dir)).toEqual(before);
    }
  });

  it('carries records it cannot read (from a newer minor version) through compaction unchanged', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0 + MINUTE);
    let inbox = await Inbox.open(dir, { clock });
    await inbox.append([trade('1', 'TradeCreate', T0), trade('2', 'TradeCreate', T0)]);
    await inbox.close();
    await rm(path.join(dir, SNAPSHOT_FILE));
    // A newer TradeBell added a record kind, and a field this one reads differently; then it was
    // downgraded. Both lines are whole (their checksums hold): one in the middle, one at the end.
    const [pinned, reshaped] = encodeLines([
      { k: 'pinned', shop: SHOP, tid: '1' },
      { k: 'message', m: { id: 'no other fields' } },
    ])
      .toString('utf8')
      .split('\n');
    const file = path.join(dir, JOURNAL_FILE);
    const [head, m1, m2] = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, [head, m1, pinned, m2, reshaped, ''].join('\n'));
    inbox = await Inbox.open(dir, { clock, retention: { maxAgeMs: 30 * DAY, maxMessages: 1 } });
    expect(inbox.recovery).toEqual({ truncatedBytes: 0, corruptLines: 0, unknownLines: 2 });
    await inbox.close();
    // The count limit dropped the first message; the two lines are kept byte for byte.
    expect((await readFile(file, 'utf8')).split('\n')).toEqual([head, m2, pinned, reshaped, '']);
  });

  it('keeps every message when the clock jumps 30 days ahead, also after new messages arrive', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0);
    const retention: RetentionPolicy = { maxAgeMs: 30 * DAY, maxMessages: 1000 };
    const inbox = await Inbox.open(dir, { clock, retention });
    const earlier = Array.from({ length: 20 }, (_, i) => trade(String(100 + i), 'TradeBuyerPay', T0 - i * DAY));
    await inbox.append(earlier, [undecoded(1, T0)]);
    clock.t = T0 + 30 * DAY;
    await inbox.compact();
    expect([inbox.messageCount(), inbox.undecodedCount()]).toEqual([20, 1]);
    // New messages carry Taobao's time; the computer's clock is still a month ahead.
    const fresh = [trade('200', 'TradeBuyerPay', T0 + MINUTE), trade('201', 'TradeBuyerPay', T0 + 2 * MINUTE)];
    for (const m of fresh) m.receivedAt = clock.t;
    await inbox.append(fresh);
    await inbox.compact();
    await inbox.close();
    const again = await Inbox.open(dir, { clock, retention });
    expect([again.messageCount(), again.undecodedCount()]).toEqual([22, 1]);
    await again.close();
  });

  it('keeps what arrived while the clock was years behind, once it is corrected', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(Date.UTC(2001, 0, 1));
    const retention: RetentionPolicy = { maxAgeMs: 30 * DAY, maxMessages: 2 };
    const inbox = await Inbox.open(dir, { clock, retention });
    const early = [trade('1', 'TradeBuyerPay', T0 - 2 * MINUTE), trade('2', 'TradeBuyerPay', T0 - MINUTE)];
    for (const m of early) m.receivedAt = clock.t;
    await inbox.append(early, [undecoded(1, clock.t)]);
    clock.t = T0 + DAY;
    // One over the count limit, so the compaction runs: it drops message 1 for the count alone.
    await inbox.append([trade('3', 'TradeBuyerPay', T0)]);
    await inbox.compact();
    expect(inbox.query({}).orders.map((o) => o.tid)).toEqual(['3', '2']);
    expect(inbox.undecodedCount()).toBe(1);
    await inbox.close();
  });

  it('compacts as soon as a burst takes it well past the count limit, not at the next hourly run', async () => {
    const dir = await tempDir();
    const inbox = await Inbox.open(dir, {
      clock: new FakeClock(T0 + DAY),
      retention: { maxAgeMs: 30 * DAY, maxMessages: 100 },
    });
    for (let batch = 0; batch < 12; batch++)
      await inbox.append(Array.from({ length: 100 }, (_, i) => trade(String(batch * 1000 + i + 1), 'TradeCreate', T0)));
    // The compaction queued behind the last append has run before the next change does.
    await inbox.markSeen([]);
    expect(inbox.messageCount()).toBeLessThanOrEqual(1_100);
    expect(inbox.query({}).total).toBeLessThanOrEqual(1_100);
    await inbox.close();
  });

  it('keeps its folder 0700 and its files 0600, also ones an older version made under the umask', async () => {
    if (process.platform === 'win32') return;
    const parent = await tempDir();
    const dir = path.join(parent, 'data', 'inbox');
    let inbox = await Inbox.open(dir, { clock: new FakeClock() });
    await inbox.append([trade('1', 'TradeCreate', T0)]);
    await inbox.close();
    const modes = async () =>
      Object.fromEntries(
        await Promise.all(
          [dir, path.join(parent, 'data'), path.join(dir, JOURNAL_FILE), path.join(dir, SNAPSHOT_FILE)].map(
            async (p) => [path.relative(parent, p), ((await stat(p)).mode & 0o777).toString(8)] as const,
          ),
        ),
      );
    const privateModes = {
      data: '700',
      'data/inbox': '700',
      'data/inbox/inbox.jsonl': '600',
      'data/inbox/inbox.snapshot': '600',
    };
    expect(await modes()).toEqual(privateModes);
    await chmod(dir, 0o755);
    await chmod(path.join(dir, JOURNAL_FILE), 0o644);
    await chmod(path.join(dir, SNAPSHOT_FILE), 0o644);
    inbox = await Inbox.open(dir, { clock: new FakeClock() });
    await inbox.close();
    expect(await modes()).toEqual(privateModes);
  });
});
