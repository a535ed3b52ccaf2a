import { describe, expect, it } from 'vitest';
import { DEAD_SHARE, Rhythm, hourOfWeek } from '../../../../src/main/core/intake/rhythm';
import { VIRTUAL_EPOCH } from '../../../support/virtualClock';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2024-06-03 00:00 China time, a Monday. */
const MONDAY = VIRTUAL_EPOCH + 2 * DAY;

/** Messages an hour of a shop that sleeps at night: none 02:00–06:00, few 00–02 and 06–08. */
const DAY_CURVE = [2, 1, 0, 0, 0, 0, 1, 2, 6, 10, 12, 12, 10, 12, 14, 14, 14, 12, 14, 16, 22, 24, 18, 8];

function learned(weeks: number): Rhythm {
  const r = new Rhythm();
  for (let d = 0; d < weeks * 7; d++)
    DAY_CURVE.forEach((n, h) => {
      for (let i = 0; i < n; i++) r.add('A', MONDAY + d * DAY + h * HOUR + ((i + 0.5) / n) * HOUR);
    });
  return r;
}

describe('Rhythm', () => {
  it('counts hours of the week from Monday 00:00 China time', () => {
    expect(hourOfWeek(MONDAY)).toBe(0);
    expect(hourOfWeek(MONDAY + 25 * HOUR + 59 * 60_000)).toBe(25);
    expect(hourOfWeek(MONDAY - 1)).toBe(167);
    expect(hourOfWeek(MONDAY + 7 * DAY)).toBe(0);
  });

  it('learns nothing from less than a week', () => {
    const r = learned(1);
    expect(r.at('A', MONDAY + 6 * DAY + 3 * HOUR)).toBeUndefined();
    expect(r.ceilingMs('A', MONDAY + 6 * DAY + 3 * HOUR)).toBeUndefined();
    expect(r.at('B', MONDAY + 30 * DAY)).toBeUndefined();
  });

  it('polls the quietest hours, which together bring at most 2 % of the messages, at saver’s ceiling', () => {
    const r = learned(4);
    const now = MONDAY + 28 * DAY;
    const hours = Array.from({ length: 24 }, (_, h) => r.at('A', now + h * HOUR)!);
    const dead = hours.flatMap((x, h) => (x.dead ? [h] : []));
    expect(dead).toEqual(expect.arrayContaining([2, 3, 4, 5]));
    expect(dead.every((h) => DAY_CURVE[h]! <= 2)).toBe(true);
    const total = DAY_CURVE.reduce((a, b) => a + b, 0);
    expect(dead.reduce((n, h) => n + DAY_CURVE[h]!, 0) / total).toBeLessThanOrEqual(DEAD_SHARE);
    expect(r.ceilingMs('A', now + 3 * HOUR)).toBe(60_000);
    expect(r.ceilingMs('A', now + 21 * HOUR)).toBeUndefined();
    // The rate is the Poisson estimate: close to the curve at busy hours.
    expect(hours[21]!.ratePerHour).toBeGreaterThan(20);
    expect(hours[21]!.ratePerHour).toBeLessThan(28);
  });

  it('orders at a dead hour move the estimate: a shop that starts selling at night is slow there for a week at most', () => {
    const r = learned(4);
    const now = MONDAY + 28 * DAY;
    expect(r.ceilingMs('A', now + 3 * HOUR)).toBe(60_000);
    for (let d = 0; d < 7; d++) for (let i = 0; i < 20; i++) r.add('A', now + d * DAY + 3 * HOUR + i * 60_000);
    for (let d = 7; d < 14; d++) expect(r.ceilingMs('A', now + d * DAY + 3 * HOUR)).toBeUndefined();
  });
});
