import { describe, expect, it } from 'vitest';
import { MemorySettingsStore } from '../../../src/main/core/ports';
import { LiveSettings } from '../../../src/main/core/settings';
import type { AppError } from '../../../src/shared/errors';
import { MESSAGES } from '../../../src/shared/i18n';
import type { Result } from '../../../src/shared/result';
import { DEFAULT_SETTINGS, type Settings, type ShopSettings } from '../../../src/shared/settings';

const shop = (id: string): ShopSettings => ({ id, name: id, colour: '#888888', enabled: true });

function setup(over: Partial<Settings> = {}) {
  const store = new MemorySettingsStore({ ...structuredClone(DEFAULT_SETTINGS), shops: [shop('shop1')], ...over });
  return { store, settings: new LiveSettings(store) };
}

function refusal(r: Result<unknown>): AppError {
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('not refused');
  expect(r.error.kind).toBe('validation');
  return r.error;
}

describe('LiveSettings.update', () => {
  it('saves a valid patch and answers with the settings before and after', () => {
    const { store, settings } = setup();
    const r = settings.update({ language: 'en', polling: { mode: 'custom', customCeilingMs: 30_000 } });
    expect(r.ok).toBe(true);
    if (r.ok) expect([r.value.before.language, r.value.after.language]).toEqual(['zh-CN', 'en']);
    expect(store.load().polling).toEqual({ mode: 'custom', customCeilingMs: 30_000 });
    expect(settings.current.language).toBe('en');
  });

  it('refuses an invalid shop id and keeps the old settings', () => {
    const { store, settings } = setup();
    expect(refusal(settings.update({ shops: [shop('a b')] }))).toMatchObject({
      code: 'bad_shop_id',
      params: { id: 'a b' },
    });
    expect(store.load().shops.map((s) => s.id)).toEqual(['shop1']);
    expect(settings.current.shops.map((s) => s.id)).toEqual(['shop1']);
  });

  it('refuses the same shop twice', () => {
    const { settings } = setup();
    expect(refusal(settings.update({ shops: [shop('shop1'), shop('shop2'), shop('shop1')] }))).toMatchObject({
      code: 'duplicate_shop',
      params: { id: 'shop1' },
    });
  });

  it('refuses a custom ceiling that is missing or outside 1 s .. 1 h, in the words of the settings page', () => {
    const { settings } = setup();
    for (const polling of [
      { mode: 'custom' as const },
      { mode: 'custom' as const, customCeilingMs: 999 },
      { mode: 'custom' as const, customCeilingMs: 3_600_001 },
    ]) {
      const error = refusal(settings.update({ polling }));
      expect(error).toMatchObject({ code: 'bad_custom_ceiling', params: { minSeconds: 1, maxSeconds: 3_600 } });
      expect(MESSAGES['zh-CN'].errorText(error)).toBe('自定义轮询间隔须在 1 到 3600 秒之间');
    }
    expect(settings.update({ polling: { mode: 'custom', customCeilingMs: 1_000 } }).ok).toBe(true);
  });

  it('refuses addresses that are not http(s), and any other value the contract refuses', () => {
    const { settings } = setup();
    expect(refusal(settings.update({ gatewayBaseUrl: 'ftp://x' }))).toMatchObject({
      code: 'bad_address',
      params: { setting: 'gatewayBaseUrl', url: 'ftp://x' },
    });
    expect(refusal(settings.update({ topBaseUrl: 'https://user:pw@eco.taobao.com/router/rest' }))).toMatchObject({
      code: 'bad_address',
      params: { setting: 'topBaseUrl' },
    });
    expect(refusal(settings.update({ vvtype: 4 as never }))).toMatchObject({
      code: 'bad_setting',
      params: { path: 'vvtype' },
    });
  });
});

describe('LiveSettings secrets', () => {
  it('stores a trimmed secret and refuses an empty one or one with spaces', () => {
    const { store, settings } = setup();
    expect(settings.setSecret('token', '  tok-123  ').ok).toBe(true);
    expect(store.getSecret('token')).toBe('tok-123');
    expect(refusal(settings.setSecret('token', '   ')).code).toBe('bad_secret');
    expect(refusal(settings.setSecret('token', 'a b')).code).toBe('bad_secret');
    expect(store.getSecret('token')).toBe('tok-123');
    expect(settings.setSecret('token', null).ok).toBe(true);
    expect(store.getSecret('token')).toBeNull();
  });

  it('scrubs every secret in use from text', () => {
    const { settings } = setup();
    settings.setSecret('token', 'tok-123');
    settings.setSecret('topSecret', 'sec-456');
    expect(settings.redact('token tok-123 and sec-456')).not.toMatch(/tok-123|sec-456/);
  });

  it('shows the window whether secrets are set, never their values, and whether they persist', () => {
    const { store, settings } = setup();
    settings.setSecret('token', 'tok-123');
    const view = settings.publicView([shop('shop1')], false);
    expect(view).toMatchObject({ tokenSet: true, topSecretSet: false, demo: false, secretsPersisted: true });
    expect(JSON.stringify(view)).not.toContain('tok-123');
    Object.defineProperty(store, 'secretsPersisted', { value: false });
    expect(settings.publicView([], true)).toMatchObject({ secretsPersisted: false, demo: true, shops: [] });
  });
});

describe('LiveSettings: a secret is kept for the host it was entered for', () => {
  it('hands the token out only while the gateway points at its host, and again once it points back', () => {
    const { settings } = setup();
    settings.setSecret('token', 'tok-123');
    expect(settings.current.secretHosts).toEqual({ token: 'api.vv-tool.com' });
    expect(settings.update({ gatewayBaseUrl: 'https://api.vv-tool.com/' }).ok).toBe(true);
    expect(settings.secret('token')).toBe('tok-123');
    settings.update({ gatewayBaseUrl: 'http://evil.example' });
    expect(settings.secret('token')).toBeNull();
    expect(settings.publicView([], false).tokenSet).toBe(false);
    expect(settings.secretHost('token')).toBe('api.vv-tool.com');
    // Still scrubbed from logs while kept for another host.
    expect(settings.redact('Bearer-less tok-123')).not.toContain('tok-123');
    settings.update({ gatewayBaseUrl: 'http://api.vv-tool.com' });
    expect(settings.secret('token')).toBe('tok-123');
  });

  it('binds the TOP secret and session to the router, and a token entered for a new host to that host', () => {
    const { settings } = setup();
    settings.setSecret('topSession', 'sess-1');
    settings.update({ topBaseUrl: 'https://gw.api.taobao.com/router/rest', gatewayBaseUrl: 'http://127.0.0.1:8787' });
    expect(settings.secret('topSession')).toBeNull();
    settings.setSecret('token', 'tok-local');
    expect(settings.current.secretHosts).toEqual({ topSession: 'eco.taobao.com', token: '127.0.0.1:8787' });
  });

  it('binds a secret stored before the rule existed to the host in use when it is first seen', () => {
    const store = new MemorySettingsStore({
      ...structuredClone(DEFAULT_SETTINGS),
      gatewayBaseUrl: 'http://gw.example',
    });
    store.setSecret('token', 'legacy');
    const settings = new LiveSettings(store);
    expect(store.load().secretHosts).toEqual({ token: 'gw.example' });
    settings.update({ gatewayBaseUrl: 'http://other.example' });
    expect(settings.secret('token')).toBeNull();
  });

  it('never takes the binding from a patch (the window cannot move a secret to another host)', () => {
    const { settings } = setup();
    settings.setSecret('token', 'tok-123');
    const r = settings.update({ gatewayBaseUrl: 'http://evil.example', secretHosts: { token: 'evil.example' } });
    expect(r.ok).toBe(true);
    expect(settings.current.secretHosts).toEqual({ token: 'api.vv-tool.com' });
    expect(settings.secret('token')).toBeNull();
  });
});
