import { describe, expect, it } from 'vitest';
import { chinaDay, formatChinaDateTime, formatChinaTime, parseChinaTime } from '../../src/shared/time';

describe('China time, whatever the machine zone', () => {
  // 2022-06-13 18:08:09 in China is 10:08:09 UTC.
  const at = Date.UTC(2022, 5, 13, 10, 8, 9);

  it('formats an instant as UTC+8', () => {
    expect(formatChinaTime(at)).toBe('2022-06-13 18:08:09');
    expect(formatChinaDateTime(at)).toBe('2022-06-13 18:08');
  });

  it('reads pub_time back to the same instant', () => {
    expect(parseChinaTime('2022-06-13 18:08:09')).toBe(at);
    expect(parseChinaTime('13/06/2022')).toBeNaN();
  });

  it('rolls over to the next China day at 16:00 UTC', () => {
    expect(chinaDay(Date.UTC(2022, 5, 13, 15, 59, 59))).toBe('2022-06-13');
    expect(chinaDay(Date.UTC(2022, 5, 13, 16, 0, 0))).toBe('2022-06-14');
  });

  it('says "today" only for the same China day', () => {
    const now = Date.UTC(2022, 5, 13, 15, 0, 0); // 23:00 in China
    expect(formatChinaDateTime(at, { now, word: '今天' })).toBe('今天 18:08');
    const afterMidnight = Date.UTC(2022, 5, 13, 16, 30, 0); // 00:30 next China day
    expect(formatChinaDateTime(at, { now: afterMidnight, word: '今天' })).toBe('2022-06-13 18:08');
  });
});
