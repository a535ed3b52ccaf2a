// @vitest-environment happy-dom
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../src/shared/domain';
import { appError } from '../../src/shared/errors';
import { ApiProvider } from '../../src/renderer/api';
import { App } from '../../src/renderer/App';
import { FakeApi, makeOrder, shopUnauthorized } from './fakeApi';

const HOUR = 3600_000;
// 2025-01-02 10:05 in China, whatever zone this machine is in.
const JAN2 = Date.UTC(2025, 0, 2, 2, 5);

function fixture(): Order[] {
  return [
    makeOrder({
      tid: '1588826713157361977',
      shop: 'shop1',
      updatedAt: JAN2,
      buyerNick: '雨洁',
      payment: '48.00',
      status: 'WAIT_SELLER_SEND_GOODS',
      items: [{ title: '纯棉T恤' }],
      seen: false,
    }),
    makeOrder({
      tid: '1588826713157361978',
      shop: 'shop2',
      updatedAt: JAN2 + HOUR,
      buyerNick: '小明',
      payment: '12345.6',
      status: 'TRADE_FINISHED',
      items: [{ title: '羽绒服' }],
      flag: 1,
      memo: '已核对地址',
    }),
    makeOrder({
      tid: '1588826713157361979',
      shop: 'shop1',
      updatedAt: JAN2 - HOUR,
      buyerNick: '阿花',
      payment: '9.90',
      status: 'WAIT_BUYER_PAY',
      items: [{ title: '袜子' }],
      refund: { status: 'WAIT_SELLER_AGREE' },
    }),
  ];
}

async function start(api = new FakeApi({ orders: fixture() })) {
  const user = userEvent.setup();
  const view = render(
    <ApiProvider api={api}>
      <App />
    </ApiProvider>,
  );
  await screen.findByRole('list', { name: /订单列表|Orders/ });
  return { api, user, ...view };
}

const list = () => screen.getByRole('list', { name: /订单列表|Orders/ });
const rows = () => within(list()).queryAllByRole('listitem');
const rowOf = (tid: string) => {
  const row = rows().find((r) => within(r).queryByRole('checkbox', { name: new RegExp(tid) }));
  if (!row) throw new Error(`no row for ${tid}`);
  return row;
};

describe('orders inbox', () => {
  it('lists orders newest first with shop, time, status words, ¥ amounts, buyer, item, flag and memo', async () => {
    await start();
    const r = rows();
    expect(r.map((x) => within(x).getByRole('checkbox').getAttribute('aria-label'))).toEqual([
      '选择订单 1588826713157361978',
      '选择订单 1588826713157361977',
      '选择订单 1588826713157361979',
    ]);
    const [first, second, third] = r as [HTMLElement, HTMLElement, HTMLElement];
    expect(first).toHaveTextContent('2025-01-02 11:05');
    expect(first).toHaveTextContent('交易成功');
    expect(first).toHaveTextContent('¥12,345.60');
    expect(first).toHaveTextContent('小明');
    expect(first).toHaveTextContent('羽绒服');
    expect(first).toHaveTextContent('红旗');
    expect(first).toHaveTextContent('备注：已核对地址');
    expect(second).toHaveTextContent('待发货');
    expect(second).toHaveTextContent('¥48.00');
    expect(third).toHaveTextContent('待付款');
    expect(third).toHaveTextContent('退款中');
  });

  it('highlights unseen orders and counts them', async () => {
    await start();
    expect(within(rowOf('1588826713157361977')).getByText('新')).toBeInTheDocument();
    expect(within(rowOf('1588826713157361978')).queryByText('新')).toBeNull();
    expect(screen.getByText('共 3 单 · 未读 1')).toBeInTheDocument();
  });

  it('says "今天" for an order of the current China day', async () => {
    const now = Date.now();
    const hhmm = new Date(now + 8 * HOUR).toISOString().slice(11, 16);
    await start(new FakeApi({ orders: [makeOrder({ updatedAt: now })] }));
    expect(rows()[0]).toHaveTextContent(`今天 ${hhmm}`);
  });

  it('shows a buyer nick with markup as text', async () => {
    const nick = '<img src=x onerror=alert(1)>';
    const { container } = await start(
      new FakeApi({ orders: [makeOrder({ buyerNick: nick, items: [{ title: '<script>alert(2)</script>' }] })] }),
    );
    expect(screen.getByText(nick)).toBeInTheDocument();
    expect(screen.getByText('<script>alert(2)</script>')).toBeInTheDocument();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
  });

  it('filters by shop, status, flag and unflagged only', async () => {
    const { user, api } = await start();
    await user.selectOptions(screen.getByRole('combobox', { name: '店铺' }), '二号店');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent('小明');
    expect(api.calls.listOrders.at(-1)).toMatchObject({ shop: 'shop2' });

    await user.selectOptions(screen.getByRole('combobox', { name: '店铺' }), '全部店铺');
    await user.selectOptions(screen.getByRole('combobox', { name: '状态' }), '待付款');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent('阿花');
    expect(api.calls.listOrders.at(-1)).toMatchObject({ status: 'WAIT_BUYER_PAY' });

    await user.selectOptions(screen.getByRole('combobox', { name: '状态' }), '全部状态');
    await user.selectOptions(screen.getByRole('combobox', { name: '旗帜' }), '红');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(api.calls.listOrders.at(-1)).toMatchObject({ flag: 1 });

    await user.selectOptions(screen.getByRole('combobox', { name: '旗帜' }), '全部旗帜');
    await user.click(screen.getByRole('checkbox', { name: '仅未插旗' }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(api.calls.listOrders.at(-1)).toMatchObject({ unflaggedOnly: true });
    expect(api.calls.listOrders.at(-1)).not.toHaveProperty('flag');
  });

  it('searches by tid, buyer and item', async () => {
    const { user } = await start();
    const search = screen.getByRole('searchbox', { name: '搜索' });
    await user.type(search, '7361979');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent('阿花');

    await user.clear(search);
    await user.type(search, '小明');
    await waitFor(() => expect(rows()[0]).toHaveTextContent('羽绒服'));
    expect(rows()).toHaveLength(1);

    await user.clear(search);
    await user.type(search, 'T恤');
    await waitFor(() => expect(rows()[0]).toHaveTextContent('雨洁'));
    expect(rows()).toHaveLength(1);

    await user.type(search, '不存在的');
    expect(await screen.findByText('没有符合条件的订单')).toBeInTheDocument();
  });

  it('copies the tid as the exact 19-digit string and opens the order page on Taobao', async () => {
    const { user, api } = await start();
    const row = rowOf('1588826713157361977');
    await user.click(within(row).getByRole('button', { name: '复制订单号' }));
    expect(api.calls.copyText).toEqual(['1588826713157361977']);
    expect(await screen.findByText('已复制订单号 1588826713157361977')).toBeInTheDocument();

    await user.click(within(row).getByRole('button', { name: '在淘宝打开' }));
    expect(api.calls.openExternal).toEqual([
      'https://trade.taobao.com/trade/detail/trade_item_detail.htm?bizOrderId=1588826713157361977',
    ]);
    await waitFor(() => expect(api.calls.markSeen).toEqual([['1588826713157361977']]));
  });

  it('opens an order in the panel, marks it seen, moves with ↓/↑ and closes with Esc', async () => {
    const { user, api } = await start();
    await user.click(within(rowOf('1588826713157361977')).getByText('雨洁'));
    const panel = screen.getByRole('dialog', { name: '订单 1588826713157361977' });
    expect(document.activeElement).toBe(panel);
    await waitFor(() => expect(api.calls.markSeen).toEqual([['1588826713157361977']]));
    await waitFor(() => expect(screen.getByText('共 3 单 · 未读 0')).toBeInTheDocument());
    expect(within(panel).getByText('2 / 3')).toBeInTheDocument();

    await user.keyboard('{ArrowDown}');
    const next = screen.getByRole('dialog', { name: '订单 1588826713157361979' });
    expect(within(next).getByLabelText('卖家备注')).toHaveValue('');
    await user.keyboard('{ArrowUp}{ArrowUp}');
    const top = screen.getByRole('dialog', { name: '订单 1588826713157361978' });
    expect(within(top).getByLabelText('卖家备注')).toHaveValue('已核对地址');
    expect(within(top).getByRole('button', { name: '红' })).toHaveAttribute('aria-pressed', 'true');
    expect(top.contains(document.activeElement)).toBe(true);

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('sets a flag and memo from the keyboard and shows it in the list', async () => {
    const { user, api } = await start();
    await user.click(within(rowOf('1588826713157361977')).getByText('雨洁'));
    await user.keyboard('1');
    await user.click(screen.getByLabelText('卖家备注'));
    await user.keyboard('顺丰加急{Control>}{Enter}{/Control}');
    expect(await screen.findByText(/已保存 ✓/)).toBeInTheDocument();
    expect(api.calls.remark).toEqual([{ shop: 'shop1', tid: '1588826713157361977', memo: '顺丰加急', flag: 1 }]);
    await user.keyboard('{Escape}');
    await waitFor(() => expect(rowOf('1588826713157361977')).toHaveTextContent('备注：顺丰加急'));
  });

  it('re-queries when the core says orders changed', async () => {
    const { api } = await start();
    api.orders.push(makeOrder({ tid: '1588826713157362000', updatedAt: Date.now(), buyerNick: '新买家', seen: false }));
    act(() => api.emitOrdersChanged(['1588826713157362000']));
    await waitFor(() => expect(rows()).toHaveLength(4));
    expect(rows()[0]).toHaveTextContent('新买家');
  });

  it('folds a burst of change events into at most one more query', async () => {
    const { api } = await start();
    const before = api.calls.listOrders.length;
    act(() => {
      for (let i = 0; i < 20; i++) api.emitOrdersChanged([]);
    });
    await waitFor(() => expect(api.calls.listOrders.length).toBeGreaterThan(before));
    await act(async () => {
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(api.calls.listOrders.length - before).toBeLessThanOrEqual(2);
  });

  it('marks all loaded orders read', async () => {
    const { user, api } = await start();
    await user.click(screen.getByRole('button', { name: '全部标为已读' }));
    expect(api.calls.markSeen).toEqual([['1588826713157361977']]);
    await waitFor(() => expect(screen.getByText('共 3 单 · 未读 0')).toBeInTheDocument());
    expect(screen.queryByText('新')).toBeNull();
  });

  it('opens the order a notification points at, with the panel focused', async () => {
    const { api } = await start();
    act(() => api.emitNavigate({ view: 'order', shop: 'shop2', tid: '1588826713157361978', focusPanel: true }));
    const panel = await screen.findByRole('dialog', { name: '订单 1588826713157361978' });
    await waitFor(() => expect(document.activeElement).toBe(panel));
  });

  it('opens an order outside the current filter by asking the core for it', async () => {
    const { user, api } = await start();
    await user.selectOptions(screen.getByRole('combobox', { name: '店铺' }), '二号店');
    await waitFor(() => expect(rows()).toHaveLength(1));
    act(() => api.emitNavigate({ view: 'order', shop: 'shop1', tid: '1588826713157361979', focusPanel: false }));
    expect(await screen.findByRole('dialog', { name: '订单 1588826713157361979' })).toBeInTheDocument();
    expect(api.calls.listOrders).toContainEqual(
      expect.objectContaining({ shop: 'shop1', tids: ['1588826713157361979'] }),
    );
  });

  it('shows only the orders of a summary notification, until "show all"', async () => {
    const { user, api } = await start();
    act(() => api.emitNavigate({ view: 'inbox', tids: ['1588826713157361977', '1588826713157361979'] }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(screen.getByText('仅显示通知中的 2 个订单')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '显示全部' }));
    await waitFor(() => expect(rows()).toHaveLength(3));
  });

  it('switches views on navigation events', async () => {
    const { api } = await start();
    act(() => api.emitNavigate({ view: 'settings' }));
    expect(await screen.findByRole('button', { name: '保存设置' })).toBeInTheDocument();
    act(() => api.emitNavigate({ view: 'subscriptions' }));
    expect(await screen.findByRole('button', { name: '应用更改' })).toBeInTheDocument();
  });

  it('stays smooth with 10,000 orders: a bounded number of rows in the DOM, more pages as it scrolls', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      makeOrder({ tid: String(1588826713157361977n + BigInt(i) * 7n), updatedAt: JAN2 - i * 1000 }),
    );
    const { api } = await start(new FakeApi({ orders: many }));
    expect(screen.getByText('已载入 200 / 10000 单 · 未读 0')).toBeInTheDocument();
    const shown = rows().length;
    expect(shown).toBeGreaterThan(3);
    expect(shown).toBeLessThan(40);
    expect(api.calls.listOrders[0]).toMatchObject({ offset: 0, limit: 200 });

    const scroller = list().parentElement as HTMLElement;
    scroller.scrollTop = 190 * 76;
    fireEvent.scroll(scroller);
    await waitFor(() => expect(screen.getByText('已载入 400 / 10000 单 · 未读 0')).toBeInTheDocument());
    expect(api.calls.listOrders.some((q) => q.offset === 200 && q.limit === 200)).toBe(true);
    expect(rows().length).toBeLessThan(40);
    expect(rows().some((r) => r.getAttribute('aria-posinset') === '195')).toBe(true);
  });

  it('shows a listing error in words', async () => {
    const api = new FakeApi({ orders: fixture() });
    api.failNext('listOrders', appError('internal', 'internal', { detail: 'EBADF' }));
    render(
      <ApiProvider api={api}>
        <App />
      </ApiProvider>,
    );
    expect(
      await screen.findByText('内部错误：EBADF — 内部错误，请重启 TradeBell；若持续出现请查看日志。'),
    ).toBeInTheDocument();
  });
});

describe('batch flag', () => {
  it('sets one flag on several orders, keeps each known memo, clears unknown ones only when told, shows per-order results and retries the failed', async () => {
    const { user, api } = await start();
    api.failRemark('1588826713157361977', shopUnauthorized());
    for (const tid of ['1588826713157361978', '1588826713157361977', '1588826713157361979'])
      await user.click(within(rowOf(tid)).getByRole('checkbox'));
    expect(screen.getByText('已选 3 单')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '批量插旗 / 备注' }));

    const panel = screen.getByRole('dialog', { name: '批量设置 3 个订单' });
    expect(within(panel).getByRole('button', { name: '应用到 3 个订单' })).toBeDisabled();
    await user.keyboard('3');
    // Two of them have a memo the app never saw: nothing is sent until the user chooses.
    expect(within(panel).getByText(/其中 2 个订单的备注未知/)).toBeInTheDocument();
    expect(within(panel).getByRole('button', { name: '应用到 3 个订单' })).toBeDisabled();
    await user.click(within(panel).getByRole('radio', { name: '清空淘宝上的现有备注' }));
    await user.click(within(panel).getByRole('button', { name: '应用到 3 个订单' }));

    expect(await within(panel).findByText('成功 2 · 失败 1')).toBeInTheDocument();
    expect(api.calls.remark).toEqual([
      { shop: 'shop2', tid: '1588826713157361978', flag: 3, memo: '已核对地址' },
      { shop: 'shop1', tid: '1588826713157361977', flag: 3, memo: '', clearUnknownMemo: true },
      { shop: 'shop1', tid: '1588826713157361979', flag: 3, memo: '', clearUnknownMemo: true },
    ]);
    const results = within(panel).getByRole('list', { name: '每个订单的结果' });
    const failedRow = within(results).getByText('1588826713157361977').closest('li') as HTMLElement;
    expect(failedRow).toHaveTextContent('店铺未授权');
    expect(within(failedRow).getByRole('button', { name: '打开授权链接' })).toBeInTheDocument();
    expect(within(results).getByText('1588826713157361978').closest('li')).toHaveTextContent('✓');

    await user.click(within(panel).getByRole('button', { name: '重试失败的 1 个' }));
    expect(await within(panel).findByText('成功 3 · 失败 0')).toBeInTheDocument();
    expect(api.calls.remark).toHaveLength(4);
    expect(api.calls.remark[3]).toEqual({
      shop: 'shop1',
      tid: '1588826713157361977',
      flag: 3,
      memo: '',
      clearUnknownMemo: true,
    });

    await user.keyboard('{Escape}');
    expect(screen.queryByText(/已选/)).toBeNull();
  });

  it('sends one memo to all when asked, and refuses one over 1000 bytes', async () => {
    const { user, api } = await start();
    await user.click(within(rowOf('1588826713157361978')).getByRole('checkbox'));
    await user.click(within(rowOf('1588826713157361979')).getByRole('checkbox'));
    await user.click(screen.getByRole('button', { name: '批量插旗 / 备注' }));
    const panel = screen.getByRole('dialog');
    await user.click(within(panel).getByRole('button', { name: '粉' }));
    await user.click(within(panel).getByRole('checkbox', { name: /同时设置备注/ }));
    const memo = within(panel).getByLabelText('卖家备注');
    fireEvent.change(memo, { target: { value: '备'.repeat(334) } });
    expect(within(panel).getByRole('button', { name: '应用到 2 个订单' })).toBeDisabled();
    fireEvent.change(memo, { target: { value: '统一备注' } });
    await user.click(within(panel).getByRole('button', { name: '应用到 2 个订单' }));
    await within(panel).findByText('成功 2 · 失败 0');
    expect(api.calls.remark.map((r) => [r.tid, r.flag, r.memo])).toEqual([
      ['1588826713157361978', 5, '统一备注'],
      ['1588826713157361979', 5, '统一备注'],
    ]);
  });

  it('selects a range with Shift-click', async () => {
    const { user } = await start();
    await user.click(within(rowOf('1588826713157361978')).getByRole('checkbox'));
    await user.keyboard('{Shift>}');
    await user.click(within(rowOf('1588826713157361979')).getByRole('checkbox'));
    await user.keyboard('{/Shift}');
    expect(screen.getByText('已选 3 单')).toBeInTheDocument();
  });
});

describe('app shell', () => {
  it('shows the unread count on the orders tab and live state from the core', async () => {
    const { api } = await start();
    act(() => api.emitState({ unread: 5, demo: true }));
    expect(await screen.findByText('5 条未读')).toBeInTheDocument();
    expect(screen.getByText('演示模式')).toBeInTheDocument();
  });

  it('switches to English when the language setting is saved', async () => {
    const { user } = await start();
    await user.click(screen.getByRole('button', { name: '设置' }));
    await user.selectOptions(screen.getByRole('combobox', { name: '语言' }), 'English');
    await user.click(screen.getByRole('button', { name: '保存设置' }));
    expect(await screen.findByRole('button', { name: 'Save settings' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('en');
    await user.click(screen.getByRole('button', { name: 'Orders' }));
    const first = (await screen.findAllByRole('listitem')).find((r) => r.textContent?.includes('Completed'));
    expect(first).toHaveTextContent('¥12,345.60');
    expect(first).toHaveTextContent('Red flag');
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveAttribute(
      'placeholder',
      'Search order number, buyer or item',
    );
  });
});
