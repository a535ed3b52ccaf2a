import { describe, expect, it } from 'vitest';
import { projectDailyCost, recentRatePerHour } from '../../../../src/main/core/intake/projection';
import type { PollPolicy } from '../../../../src/main/core/intake/pauses';

const balanced: PollPolicy = { mode: 'balanced' };

describe('projectDailyCost', () => {
  it('a quiet shop costs one call per ceiling', () => {
    expect(projectDailyCost({ polling: balanced, messagesPerHour: [0] })).toEqual({
      callsPerDay: 8_640,
      pointsPerDay: 8_640,
    });
    expect(projectDailyCost({ polling: { mode: 'realtime' }, messagesPerHour: [0] }).callsPerDay).toBe(43_200);
    expect(projectDailyCost({ polling: { mode: 'saver' }, messagesPerHour: [0] }).callsPerDay).toBe(1_440);
    expect(
      projectDailyCost({ polling: { mode: 'custom', customCeilingMs: 30_000 }, messagesPerHour: [0] }).callsPerDay,
    ).toBe(2_880);
  });

  it('adds up shops and scales by the observed price per call', () => {
    expect(projectDailyCost({ polling: balanced, messagesPerHour: [0, 0], pointsPerCall: 2 })).toEqual({
      callsPerDay: 17_280,
      pointsPerDay: 34_560,
    });
    expect(projectDailyCost({ polling: balanced, messagesPerHour: [] })).toEqual({ callsPerDay: 0, pointsPerDay: 0 });
  });

  it('a trickle costs the idle calls plus the ladder restarting after each message', () => {
    // One an hour: the fetch, empty calls at +1, +2, +4, +8, +16 s, then every 10 s to the next hour.
    const p = projectDailyCost({ polling: balanced, messagesPerHour: [1] });
    expect(p.callsPerDay).toBe(24 * 364);
    expect(p.callsPerDay).toBeGreaterThan(8_640);
  });

  it('busy traffic is fetched once per partial pause, then in full batches, capped by the rate limit', () => {
    // A message every 36 ms: 28 gather per 1 s pause, one call a second.
    expect(projectDailyCost({ polling: balanced, messagesPerHour: [100_000] }).callsPerDay).toBe(86_400);
    // 278 per pause exceed a batch of 200 (the default): full batches, 24,000,000 / 200.
    expect(projectDailyCost({ polling: balanced, messagesPerHour: [1_000_000] }).callsPerDay).toBe(120_000);
    expect(projectDailyCost({ polling: balanced, messagesPerHour: [1_000_000], quantity: 100 }).callsPerDay).toBe(
      240_000,
    );
    expect(projectDailyCost({ polling: balanced, messagesPerHour: [100_000_000] }).callsPerDay).toBe(864_000);
  });

  it('orders the modes by cost at any traffic', () => {
    for (const rate of [0, 0.5, 3, 40, 600, 5_000]) {
      const cost = (mode: PollPolicy['mode']) =>
        projectDailyCost({ polling: { mode }, messagesPerHour: [rate] }).callsPerDay;
      expect(cost('saver')).toBeLessThanOrEqual(cost('balanced'));
      expect(cost('balanced')).toBeLessThanOrEqual(cost('realtime'));
    }
  });
});

describe('projectDailyCost with other ceilings at some hours', () => {
  it('quiet hours 23:00–08:00 at saver’s ceiling cut a quiet shop’s day by about a third', () => {
    const night = (h: number) => h >= 23 || h < 8;
    const hours = Array.from({ length: 24 }, (_, h) => (night(h) ? 60_000 : 10_000));
    const plain = projectDailyCost({ polling: balanced, messagesPerHour: [0] }).callsPerDay;
    const quiet = projectDailyCost({ polling: balanced, messagesPerHour: [0], ceilings: [hours] }).callsPerDay;
    expect(plain).toBe(8_640);
    expect(quiet).toBe(15 * 360 + 9 * 60);
    expect(1 - quiet / plain).toBeGreaterThan(0.3);
  });

  it('each shop has its own hours; a shop without them keeps the mode’s', () => {
    const dead = Array.from({ length: 24 }, (_, h) => (h < 6 ? 60_000 : 10_000));
    const r = projectDailyCost({ polling: balanced, messagesPerHour: [0, 0], ceilings: [dead] });
    expect(r.callsPerDay).toBe(18 * 360 + 6 * 60 + 8_640);
  });
});

describe('recentRatePerHour', () => {
  const now = 1_000 * 86_400_000;
  it('takes the busier of the last hour and the last day’s hourly average', () => {
    const one = (t: number) => [t, 1] as const;
    const lastHour = Array.from({ length: 30 }, (_, i) => one(now - i * 60_000));
    expect(recentRatePerHour(lastHour, now)).toBe(30);
    // 480 yesterday afternoon, none this hour: 20 an hour.
    const earlier = Array.from({ length: 480 }, (_, i) => one(now - 5 * 3_600_000 - i * 10_000));
    expect(recentRatePerHour(earlier, now)).toBe(20);
    expect(recentRatePerHour([one(now - 2 * 86_400_000), one(now + 1_000)], now)).toBe(0);
    // Counted arrivals weigh as many single ones.
    expect(recentRatePerHour([[now - 60_000, 30]], now)).toBe(30);
  });
});
