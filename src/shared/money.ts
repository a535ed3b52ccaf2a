/**
 * Yuan amounts as the gateway writes them ("48.00") are compared and summed in integer fen:
 * 0.1 + 0.2 must not decide whether a ¥100.00 threshold is met.
 */

/** "12.30" → 1230, "12.3" → 1230, "12" → 1200; undefined when it is not a plain decimal or has more than 2 decimals. */
export function yuanToFen(text: string): number | undefined {
  const m = /^\s*(-?)(\d{1,13})(?:\.(\d{0,2}))?\s*$/.exec(text);
  if (!m) return undefined;
  const [, sign, int = '0', frac = ''] = m;
  const fen = Number(int) * 100 + Number((frac + '00').slice(0, 2));
  return sign === '-' ? -fen : fen;
}

/** 1234500 → "12,345.00". */
export function formatFen(fen: number): string {
  const abs = Math.abs(Math.round(fen));
  const int = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = String(abs % 100).padStart(2, '0');
  return `${fen < 0 ? '-' : ''}${int}.${frac}`;
}
