/**
 * How the window starts: it asks for what its first paint shows, all at once, before React mounts
 * (the preload has most likely asked already, and holds main's events until the window listens).
 * The inbox then renders once, with its rows, as soon as they are here (see B4 in
 * docs/benchmarks.md), instead of mounting, then asking, then rendering.
 */
import type { AppState, OrderPage, TradebellApi } from '../shared/api';
import { STARTUP_READS } from '../shared/channels';
import type { PublicSettings } from '../shared/settings';
import type { Result } from '../shared/result';

/** What the first paint shows. */
export interface Startup {
  settings: PublicSettings;
  /** The inbox's first page for the empty query, or why there is none. */
  orders: Result<OrderPage>;
  /** Not waited for: the status bar shows it when it comes. */
  state: Promise<AppState>;
}

/**
 * Asks for the settings, the state and the inbox's first page at once (STARTUP_READS), and answers
 * when the settings and the rows are here; undefined when a read failed outright (the window then
 * asks again as it mounts, as it would without this).
 */
export async function readStartup(api: TradebellApi): Promise<Startup | undefined> {
  const state = api.getState(...STARTUP_READS.getState);
  // Unused when the answer is undefined (the window then reads the state again): its failure is
  // not one to report.
  state.catch(() => undefined);
  const [settings, orders] = await Promise.allSettled([
    api.getSettings(...STARTUP_READS.getSettings),
    api.listOrders(...STARTUP_READS.listOrders),
  ]);
  if (settings.status === 'rejected' || orders.status === 'rejected') return undefined;
  return { settings: settings.value, orders: orders.value, state };
}
