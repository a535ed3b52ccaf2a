/**
 * A process for the folder lock tests: `tsx lockHolder.ts DIR` tries to take DIR's lock and
 * prints one line, `held PID` or `refused PID` (the holder it was refused by). A holder keeps the
 * lock until its stdin ends, then releases it and exits.
 */
import { FolderInUseError, lockFolder } from '../../../../src/main/core/inbox/folderLock';

const dir = process.argv[2]!;
try {
  const lock = await lockFolder(dir, { probeTimeoutMs: 5_000, patienceMs: 20_000 });
  process.stdout.write(`held ${process.pid}\n`);
  await new Promise((r) => process.stdin.on('end', r).resume());
  await lock.release();
} catch (e) {
  if (!(e instanceof FolderInUseError)) throw e;
  process.stdout.write(`refused ${e.pid}\n`);
}
