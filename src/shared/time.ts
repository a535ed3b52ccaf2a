/**
 * China time (UTC+8, no daylight saving) for every process: the wire's `pub_time`, TOP's
 * `timestamp` and the dates the window shows are China time whatever the machine's zone says.
 */
export const CHINA_OFFSET_MS = 8 * 3600_000;

const pad = (n: number) => String(n).padStart(2, '0');

/** `yyyy-MM-dd HH:mm:ss` in China time. */
export function formatChinaTime(epochMs: number): string {
  const d = new Date(epochMs + CHINA_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Reads `yyyy-MM-dd HH:mm:ss` as China time. Returns NaN when it is not that shape. */
export function parseChinaTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - CHINA_OFFSET_MS;
}

/** The China calendar day of an instant, `yyyy-MM-dd`. */
export function chinaDay(epochMs: number): string {
  return formatChinaTime(epochMs).slice(0, 10);
}

/**
 * `yyyy-MM-dd HH:mm` in China time; with `today`, an instant on the same China day as `today.now`
 * reads `<today.word> HH:mm` (e.g. `今天 14:03`).
 */
export function formatChinaDateTime(epochMs: number, today?: { now: number; word: string }): string {
  const full = formatChinaTime(epochMs).slice(0, 16);
  if (today && chinaDay(today.now) === full.slice(0, 10)) return `${today.word} ${full.slice(11)}`;
  return full;
}
