/**
 * One writer per data folder. Two processes writing one inbox (the app and `cli watch`, or two
 * `watch` runs on the default folder) would compact or rename the journal under each other and
 * cut lines still being written, so `Inbox.open` holds this lock for as long as it is open.
 *
 * The lock is a file naming its holder: pid, host, and a loopback port where the holder answers
 * with a random nonce. A lock is stale when its pid is gone, or when that port does not answer
 * with that nonce. The second test is the one that matters: after a crash or a reboot the pid may
 * belong to another program (the app started at login often gets the same small pid again), and
 * only the real holder, alive, knows its nonce. No timestamps and no periodic touching are
 * involved, so a clock jump, a sleeping laptop or a busy event loop never turns a live lock stale.
 *
 * The file is created whole with link() (atomic, also on network file systems), or with an
 * exclusive create where hard links are not supported. A stale lock is removed under a short
 * takeover mutex (an exclusive mkdir), and only if it still holds exactly the bytes judged stale,
 * so two processes taking over at once cannot remove each other's fresh lock.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { AppFailure, appError } from '../../../shared/errors';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../files';

export const LOCK_FILE = 'tradebell.lock';

interface Owner {
  pid: number;
  host: string;
  /** Loopback port where the holder answers with its nonce. */
  port: number;
  nonce: string;
  /** The folder's device and inode when it was taken: a copy of the folder (a backup restored
   * beside it) carries the lock file along, but is another folder. */
  folder: string;
  /** When it was taken (wall clock; shown, never compared). */
  since: number;
}

export interface FolderLock {
  readonly dir: string;
  /** Gives the folder up; safe to call twice. */
  release(): Promise<void>;
}

export class FolderInUseError extends AppFailure {
  constructor(
    readonly dir: string,
    readonly pid: number,
    readonly host: string,
  ) {
    // Another computer's process cannot be checked from here: if it is gone, only the user knows,
    // so the words name the lock file to delete.
    const elsewhere = host === hostname() ? {} : { host, lockFile: path.join(dir, LOCK_FILE) };
    super(
      appError('storage', 'folder_in_use', { dir, pid, ...elsewhere }, { retryable: false }),
      `the data folder ${dir} is in use by pid ${pid} on ${host}`,
    );
    this.name = 'FolderInUseError';
  }
}

export interface LockOptions {
  /** How long a live-looking holder has to answer the probe (its event loop may be busy). */
  probeTimeoutMs?: number;
  /** How long to keep trying while others take over or create the lock at the same moment. */
  patienceMs?: number;
}

const PROBE_TIMEOUT_MS = 2_000;
const PATIENCE_MS = 5_000;
const RETRY_MS = 25;
/** A takeover mutex is held for milliseconds; one this old was left by a process that died in it. */
const MUTEX_STALE_MS = 10_000;
/** A lock file that cannot be read may be one being written (exclusive create); older, it is junk. */
const UNREADABLE_GRACE_MS = 2_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Takes the folder's lock, or throws FolderInUseError naming the live holder. */
export async function lockFolder(dir: string, opts: LockOptions = {}): Promise<FolderLock> {
  await makePrivateDir(dir);
  const file = path.join(dir, LOCK_FILE);
  const nonce = randomBytes(16).toString('hex');
  const probe = await answerProbes(nonce);
  const folder = await folderId(dir);
  const owner: Owner = { pid: process.pid, host: hostname(), port: probePort(probe), nonce, folder, since: Date.now() };
  const bytes = Buffer.from(JSON.stringify(owner));
  const deadline = performance.now() + (opts.patienceMs ?? PATIENCE_MS);
  try {
    for (;;) {
      if (await create(file, bytes, nonce)) return new HeldLock(dir, file, bytes, probe);
      const seen = await readLock(file);
      if (seen !== undefined) {
        const verdict = await judge(seen, folder, opts.probeTimeoutMs ?? PROBE_TIMEOUT_MS);
        if (verdict !== 'stale' && verdict !== 'wait') throw new FolderInUseError(dir, verdict.pid, verdict.host);
        if (verdict === 'stale') await removeStale(file, seen.bytes);
      }
      if (performance.now() > deadline)
        throw new AppFailure(
          appError('storage', 'folder_lock_contended', { dir, lockFile: LOCK_FILE }, { retryable: false }),
          `could not lock the data folder ${dir}: others keep changing ${LOCK_FILE}`,
        );
      await sleep(RETRY_MS);
    }
  } catch (e) {
    probe.close();
    throw e;
  }
}

class HeldLock implements FolderLock {
  private released = false;
  constructor(
    readonly dir: string,
    private readonly file: string,
    private readonly bytes: Buffer,
    private readonly probe: net.Server,
  ) {}

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    // Only our own: had we been judged stale and taken over, the file is someone else's now.
    const now = await fs.readFile(this.file).catch(() => undefined);
    if (now?.equals(this.bytes)) await fs.rm(this.file, { force: true });
    await new Promise<void>((resolve) => this.probe.close(() => resolve()));
  }
}

/** Answers every connection on a loopback port with the nonce; never keeps the process alive. */
async function answerProbes(nonce: string): Promise<net.Server> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end(`${nonce}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  server.unref();
  return server;
}

/** Device and inode: the same folder under any path, a different one for a copy. */
async function folderId(dir: string): Promise<string> {
  const stat = await fs.stat(dir, { bigint: true });
  return `${stat.dev}:${stat.ino}`;
}

function probePort(server: net.Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('lock probe has no port');
  return address.port;
}

/** Creates the lock file whole, or returns false when one exists. */
async function create(file: string, bytes: Buffer, nonce: string): Promise<boolean> {
  const temp = `${file}.${nonce}`;
  await fs.writeFile(temp, bytes, { flag: 'wx', mode: PRIVATE_FILE_MODE });
  try {
    await fs.link(temp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw e;
    // No hard links here (FAT, some network shares): an exclusive create, written at once.
    try {
      await fs.writeFile(file, bytes, { flag: 'wx', mode: PRIVATE_FILE_MODE });
      return true;
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e2;
    }
  } finally {
    await fs.rm(temp, { force: true });
  }
}

interface SeenLock {
  bytes: Buffer;
  owner: Owner | undefined;
  /** Milliseconds since the file last changed, by the file system's clock. */
  age: number;
}

/** The lock file as it is now; undefined when it vanished meanwhile. */
async function readLock(file: string): Promise<SeenLock | undefined> {
  try {
    const [bytes, stat] = await Promise.all([fs.readFile(file), fs.stat(file)]);
    return { bytes, owner: parseOwner(bytes), age: Math.abs(Date.now() - stat.mtimeMs) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function parseOwner(bytes: Buffer): Owner | undefined {
  try {
    const o = JSON.parse(bytes.toString('utf8')) as Partial<Owner> | null;
    if (
      o !== null &&
      typeof o === 'object' &&
      Number.isSafeInteger(o.pid) &&
      typeof o.host === 'string' &&
      Number.isSafeInteger(o.port) &&
      typeof o.nonce === 'string' &&
      typeof o.folder === 'string'
    )
      return o as Owner;
  } catch {
    // Not a lock this version wrote: judged by its age below.
  }
  return undefined;
}

/** The live holder, 'stale' when there is none, 'wait' when it cannot be told yet. */
async function judge(seen: SeenLock, folder: string, probeTimeoutMs: number): Promise<Owner | 'stale' | 'wait'> {
  const owner = seen.owner;
  if (!owner) return seen.age < UNREADABLE_GRACE_MS ? 'wait' : 'stale';
  // Another computer's process (a folder on a network share) cannot be checked from here.
  if (owner.host !== hostname()) return owner;
  if (owner.folder !== folder) return 'stale';
  if (!pidAlive(owner.pid)) return 'stale';
  const answer = await askProbe(owner.port, probeTimeoutMs);
  // Silence from a live pid may be a busy holder: never take a lock that may be held.
  if (answer === 'silent') return owner;
  return answer === owner.nonce ? owner : 'stale';
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, but another user's.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What the port answers: a line, 'none' (refused, closed, not ours), or 'silent' (no answer in time). */
function askProbe(port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    let done = false;
    const finish = (answer: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const socket = net.connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => finish('silent'), timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const nl = text.indexOf('\n');
      if (nl !== -1) finish(text.slice(0, nl));
      else if (text.length > 100) finish('none');
    });
    socket.on('error', () => finish('none'));
    socket.on('close', () => finish('none'));
  });
}

/** Removes the lock if it still holds exactly the bytes judged stale, one taker at a time. */
async function removeStale(file: string, stale: Buffer): Promise<void> {
  const mutex = `${file}.takeover`;
  try {
    await fs.mkdir(mutex);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const stat = await fs.stat(mutex).catch(() => undefined);
    if (stat && Math.abs(Date.now() - stat.mtimeMs) > MUTEX_STALE_MS)
      await fs.rm(mutex, { recursive: true, force: true });
    return;
  }
  try {
    const now = await fs.readFile(file).catch(() => undefined);
    if (now?.equals(stale)) await fs.rm(file, { force: true });
  } finally {
    await fs.rm(mutex, { recursive: true, force: true });
  }
}
