/**
 * The e2e harness's stand-in for the preload: the very same exposeApi() over an ipcRenderer shim
 * whose invoke goes to the test process (Playwright binding) and whose events come back from it.
 * The page still runs under the production CSP (connect-src 'none'): nothing here uses the network.
 */
import { exposeApi, type PreloadIpc } from '../../src/preload/api';
import { decodeAnswer } from './transport';

type Listener = (event: unknown, ...args: unknown[]) => void;

declare global {
  interface Window {
    __tbInvoke(channel: string, args: unknown[]): Promise<unknown>;
    __tbEmit(channel: string, payload: unknown): void;
  }
}

const listeners = new Map<string, Set<Listener>>();

const ipc: PreloadIpc = {
  invoke: async (channel, ...args) => decodeAnswer(await window.__tbInvoke(channel, args)),
  on(channel, listener) {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener);
  },
  removeListener(channel, listener) {
    listeners.get(channel)?.delete(listener);
  },
};

window.__tbEmit = (channel, payload) => {
  for (const l of listeners.get(channel) ?? []) l({}, payload);
};

// As the preload does (src/preload/index.ts), early reads included; contextBridge's copy is frozen.
exposeApi({ exposeInMainWorld: (key, api) => Object.defineProperty(window, key, { value: Object.freeze(api) }) }, ipc);
