import type { SubscriptionChange } from '../shared/api';

/** What to open and what to stop to go from `current` to `wanted`, per group; unchanged groups are left out. */
export function subscriptionDiff(
  current: Record<string, string[]>,
  wanted: Record<string, readonly string[]>,
): SubscriptionChange {
  const open: Record<string, string[]> = {};
  const stop: Record<string, string[]> = {};
  for (const group of new Set([...Object.keys(current), ...Object.keys(wanted)])) {
    const have = new Set(current[group] ?? []);
    const want = new Set(wanted[group] ?? []);
    const toOpen = [...want].filter((x) => !have.has(x));
    const toStop = [...have].filter((x) => !want.has(x));
    if (toOpen.length > 0) open[group] = toOpen;
    if (toStop.length > 0) stop[group] = toStop;
  }
  return { open, stop };
}

export const countTopics = (r: Record<string, string[]>): number =>
  Object.values(r).reduce((n, list) => n + list.length, 0);
