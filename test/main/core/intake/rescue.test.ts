/**
 * A failed save keeps the batch: the journal's appends fail like a full disk (an injected
 * AppendIo), through the real Core, Inbox and gateway client against the local gateway. And the
 * files a stop writes batches to, when even then they cannot be stored.
 */
import { writeSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../../../src/main/core/core';
import { RateBudgets } from '../../../../src/main/core/gateway/rate';
import type { AppendIo } from '../../../../src/main/core/inbox/journal';
import { readHeld, removeHeld, rescueDirs, writeHeld } from '../../../../src/main/core/intake/rescue';
import { MemorySettingsStore } from '../../../../src/main/core/ports';
import type { CoreEvents } from '../../../../src/main/core/service';
import { startSimulator, type Simulator } from '../../../../src/simulator';
import { DEFAULT_SETTINGS } from '../../../../src/shared/settings';
import { batch } from './fakes';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tradebell-held-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** An append that fails like a full disk (or an antivirus holding the file) while `fail` is set. */
function failingDisk(code = 'ENOSPC') {
  const disk = {
    fail: true,
    refused: 0,
    io: {
      write: (fd: number, buf: Buffer, offset: number, length: number) => {
        if (disk.fail) {
          disk.refused++;
          throw Object.assign(new Error(`${code}: simulated, write`), { code });
        }
        return writeSync(fd, buf, offset, length);
      },
      datasync: (handle) => handle.datasync(),
    } satisfies AppendIo,
  };
  return disk;
}

async function sim(): Promise<Simulator> {
  const s = await startSimulator({ tokens: ['tok-1'], shops: ['shop1', 'shop2'], seed: 11 });
  cleanups.push(() => s.close());
  return s;
}

function store(s: Simulator, shops: string[]): MemorySettingsStore {
  const st = new MemorySettingsStore({
    ...structuredClone(DEFAULT_SETTINGS),
    polling: { mode: 'realtime' },
    gatewayBaseUrl: s.url,
    shops: shops.map((id) => ({ id, name: id, colour: '#888', enabled: true })),
  });
  st.setSecret('token', 'tok-1');
  return st;
}

async function core(
  s: Simulator,
  dataDir: string,
  disk?: ReturnType<typeof failingDisk>,
  shops = ['shop1'],
): Promise<Core> {
  // A new journal writes its version line at open: the disk fills up once the app is running.
  const failing = disk?.fail ?? false;
  if (disk) disk.fail = false;
  const c = await Core.create({ dataDir, settings: store(s, shops), budgets: new RateBudgets(), appendIo: disk?.io });
  if (disk) disk.fail = failing;
  cleanups.push(() => c.stop());
  return c;
}

function collect<K extends keyof CoreEvents>(c: Core, event: K): CoreEvents[K][] {
  const out: CoreEvents[K][] = [];
  c.on(event, (p) => out.push(p));
  return out;
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const consumeCalls = (s: Simulator, shop: string) =>
  s.calls.filter((c) => c.endpoint === 'consume' && c.shop === shop).length;

describe('a failed save keeps the batch (injected failing disk, through the Core)', () => {
  it('holds it, says what to do, calls nothing more for that shop, and stores it once the disk takes it', async () => {
    const s = await sim();
    const generated = s.generate('shop1', 6, { duplicateRate: 0 });
    s.generate('shop2', 3, { duplicateRate: 0 });
    const disk = failingDisk();
    const c = await core(s, await tempDir(), disk, ['shop1', 'shop2']);
    const errors = collect(c, 'error');
    const messages = collect(c, 'message');
    await c.start();
    await until(() => errors.some((e) => e.error.kind === 'storage' && e.shop === 'shop1'));
    const st = c.getState().shops.find((x) => x.shop === 'shop1')!;
    expect(st.state).toBe('error');
    expect(st.error).toMatchObject({
      kind: 'storage',
      code: 'store_failed',
      params: { cause: 'disk_full', sys: 'ENOSPC' },
    });
    expect(messages).toEqual([]);
    const calls = consumeCalls(s, 'shop1');
    await new Promise((r) => setTimeout(r, 2_500));
    expect(consumeCalls(s, 'shop1')).toBe(calls);
    // More comes in meanwhile; it waits on the gateway, not in memory.
    s.generate('shop1', 2, { duplicateRate: 0 });
    expect(disk.refused).toBeGreaterThan(2);

    disk.fail = false;
    await until(() => s.queueLength('shop1') === 0 && c.getState().shops.every((x) => x.state === 'listening'));
    await until(() => new Set(messages.filter((m) => m.shop === 'shop1').map((m) => m.id)).size >= generated.length);
    const ids = messages.filter((m) => m.shop === 'shop1').map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of generated) expect(ids).toContain(m.id);
  });

  it('at stop, what is still held goes to a file, and the next start stores it before calling', async () => {
    const s = await sim();
    const generated = s.generate('shop1', 4, { duplicateRate: 0 });
    const dataDir = await tempDir();
    const disk = failingDisk('EBUSY');
    const first = await core(s, dataDir, disk);
    const errors = collect(first, 'error');
    await first.start();
    await until(() => errors.some((e) => e.error.kind === 'storage'));
    expect(errors.find((e) => e.error.kind === 'storage')!.error).toMatchObject({
      code: 'store_failed',
      params: { cause: 'locked', sys: 'EBUSY' },
    });
    await first.stop();
    const last = errors.at(-1)!;
    expect(last.error).toMatchObject({ kind: 'storage', code: 'held_saved', retryable: false });
    expect(last.error.code === 'held_saved' && last.error.params.folders.every((f) => f.startsWith(dataDir))).toBe(
      true,
    );
    const { batches } = await readHeld(dataDir);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.file.startsWith(dataDir)).toBe(true);
    expect(batches[0]!.answer.messages).toHaveLength(new Set(generated.map((m) => m.id)).size);

    const callsBefore = consumeCalls(s, 'shop1');
    const second = await core(s, dataDir);
    const messages = collect(second, 'message');
    const firstMessageCalls: number[] = [];
    second.on('message', () => firstMessageCalls.push(consumeCalls(s, 'shop1')));
    await second.start();
    await until(() => messages.length >= generated.length);
    // Stored from the file before the shop's first call of this run went out.
    expect(firstMessageCalls[0]).toBe(callsBefore);
    expect(new Set(messages.map((m) => m.id))).toEqual(new Set(generated.map((m) => m.id)));
    // The file goes once its batch is stored.
    const held = async () => (await readdir(dataDir)).filter((f) => f.startsWith('held-'));
    for (let i = 0; i < 250 && (await held()).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await held()).toEqual([]);
  });

  it('the CLI’s --once (drain mode) ends with the batch written away, and the next drain takes it in', async () => {
    const s = await sim();
    const generated = s.generate('shop1', 3, { duplicateRate: 0 });
    const dataDir = await tempDir();
    const first = await core(s, dataDir, failingDisk('EIO'));
    const errors = collect(first, 'error');
    await first.drain();
    expect(errors.filter((e) => e.error.kind === 'storage').length).toBeGreaterThanOrEqual(3);
    await first.stop();
    expect((await readHeld(dataDir)).batches).toHaveLength(1);
    const second = await core(s, dataDir);
    const messages = collect(second, 'message');
    await second.drain();
    expect(new Set(messages.map((m) => m.id))).toEqual(new Set(generated.map((m) => m.id)));
    expect((await readHeld(dataDir)).batches).toHaveLength(0);
  });
});

describe('held batch files', () => {
  it('go to the first place that takes them, come back oldest first, and only to their own data folder', async () => {
    const dataDir = await tempDir();
    const blocked = join(await tempDir(), 'not-a-folder');
    await writeFile(blocked, 'a file where a folder should be');
    const fallback = await tempDir();
    const dirs = [blocked, fallback];
    const out = await writeHeld(
      dataDir,
      [
        { shop: 'shop1', receivedAt: 2_000, answer: batch(3, 'shop1') },
        { shop: 'shop2', receivedAt: 1_000, answer: { ...batch(2, 'shop2'), malformed: ['[1,2]'], msec: 900 } },
      ],
      dirs,
    );
    expect(out.error).toBeUndefined();
    expect(out.files.every((f) => f?.startsWith(fallback))).toBe(true);
    const back = await readHeld(dataDir, dirs);
    expect(back.unreadable).toEqual([]);
    expect(back.batches.map((b) => [b.shop, b.receivedAt, b.answer.messages.length])).toEqual([
      ['shop2', 1_000, 2],
      ['shop1', 2_000, 3],
    ]);
    expect(back.batches[0]!.answer.malformed).toEqual(['[1,2]']);
    expect((await readHeld(await tempDir(), dirs)).batches).toEqual([]);
    await removeHeld(back.batches[0]!.file);
    expect((await readHeld(dataDir, dirs)).batches).toHaveLength(1);
  });

  it('a torn or foreign file is left in place and named, never half read', async () => {
    const dataDir = await tempDir();
    const out = await writeHeld(dataDir, [{ shop: 'shop1', receivedAt: 5, answer: batch(1, 'shop1') }], [dataDir]);
    const file = out.files[0]!;
    await writeFile(file, '00000000 {"v":1}\n');
    const back = await readHeld(dataDir, [dataDir]);
    expect(back.batches).toEqual([]);
    expect(back.unreadable).toEqual([file]);
  });

  it('nowhere to go: the outcome says so', async () => {
    const dataDir = await tempDir();
    const blocked = join(dataDir, 'file');
    await writeFile(blocked, 'x');
    const out = await writeHeld(dataDir, [{ shop: 'shop1', receivedAt: 5, answer: batch(1, 'shop1') }], [blocked]);
    expect(out.files).toEqual([undefined]);
    expect(out.error).toBeDefined();
    expect(rescueDirs(dataDir)[0]).toBe(dataDir);
  });
});
