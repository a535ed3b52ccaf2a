import { describe, expect, it } from 'vitest';
import { CostMeter } from '../../../../src/main/core/gateway/cost';
import { ManualClock } from './timeHelpers';

/** 2026-11-22 23:59:58 in China. */
const LATE_EVENING_CHINA = Date.UTC(2026, 10, 22, 15, 59, 58);

describe('CostMeter', () => {
  it('adds up calls and 点券 per endpoint and per shop, today and in total', () => {
    const meter = new CostMeter(new ManualClock(LATE_EVENING_CHINA));
    meter.record('consume', 'shopA', 1);
    meter.record('consume', 'shopA', 1);
    meter.record('consume', 'shopB', 0);
    meter.record('remark', 'shopB', 2);
    const s = meter.summary();
    expect(s.day).toBe('2026-11-22');
    expect(s.today).toEqual({
      all: { calls: 4, points: 4 },
      byEndpoint: { consume: { calls: 3, points: 2 }, remark: { calls: 1, points: 2 } },
      byShop: { shopA: { calls: 2, points: 2 }, shopB: { calls: 2, points: 2 } },
    });
    expect(s.total).toEqual(s.today);
  });

  it('starts a new "today" at midnight China time, not at the machine\'s midnight', () => {
    const clock = new ManualClock(LATE_EVENING_CHINA);
    const meter = new CostMeter(clock);
    meter.record('consume', 's', 1);
    clock.set(LATE_EVENING_CHINA + 1000); // 23:59:59 in China
    meter.record('consume', 's', 1);
    expect(meter.summary().today.all).toEqual({ calls: 2, points: 2 });
    clock.set(LATE_EVENING_CHINA + 2000); // 00:00:00 on the 23rd in China, 16:00 UTC
    const s = meter.summary();
    expect(s.day).toBe('2026-11-23');
    expect(s.today.all).toEqual({ calls: 0, points: 0 });
    expect(s.total.all).toEqual({ calls: 2, points: 2 });
    meter.record('remark', 's', 3);
    expect(meter.summary().today.byEndpoint).toEqual({ remark: { calls: 1, points: 3 } });
  });

  it('stays on the same day across UTC midnight (08:00 in China)', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 22, 23, 59, 0));
    const meter = new CostMeter(clock);
    meter.record('consume', 's', 1);
    clock.set(Date.UTC(2026, 10, 23, 0, 1, 0));
    expect(meter.summary().today.all.calls).toBe(1);
  });

  it('counts a call with an unusable cost as a call of 0 点券', () => {
    const meter = new CostMeter(new ManualClock(LATE_EVENING_CHINA));
    meter.record('consume', 's', Number.NaN);
    meter.record('consume', 's', -5);
    expect(meter.summary().total.all).toEqual({ calls: 2, points: 0 });
  });

  it('survives a round trip through JSON, and a saved "today" of an earlier day is not today', () => {
    const clock = new ManualClock(LATE_EVENING_CHINA);
    const meter = new CostMeter(clock);
    meter.record('consume', 'shopA', 2);
    meter.record('remark', 'shopB', 1);
    const saved = JSON.parse(JSON.stringify(meter)) as unknown;
    expect(CostMeter.from(saved, clock).summary()).toEqual(meter.summary());

    clock.set(LATE_EVENING_CHINA + 86_400_000);
    const later = CostMeter.from(saved, clock).summary();
    expect(later.today.all).toEqual({ calls: 0, points: 0 });
    expect(later.total.all).toEqual({ calls: 2, points: 3 });
  });

  it('restores what it can from a damaged state and drops the rest', () => {
    const clock = new ManualClock(LATE_EVENING_CHINA);
    expect(CostMeter.from(null, clock).summary().total.all).toEqual({ calls: 0, points: 0 });
    expect(CostMeter.from('garbage', clock).summary().total.all).toEqual({ calls: 0, points: 0 });
    const meter = CostMeter.from(
      {
        day: '2026-11-22',
        total: {
          byEndpoint: { consume: { calls: 3, points: 3 }, remark: { calls: -1, points: 1 }, x: 'y' },
          byShop: [],
        },
      },
      clock,
    );
    expect(meter.summary().total).toEqual({
      all: { calls: 3, points: 3 },
      byEndpoint: { consume: { calls: 3, points: 3 } },
      byShop: {},
    });
  });

  it('keeps a shop called __proto__ as a shop and pollutes nothing', () => {
    const clock = new ManualClock(LATE_EVENING_CHINA);
    const meter = new CostMeter(clock);
    meter.record('consume', '__proto__', 1);
    meter.record('consume', 'constructor', 1);
    expect(({} as Record<string, unknown>).calls).toBeUndefined();
    const s = meter.summary();
    expect(Object.keys(s.total.byShop).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(s.total.byShop, '__proto__')?.value).toEqual({ calls: 1, points: 1 });
    const back = CostMeter.from(JSON.parse(JSON.stringify(meter)) as unknown, clock).summary();
    expect(Object.keys(back.total.byShop).sort()).toEqual(['__proto__', 'constructor']);
  });
});
