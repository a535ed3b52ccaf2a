// @vitest-environment happy-dom
import { screen, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { AppState } from '../../../src/shared/api';
import { appError } from '../../../src/shared/errors';
import { StatusBar } from '../../../src/renderer/components/StatusBar';
import { FakeApi, makeSettings, shopUnauthorized } from '../fakeApi';
import { renderWith } from '../render';

function setup(state: Partial<AppState>, language: 'zh-CN' | 'en' = 'zh-CN') {
  const api = new FakeApi({ state });
  function Host() {
    const [s, setS] = useState(api.state);
    return <StatusBar state={s} shops={makeSettings().shops} onState={setS} />;
  }
  return renderWith(<Host />, { api, language });
}

const shopRow = (name: string) =>
  within(screen.getByRole('list', { name: '店铺状态' }))
    .getByText(name)
    .closest('li') as HTMLElement;

describe('StatusBar', () => {
  it("shows today's calls and 点券 with their price in ¥", () => {
    setup({
      cost: { today: { calls: 12345, points: 12345 }, total: { calls: 0, points: 0 }, projectedDailyPoints: 0 },
    });
    expect(screen.getByText('今日 12,345 次 · 12,345 点券（¥123.45）')).toBeInTheDocument();
  });

  it('shows the demo badge only in demo mode', () => {
    const { unmount } = setup({ demo: true });
    expect(screen.getByText('演示模式')).toBeInTheDocument();
    unmount();
    setup({ demo: false });
    expect(screen.queryByText('演示模式')).toBeNull();
  });

  it('shows each shop with its state and last call in China time', () => {
    const lastCallAt = Date.UTC(2025, 0, 2, 2, 5);
    setup({
      shops: [
        { shop: 'shop1', state: 'listening', lastCallAt },
        { shop: 'shop2', state: 'paused' },
      ],
    });
    expect(shopRow('一号店')).toHaveTextContent('监听中');
    expect(shopRow('一号店')).toHaveTextContent('最近调用 2025-01-02 10:05');
    expect(shopRow('二号店')).toHaveTextContent('已暂停');
    expect(shopRow('二号店')).toHaveTextContent('尚未调用');
  });

  it('explains a stopped shop and offers its authorisation link and resume', async () => {
    const { user, api } = setup({ shops: [{ shop: 'shop1', state: 'stopped', error: shopUnauthorized() }] });
    const row = shopRow('一号店');
    expect(row).toHaveTextContent('已停止');
    expect(row).toHaveTextContent('网关返回 302：店铺未授权 — 店铺未授权，请用返回的链接扫码授权后点“继续”。');
    await user.click(within(row).getByRole('button', { name: '打开授权链接' }));
    expect(api.calls.openExternal).toEqual(['https://oauth.vv-tool.com/authorize?shop=shop1']);
    await user.click(within(row).getByRole('button', { name: '继续 一号店' }));
    expect(api.calls.resume).toEqual(['shop1']);
    expect(await within(shopRow('一号店')).findByText('监听中')).toBeInTheDocument();
  });

  it('pauses and resumes everything', async () => {
    const { user, api } = setup({});
    await user.click(screen.getByRole('button', { name: '暂停' }));
    expect(api.calls.pause).toEqual([undefined]);
    expect(await screen.findByText('已暂停', { selector: '.run-state' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '继续' }));
    expect(api.calls.resume).toEqual([undefined]);
    expect(await screen.findByText('运行中')).toBeInTheDocument();
  });

  it.each([
    // China time is UTC+8: an hour from 10:05 is today; from 23:30, the next day, by its date.
    ['10:05', Date.UTC(2025, 0, 2, 2, 5), '静音至 今天 11:05'],
    ['23:30', Date.UTC(2025, 0, 2, 15, 30), '静音至 2025-01-03 00:30'],
  ])('mutes notifications for an hour at %s China time, and unmutes', async (_at, now, until) => {
    // Only Date is faked: user-event's own timers run as usual.
    vi.useFakeTimers({ toFake: ['Date'], now });
    try {
      const { user, api } = setup({});
      await user.click(screen.getByRole('button', { name: '静音 1 小时' }));
      expect(api.calls.mute).toEqual([60]);
      expect(screen.getByText(until)).toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: '取消静音' }));
      expect(api.calls.mute.at(-1)).toBe(0);
      expect(screen.getByRole('button', { name: '静音 1 小时' })).toBeInTheDocument();
    } finally {
      vi.useRealTimers();
    }
  });

  it('offers pause to a listening shop, resume to a paused, stopped or failed one, and neither to a disabled one', () => {
    const ids = ['shop1', 'shop2', 'shop3', 'shop4', 'shop5'];
    const states = ['listening', 'paused', 'stopped', 'error', 'disabled'] as const;
    const api = new FakeApi({ state: { shops: ids.map((shop, i) => ({ shop, state: states[i]! })) } });
    renderWith(<StatusBar state={api.state} shops={[]} onState={() => {}} />, { api });
    const buttons = (shop: string) =>
      within(screen.getByText(shop, { selector: '.shop-name' }).closest('li') as HTMLElement)
        .queryAllByRole('button')
        .map((b) => b.getAttribute('aria-label'));
    expect(ids.map(buttons)).toEqual([['暂停 shop1'], ['继续 shop2'], ['继续 shop3'], ['继续 shop4'], []]);
  });

  it('pauses one shop', async () => {
    const { user, api } = setup({});
    await user.click(screen.getByRole('button', { name: '暂停 一号店' }));
    expect(api.calls.pause).toEqual(['shop1']);
  });

  it('shows a global error and a failed pause', async () => {
    const { user, api } = setup({
      globalError: appError('auth', 'gateway_code', { gatewayCode: 401, msg: '身份凭证无效' }),
    });
    expect(
      screen.getByText('网关返回 401：身份凭证无效 — 访问令牌无效，请在设置中重新填写 access_token。'),
    ).toBeInTheDocument();
    api.failNext('pause', appError('ipc', 'ipc_untrusted_sender', {}));
    await user.click(screen.getByRole('button', { name: '暂停' }));
    expect(await screen.findByText(/请求来源不可信.* — 内部请求无效/)).toBeInTheDocument();
  });

  it('speaks English', () => {
    setup({ demo: true }, 'en');
    expect(screen.getByText('Demo')).toBeInTheDocument();
    expect(screen.getByText('Today 1,234 calls · 1,234 points (¥12.34)')).toBeInTheDocument();
    expect(screen.getByText('Listening')).toBeInTheDocument();
  });
});
