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

  it('folds a burst of change events into at most two requests for just those rows', async () => {
    const { api } = await start();
    const before = api.calls.listOrders.length;
    const tids = fixture().map((o) => o.tid);
    act(() => {
      for (let i = 0; i < 20; i++) api.emitOrdersChanged([tids[i % 3]!]);
    });
    await waitFor(() => expect(api.calls.changedOrders.length).toBeGreaterThan(0));
    await act(async () => {
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(api.calls.changedOrders.length).toBeLessThanOrEqual(2);
    expect(new Set(api.calls.changedOrders.flatMap(([, t]) => t))).toEqual(new Set(tids));
    expect(api.calls.listOrders.length).toBe(before);
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

  it('a notification that opens another order keeps the memo being typed for when its order opens again', async () => {
    const { user, api } = await start();
    act(() => api.emitNavigate({ view: 'order', shop: 'shop2', tid: '1588826713157361978', focusPanel: true }));
    await screen.findByRole('dialog', { name: '订单 1588826713157361978' });
    const memo = () => screen.getByLabelText('卖家备注') as HTMLTextAreaElement;
    await user.type(memo(), '周五前发货');
    const typed = memo().value;
    act(() => api.emitNavigate({ view: 'order', shop: 'shop1', tid: '1588826713157361979', focusPanel: true }));
    await screen.findByRole('dialog', { name: '订单 1588826713157361979' });
    expect(memo().value).not.toContain('周五前发货');
    act(() => api.emitNavigate({ view: 'inbox' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    act(() => api.emitNavigate({ view: 'order', shop: 'shop2', tid: '1588826713157361978', focusPanel: true }));
    await screen.findByRole('dialog', { name: '订单 1588826713157361978' });
    expect(memo().value).toBe(typed);
    expect(api.calls.remark).toEqual([]);
  });

  it('the memo being typed outlives a reload of the page (a crashed renderer): its order shows it again', async () => {
    sessionStorage.clear();
    const api = new FakeApi({ orders: fixture() });
    const first = await start(api);
    act(() => api.emitNavigate({ view: 'order', shop: 'shop2', tid: '1588826713157361978', focusPanel: true }));
    await screen.findByRole('dialog', { name: '订单 1588826713157361978' });
    const memo = () => screen.getByLabelText('卖家备注') as HTMLTextAreaElement;
    await first.user.type(memo(), '周五前发货');
    const typed = memo().value;
    // The page goes away with the panel open and the memo not saved, and comes back.
    first.unmount();
    const second = await start(api);
    act(() => api.emitNavigate({ view: 'order', shop: 'shop2', tid: '1588826713157361978', focusPanel: true }));
    await screen.findByRole('dialog', { name: '订单 1588826713157361978' });
    expect(memo().value).toBe(typed);
    // Given up (Esc twice), it is gone for the next reload too.
    await second.user.keyboard('{Escape}{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    second.unmount();
    await start(api);
    act(() => api.emitNavigate({ view: 'order', shop: 'shop2', tid: '1588826713157361978', focusPanel: true }));
    await screen.findByRole('dialog', { name: '订单 1588826713157361978' });
    expect(memo().value).toBe('已核对地址');
    expect(api.calls.remark).toEqual([]);
    sessionStorage.clear();
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
    expect(screen.getByText('已载入 60 / 10000 单 · 未读 0')).toBeInTheDocument();
    const shown = rows().length;
    expect(shown).toBeGreaterThan(3);
    expect(shown).toBeLessThan(40);
    expect(api.calls.listOrders[0]).toEqual({ limit: 60 });

    const scroller = list().parentElement as HTMLElement;
    scroller.scrollTop = 190 * 76;
    fireEvent.scroll(scroller);
    await waitFor(() => expect(screen.getByText('已载入 260 / 10000 单 · 未读 0')).toBeInTheDocument());
    // The next page starts after the last row held, whatever arrived at the top meanwhile.
    const last = many[59]!;
    expect(api.calls.listOrders[1]).toEqual({
      limit: 200,
      after: { shop: last.shop, tid: last.tid, updatedAt: last.updatedAt },
    });
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
      { shop: 'shop2', tid: '1588826713157361978', flag: 3 },
      { shop: 'shop1', tid: '1588826713157361977', flag: 3, clearUnknownMemo: true },
      { shop: 'shop1', tid: '1588826713157361979', flag: 3, clearUnknownMemo: true },
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

describe('orders inbox, patched as orders change', () => {
  it('moves only the changed row: one request for its tid, the other rows left in place', async () => {
    const { api } = await start();
    const others = ['1588826713157361978', '1588826713157361977'].map((tid) => rowOf(tid).querySelector('.row-main'));
    const listed = api.calls.listOrders.length;
    const changed = { ...api.orders[2]!, updatedAt: JAN2 + 2 * HOUR, status: 'WAIT_SELLER_SEND_GOODS', seen: false };
    act(() => api.change(changed));
    await waitFor(() =>
      expect(rows().map((r) => within(r).getByRole('checkbox').getAttribute('aria-label'))).toEqual([
        '选择订单 1588826713157361979',
        '选择订单 1588826713157361978',
        '选择订单 1588826713157361977',
      ]),
    );
    expect(api.calls.changedOrders).toEqual([[{}, ['1588826713157361979']]]);
    expect(api.calls.listOrders.length).toBe(listed);
    // The rows that did not change are the same elements, not rebuilt.
    expect(['1588826713157361978', '1588826713157361977'].map((tid) => rowOf(tid).querySelector('.row-main'))).toEqual(
      others,
    );
    expect(rowOf('1588826713157361979')).toHaveTextContent('待发货');
    expect(screen.getByText('共 3 单 · 未读 2')).toBeInTheDocument();
  });

  it('keeps the unread count right through a new order, a seen mark and an order leaving the filter', async () => {
    const { user, api } = await start();
    await user.selectOptions(screen.getByRole('combobox', { name: '状态' }), '待发货');
    await waitFor(() => expect(screen.getByText('共 1 单 · 未读 1')).toBeInTheDocument());
    act(() => api.change(makeOrder({ updatedAt: JAN2 + 3 * HOUR, seen: false })));
    await waitFor(() => expect(screen.getByText('共 2 单 · 未读 2')).toBeInTheDocument());
    expect(rows()).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: '全部标为已读' }));
    await waitFor(() => expect(screen.getByText('共 2 单 · 未读 0')).toBeInTheDocument());
    expect(screen.queryByText('新')).toBeNull();
    // Shipped: out of this filter's list and counts.
    act(() => api.change({ ...api.orders[0]!, status: 'WAIT_BUYER_CONFIRM_GOODS' }));
    await waitFor(() => expect(screen.getByText('共 1 单 · 未读 0')).toBeInTheDocument());
    expect(rows()).toHaveLength(1);
  });

  it('keeps the selection and the rows in view when new orders arrive above them', async () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      makeOrder({ tid: String(1588826713157361977n + BigInt(i) * 7n), updatedAt: JAN2 - i * 1000 }),
    );
    const { user, api } = await start(new FakeApi({ orders: many }));
    const scroller = list().parentElement as HTMLElement;
    act(() => {
      scroller.scrollTop = 50 * 76;
      fireEvent.scroll(scroller);
    });
    const target = many[52]!.tid;
    await user.click(within(await waitFor(() => rowOf(target))).getByRole('checkbox'));
    act(() => api.change(makeOrder({ updatedAt: JAN2 + HOUR }), makeOrder({ updatedAt: JAN2 + 2 * HOUR })));
    await waitFor(() => expect(screen.getByText('已载入 262 / 302 单 · 未读 0')).toBeInTheDocument());
    // Two rows came in above: the list scrolled by two rows, so the same orders stay in view.
    expect(scroller.scrollTop).toBe(52 * 76);
    expect(within(rowOf(target)).getByRole('checkbox')).toBeChecked();
    expect(screen.getByText('已选 1 单')).toBeInTheDocument();
  });

  it('leaves a changed order that now sorts past the rows held to the next page', async () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      makeOrder({ tid: String(1588826713157361977n + BigInt(i) * 7n), updatedAt: JAN2 - i * 1000 }),
    );
    const { api } = await start(new FakeApi({ orders: many }));
    // The newest order changes, but its time goes back past the 200 rows held.
    act(() => api.change({ ...many[0]!, updatedAt: JAN2 - 250_000 }));
    await waitFor(() => expect(screen.getByText('已载入 59 / 300 单 · 未读 0')).toBeInTheDocument());
    expect(rows().some((r) => within(r).queryByRole('checkbox', { name: new RegExp(many[0]!.tid) }))).toBe(false);
  });
});

describe('memo panel history', () => {
  it('asks for the order’s messages on its own, newest first, and again when the order changes', async () => {
    const order = makeOrder({
      tid: '1588826713157361990',
      updatedAt: JAN2,
      events: [
        { msgId: '1', topic: 'taobao_trade_TradeCreate', at: JAN2 - HOUR, status: 'WAIT_BUYER_PAY' },
        { msgId: '2', topic: 'taobao_trade_TradeBuyerPay', at: JAN2, status: 'WAIT_SELLER_SEND_GOODS' },
      ],
    });
    const { user, api } = await start(new FakeApi({ orders: [order] }));
    await user.click(within(rowOf(order.tid)).getByRole('button', { name: /买家/ }));
    const history = await screen.findByRole('region', { name: '消息记录' });
    await waitFor(() => expect(within(history).getAllByRole('listitem')).toHaveLength(2));
    const [newest, oldest] = within(history).getAllByRole('listitem') as [HTMLElement, HTMLElement];
    expect(newest).toHaveTextContent('买家付款');
    expect(newest).toHaveTextContent('待发货');
    expect(oldest).toHaveTextContent('创建订单');
    expect(api.calls.orderHistory).toEqual([['shop1', order.tid]]);
    // The list's rows carry no history at all.
    expect(api.calls.listOrders).not.toHaveLength(0);
    act(() =>
      api.change({
        ...order,
        updatedAt: JAN2 + HOUR,
        events: [...order.events, { msgId: '3', topic: 'taobao_trade_TradeSellerShip', at: JAN2 + HOUR }],
      }),
    );
    await waitFor(() => expect(within(history).getAllByRole('listitem')).toHaveLength(3));
    expect(within(history).getAllByRole('listitem')[0]).toHaveTextContent('卖家发货');
  });

  it('says why when the history cannot be read', async () => {
    const api = new FakeApi({ orders: [makeOrder({ updatedAt: JAN2 })] });
    api.failNext('orderHistory', appError('internal', 'internal', { detail: '读取失败' }));
    const { user } = await start(api);
    await user.click(within(rows()[0]!).getByRole('button', { name: /买家/ }));
    const history = await screen.findByRole('region', { name: '消息记录' });
    expect(await within(history).findByText(/读取失败/)).toBeInTheDocument();
  });
});
