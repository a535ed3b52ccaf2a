/**
 * Replaces a small file whole or not at all. The new bytes go to a temp file whose name no other
 * save shares (two saves at once never write into one temp file, nor rename it from under each
 * other), are flushed to disk, and only then renamed over the old file. The folder is flushed after
 * the rename so that the rename itself survives a power cut; Windows cannot open a folder, and
 * there the rename is atomic all the same.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_FILE_MODE } from './files';

/** What these functions need of node:fs/promises; tests pass one that records or fails. */
export type FileSystem = Pick<typeof nodeFs, 'open' | 'rename' | 'rm' | 'readdir' | 'readFile'>;

const TEMP_SUFFIX = '.tmp';

function tempName(file: string): string {
  return `${file}.${process.pid}-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
}

function isTempOf(file: string, name: string): boolean {
  const base = path.basename(file);
  return name.startsWith(`${base}.`) && name.endsWith(TEMP_SUFFIX);
}

/** The name of the file a temp file (by its name) was being written for; undefined for a name
 * that is not one of writeFileAtomic's temp files. */
export function tempFileTarget(name: string): string | undefined {
  return /^(.+)\.\d+-[0-9a-f]+\.tmp$/.exec(name)?.[1];
}

/** Makes a create or rename in `dir` durable. Windows cannot open a folder: there it does nothing. */
export async function syncFolder(dir: string, fs: FileSystem = nodeFs): Promise<void> {
  let handle: nodeFs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported on this platform (Windows); the rename is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, fs: FileSystem = nodeFs): Promise<void> {
  const temp = tempName(file);
  try {
    const handle = await fs.open(temp, 'wx', PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (e) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
  await syncFolder(path.dirname(file), fs);
}

/** Removes the temp files that saves cut short by a crash left beside `file`. Call it before this
 * process saves, while no other process writes the folder. */
export async function removeStaleTemps(file: string, fs: FileSystem = nodeFs): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(path.dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    if (isTempOf(file, name)) await fs.rm(path.join(path.dirname(file), name), { force: true });
  }
}

/** The file parsed as JSON; undefined when it is missing or unreadable. */
export async function readJsonFile(file: string, fs: FileSystem = nodeFs): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}
