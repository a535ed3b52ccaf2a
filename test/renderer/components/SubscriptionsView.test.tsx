// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { appError } from '../../../src/shared/errors';
import type { PublicSettings } from '../../../src/shared/settings';
import { SubscriptionsView } from '../../../src/renderer/components/SubscriptionsView';
import { subscriptionDiff } from '../../../src/renderer/subscriptionDiff';
import { FakeApi } from '../fakeApi';
import { renderWith } from '../render';

function setup(api = new FakeApi(), settings: Partial<PublicSettings> = {}) {
  return renderWith(<SubscriptionsView settings={{ ...api.settings, ...settings }} />, { api });
}

const box = (name: RegExp) => screen.getByRole('checkbox', { name });

describe('SubscriptionsView', () => {
  it('shows the current subscriptions grouped as trade, refund and item', async () => {
    setup();
    await waitFor(() => expect(box(/买家付款/)).toBeChecked());
    expect(box(/交易成功/)).toBeChecked();
    expect(box(/买家申请退款/)).toBeChecked();
    expect(box(/卖家发货/)).not.toBeChecked();
    expect(box(/库存为零/)).not.toBeChecked();
    expect(screen.getByRole('group', { name: '交易' })).toContainElement(box(/买家付款/));
    expect(screen.getByRole('group', { name: '退款' })).toContainElement(box(/买家申请退款/));
    expect(screen.getByRole('group', { name: '商品' })).toContainElement(box(/库存为零/));
    expect(screen.getByRole('button', { name: '应用更改' })).toBeDisabled();
  });

  it('sends only the difference and shows the result', async () => {
    const { user, api } = setup();
    await waitFor(() => expect(box(/买家付款/)).toBeChecked());
    await user.click(box(/卖家发货/));
    await user.click(box(/库存为零/));
    await user.click(box(/交易成功/));
    expect(screen.getByText('将开启 2 个、关闭 1 个')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '应用更改' }));
    expect(await screen.findByText('订阅已更新')).toBeInTheDocument();
    expect(api.calls.changeSubscriptions).toEqual([
      { open: { trade: ['TradeSellerShip'], item: ['ItemZeroStock'] }, stop: { trade: ['TradeSuccess'] } },
    ]);
    expect(box(/卖家发货/)).toBeChecked();
    expect(screen.getByRole('button', { name: '应用更改' })).toBeDisabled();
  });

  it('keeps the choices and explains a TOP error', async () => {
    const { user, api } = setup();
    await waitFor(() => expect(box(/买家付款/)).toBeChecked());
    api.failNext(
      'changeSubscriptions',
      appError('top', 'top_error', { code: 'isv.invalid-parameter', msg: 'Remote service error', subMsg: '非法参数' }),
    );
    await user.click(box(/买家付款/));
    await user.click(screen.getByRole('button', { name: '应用更改' }));
    expect(
      await screen.findByText(
        '淘宝开放平台错误：非法参数（isv.invalid-parameter） — 淘宝开放平台返回错误，请检查 App Key、Secret 和 SessionKey。',
      ),
    ).toBeInTheDocument();
    expect(box(/买家付款/)).not.toBeChecked();
  });

  it('explains a failed read, and reloads', async () => {
    const api = new FakeApi();
    api.failNext('getSubscriptions', appError('timeout', 'timed_out', { stage: 'connect', sys: 'ETIMEDOUT' }));
    const { user } = setup(api);
    expect(await screen.findByText(/连接超时（ETIMEDOUT） — 网关响应超时/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '刷新' }));
    await waitFor(() => expect(box(/买家付款/)).toBeChecked());
  });

  it('asks for the TOP credentials when they are missing', async () => {
    setup(new FakeApi(), { topSessionSet: false });
    expect(screen.getByText('请先在“设置”中填写 App Key、App Secret 和 SessionKey。')).toBeInTheDocument();
    await waitFor(() => expect(box(/买家付款/)).toBeChecked());
  });

  it('shows a subscribed topic that its list does not name, so it is not stopped unseen', async () => {
    const api = new FakeApi();
    api.subscriptions = { subscribed: { trade: ['TradeBuyerPay', 'TradeFutureThing'] } };
    setup(api);
    await waitFor(() => expect(box(/TradeFutureThing/)).toBeChecked());
  });
});

describe('subscriptionDiff', () => {
  it('opens what is wanted and not had, stops what is had and not wanted, per group', () => {
    expect(
      subscriptionDiff({ trade: ['A', 'B'], item: ['X'] }, { trade: ['B', 'C'], item: ['X'], refund: ['R'] }),
    ).toEqual({
      open: { trade: ['C'], refund: ['R'] },
      stop: { trade: ['A'] },
    });
  });

  it('is empty when nothing changed', () => {
    expect(subscriptionDiff({ trade: ['A'] }, { trade: ['A'] })).toEqual({ open: {}, stop: {} });
  });
});
