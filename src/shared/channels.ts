/**
 * The IPC contract's names, without its validators: for each `TradebellApi` method its channel and
 * whether it answers a plain value or a Result, for each `on*` subscription an event channel. The
 * preload needs only these and runs before every page load, so it stays free of the validators and
 * their library, which main alone runs (ipc.ts); see B4 in docs/benchmarks.md.
 */
import type { TradebellApi } from './api';
import { FIRST_PAGE } from './limits';
import type { Result } from './result';

/** Methods answered by a handler in main; the rest are `on*` event subscriptions. */
export type InvokeMethod = { [K in keyof TradebellApi]: K extends `on${string}` ? never : K }[keyof TradebellApi];
export type EventMethod = Exclude<keyof TradebellApi, InvokeMethod>;
/** `onOrdersChanged` → `ordersChanged`. */
export type EventName = EventMethod extends `on${infer N}` ? Uncapitalize<N> : never;

export type InvokeArgs<M extends InvokeMethod> = Parameters<TradebellApi[M]>;
export type InvokeAnswer<M extends InvokeMethod> = Awaited<ReturnType<TradebellApi[M]>>;
export type EventPayload<E extends EventName> = Parameters<Parameters<TradebellApi[`on${Capitalize<E>}`]>[0]>[0];

/**
 * What travels back over the wire: always a Result, so a refused call (bad sender, bad payload)
 * is a typed error even for methods whose API answer is a plain value. The preload unwraps those
 * (`plain`), and passes the Result of the others (`result`) through unchanged.
 */
export type AnswerShape<A> = A extends Result<unknown> ? 'result' : 'plain';
export type WireAnswer<M extends InvokeMethod> =
  InvokeAnswer<M> extends Result<unknown> ? InvokeAnswer<M> : Result<InvokeAnswer<M>>;

/** Exhaustive: a method of TradebellApi missing here, or with the wrong shape, does not compile. */
export const ANSWERS: { readonly [M in InvokeMethod]: AnswerShape<InvokeAnswer<M>> } = {
  getState: 'plain',
  listOrders: 'result',
  changedOrders: 'result',
  orderHistory: 'result',
  markSeen: 'result',
  remark: 'result',
  getSettings: 'plain',
  updateSettings: 'result',
  setSecret: 'result',
  pause: 'result',
  resume: 'result',
  mute: 'result',
  getSubscriptions: 'result',
  changeSubscriptions: 'result',
  openExternal: 'result',
  copyText: 'result',
};

export const channelOf = <M extends InvokeMethod>(method: M): `tradebell:${M}` => `tradebell:${method}`;

export const EVENTS = {
  state: 'tradebell:event:state',
  ordersChanged: 'tradebell:event:ordersChanged',
  navigate: 'tradebell:event:navigate',
} as const satisfies Record<EventName, `tradebell:event:${string}`>;

export const INVOKE_METHODS = Object.keys(ANSWERS) as InvokeMethod[];
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

/** `onState` for `state`: the preload's subscription name of an event. */
export function subscriptionName<E extends EventName>(event: E): `on${Capitalize<E>}` {
  return `on${event[0]!.toUpperCase()}${event.slice(1)}` as `on${Capitalize<E>}`;
}

/**
 * The window's first reads (src/renderer/startup.ts). The preload starts them as the page begins to
 * load, while the window's own scripts are still on their way, and hands each answer to the first
 * call that asks the same.
 */
export const STARTUP_READS = {
  getSettings: [],
  getState: [],
  listOrders: [{ limit: FIRST_PAGE }],
} as const satisfies { [M in InvokeMethod]?: InvokeArgs<M> };
