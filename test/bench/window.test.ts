/** B4 still runs: on a tiny inbox, in Chromium (skipped, with the reason printed, without it). */
import { describe, expect, it } from 'vitest';
import { runWindowBench } from '../../bench/b4Window';
import { findChromium } from '../e2e/harness';

const chromium = findChromium();
if (!chromium) console.warn('[bench] B4 check skipped: no Chromium found (apt-get install chromium)');

describe.skipIf(!chromium)('B4 on a tiny input', () => {
  it('renders the stored orders, takes in the arrivals, and states both targets with figures', async () => {
    const r = await runWindowBench({ orders: 60, arrivals: 12 });
    expect(r.figures).toMatchObject({ orders: 60, arrivals: 12 });
    expect(r.figures!.firstRenderMs).toBeGreaterThan(0);
    expect(r.figures!.frames).toBeGreaterThan(0);
    expect(r.targets.map((t) => t.bench)).toEqual(['B4', 'B4']);
    for (const t of r.targets) expect(['MET', 'MISSED']).toContain(t.verdict);
  }, 60_000);
});
