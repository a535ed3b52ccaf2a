import { describe, expect, it, vi } from 'vitest';
import {
  API_KEY,
  buildApi,
  exposeApi,
  holdEvents,
  MAX_HELD,
  startEarlyReads,
  type PreloadIpc,
} from '../../src/preload/api';
import type { TradebellApi } from '../../src/shared/api';
import { STARTUP_READS } from '../../src/shared/channels';
import { EVENTS, INVOKE, INVOKE_METHODS, EVENT_NAMES, subscriptionName } from '../../src/shared/ipc';
import { appError } from '../../src/shared/errors';
import { err, ok } from '../../src/shared/result';

type IpcListener = (event: unknown, ...args: unknown[]) => void;

function fakeIpc(answer: (channel: string, args: unknown[]) => unknown = () => ok(undefined)) {
  const listeners = new Map<string, IpcListener[]>();
  const ipc = {
    invoke: vi.fn(async (channel: string, ...args: unknown[]) => answer(channel, args)),
    on: vi.fn((channel: string, l: IpcListener) => void listeners.set(channel, [...(listeners.get(channel) ?? []), l])),
    removeListener: vi.fn(
      (channel: string, l: IpcListener) =>
        void listeners.set(
          channel,
          (listeners.get(channel) ?? []).filter((x) => x !== l),
        ),
    ),
  } satisfies PreloadIpc;
  const fire = (channel: string, event: unknown, payload: unknown) => {
    for (const l of listeners.get(channel) ?? []) l(event, payload);
  };
  return { ipc, fire, listeners };
}

describe('exposeApi', () => {
  it('exposes exactly one object, window.tradebell, with the API names and nothing else', () => {
    const exposeInMainWorld = vi.fn();
    const { ipc } = fakeIpc();
    exposeApi({ exposeInMainWorld }, ipc);
    expect(exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [key, api] = exposeInMainWorld.mock.calls[0]!;
    expect(key).toBe(API_KEY);
    expect(Object.keys(api as object).sort()).toEqual([...INVOKE_METHODS, ...EVENT_NAMES.map(subscriptionName)].sort());
    for (const value of Object.values(api as object)) expect(typeof value).toBe('function');
    expect(Object.values(api as object)).not.toContain(ipc);
    expect(Object.values(api as object)).not.toContain(ipc.invoke);
  });
});

describe('buildApi', () => {
  it('sends each method to its own channel with the caller’s arguments', async () => {
    const { ipc } = fakeIpc(() => ok('x'));
    const api = buildApi(ipc);
    await api.remark({ shop: 's', tid: '1', memo: 'm', flag: 1 });
    await api.pause();
    await api.setSecret('token', null);
    expect(ipc.invoke.mock.calls).toEqual([
      [INVOKE.remark.channel, { shop: 's', tid: '1', memo: 'm', flag: 1 }],
      [INVOKE.pause.channel],
      [INVOKE.setSecret.channel, 'token', null],
    ]);
  });

  it('passes Result answers through and unwraps the plain ones', async () => {
    const state = { demo: true };
    const { ipc } = fakeIpc((channel) =>
      channel === INVOKE.getState.channel ? ok(state) : err(appError('ipc', 'ipc_untrusted_sender', {})),
    );
    const api = buildApi(ipc);
    await expect(api.getState()).resolves.toBe(state);
    await expect(api.mute(60)).resolves.toEqual(err(appError('ipc', 'ipc_untrusted_sender', {})));
  });

  it('rejects a plain method when main refuses it', async () => {
    const { ipc } = fakeIpc(() => err(appError('ipc', 'ipc_untrusted_sender', {})));
    await expect(buildApi(ipc).getSettings()).rejects.toThrow('TradeBell: ipc ipc_untrusted_sender');
    const { ipc: broken } = fakeIpc(() => 'garbage');
    await expect(buildApi(broken).getState()).rejects.toThrow(/malformed/);
  });

  it('subscriptions hand the listener only the payload and unsubscribe once', () => {
    const { ipc, fire, listeners } = fakeIpc();
    const api = buildApi(ipc);
    const seen: unknown[][] = [];
    const off = api.onNavigate((...args: unknown[]) => void seen.push(args));
    const sender = { secret: 'the IPC event' };
    fire(EVENTS.navigate, sender, { view: 'settings' });
    expect(seen).toEqual([[{ view: 'settings' }]]);
    off();
    off();
    expect(ipc.removeListener).toHaveBeenCalledTimes(1);
    expect(listeners.get(EVENTS.navigate)).toEqual([]);
    fire(EVENTS.navigate, sender, { view: 'inbox' });
    expect(seen).toHaveLength(1);
  });

  it('keeps each event on its own channel', () => {
    const { ipc, fire } = fakeIpc();
    const api = buildApi(ipc);
    const states: unknown[] = [];
    const orders: unknown[] = [];
    api.onState((s) => void states.push(s));
    api.onOrdersChanged((t) => void orders.push(t));
    fire(EVENTS.ordersChanged, {}, ['1']);
    expect(states).toEqual([]);
    expect(orders).toEqual([['1']]);
  });

  it('refuses a subscription without a function', () => {
    const { ipc } = fakeIpc();
    expect(() => buildApi(ipc).onState('x' as never)).toThrow(TypeError);
    expect(ipc.on).not.toHaveBeenCalled();
  });
});

describe('early reads', () => {
  /** Early reads whose start the test runs by hand. */
  function early(answer: (channel: string, args: unknown[]) => unknown) {
    const { ipc } = fakeIpc(answer);
    let start = () => {};
    const reads = startEarlyReads(ipc, (run) => void (start = run));
    return { ipc, api: buildApi(ipc, reads), start: () => start() };
  }

  it("asks for the window's first reads once started, and hands each to the first call that asks the same", async () => {
    const { ipc, api, start } = early((channel) =>
      channel === INVOKE.getSettings.channel ? ok({ s: 1 }) : ok(channel),
    );
    expect(ipc.invoke).not.toHaveBeenCalled();
    start();
    expect(ipc.invoke.mock.calls).toEqual([
      [INVOKE.getSettings.channel],
      [INVOKE.getState.channel],
      [INVOKE.listOrders.channel, ...STARTUP_READS.listOrders],
    ]);
    expect(await api.getSettings()).toEqual({ s: 1 });
    expect(await api.listOrders({ limit: STARTUP_READS.listOrders[0].limit })).toEqual(ok(INVOKE.listOrders.channel));
    expect(ipc.invoke).toHaveBeenCalledTimes(3);
    // The next call asks again: an early answer serves once.
    await api.getSettings();
    expect(ipc.invoke).toHaveBeenCalledTimes(4);
  });

  it('asks again for a call with other arguments, a failed early answer, or a method called before the start', async () => {
    let refuse = true;
    const { ipc, api, start } = early((channel) =>
      channel === INVOKE.getSettings.channel && refuse
        ? err(appError('ipc', 'ipc_untrusted_sender', {}))
        : channel === INVOKE.getState.channel
          ? ok('state')
          : ok(channel),
    );
    await api.getState();
    start();
    expect(ipc.invoke.mock.calls.map((c) => c[0])).toEqual([
      INVOKE.getState.channel,
      INVOKE.getSettings.channel,
      INVOKE.listOrders.channel,
    ]);
    refuse = false;
    await expect(api.getSettings()).resolves.toBe(INVOKE.getSettings.channel);
    await api.listOrders({ limit: 5 });
    expect(ipc.invoke.mock.calls.slice(3)).toEqual([
      [INVOKE.getSettings.channel],
      [INVOKE.listOrders.channel, { limit: 5 }],
    ]);
  });

  it('does not ask for anything before the preload has run', () => {
    vi.useFakeTimers();
    try {
      const { ipc } = fakeIpc();
      exposeApi({ exposeInMainWorld: () => {} }, ipc);
      expect(ipc.invoke).not.toHaveBeenCalled();
      vi.runAllTimers();
      expect(ipc.invoke).toHaveBeenCalledTimes(Object.keys(STARTUP_READS).length);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('holdEvents', () => {
  it('keeps what main sends before the page listens, hands it to the first listener in order, then passes events on', () => {
    const { ipc, fire } = fakeIpc();
    const api = buildApi(holdEvents(ipc));
    fire(EVENTS.ordersChanged, {}, ['1']);
    fire(EVENTS.navigate, {}, { view: 'settings' });
    fire(EVENTS.ordersChanged, {}, ['2']);

    const first = vi.fn();
    const off = api.onOrdersChanged(first);
    expect(first.mock.calls).toEqual([[['1']], [['2']]]);
    const second = vi.fn();
    api.onOrdersChanged(second);
    expect(second).not.toHaveBeenCalled();
    fire(EVENTS.ordersChanged, {}, ['3']);
    expect(first).toHaveBeenLastCalledWith(['3']);
    expect(second).toHaveBeenLastCalledWith(['3']);
    off();
    fire(EVENTS.ordersChanged, {}, ['4']);
    expect(first).toHaveBeenCalledTimes(3);
    expect(second).toHaveBeenCalledTimes(2);

    // Each event is held on its own.
    const navigate = vi.fn();
    api.onNavigate(navigate);
    expect(navigate.mock.calls).toEqual([[{ view: 'settings' }]]);
  });

  it('holds at most MAX_HELD of an event, and leaves calls and other channels to the IPC', async () => {
    const { ipc, fire } = fakeIpc(() => ok('x'));
    const held = holdEvents(ipc);
    for (let i = 0; i < MAX_HELD + 5; i++) fire(EVENTS.state, {}, { unread: i });
    const seen: unknown[] = [];
    buildApi(held).onState((s) => void seen.push(s));
    expect(seen).toHaveLength(MAX_HELD);
    expect(seen[0]).toEqual({ unread: 0 });
    await expect(held.invoke('tradebell:getState')).resolves.toEqual(ok('x'));
    const other = vi.fn();
    held.on('other', other);
    fire('other', {}, 1);
    expect(other).toHaveBeenCalledTimes(1);
  });

  it('is what the preload exposes: events before the page subscribes reach its first subscriber', () => {
    const { ipc, fire } = fakeIpc();
    let exposed: TradebellApi | undefined;
    exposeApi({ exposeInMainWorld: (_key, api) => void (exposed = api as TradebellApi) }, ipc);
    fire(EVENTS.navigate, {}, { view: 'subscriptions' });
    const navigate = vi.fn();
    exposed!.onNavigate(navigate);
    expect(navigate).toHaveBeenCalledWith({ view: 'subscriptions' });
  });
});
