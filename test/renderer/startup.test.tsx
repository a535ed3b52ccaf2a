// @vitest-environment happy-dom
import { act, render, screen, waitFor, within } from '@testing-library/react';
import { StrictMode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../src/renderer/api';
import { App } from '../../src/renderer/App';
import { readStartup } from '../../src/renderer/startup';
import { FakeApi, makeOrder } from './fakeApi';

const ORDER = makeOrder({ tid: '1588826713157361977', buyerNick: '雨洁' });
const OTHER = makeOrder({ tid: '1588826713157361978', buyerNick: '小明' });

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
  it('shows the rows on its first render, asks for nothing twice, and patches what changed since', async () => {
    const fake = new FakeApi({ orders: [ORDER, OTHER] });
    const startup = await readStartup(fake);
    render(
      <StrictMode>
        <ApiProvider api={fake}>
          <App startup={startup} />
        </ApiProvider>
      </StrictMode>,
    );
    // No waiting: the first render has the rows.
    const list = screen.getByRole('list', { name: '订单列表' });
    expect(within(list).getByText('雨洁')).toBeInTheDocument();

    fake.orders[1] = { ...OTHER, memo: '加急' };
    act(() => fake.emitOrdersChanged([OTHER.tid]));
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
