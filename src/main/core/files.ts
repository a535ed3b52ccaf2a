/**
 * Buyer data (nicks, addresses in memos, order ids) stays the user's own on a shared computer:
 * what TradeBell creates is 0700 (folders) and 0600 (files) on macOS and Linux, whatever the
 * umask. Windows has no POSIX modes; there the user's profile folder's ACL keeps others out.
 *
 * Only what TradeBell owns is tightened after the fact: a folder the user named (`--data ~`)
 * keeps its mode unless TradeBell created it.
 */
import { chmod, mkdir } from 'node:fs/promises';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const posix = process.platform !== 'win32';

/** Creates the folder (and missing parents) private; an existing one keeps its mode unless `own`. */
export async function makePrivateDir(dir: string, own = false): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (own && posix) await chmod(dir, PRIVATE_DIR_MODE);
}

/** Tightens a file TradeBell owns that an older version created under the umask (0644). */
export async function keepPrivate(file: string): Promise<void> {
  if (!posix) return;
  await chmod(file, PRIVATE_FILE_MODE).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
}
