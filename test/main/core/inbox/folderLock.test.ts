import { spawn, type ChildProcess } from 'node:child_process';
import { cp, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FolderInUseError, LOCK_FILE, lockFolder, type FolderLock } from '../../../../src/main/core/inbox/folderLock';
import { MESSAGES } from '../../../../src/shared/i18n';
import { useTempDir } from './helpers';

const tempDir = useTempDir();
const HOLDER = fileURLToPath(new URL('./lockHolder.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface Holder {
  child: ChildProcess;
  /** The first line it printed: `held PID` or `refused PID`. */
  said: Promise<string>;
  exited: Promise<number | null>;
}

/** lockHolder.ts as its own process; a holder keeps the lock until its stdin ends. */
function holder(dir: string): Holder {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, dir], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  cleanups.push(() => child.kill('SIGKILL'));
  let out = '';
  const said = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.on('exit', () => reject(new Error(`holder exited without a word: ${out}`)));
  });
  said.catch(() => undefined);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, said, exited };
}

async function take(dir: string): Promise<FolderLock> {
  const lock = await lockFolder(dir, { probeTimeoutMs: 500, patienceMs: 2_000 });
  cleanups.push(() => lock.release());
  return lock;
}

async function refusal(dir: string): Promise<FolderInUseError> {
  const e = await lockFolder(dir, { probeTimeoutMs: 500, patienceMs: 2_000 }).then(
    async (lock) => {
      await lock.release();
      return undefined;
    },
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(FolderInUseError);
  return e as FolderInUseError;
}

/** A lock file as a holder would write it, for a holder that is not what it claims. */
async function plantLock(dir: string, owner: Record<string, unknown>): Promise<void> {
  const s = await stat(dir, { bigint: true });
  await writeFile(
    path.join(dir, LOCK_FILE),
    JSON.stringify({ host: hostname(), nonce: 'f'.repeat(32), folder: `${s.dev}:${s.ino}`, since: 0, ...owner }),
  );
}

/** A loopback port that answers every connection with `answer` (or never, for undefined). */
async function server(answer: string | undefined): Promise<number> {
  const srv = net.createServer((socket) => {
    socket.on('error', () => undefined);
    if (answer !== undefined) socket.end(`${answer}\n`);
  });
  await new Promise<void>((r) => srv.listen({ host: '127.0.0.1', port: 0 }, r));
  cleanups.push(() => new Promise((r) => srv.close(r)));
  return (srv.address() as net.AddressInfo).port;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen({ host: '127.0.0.1', port: 0 }, r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

describe('folder lock', () => {
  it('refuses a second taker while held, naming the folder and the pid, and is free again once released', async () => {
    const dir = await tempDir();
    const lock = await take(dir);
    const e = await refusal(dir);
    expect(e.pid).toBe(process.pid);
    expect(e.message).toContain(dir);
    expect(e.message).toContain(`pid ${process.pid}`);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
    await (await take(dir)).release();
  });

  it('is held against another process, and taken over once that process is killed', async () => {
    const dir = await tempDir();
    const h = holder(dir);
    expect(await h.said).toBe(`held ${h.child.pid}`);
    const e = await refusal(dir);
    expect(e.pid).toBe(h.child.pid);
    h.child.kill('SIGKILL');
    await h.exited;
    // The lock file is still there, naming a dead pid: stale.
    expect(await readdir(dir)).toContain(LOCK_FILE);
    const lock = await take(dir);
    const other = holder(dir);
    expect(await other.said).toBe(`refused ${process.pid}`);
    await lock.release();
  }, 30_000);

  it('is taken over when its pid is dead', async () => {
    const dir = await tempDir();
    await plantLock(dir, { pid: await deadPid(), port: await server('f'.repeat(32)) });
    await take(dir);
    expect(JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('is taken over when its pid lives on in another program (after a crash or a reboot): nothing answers its port', async () => {
    const dir = await tempDir();
    // Our own pid: alive, but not the holder this lock names.
    await plantLock(dir, { pid: process.pid, port: await closedPort() });
    await take(dir);
  });

  it('is taken over when its port answers with another nonce (the port was reused too)', async () => {
    const dir = await tempDir();
    await plantLock(dir, { pid: process.pid, port: await server('someone else') });
    await take(dir);
  });

  it('is held when a live pid stays silent on its port (a busy holder): a lock that may be held is never taken', async () => {
    const dir = await tempDir();
    await plantLock(dir, { pid: process.pid, port: await server(undefined) });
    expect((await refusal(dir)).pid).toBe(process.pid);
  });

  it('is held when another computer holds it, and says how to clear it if that computer is gone', async () => {
    const dir = await tempDir();
    await plantLock(dir, { pid: await deadPid(), port: await closedPort(), host: 'shop-pc-2' });
    const e = await refusal(dir);
    expect(e.error).toMatchObject({
      code: 'folder_in_use',
      params: { dir, host: 'shop-pc-2', lockFile: path.join(dir, LOCK_FILE) },
    });
    expect(MESSAGES['zh-CN'].errorText(e.error)).toContain(`请删除 ${path.join(dir, LOCK_FILE)}`);
    expect(MESSAGES.en.errorText(e.error)).toContain(`on shop-pc-2): stop it first`);
  });

  it('does not hold a copy of the folder (a backup restored beside it)', async () => {
    const dir = await tempDir();
    await take(dir);
    const copy = await tempDir();
    await cp(dir, copy, { recursive: true });
    expect(await readdir(copy)).toEqual([LOCK_FILE]);
    await take(copy);
  });

  it('waits out a lock file being written, and takes over junk once it is old', async () => {
    const dir = await tempDir();
    const file = path.join(dir, LOCK_FILE);
    await writeFile(file, '');
    setTimeout(() => void writeFile(file, 'not a lock'), 100);
    const old = new Date(Date.now() - 60_000);
    setTimeout(() => void utimes(file, old, old), 300);
    await take(dir);
  });

  it('lets exactly one of many processes in, on a fresh folder and over a stale lock', async () => {
    for (const stale of [false, true]) {
      const dir = await tempDir();
      if (stale) await plantLock(dir, { pid: await deadPid(), port: await closedPort() });
      const many = Array.from({ length: 4 }, () => holder(dir));
      const said = await Promise.all(many.map((h) => h.said));
      const held = said.filter((s) => s.startsWith('held'));
      expect([stale, held.length]).toEqual([stale, 1]);
      const winner = held[0]!.split(' ')[1];
      expect(said.filter((s) => s === `refused ${winner}`)).toHaveLength(3);
      for (const h of many) h.child.stdin!.end();
      await Promise.all(many.map((h) => h.exited));
      expect(await readdir(dir)).toEqual([]);
    }
  }, 60_000);

  it('creates the folder private (0700) and the lock file 0600', async () => {
    if (process.platform === 'win32') return;
    const dir = path.join(await tempDir(), 'new', 'inbox');
    await take(dir);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dir, LOCK_FILE))).mode & 0o777).toBe(0o600);
  });
});
