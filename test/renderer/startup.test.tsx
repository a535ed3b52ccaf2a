// @vitest-environment happy-dom
import { render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../src/renderer/api';
import { App } from '../../src/renderer/App';
import { readStartup } from '../../src/renderer/startup';
import { startWindow } from '../../src/renderer/startWindow';
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

describe('startWindow, as main.tsx starts the window', () => {
  it('has the rows in the page when it resolves, asks for nothing twice, and patches what changed since', async () => {
    const fake = new FakeApi({ orders: [ORDER, OTHER] });
    const element = document.body.appendChild(document.createElement('div'));
    // As in the window: no act() to flush React's work, which is what this is about.
    const g = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
    const actEnvironment = g.IS_REACT_ACT_ENVIRONMENT;
    g.IS_REACT_ACT_ENVIRONMENT = false;
    const root = await startWindow(element, fake);
    try {
      // No waiting, not even a task: the first render ran as the reads came and has the rows.
      const list = within(element).getByRole('list', { name: '订单列表' });
      expect(within(list).getByText('雨洁')).toBeInTheDocument();

      fake.orders[1] = { ...OTHER, memo: '加急' };
      fake.emitOrdersChanged([OTHER.tid]);
      await waitFor(() => expect(within(list).getByText(/加急/)).toBeInTheDocument());
      expect(fake.calls.listOrders).toEqual([{ limit: 60 }]);
      expect(fake.calls.changedOrders).toEqual([[{}, [OTHER.tid]]]);

      fake.emitState({ unread: 7 });
      expect(await within(element).findByText('7 条未读')).toBeInTheDocument();
    } finally {
      root.unmount();
      element.remove();
      g.IS_REACT_ACT_ENVIRONMENT = actEnvironment;
    }
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
