import { describe, expect, it } from 'vitest';
import { formatCount, formatYuan, pointsToYuan } from '../../src/renderer/format';

describe('formatYuan', () => {
  it.each([
    ['48.00', '¥48.00'],
    ['48', '¥48.00'],
    ['0.5', '¥0.50'],
    ['12345.6', '¥12,345.60'],
    ['1234567.89', '¥1,234,567.89'],
    ['007.10', '¥7.10'],
    ['-3.00', '-¥3.00'],
  ])('%s → %s', (amount, text) => {
    expect(formatYuan(amount)).toBe(text);
  });

  it('shows anything that is not a plain decimal as the wire wrote it', () => {
    expect(formatYuan('约48元')).toBe('约48元');
  });
});

describe('counts and 点券', () => {
  it('groups thousands', () => {
    expect(formatCount(8640)).toBe('8,640');
    expect(formatCount(999)).toBe('999');
  });

  it('prices 点券 at ¥0.01 each', () => {
    expect(pointsToYuan(8640)).toBe('¥86.40');
    expect(pointsToYuan(1)).toBe('¥0.01');
    expect(pointsToYuan(123456)).toBe('¥1,234.56');
  });
});
