import { describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn(), send: vi.fn(), sendSync: vi.fn() },
}));

vi.mock('electron', () => ({ ...electron, default: electron }));

describe('the preload entry', () => {
  it('exposes window.tradebell through contextBridge, never ipcRenderer', async () => {
    await import('../../src/preload/index');
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [key, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0]!;
    expect(key).toBe('tradebell');
    expect(Object.values(api as object)).not.toContain(electron.ipcRenderer);
    expect(Object.keys(api as object)).not.toContain('ipcRenderer');
    expect(Object.keys(api as object)).not.toContain('send');
  });
});
