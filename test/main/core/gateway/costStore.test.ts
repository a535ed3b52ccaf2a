import * as fs from 'node:fs/promises';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileSystem } from '../../../../src/main/core/atomicFile';
import { COST_FILE, CostStore, PENDING_DIR } from '../../../../src/main/core/gateway/costStore';
import type { Logger } from '../../../../src/main/core/ports';
import { ManualClock } from './timeHelpers';

const NOON_CHINA = Date.UTC(2026, 10, 22, 4, 0, 0);

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tradebell-cost-'));
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info() {}, warn: (m, d) => void warnings.push(`${m} ${JSON.stringify(d)}`), error() {} };
}

const saved = async (dir: string) => JSON.parse(await readFile(join(dir, COST_FILE), 'utf8'));

describe('CostStore', () => {
  it('keeps the meter across a restart', async () => {
    const dir = await tempDir();
    const clock = new ManualClock(NOON_CHINA);
    const first = await CostStore.open(dir, { clock });
    first.meter.record('consume', 'shop1', 1);
    first.meter.record('remark', 'shop1', 2);
    await first.save(true);
    const second = await CostStore.open(dir, { clock });
    expect(second.meter.summary().total.all).toEqual({ calls: 2, points: 3 });
  });

  it('saves at most every few seconds unless forced', async () => {
    const dir = await tempDir();
    const clock = new ManualClock(NOON_CHINA);
    const store = await CostStore.open(dir, { clock });
    store.meter.record('consume', 'shop1', 1);
    await store.save();
    store.meter.record('consume', 'shop1', 1);
    await store.save();
    expect((await saved(dir)).total.byShop.shop1.calls).toBe(1);
    clock.set(NOON_CHINA + 5_000);
    await store.save();
    expect((await saved(dir)).total.byShop.shop1.calls).toBe(2);
    store.meter.record('consume', 'shop1', 1);
    await store.save(true);
    expect((await saved(dir)).total.byShop.shop1.calls).toBe(3);
  });

  it('two writers saving into one folder at once: every save lands whole, none fails', async () => {
    const dir = await tempDir();
    const clock = new ManualClock(NOON_CHINA);
    const logger = recordingLogger();
    const a = await CostStore.open(dir, { clock, logger });
    const b = await CostStore.open(dir, { clock, logger });
    a.meter.record('consume', 'shopA', 1);
    b.meter.record('consume', 'shopB', 1);
    const saves: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) saves.push(a.save(true), b.save(true));
    await Promise.all(saves);
    expect(logger.warnings).toEqual([]);
    const state = await saved(dir);
    expect([['shopA'], ['shopB']]).toContainEqual(Object.keys(state.total.byShop));
    expect((await readdir(dir)).sort()).toEqual([COST_FILE]);
  });

  it('flushes the new bytes to disk before the rename, and the folder after it', async () => {
    const dir = await tempDir();
    const log: string[] = [];
    const name = (p: string) => (p === dir ? 'folder' : p.endsWith('.tmp') ? 'temp' : p);
    const recording: FileSystem = {
      ...fs,
      open: (async (p: string, flags?: string) => {
        const handle = await fs.open(p, flags);
        const sync = handle.sync.bind(handle);
        handle.sync = async () => {
          log.push(`sync ${name(p)}`);
          await sync();
        };
        return handle;
      }) as FileSystem['open'],
      rename: async (from, to) => {
        log.push(`rename ${name(String(from))}`);
        await fs.rename(from, to);
      },
    };
    const store = await CostStore.open(dir, { clock: new ManualClock(NOON_CHINA), fs: recording });
    store.meter.record('consume', 'shop1', 1);
    await store.save(true);
    expect(log).toEqual(['sync temp', 'rename temp', 'sync folder']);
    expect((await saved(dir)).total.byShop.shop1).toEqual({ calls: 1, points: 1 });
  });

  it('a crash between the write and the rename leaves the old file intact, and the next start clears the temp file', async () => {
    const dir = await tempDir();
    const clock = new ManualClock(NOON_CHINA);
    const before = await CostStore.open(dir, { clock });
    before.meter.record('consume', 'shop1', 1);
    await before.save(true);
    const old = await readFile(join(dir, COST_FILE), 'utf8');

    // The process dies after the temp file is flushed: its rename never happens, nor any clean-up.
    const dying: FileSystem = {
      ...fs,
      rename: () => new Promise<void>(() => {}),
    };
    const crashing = await CostStore.open(dir, { clock, fs: dying });
    crashing.meter.record('consume', 'shop1', 1);
    void crashing.save(true);
    await until(async () => (await readdir(dir)).some((n) => n.endsWith('.tmp')));
    expect(await readFile(join(dir, COST_FILE), 'utf8')).toBe(old);

    const after = await CostStore.open(dir, { clock });
    expect(after.meter.summary().total.all).toEqual({ calls: 1, points: 1 });
    expect(await readdir(dir)).toEqual([COST_FILE]);
  });

  it("read-only (beside the folder's writer) reads the meter, leaves cost.json and temp files alone, and hands its calls over", async () => {
    const dir = await tempDir();
    const clock = new ManualClock(NOON_CHINA);
    const writer = await CostStore.open(dir, { clock });
    writer.meter.record('consume', 'shop1', 1);
    await writer.save(true);
    const saved = await readFile(join(dir, COST_FILE), 'utf8');
    // The writer's save in progress.
    await writeFile(join(dir, `${COST_FILE}.123-abc.tmp`), '{"half');
    const reader = await CostStore.open(dir, { clock, readOnly: true });
    expect(reader.meter.summary().total.all).toEqual({ calls: 1, points: 1 });
    reader.meter.record('remark', 'shop1', 1);
    await reader.save(true);
    expect((await readdir(dir)).sort()).toEqual([COST_FILE, `${COST_FILE}.123-abc.tmp`, PENDING_DIR]);
    expect(await readFile(join(dir, COST_FILE), 'utf8')).toBe(saved);
    expect(await readdir(join(dir, PENDING_DIR))).toHaveLength(1);
    // Nothing new since: no new file.
    await reader.save(true);
    expect(await readdir(join(dir, PENDING_DIR))).toHaveLength(1);

    // The running writer counts it at its next save, once, and removes the file.
    clock.set(NOON_CHINA + 10_000);
    await writer.save();
    expect(writer.meter.summary().today.byEndpoint.remark).toEqual({ calls: 1, points: 1 });
    expect(await readdir(join(dir, PENDING_DIR))).toEqual([]);
    await writer.save(true);
    const reopened = await CostStore.open(dir, { clock });
    expect(reopened.meter.summary().total.all).toEqual({ calls: 2, points: 2 });
  });

  it('a writer that opens later counts the calls left for it, and a crash after its save never counts them twice', async () => {
    const dir = await tempDir();
    const clock = new ManualClock(NOON_CHINA);
    const reader = await CostStore.open(dir, { clock, readOnly: true });
    reader.meter.record('remark', 'shop2', 3);
    await reader.save(true);
    const [name] = await readdir(join(dir, PENDING_DIR));
    const pending = await readFile(join(dir, PENDING_DIR, name!), 'utf8');

    const writer = await CostStore.open(dir, { clock });
    expect(writer.meter.summary().total.byShop.shop2).toEqual({ calls: 1, points: 3 });
    await writer.save(true);
    // A crash between the save and the file's removal: the file is back, and cost.json names it.
    await writeFile(join(dir, PENDING_DIR, name!), pending);
    const afterCrash = JSON.parse(await readFile(join(dir, COST_FILE), 'utf8')) as { merged: string[] };
    expect(afterCrash.merged).toEqual([name]);
    const next = await CostStore.open(dir, { clock });
    expect(next.meter.summary().total.byShop.shop2).toEqual({ calls: 1, points: 3 });
    await next.save(true);
    expect(await readdir(join(dir, PENDING_DIR))).toEqual([]);
    // Once gone, the name is forgotten.
    clock.set(NOON_CHINA + 10_000);
    await next.save(true);
    expect((JSON.parse(await readFile(join(dir, COST_FILE), 'utf8')) as { merged: string[] }).merged).toEqual([]);
  });

  it('a call billed on an earlier China day counts in the total only; a damaged file is left alone', async () => {
    const dir = await tempDir();
    const yesterday = new ManualClock(NOON_CHINA - 86_400_000);
    const reader = await CostStore.open(dir, { clock: yesterday, readOnly: true });
    reader.meter.record('remark', 'shop1', 2);
    await reader.save(true);
    await writeFile(join(dir, PENDING_DIR, 'damaged.json'), '[{"endpoint":1}]');
    const logger = recordingLogger();
    const writer = await CostStore.open(dir, { clock: new ManualClock(NOON_CHINA), logger });
    const summary = writer.meter.summary();
    expect(summary.total.byEndpoint.remark).toEqual({ calls: 1, points: 2 });
    expect(summary.today.byEndpoint.remark).toBeUndefined();
    expect(logger.warnings.join()).toContain('damaged.json');
    await writer.save(true);
    expect(await readdir(join(dir, PENDING_DIR))).toEqual(['damaged.json']);
  });

  it("the writer removes the temp files of readers that died writing an hour or more ago, and no one else's", async () => {
    const dir = await tempDir();
    const clock = new ManualClock(NOON_CHINA);
    const reader = await CostStore.open(dir, { clock, readOnly: true });
    reader.meter.record('remark', 'shop1', 2);
    await reader.save(true);
    const [counted] = await readdir(join(dir, PENDING_DIR));
    // Named as writePending names them: the time the reader wrote it first.
    const dead = `${NOON_CHINA - 2 * 3_600_000}-4242-aabbccdd.json.4242-001122334455.tmp`;
    const writing = `${NOON_CHINA - 60_000}-4343-aabbccdd.json.4343-001122334455.tmp`;
    const foreign = 'notes.txt';
    for (const name of [dead, writing, foreign]) await writeFile(join(dir, PENDING_DIR, name), '[');
    const writer = await CostStore.open(dir, { clock });
    await writer.save(true);
    expect((await readdir(join(dir, PENDING_DIR))).sort()).toEqual([writing, foreign].sort());
    expect(counted).not.toContain('.tmp');
    expect(writer.meter.summary().total.byShop.shop1).toEqual({ calls: 1, points: 2 });
  });

  it('writes its file private (0600) on macOS and Linux', async () => {
    if (process.platform === 'win32') return;
    const dir = await tempDir();
    const store = await CostStore.open(dir, { clock: new ManualClock(NOON_CHINA) });
    await store.save(true);
    expect((await fs.stat(join(dir, COST_FILE))).mode & 0o777).toBe(0o600);
  });

  it('a failed save is logged, not thrown, and the next one writes the meter whole', async () => {
    const dir = await tempDir();
    const logger = recordingLogger();
    let fail = true;
    const flaky: FileSystem = {
      ...fs,
      rename: async (from, to) => {
        if (fail) throw Object.assign(new Error('EPERM: operation not permitted, rename'), { code: 'EPERM' });
        await fs.rename(from, to);
      },
    };
    const store = await CostStore.open(dir, { clock: new ManualClock(NOON_CHINA), logger, fs: flaky });
    store.meter.record('consume', 'shop1', 1);
    await expect(store.save(true)).resolves.toBeUndefined();
    expect(logger.warnings).toHaveLength(1);
    expect(await readdir(dir)).toEqual([]);
    fail = false;
    await store.save(true);
    expect((await saved(dir)).total.byShop.shop1).toEqual({ calls: 1, points: 1 });
  });

  it('an unreadable file starts a fresh meter rather than failing the start', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, COST_FILE), '{"version":1,"day":');
    const store = await CostStore.open(dir, { clock: new ManualClock(NOON_CHINA) });
    expect(store.meter.summary().total.all).toEqual({ calls: 0, points: 0 });
  });
});

async function until(cond: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
