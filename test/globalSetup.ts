/**
 * Every temporary folder a test run makes (the tests' data folders, the renderer builds, Chromium's
 * profiles, the seats' and Redis servers' folders, the CLI's children) goes under one folder of its
 * own, removed when the run ends: the tests call os.tmpdir(), which reads TMPDIR (TEMP and TMP on
 * Windows), and the test workers and their children inherit this process's environment.
 * TRADEBELL_KEEP_TEST_TMP=1 keeps it, to look at what a failed test left.
 *
 * Each vitest project runs this once, in the same process: only the first makes the folder, so
 * that folders are not nested (Chromium refuses a profile whose socket path is too long).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const OWN = 'TRADEBELL_TEST_TMP';

export default function setup(): () => void {
  if (process.env[OWN]) return () => undefined;
  // Short: Chromium's singleton socket lives below it, and a Unix socket path has ~100 bytes.
  const dir = mkdtempSync(join(tmpdir(), 'tb-test-'));
  process.env[OWN] = dir;
  for (const key of ['TMPDIR', 'TEMP', 'TMP']) process.env[key] = dir;
  return () => {
    if (process.env.TRADEBELL_KEEP_TEST_TMP === '1') {
      process.stderr.write(`test temp folder kept: ${dir}\n`);
      return;
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
}
