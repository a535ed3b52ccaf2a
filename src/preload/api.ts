/**
 * `window.tradebell`: one named function per API method and one `on*` subscription per event,
 * built over an injected ipcRenderer so a test can run it with fakes. The renderer never sees
 * ipcRenderer or an IPC event object.
 */
import type { TradebellApi } from '../shared/api';
import {
  ANSWERS,
  channelOf,
  EVENTS,
  EVENT_NAMES,
  INVOKE_METHODS,
  STARTUP_READS,
  subscriptionName,
  type EventName,
  type EventPayload,
  type InvokeMethod,
} from '../shared/channels';
import type { Result } from '../shared/result';

/** The part of Electron's ipcRenderer the preload uses. */
export interface PreloadIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface PreloadBridge {
  exposeInMainWorld(apiKey: string, api: unknown): void;
}

export const API_KEY = 'tradebell';

function isResult(v: unknown): v is Result<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean';
}

/**
 * A refused or failed call of a method whose API answer is a plain value rejects its promise. The
 * contextBridge copies only an Error's message across (custom properties are lost), so the message
 * carries the error's kind and code: no words, those are the window's to choose.
 */
function unwrap(answer: unknown): unknown {
  if (!isResult(answer)) throw new Error('TradeBell: malformed answer from the main process');
  if (answer.ok) return answer.value;
  throw new Error(`TradeBell: ${answer.error.kind} ${answer.error.code}`);
}

/** Answers asked for before the page asked: `take` hands one to the first call of its method. */
export interface EarlyReads {
  /** The answer already on its way, if the call asks the same and it came back a success. */
  take(method: InvokeMethod, args: unknown[]): Promise<unknown> | undefined;
}

export const NO_EARLY_READS: EarlyReads = { take: () => undefined };

/**
 * Starts the window's first reads (STARTUP_READS) in the task after the preload's own, once main
 * knows the frame they come from: their answers travel while the page's scripts load. A failed
 * one, or one whose method was called first, is left to the call to ask again.
 */
export function startEarlyReads(
  ipc: PreloadIpc,
  defer: (run: () => void) => void = (run) => void setTimeout(run, 0),
): EarlyReads {
  const reads = new Map<InvokeMethod, { args: string; answer: Promise<unknown> }>();
  const called = new Set<InvokeMethod>();
  defer(() => {
    for (const [method, args] of Object.entries(STARTUP_READS) as [InvokeMethod, readonly unknown[]][]) {
      if (called.has(method)) continue;
      const answer = new Promise<unknown>((resolve) => resolve(ipc.invoke(channelOf(method), ...args)));
      answer.catch(() => undefined);
      reads.set(method, { args: JSON.stringify(args), answer });
    }
  });
  return {
    take(method, args) {
      called.add(method);
      const read = reads.get(method);
      reads.delete(method);
      if (!read || read.args !== JSON.stringify(args)) return undefined;
      return read.answer.then(
        (answer) => (isResult(answer) && answer.ok ? answer : undefined),
        () => undefined,
      );
    },
  };
}

export function buildApi(ipc: PreloadIpc, early: EarlyReads = NO_EARLY_READS): TradebellApi {
  const api: Record<string, (...args: never[]) => unknown> = {};
  for (const method of INVOKE_METHODS) {
    const channel = channelOf(method);
    api[method] = async (...args: unknown[]) => {
      const answer = (await early.take(method, args)) ?? (await ipc.invoke(channel, ...args));
      return ANSWERS[method] === 'plain' ? unwrap(answer) : answer;
    };
  }
  for (const event of EVENT_NAMES)
    api[subscriptionName(event)] = (listener: (payload: unknown) => void) => subscribe(ipc, event, listener);
  return api as unknown as TradebellApi;
}

function subscribe<E extends EventName>(
  ipc: PreloadIpc,
  event: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  if (typeof listener !== 'function') throw new TypeError(`${subscriptionName(event)} needs a function`);
  // Only the payload crosses: the IPC event (with its sender) stays in the preload.
  const forward = (_event: unknown, payload: unknown) => listener(payload as EventPayload<E>);
  ipc.on(EVENTS[event], forward);
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    ipc.removeListener(EVENTS[event], forward);
  };
}

/** Events held for a page that does not listen yet; as many as main queues for a page that has not loaded. */
export const MAX_HELD = 100;

type IpcListener = (event: unknown, ...args: unknown[]) => void;

/**
 * The IPC with main's events held from now until the page's first listener of each takes them.
 * The page listens only once it has mounted, after its first reads were answered (and main sends
 * what it queued as soon as the page has loaded): a change made in between, or a notification's
 * "open this order", would otherwise be lost.
 */
export function holdEvents(ipc: PreloadIpc): PreloadIpc {
  const channels = new Map<string, { held: unknown[][] | null; listeners: Set<IpcListener> }>();
  for (const event of EVENT_NAMES) {
    const channel = { held: [] as unknown[][] | null, listeners: new Set<IpcListener>() };
    channels.set(EVENTS[event], channel);
    ipc.on(EVENTS[event], (...message: unknown[]) => {
      if (channel.held === null) for (const l of channel.listeners) l(...(message as [unknown, ...unknown[]]));
      else if (channel.held.length < MAX_HELD) channel.held.push(message);
    });
  }
  return {
    invoke: (channel, ...args) => ipc.invoke(channel, ...args),
    on(name, listener) {
      const channel = channels.get(name);
      if (!channel) return ipc.on(name, listener);
      channel.listeners.add(listener);
      const held = channel.held ?? [];
      channel.held = null;
      for (const message of held) listener(...(message as [unknown, ...unknown[]]));
    },
    removeListener(name, listener) {
      const channel = channels.get(name);
      if (!channel) return ipc.removeListener(name, listener);
      channel.listeners.delete(listener);
    },
  };
}

export function exposeApi(bridge: PreloadBridge, ipc: PreloadIpc): void {
  // Held before the first reads start, so that no change after their answers is missed.
  const held = holdEvents(ipc);
  bridge.exposeInMainWorld(API_KEY, buildApi(held, startEarlyReads(held)));
}
