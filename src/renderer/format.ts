/** Money and counts for display. Amounts stay strings: "48.00" is never turned into a float. */

export function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1234.5" → "¥1,234.50". Anything that is not a plain decimal is shown as the wire wrote it. */
export function formatYuan(amount: string): string {
  const m = /^\s*(-?)(\d+)(?:\.(\d*))?\s*$/.exec(amount);
  if (!m) return amount;
  const [, sign = '', int = '0', frac = ''] = m;
  return `${sign}¥${groupThousands(int.replace(/^0+(?=\d)/, ''))}.${(frac + '00').slice(0, 2)}`;
}

export function formatCount(n: number): string {
  return groupThousands(String(Math.round(n)));
}

/** 1 点券 = ¥0.01. */
export function pointsToYuan(points: number): string {
  return formatYuan((Math.round(points) / 100).toFixed(2));
}
