/**
 * A full disk, for real: the headless `watch` as its own process, its data folder on a 1 MB tmpfs
 * filled to the last byte, so the journal's appends fail with ENOSPC from the kernel. Nothing
 * consumed may be lost:
 * - `--once`: the batch is held, the save retried, then written where it can go (the data folder
 *   is full, so the temp folder), the run exits 1 saying so; the next run, with space again, takes
 *   it back and stores every message once;
 * - `watch`: the shop makes no further consume call while its batch is held, and once space is
 *   freed the batch is stored without a restart.
 * The lock that makes the process the folder's one writer is a file too: each filling leaves one
 * page for it, so what fails is the journal, as on a disk that fills while the app runs. A disk
 * already full at start is the third case: the run stops before fetching anything and says so.
 * Mounting needs root; without it the test says why and the injected-fs variant
 * (test/main/core/intake/rescue.test.ts) is what covers this.
 */
import { execFileSync } from 'node:child_process';
import { open, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator';
import { readJournal, spawnCli, tempDir, waitFor } from './helpers';

const TOKEN = 'tok-diskfull';

/** Mounts a 1 MB tmpfs, or says why it cannot. */
function mountTmpfs(dir: string): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not running as root';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    return `mount refused: ${String((e as { stderr?: Buffer }).stderr ?? e).trim()}`;
  }
}

/** Writes zeros into `file` until the file system has no byte left, then frees `leave` bytes (one
 * tmpfs page is room for the folder's lock file). */
async function fill(file: string, leave = 0): Promise<void> {
  const reserve = `${file}.reserve`;
  if (leave > 0) await writeFile(reserve, Buffer.alloc(leave));
  const handle = await open(file, 'w');
  const chunk = Buffer.alloc(4_096);
  try {
    for (;;) await handle.write(chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    await handle.close();
  }
  // Single bytes into the last partial block.
  const tail = await open(`${file}.tail`, 'w');
  try {
    for (;;) await tail.write(Buffer.alloc(1));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    await tail.close();
  }
  await rm(reserve, { force: true });
}

const LOCK_ROOM = 4_096;

async function free(file: string): Promise<void> {
  await rm(file, { force: true });
  await rm(`${file}.tail`, { force: true });
}

let mountPoint = '';
let unavailable: string | undefined;

beforeAll(async () => {
  mountPoint = await tempDir('tmpfs');
  unavailable = mountTmpfs(mountPoint);
  if (unavailable) process.stdout.write(`diskfull.test.ts: the tmpfs variant did not run: ${unavailable}\n`);
  else process.stdout.write('diskfull.test.ts: running on a 1 MB tmpfs (real ENOSPC)\n');
});

afterAll(async () => {
  if (!unavailable) execFileSync('umount', [mountPoint]);
  await rm(mountPoint, { recursive: true, force: true });
});

async function simulator(): Promise<Simulator> {
  return startSimulator({ tokens: [TOKEN], shops: ['shop1'], seed: 3, serviceTimeMs: 20 });
}

describe('a full disk under the CLI (1 MB tmpfs)', () => {
  it('--once: holds the batch, writes it where it can go, and the next run takes it back', async (ctx) => {
    if (unavailable) return ctx.skip(`tmpfs variant not run: ${unavailable}`);
    const sim = await simulator();
    const data = join(mountPoint, 'once');
    const spare = await tempDir('diskfull-tmp');
    const base = ['watch', '--base-url', sim.url, '--shop', 'shop1', '--data', data, '--once'];
    const env = { TRADEBELL_TOKEN: TOKEN, TMPDIR: spare };
    try {
      // A first run makes the folder and its files while there is room.
      expect((await spawnCli(base, env).exited).code).toBe(0);
      const generated = sim.generate('shop1', 20, { duplicateRate: 0 });
      const filler = join(mountPoint, 'filler-once');
      await fill(filler, LOCK_ROOM);

      const full = spawnCli(base, env);
      const exit = await full.exited;
      expect(exit.code, full.stderr()).toBe(1);
      expect(sim.queueLength('shop1')).toBe(0);
      const storage = full.lines.filter((l) => l.type === 'error' && l.kind === 'storage');
      expect(storage.length).toBeGreaterThanOrEqual(2);
      expect(storage[0]).toMatchObject({ code: 'store_failed', params: { cause: 'disk_full', sys: 'ENOSPC' } });
      expect(String(storage[0]!.message)).toContain('磁盘已满');
      expect(storage.at(-1)).toMatchObject({ code: 'held_saved' });
      expect(String(storage.at(-1)!.message)).toContain('下次启动时自动导入');
      const held = await readdir(join(spare, 'tradebell-held'));
      expect(held).toHaveLength(1);
      expect((await readJournal(data)).messageIds).toEqual([]);

      await free(filler);
      const again = spawnCli(base, env);
      expect((await again.exited).code, again.stderr()).toBe(0);
      const stored = (await readJournal(data)).messageIds;
      const ids = new Set(generated.map((m) => m.id));
      expect(new Set(stored)).toEqual(ids);
      expect(stored).toHaveLength(ids.size);
      expect(await readdir(join(spare, 'tradebell-held'))).toEqual([]);
      process.stdout.write(
        `diskfull --once: ${ids.size} messages consumed onto a full disk, ${storage.length} storage errors printed, ` +
          `1 file written to the temp folder, ${stored.length} stored by the next run\n`,
      );
    } finally {
      await sim.close();
      await rm(spare, { recursive: true, force: true });
    }
  }, 60_000);

  it('watch: no consume call while the batch is held; stored without a restart once space is freed', async (ctx) => {
    if (unavailable) return ctx.skip(`tmpfs variant not run: ${unavailable}`);
    const sim = await simulator();
    const data = join(mountPoint, 'watch');
    const spare = await tempDir('diskfull-tmp');
    const env = { TRADEBELL_TOKEN: TOKEN, TMPDIR: spare };
    const args = ['--base-url', sim.url, '--shop', 'shop1', '--data', data];
    try {
      expect((await spawnCli(['watch', ...args, '--once'], env).exited).code).toBe(0);
      await mkdir(data, { recursive: true });
      const generated = sim.generate('shop1', 20, { duplicateRate: 0 });
      const filler = join(mountPoint, 'filler-watch');
      await fill(filler, LOCK_ROOM);

      const run = spawnCli(['watch', ...args, '--mode', 'realtime', '--duration', '20'], env);
      expect(await waitFor(() => run.lines.some((l) => l.kind === 'storage'), 10_000)).toBe(true);
      const calls = () => sim.calls.filter((c) => c.endpoint === 'consume').length;
      const held = calls();
      await new Promise((r) => setTimeout(r, 3_000));
      expect(calls()).toBe(held);
      sim.generate('shop1', 3, { duplicateRate: 0 });

      await free(filler);
      const ids = new Set(generated.map((m) => m.id));
      expect(
        // The held batch is stored, then polling resumes: both happen without a restart.
        await waitFor(() => run.lines.filter((l) => l.type === 'message').length >= ids.size && calls() > held, 40_000),
        run.stderr(),
      ).toBe(true);
      run.child.kill('SIGINT');
      await run.exited;
      const stored = (await readJournal(data)).messageIds;
      expect(new Set(stored.filter((id) => ids.has(id)))).toEqual(ids);
      expect(new Set(stored).size).toBe(stored.length);
      expect(calls()).toBeGreaterThan(held);
      process.stdout.write(
        `diskfull watch: ${ids.size} messages held, ${calls() - held} consume calls after space came back, none while held; ` +
          `${stored.length} stored\n`,
      );
    } finally {
      await sim.close();
      await rm(spare, { recursive: true, force: true });
    }
  }, 60_000);

  it('a disk already full at start: the run fetches nothing and says the disk is full', async (ctx) => {
    if (unavailable) return ctx.skip(`tmpfs variant not run: ${unavailable}`);
    const sim = await simulator();
    const data = join(mountPoint, 'full-at-start');
    const spare = await tempDir('diskfull-tmp');
    const env = { TRADEBELL_TOKEN: TOKEN, TMPDIR: spare };
    const base = ['watch', '--base-url', sim.url, '--shop', 'shop1', '--data', data, '--once'];
    const filler = join(mountPoint, 'filler-start');
    try {
      expect((await spawnCli(base, env).exited).code).toBe(0);
      sim.generate('shop1', 5, { duplicateRate: 0 });
      const queued = sim.queueLength('shop1');
      const consumeCalls = () => sim.calls.filter((c) => c.endpoint === 'consume').length;
      const before = consumeCalls();
      await fill(filler);

      const full = spawnCli(base, env);
      expect((await full.exited).code).toBe(1);
      expect(full.stderr()).toContain(`数据文件夹 ${join(data, 'inbox')} 所在的磁盘已满`);
      expect(full.stderr()).toContain('请释放磁盘空间后重新启动');
      expect(consumeCalls()).toBe(before);
      expect(sim.queueLength('shop1')).toBe(queued);

      await free(filler);
      const again = spawnCli(base, env);
      expect((await again.exited).code, again.stderr()).toBe(0);
      expect(sim.queueLength('shop1')).toBe(0);
    } finally {
      await free(filler);
      await sim.close();
      await rm(spare, { recursive: true, force: true });
    }
  }, 60_000);
});
