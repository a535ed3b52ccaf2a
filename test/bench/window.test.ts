/** B4 still runs: on tiny inboxes, in Chromium, beside its baseline (skipped, with the reason printed, without Chromium). */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { BASELINE_COMMIT, runWindowBench } from '../../bench/b4Window';
import { renderB4Table } from '../../bench/report';
import { findChromium } from '../e2e/harness';

const chromium = findChromium();
if (!chromium) console.warn('[bench] B4 check skipped: no Chromium found (apt-get install chromium)');

function hasCommit(commit: string): boolean {
  try {
    execFileSync('git', ['cat-file', '-e', `${commit}^{commit}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!chromium)('B4 on tiny inputs', () => {
  it('renders the stored orders, takes in the arrivals (timed, then traced), runs the baseline too, and states every target with figures', async () => {
    const r = await runWindowBench({ sizes: [40, 60], arrivals: 12, warmLoads: 1 });
    if (r.baselineSkipped) console.warn(`[bench] B4 baseline not run: ${r.baselineSkipped}`);
    // Only a clone without the baseline's commit (a shallow one) may leave it out.
    if (hasCommit(BASELINE_COMMIT)) expect(r.baselineSkipped).toBeUndefined();
    const variants = r.baselineSkipped ? ['current'] : ['baseline', 'current'];
    expect(r.runs.map((run) => [run.variant, run.orders])).toEqual(
      [40, 60].flatMap((orders) => variants.map((variant) => [variant, orders])),
    );
    for (const run of r.runs) {
      expect(run.arrivals).toBe(12);
      expect(run.warmMs).toBeGreaterThan(0);
      expect(run.frames).toBeGreaterThan(0);
      // The traced round found the page's main thread and its frames, and work in them.
      expect(run.pageWork?.frames).toBeGreaterThan(0);
      expect(run.pageWork!.longestTaskMs).toBeGreaterThan(0);
      expect(run.pageWork!.busiestFrameMs).toBeGreaterThan(0);
    }
    expect(r.targets.map((t) => t.bench)).toEqual(['B4', 'B4', 'B4']);
    for (const t of r.targets) expect(['MET', 'MISSED']).toContain(t.verdict);
    const table = renderB4Table(r);
    for (const t of r.targets) expect(table).toContain(t.statement);
  }, 240_000);
});
