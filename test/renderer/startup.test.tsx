// @vitest-environment happy-dom
import { act, render, screen, waitFor, within } from '@testing-library/react';
import { StrictMode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { AppState, Navigation } from '../../src/shared/api';
import { ApiProvider } from '../../src/renderer/api';
import { App } from '../../src/renderer/App';
import { holdEvents, MAX_HELD, readStartup } from '../../src/renderer/startup';
import { FakeApi, makeOrder } from './fakeApi';

const ORDER = makeOrder({ tid: '1588826713157361977', buyerNick: '雨洁' });
const OTHER = makeOrder({ tid: '1588826713157361978', buyerNick: '小明' });

describe('holdEvents', () => {
  it('holds what main sends before anyone listens, hands it to the first listener in order, then passes events on', () => {
    const fake = new FakeApi();
    const api = holdEvents(fake);
    const nav: Navigation = { view: 'settings' };
    fake.emitOrdersChanged(['1']);
    fake.emitNavigate(nav);
    fake.emitOrdersChanged(['2']);

    const first = vi.fn();
    const off = api.onOrdersChanged(first);
    expect(first.mock.calls).toEqual([[['1']], [['2']]]);
    const second = vi.fn();
    api.onOrdersChanged(second);
    expect(second).not.toHaveBeenCalled();
    fake.emitOrdersChanged(['3']);
    expect(first).toHaveBeenLastCalledWith(['3']);
    expect(second).toHaveBeenLastCalledWith(['3']);
    off();
    fake.emitOrdersChanged(['4']);
    expect(first).toHaveBeenCalledTimes(3);
    expect(second).toHaveBeenCalledTimes(2);

    // Each event stream is held on its own.
    const navigate = vi.fn();
    api.onNavigate(navigate);
    expect(navigate.mock.calls).toEqual([[nav]]);
  });

  it('holds at most MAX_HELD events of a kind', () => {
    const fake = new FakeApi();
    const api = holdEvents(fake);
    for (let i = 0; i < MAX_HELD + 5; i++) fake.emitState({ unread: i });
    const seen: AppState[] = [];
    api.onState((s) => seen.push(s));
    expect(seen).toHaveLength(MAX_HELD);
    expect(seen[0]!.unread).toBe(0);
  });

  it('leaves every other method to the API, called on it', async () => {
    const fake = new FakeApi({ orders: [ORDER] });
    const api = holdEvents(fake);
    const page = await api.listOrders({ limit: 5 });
    expect(page.ok && page.value.orders.map((o) => o.tid)).toEqual([ORDER.tid]);
    expect(fake.calls.listOrders).toEqual([{ limit: 5 }]);
    await api.mute(30);
    expect(fake.state.mutedUntil).toBeGreaterThan(Date.now());
  });
});

describe('readStartup', () => {
  it('asks for settings, state and the first page at once, and does not wait for the state', async () => {
    const fake = new FakeApi({ orders: [ORDER, OTHER] });
    let releaseState!: () => void;
    const stateHeld = new Promise<void>((r) => (releaseState = r));
    const getState = vi.spyOn(fake, 'getState').mockImplementation(async () => {
      await stateHeld;
      return fake.state;
    });
    const getSettings = vi.spyOn(fake, 'getSettings');
    const reading = readStartup(fake);
    // All three asked before any answer came back.
    expect(getState).toHaveBeenCalledTimes(1);
    expect(getSettings).toHaveBeenCalledTimes(1);
    expect(fake.calls.listOrders).toEqual([{ limit: 60 }]);
    const startup = await reading;
    expect(startup?.settings.shops.map((s) => s.id)).toEqual(['shop1', 'shop2']);
    expect(startup?.orders.ok && startup.orders.value.total).toBe(2);
    releaseState();
    await expect(startup?.state).resolves.toEqual(fake.state);
  });

  it('answers undefined when the settings cannot be read, so the window asks again as it mounts', async () => {
    const fake = new FakeApi();
    vi.spyOn(fake, 'getSettings').mockRejectedValue(new Error('TradeBell: ipc ipc_bad_sender'));
    vi.spyOn(fake, 'getState').mockRejectedValue(new Error('TradeBell: ipc ipc_bad_sender'));
    await expect(readStartup(fake)).resolves.toBeUndefined();
  });
});

describe('the window started as main.tsx starts it', () => {
  it('shows the rows on its first render, asks for nothing twice, and acts on what main sent before it mounted', async () => {
    const fake = new FakeApi({ orders: [ORDER, OTHER] });
    const api = holdEvents(fake);
    const startup = await readStartup(api);
    // Sent by main as the page finished loading, before React mounted anything.
    fake.orders[1] = { ...OTHER, memo: '加急' };
    fake.emitOrdersChanged([OTHER.tid]);
    fake.emitNavigate({ view: 'order', shop: ORDER.shop, tid: ORDER.tid, focusPanel: false });

    render(
      <StrictMode>
        <ApiProvider api={api}>
          <App startup={startup} />
        </ApiProvider>
      </StrictMode>,
    );
    // No waiting: the first render has the rows.
    const list = screen.getByRole('list', { name: '订单列表' });
    expect(within(list).getByText('雨洁')).toBeInTheDocument();
    expect(await screen.findByRole('dialog', { name: `订单 ${ORDER.tid}` })).toBeInTheDocument();
    await waitFor(() => expect(within(list).getByText(/加急/)).toBeInTheDocument());
    expect(fake.calls.listOrders).toEqual([{ limit: 60 }]);
    expect(fake.calls.changedOrders).toEqual([[{}, [OTHER.tid]]]);

    act(() => fake.emitState({ unread: 7 }));
    expect(await screen.findByText('7 条未读')).toBeInTheDocument();
  });

  it('without a startup asks for everything as it mounts, as before', async () => {
    const fake = new FakeApi({ orders: [ORDER] });
    render(
      <ApiProvider api={fake}>
        <App />
      </ApiProvider>,
    );
    expect(await screen.findByText('雨洁')).toBeInTheDocument();
    expect(fake.calls.listOrders).toEqual([{ limit: 60 }]);
  });
});
