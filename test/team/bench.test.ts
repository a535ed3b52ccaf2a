/**
 * B5 still runs on a tiny input and produces sane figures: every seat stores every message, the
 * latencies are ordered, both targets get a verdict. Never timings: those are `npm run bench`'s.
 */
import { describe, expect, it } from 'vitest';
import { runB5 } from '../../bench/b5Team';
import { redisAvailable, SKIP_REASON } from './redisServer';

const available = redisAvailable();
if (!available) console.warn(`B5 check skipped: ${SKIP_REASON}`);

describe.skipIf(!available)('B5 on a tiny input', () => {
  it('carries every message to every seat and reports both targets', async () => {
    const r = await runB5({ latencyBatches: 10, drainMessages: 400, seats: 2 });
    expect(r.ran).toBe(true);
    const { stream, direct, perSeatP95 } = r.latency!;
    expect(perSeatP95).toHaveLength(2);
    for (const l of [stream, direct]) {
      expect(l.p50).toBeGreaterThan(0);
      expect(l.p50).toBeLessThanOrEqual(l.p95);
      expect(l.p95).toBeLessThanOrEqual(l.max);
    }
    expect(r.drain!.perSeat).toHaveLength(2);
    const stored = r.drain!.perSeat.map((s) => s.stored);
    expect(stored[0]).toBeGreaterThan(300);
    expect(stored[1]).toBe(stored[0]);
    expect(r.targets.map((t) => t.verdict).every((v) => v === 'MET' || v === 'MISSED')).toBe(true);
  }, 120_000);
});
