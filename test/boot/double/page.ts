/**
 * The script that runs the built preload bundle in the page before any of the page's own
 * scripts, as Electron runs a sandboxed preload: `require` knows only 'electron', which offers
 * `contextBridge` and `ipcRenderer`. `invoke` goes to the app's ipcMain handlers through a
 * Playwright binding; `webContents.send` comes back through `__electronDoubleEmit`.
 * Not emulated: the isolated world. The preload runs in the page's main world here, so this
 * checks what the preload exposes, not that the page cannot reach past it.
 */
export function preloadHost(preloadSource: string): string {
  return `(() => {
  const invoke = globalThis.__electronDoubleInvoke;
  const listeners = new Map();
  const clone = (value) => (value === undefined ? undefined : structuredClone(value));
  const ipcRenderer = {
    invoke: (channel, ...args) => invoke(String(channel), clone(args)),
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(listener);
      return ipcRenderer;
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  Object.defineProperty(globalThis, '__electronDoubleEmit', {
    value: (channel, args) => {
      for (const listener of [...(listeners.get(channel) ?? [])]) listener({ sender: ipcRenderer }, ...clone(args));
    },
  });
  // contextBridge copies what crosses; functions stay callable, nothing else is shared.
  const bridge = (value) => {
    if (typeof value === 'function') return (...args) => value(...args);
    if (value === null || typeof value !== 'object') return value;
    const out = Array.isArray(value) ? [] : {};
    for (const [k, v] of Object.entries(value)) out[k] = bridge(v);
    return Object.freeze(out);
  };
  const contextBridge = {
    exposeInMainWorld(key, api) {
      if (key in globalThis) throw new Error('Cannot bind an API on top of an existing property on the window object');
      Object.defineProperty(globalThis, key, { value: bridge(api), enumerable: true });
    },
  };
  const require = (name) => {
    if (name === 'electron') return { contextBridge, ipcRenderer };
    throw new Error('module not found: ' + name + ' (a sandboxed preload can require only electron)');
  };
  const module = { exports: {} };
  (function (require, module, exports) {
${preloadSource}
  })(require, module, module.exports);
})();`;
}
