/**
 * How the window starts: it listens to main's events at once and asks for what its first paint
 * shows, all at once, before React mounts. The inbox then renders once, with its rows, as soon as
 * they are here (see B4 in docs/benchmarks.md), instead of mounting, then asking, then rendering.
 */
import type { AppState, Navigation, OrderPage, TradebellApi, Unsubscribe } from '../shared/api';
import type { Tid } from '../shared/domain';
import { STARTUP_READS } from '../shared/channels';
import type { PublicSettings } from '../shared/settings';
import type { Result } from '../shared/result';

/** Events held for a listener that is not there yet; as main's own queue for a page that has not loaded. */
export const MAX_HELD = 100;

function held<E>(subscribe: (listener: (event: E) => void) => Unsubscribe) {
  let queue: E[] | null = [];
  const listeners = new Set<(event: E) => void>();
  subscribe((event) => {
    if (queue === null) for (const l of listeners) l(event);
    else if (queue.length < MAX_HELD) queue.push(event);
  });
  return (listener: (event: E) => void): Unsubscribe => {
    listeners.add(listener);
    const waiting = queue ?? [];
    queue = null;
    for (const event of waiting) listener(event);
    return () => void listeners.delete(listener);
  };
}

/**
 * The API with main's events held from now until the first listener of each takes them. Main sends
 * the events it queued for the window as soon as the page has loaded, before the components that
 * listen have mounted: a notification's "open this order" would otherwise be lost.
 */
export function holdEvents(api: TradebellApi): TradebellApi {
  const own: Partial<TradebellApi> = {
    onState: held<AppState>((l) => api.onState(l)),
    onOrdersChanged: held<Tid[]>((l) => api.onOrdersChanged(l)),
    onNavigate: held<Navigation>((l) => api.onNavigate(l)),
  };
  // Every other method is the API's own, called on it (the preload's object is frozen, so these
  // three cannot be set on it or on an object that inherits from it).
  return new Proxy({} as TradebellApi, {
    get(_target, key: keyof TradebellApi) {
      const value: unknown = own[key] ?? api[key];
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(api) : value;
    },
  });
}

/** What the first paint shows. */
export interface Startup {
  settings: PublicSettings;
  /** The inbox's first page for the empty query, or why there is none. */
  orders: Result<OrderPage>;
  /** Not waited for: the status bar shows it when it comes. */
  state: Promise<AppState>;
}

/**
 * Asks for the settings, the state and the inbox's first page at once (the preload has most
 * likely asked already: STARTUP_READS), and answers when the
 * settings and the rows are here; undefined when a read failed outright (the window then asks
 * again as it mounts, as it would without this).
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
