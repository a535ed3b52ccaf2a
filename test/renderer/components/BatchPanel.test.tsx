// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { BatchPanel } from '../../../src/renderer/components/BatchPanel';
import type { Order } from '../../../src/shared/domain';
import { FakeApi, makeOrder } from '../fakeApi';
import { renderWith } from '../render';

const KNOWN = makeOrder({ tid: '1588826713157361971', memo: '已核对地址', flag: 2 });
const EMPTY = makeOrder({ tid: '1588826713157361972', memo: '' });
const UNKNOWN_A = makeOrder({ tid: '1588826713157361973' });
const UNKNOWN_B = makeOrder({ tid: '1588826713157361974' });

function setup(orders: Order[], language: 'zh-CN' | 'en' = 'zh-CN') {
  const api = new FakeApi({ orders: orders.map((o) => ({ ...o })) });
  const onClose = vi.fn();
  const r = renderWith(<BatchPanel orders={orders} onClose={onClose} />, { api, language });
  const panel = screen.getByRole('dialog');
  return { ...r, panel, onClose };
}

describe('BatchPanel and unknown memos', () => {
  it('counts the orders whose memo is unknown and sends nothing until the user chose', async () => {
    const { panel, user, api } = setup([KNOWN, UNKNOWN_A, UNKNOWN_B]);
    await user.click(within(panel).getByRole('button', { name: '绿' }));
    expect(within(panel).getByText(/其中 2 个订单的备注未知/)).toBeInTheDocument();
    expect(within(panel).getByRole('status')).toHaveTextContent('请选择如何处理备注未知的订单');
    const apply = within(panel).getByRole('button', { name: '应用到 3 个订单' });
    expect(apply).toBeDisabled();
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(api.calls.remark).toEqual([]);
  });

  it('skips them when told: only the orders with a known memo change, each keeping its memo', async () => {
    const { panel, user, api } = setup([KNOWN, UNKNOWN_A, EMPTY, UNKNOWN_B]);
    await user.click(within(panel).getByRole('button', { name: '绿' }));
    await user.click(within(panel).getByRole('radio', { name: '跳过这 2 个订单' }));
    await user.click(within(panel).getByRole('button', { name: '应用到 2 个订单' }));
    await within(panel).findByText('成功 2 · 失败 0');
    // The memos are left out: the core keeps the ones it knows when each call is made.
    expect(api.calls.remark).toEqual([
      { shop: 'shop1', tid: KNOWN.tid, flag: 3 },
      { shop: 'shop1', tid: EMPTY.tid, flag: 3 },
    ]);
    const results = within(panel).getByRole('list', { name: '每个订单的结果' });
    expect(within(results).getByText(UNKNOWN_A.tid).closest('li')).toHaveTextContent('已跳过（备注未知）');
    expect(within(results).getByText(UNKNOWN_B.tid).closest('li')).toHaveTextContent('已跳过（备注未知）');
  });

  it('clears them on Taobao only when that is chosen, saying so in each request', async () => {
    const { panel, user, api } = setup([KNOWN, UNKNOWN_A]);
    await user.keyboard('1');
    await user.click(within(panel).getByRole('radio', { name: '清空淘宝上的现有备注' }));
    await user.click(within(panel).getByRole('button', { name: '应用到 2 个订单' }));
    await waitFor(() => expect(api.calls.remark).toHaveLength(2));
    expect(api.calls.remark).toEqual([
      { shop: 'shop1', tid: KNOWN.tid, flag: 1 },
      { shop: 'shop1', tid: UNKNOWN_A.tid, flag: 1, clearUnknownMemo: true },
    ]);
  });

  it('gray chosen for the batch is the user’s choice for orders whose flag is unknown, and said so', async () => {
    const { panel, user, api } = setup([KNOWN, EMPTY]);
    await user.keyboard('0');
    await user.click(within(panel).getByRole('button', { name: '应用到 2 个订单' }));
    await waitFor(() => expect(api.calls.remark).toHaveLength(2));
    expect(api.calls.remark).toEqual([
      { shop: 'shop1', tid: KNOWN.tid, flag: 0 },
      { shop: 'shop1', tid: EMPTY.tid, flag: 0, clearUnknownFlag: true },
    ]);
  });

  it('needs no choice when one memo is set for all, or when every memo is known', async () => {
    const typed = setup([KNOWN, UNKNOWN_A]);
    await typed.user.keyboard('4');
    await typed.user.click(within(typed.panel).getByRole('checkbox', { name: /同时设置备注/ }));
    expect(within(typed.panel).queryByText(/备注未知/)).toBeNull();
    await typed.user.type(within(typed.panel).getByLabelText('卖家备注'), '统一备注');
    await typed.user.click(within(typed.panel).getByRole('button', { name: '应用到 2 个订单' }));
    await waitFor(() => expect(typed.api.calls.remark.map((r) => r.memo)).toEqual(['统一备注', '统一备注']));
    typed.unmount();

    const known = setup([KNOWN, EMPTY]);
    await known.user.keyboard('2');
    expect(within(known.panel).queryByText(/备注未知/)).toBeNull();
    expect(within(known.panel).getByRole('button', { name: '应用到 2 个订单' })).toBeEnabled();
  });

  it('speaks English about them', async () => {
    const { panel, user } = setup([UNKNOWN_A], 'en');
    await user.keyboard('1');
    expect(within(panel).getByText(/1 of these orders has an unknown memo/)).toBeInTheDocument();
    expect(within(panel).getByRole('radio', { name: 'Skip this order' })).toBeInTheDocument();
  });
});
