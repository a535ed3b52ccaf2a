// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { AppState } from '../../../src/shared/api';
import { appError } from '../../../src/shared/errors';
import type { PublicSettings } from '../../../src/shared/settings';
import { SettingsView, settingsPatch } from '../../../src/renderer/components/SettingsView';
import { FakeApi, makeSettings } from '../fakeApi';
import { renderWith } from '../render';

function setup(settings: Partial<PublicSettings> = {}, state: Partial<AppState> = {}) {
  const api = new FakeApi({ settings, state });
  function Host() {
    const [s, setS] = useState(api.settings);
    return <SettingsView settings={s} state={api.state} onSettings={setS} />;
  }
  const r = renderWith(<Host />, { api, language: settings.language });
  const saveButton = () => screen.getByRole('button', { name: '保存设置' });
  return { ...r, saveButton };
}

describe('SettingsView', () => {
  it('warns when secrets can only be kept in memory, and only then', () => {
    const { unmount } = setup({ secretsPersisted: false });
    expect(document.body.textContent).toContain('只保存在内存中');
    unmount();
    setup({ secretsPersisted: true });
    expect(document.body.textContent).not.toContain('只保存在内存中');
  });

  it('shows only whether the token is set, writes it, and clears it', async () => {
    const { user, api } = setup({ tokenSet: false });
    const field = screen.getByLabelText('access_token');
    expect(field).toHaveAttribute('type', 'password');
    expect(field.closest('.secret-field')).toHaveTextContent('未设置');

    await user.type(field, 'secret-token-123');
    await user.click(screen.getByRole('button', { name: '保存 access_token' }));
    expect(api.calls.setSecret).toEqual([['token', 'secret-token-123']]);
    await waitFor(() => expect(field.closest('.secret-field')).toHaveTextContent('已设置'));
    expect(field).toHaveValue('');
    expect(document.body.textContent).not.toContain('secret-token-123');

    await user.click(screen.getByRole('button', { name: '清除 access_token' }));
    expect(api.calls.setSecret.at(-1)).toEqual(['token', null]);
    await waitFor(() => expect(field.closest('.secret-field')).toHaveTextContent('未设置'));
  });

  it('sets a secret with Enter without saving the whole form', async () => {
    const { user, api } = setup({ topSecretSet: false });
    await user.type(screen.getByLabelText('App Secret'), 'abc{Enter}');
    expect(api.calls.setSecret).toEqual([['topSecret', 'abc']]);
    expect(api.calls.updateSettings).toHaveLength(0);
  });

  it('shows a secret that could not be stored', async () => {
    const { user, api } = setup();
    api.failNext('setSecret', appError('validation', 'bad_secret', {}));
    await user.type(screen.getByLabelText('SessionKey'), 'sess');
    await user.click(screen.getByRole('button', { name: '保存 SessionKey' }));
    expect(await screen.findByText(/密钥格式无效：不能为空或包含空格/)).toBeInTheDocument();
  });

  it('adds a shop, refuses a bad or duplicate id, edits and removes shops', async () => {
    const { user, api, saveButton } = setup();
    const id = screen.getByRole('textbox', { name: '店铺 ID' });
    await user.type(id, 'bad id!');
    await user.click(screen.getByRole('button', { name: '添加店铺' }));
    expect(screen.getByText('店铺 ID 只能包含字母、数字、_ 和 -')).toBeInTheDocument();

    await user.clear(id);
    await user.type(id, 'shop1');
    await user.click(screen.getByRole('button', { name: '添加店铺' }));
    expect(screen.getByText('该店铺已添加')).toBeInTheDocument();

    await user.clear(id);
    await user.type(id, 'shop3');
    await user.type(screen.getByRole('textbox', { name: '名称' }), '三号店');
    await user.click(screen.getByRole('button', { name: '添加店铺' }));
    expect(screen.getByRole('textbox', { name: '店铺 shop3 的名称' })).toHaveValue('三号店');

    await user.click(screen.getByRole('checkbox', { name: '启用店铺 shop2' }));
    await user.click(screen.getByRole('checkbox', { name: '静音店铺 shop3 的通知' }));
    await user.click(screen.getByRole('button', { name: '删除店铺 一号店' }));
    await user.click(saveButton());

    await waitFor(() => expect(api.calls.updateSettings).toHaveLength(1));
    const patch = api.calls.updateSettings[0]!;
    expect(patch.shops).toEqual([
      { id: 'shop2', name: '二号店', colour: '#1e88e5', enabled: false },
      { id: 'shop3', name: '三号店', colour: expect.stringMatching(/^#[0-9a-f]{6}$/), enabled: true },
    ]);
    expect(patch.notify?.mutedShops).toEqual(['shop3']);
    expect(Object.keys(patch).sort()).toEqual(['notify', 'shops']);
    expect(await screen.findByText('设置已保存')).toBeInTheDocument();
  });

  it('chooses vvtype, polling policy with custom seconds, and shows the projected daily cost', async () => {
    const { user, api, saveButton } = setup();
    expect(screen.getByText('按当前流量，预计每日 8,640 点券（约 ¥86.40）')).toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: '版本 (vvtype)' }), '增强版');
    await user.click(screen.getByRole('radio', { name: '自定义' }));
    await user.type(screen.getByRole('spinbutton', { name: '最长间隔（秒）' }), '30');
    await user.click(saveButton());
    await waitFor(() => expect(api.calls.updateSettings).toHaveLength(1));
    expect(api.calls.updateSettings[0]).toEqual({ vvtype: 2, polling: { mode: 'custom', customCeilingMs: 30_000 } });
  });

  it('says how often an idle shop is polled at this hour, and why', () => {
    const { unmount } = setup({}, { polling: { everyMs: 60_000, reason: 'learned' } });
    expect(screen.getByText('此时段空闲时约每 60 秒查询一次（店铺近几周这个时段几乎没有订单）')).toBeInTheDocument();
    unmount();
    setup({ language: 'en' }, { polling: { everyMs: 60_000, reason: 'quiet' } });
    expect(document.body.textContent).toContain(
      'At this hour an idle shop is polled about every 60 s (quiet hours: orders are still stored, polling slows down)',
    );
  });

  it('edits notification rules, quiet hours and sound', async () => {
    const { user, api, saveButton } = setup();
    expect(screen.getByRole('checkbox', { name: '买家付款时提醒' })).toBeChecked();
    await user.type(screen.getByRole('textbox', { name: '买家付款最低金额' }), '100.00');
    await user.click(screen.getByRole('checkbox', { name: '卖家发货时提醒' }));
    await user.click(screen.getByRole('checkbox', { name: '启用免打扰时段' }));
    await user.click(screen.getByRole('checkbox', { name: '提示音' }));
    await user.click(saveButton());
    await waitFor(() => expect(api.calls.updateSettings).toHaveLength(1));
    const notify = api.calls.updateSettings[0]!.notify!;
    expect(notify.rules.TradeBuyerPay).toEqual({ enabled: true, minAmount: '100.00' });
    expect(notify.rules.TradeSellerShip).toEqual({ enabled: true });
    expect(notify.quietHours).toEqual({ enabled: true, start: '23:00', end: '08:00', allowRefunds: true });
    expect(notify.sound).toBe(false);
  });

  it('shows the validation error main returns, and keeps the edits', async () => {
    const { user, api, saveButton } = setup();
    api.failNext(
      'updateSettings',
      appError('validation', 'bad_address', { setting: 'gatewayBaseUrl', url: 'ftp://x' }),
    );
    const url = screen.getByRole('textbox', { name: '网关地址' });
    await user.clear(url);
    await user.type(url, 'ftp://x');
    await user.click(saveButton());
    expect(
      await screen.findByText('网关地址无效：ftp://x（须以 http:// 或 https:// 开头） — 请修改后再保存。'),
    ).toBeInTheDocument();
    expect(url).toHaveValue('ftp://x');
  });

  it('says when nothing changed', async () => {
    const { user, api, saveButton } = setup();
    await user.click(saveButton());
    expect(screen.getByText('没有更改')).toBeInTheDocument();
    expect(api.calls.updateSettings).toHaveLength(0);
  });

  it('sets start at login, app key and language', async () => {
    const { user, api, saveButton } = setup();
    await user.click(screen.getByRole('checkbox', { name: '开机启动' }));
    const key = screen.getByRole('textbox', { name: 'App Key' });
    await user.clear(key);
    await user.type(key, '87654321');
    await user.selectOptions(screen.getByRole('combobox', { name: '语言' }), 'English');
    await user.click(saveButton());
    await waitFor(() =>
      expect(api.calls.updateSettings).toEqual([{ startAtLogin: true, topAppKey: '87654321', language: 'en' }]),
    );
    expect(await screen.findByText('设置已保存')).toBeInTheDocument();
  });
});

describe('settingsPatch', () => {
  it('holds only the changed keys', () => {
    const saved = makeSettings();
    expect(settingsPatch({ ...saved, vvtype: 3 }, saved)).toEqual({ vvtype: 3 });
    expect(settingsPatch(saved, saved)).toEqual({});
  });
});

describe('SettingsView and the gateway connection', () => {
  it('says plainly that the token crosses the network in clear over http, and not over https or on loopback', () => {
    const plain = setup({
      demo: false,
      gatewayBaseUrl: 'http://api.vv-tool.com',
      gatewayInUse: 'http://api.vv-tool.com',
    });
    expect(screen.getByText(/访问令牌以明文经过网络/)).toBeInTheDocument();
    plain.unmount();
    const upgraded = setup({
      demo: false,
      gatewayBaseUrl: 'http://api.vv-tool.com',
      gatewayInUse: 'https://api.vv-tool.com',
    });
    expect(screen.queryByText(/明文/)).toBeNull();
    expect(screen.getByText('网关支持加密连接：正在使用 https://api.vv-tool.com。')).toBeInTheDocument();
    upgraded.unmount();
    setup({ demo: false, gatewayBaseUrl: 'http://127.0.0.1:8787', gatewayInUse: 'http://127.0.0.1:8787' });
    expect(screen.queryByText(/明文/)).toBeNull();
  });

  it('keeps http as a choice: unticking "use https" saves preferHttps false', async () => {
    const { user, api, saveButton } = setup({ preferHttps: true });
    await user.click(screen.getByRole('checkbox', { name: '网关支持 https 时改用 https' }));
    await user.click(saveButton());
    await waitFor(() => expect(api.calls.updateSettings).toEqual([{ preferHttps: false }]));
  });

  it('says when the token was entered for another host than the one now set', () => {
    setup({ tokenSet: false, gatewayBaseUrl: 'http://gw-b.example', secretHosts: { token: 'api.vv-tool.com' } });
    expect(screen.getByText(/已填写的访问令牌是为 api.vv-tool.com 填写的，不会发往当前网关地址/)).toBeInTheDocument();
  });
});

describe('SettingsView and the team server', () => {
  it('says that redis:// crosses the network in clear, but not for rediss:// or a server on this computer', () => {
    const team = (url: string) => ({ team: { enabled: true, url, seat: '' } });
    const plain = setup(team('redis://192.168.1.10:6379'));
    expect(screen.getByText(/redis:\/\/ 地址不加密/)).toBeInTheDocument();
    plain.unmount();
    const tls = setup(team('rediss://r-abc.redis.rds.aliyuncs.com:6380'));
    expect(screen.queryByText(/不加密/)).toBeNull();
    tls.unmount();
    setup(team('redis://127.0.0.1:6379'));
    expect(screen.queryByText(/不加密/)).toBeNull();
  });

  it('says when the password was entered for another server than the one now set', () => {
    const other = setup({
      team: { enabled: true, url: 'rediss://b.example:6380', seat: '' },
      teamPasswordSet: false,
      secretHosts: { teamPassword: 'a.example:6380' },
    });
    expect(screen.getByText(/团队服务器密码是为 a.example:6380 填写的/)).toBeInTheDocument();
    other.unmount();
    setup({
      team: { enabled: true, url: 'rediss://a.example:6380', seat: '' },
      teamPasswordSet: true,
      secretHosts: { teamPassword: 'a.example:6380' },
    });
    expect(screen.queryByText(/团队服务器密码是为/)).toBeNull();
  });
});
