import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { TradebellApi } from '../../src/shared/api';
import {
  EVENTS,
  EVENT_NAMES,
  INVOKE,
  INVOKE_METHODS,
  completeSettingsSchema,
  settingsPatchSchema,
  settingsSchema,
  subscriptionName,
  type EventName,
  type InvokeContract,
  type InvokeHandlers,
  type InvokeMethod,
  type WireAnswer,
} from '../../src/shared/ipc';
import type { Result } from '../../src/shared/result';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';

const args = <M extends InvokeMethod>(method: M, ...values: unknown[]) => INVOKE[method].args.safeParse(values).success;

describe('the IPC contract', () => {
  it('has one channel per API method and one event per subscription, all distinct', () => {
    const api: Record<keyof TradebellApi, true> = {
      getState: true,
      listOrders: true,
      changedOrders: true,
      orderHistory: true,
      markSeen: true,
      remark: true,
      getSettings: true,
      updateSettings: true,
      setSecret: true,
      pause: true,
      resume: true,
      mute: true,
      getSubscriptions: true,
      changeSubscriptions: true,
      openExternal: true,
      copyText: true,
      onState: true,
      onOrdersChanged: true,
      onNavigate: true,
    };
    const invoke = Object.keys(api).filter((k) => !k.startsWith('on'));
    expect([...INVOKE_METHODS].sort()).toEqual(invoke.sort());
    expect(EVENT_NAMES.map(subscriptionName).sort()).toEqual(
      Object.keys(api)
        .filter((k) => k.startsWith('on'))
        .sort(),
    );
    const channels = [...INVOKE_METHODS.map((m) => INVOKE[m].channel), ...EVENT_NAMES.map((e) => EVENTS[e])];
    expect(new Set(channels).size).toBe(channels.length);
  });

  it('is checked by the compiler', () => {
    expectTypeOf<EventName>().toEqualTypeOf<'state' | 'ordersChanged' | 'navigate'>();
    expectTypeOf<WireAnswer<'getState'>>().toEqualTypeOf<Result<Awaited<ReturnType<TradebellApi['getState']>>>>();
    expectTypeOf<WireAnswer<'remark'>>().toEqualTypeOf<Awaited<ReturnType<TradebellApi['remark']>>>();
    // A contract missing a method, or with a validator of the wrong type, does not compile.
    const { copyText: _dropped, ...missing } = INVOKE;
    // @ts-expect-error copyText has no channel
    const incomplete: InvokeContract = missing;
    // @ts-expect-error pause takes a shop id string, not a number
    const wrong: InvokeContract = { ...INVOKE, pause: { ...INVOKE.pause, args: z.tuple([z.number()]) } };
    // @ts-expect-error main must register a handler for every channel
    const handlers: InvokeHandlers = {};
    expect([incomplete, wrong, handlers]).toHaveLength(3);
  });

  it('marks which answers the preload unwraps', () => {
    expect(INVOKE_METHODS.filter((m) => INVOKE[m].answer === 'plain').sort()).toEqual(['getSettings', 'getState']);
  });
});

describe('argument validators', () => {
  it('accepts well-formed calls', () => {
    expect(args('getState')).toBe(true);
    expect(
      args('listOrders', {
        shop: 'shop_1',
        flag: 3,
        tids: ['1588826713157361977'],
        limit: 50,
        offset: 0,
        search: '连衣裙',
      }),
    ).toBe(true);
    expect(args('markSeen', ['1588826713157361977'])).toBe(true);
    expect(args('remark', { shop: 's1', tid: '1588826713157361977', memo: '加急'.repeat(100), flag: 5 })).toBe(true);
    expect(args('setSecret', 'token', 'abcDEF123-_.')).toBe(true);
    expect(args('setSecret', 'topSession', null)).toBe(true);
    expect(args('pause')).toBe(true);
    expect(args('pause', 'shop1')).toBe(true);
    expect(args('mute', 0)).toBe(true);
    expect(args('mute', 1440)).toBe(true);
    expect(
      args('changeSubscriptions', { open: { trade: ['TradeBuyerPay'] }, stop: { refund: ['RefundCreated'] } }),
    ).toBe(true);
    expect(args('openExternal', 'https://trade.taobao.com/x')).toBe(true);
    expect(args('copyText', 'x'.repeat(10_000))).toBe(true);
  });

  it('refuses extra, missing and mistyped arguments', () => {
    expect(args('getState', 1)).toBe(false);
    expect(args('markSeen')).toBe(false);
    expect(args('markSeen', ['12', 'abc'])).toBe(false);
    expect(args('markSeen', [1588826713157361977])).toBe(false);
    expect(args('pause', 'shop1', 'shop2')).toBe(false);
    expect(args('pause', 'bad shop id')).toBe(false);
    expect(args('listOrders', { unknown: 1 })).toBe(false);
    expect(args('listOrders', { limit: 0 })).toBe(false);
    expect(args('listOrders', { limit: 1.5 })).toBe(false);
  });

  it('checks remark fields: tid digits, flag 0..5, memo text within the cap', () => {
    const ok = { shop: 's1', tid: '1588826713157361977', memo: 'm', flag: 1 };
    expect(args('remark', ok)).toBe(true);
    expect(args('remark', { ...ok, tid: '12a' })).toBe(false);
    expect(args('remark', { ...ok, tid: 1588826713157361977 })).toBe(false);
    expect(args('remark', { ...ok, flag: 6 })).toBe(false);
    expect(args('remark', { ...ok, flag: 1.5 })).toBe(false);
    expect(args('remark', { ...ok, flag: -1 })).toBe(false);
    expect(args('remark', { ...ok, memo: 5 })).toBe(false);
    expect(args('remark', { ...ok, memo: 'x'.repeat(1001) })).toBe(false);
    expect(args('remark', { ...ok, extra: true })).toBe(false);
    // A memo or flag left out is kept (the core sends the one it knows).
    expect(args('remark', { shop: ok.shop, tid: ok.tid, flag: 1 })).toBe(true);
    expect(args('remark', { shop: ok.shop, tid: ok.tid, memo: '' })).toBe(true);
    expect(args('remark', { ...ok, memo: null })).toBe(false);
  });

  it('checks secrets, mute minutes and text sizes', () => {
    expect(args('setSecret', 'password', 'x')).toBe(false);
    expect(args('setSecret', 'token', '')).toBe(false);
    expect(args('setSecret', 'token', 'a b')).toBe(false);
    expect(args('setSecret', 'token', 'abc\r\nX-Evil: 1')).toBe(false);
    expect(args('setSecret', 'token', 'x'.repeat(4097))).toBe(false);
    expect(args('setSecret', 'token', 'x'.repeat(4096))).toBe(true);
    expect(args('mute', 1441)).toBe(false);
    expect(args('mute', -1)).toBe(false);
    expect(args('mute', 1.5)).toBe(false);
    expect(args('copyText', 'x'.repeat(10_001))).toBe(false);
    expect(args('openExternal', 42)).toBe(false);
    expect(args('changeSubscriptions', { open: { orders: ['X'] }, stop: {} })).toBe(false);
  });
});

describe('the settings schema', () => {
  const patch = (p: unknown) => settingsPatchSchema.safeParse(p).success;

  it('accepts the defaults and partial patches', () => {
    expect(settingsSchema.safeParse(DEFAULT_SETTINGS).success).toBe(true);
    expect(patch({})).toBe(true);
    expect(patch({ language: 'en', vvtype: 3 })).toBe(true);
    expect(patch({ polling: { mode: 'custom', customCeilingMs: 30_000 } })).toBe(true);
    expect(patch({ shops: [{ id: 'shop-1', name: '店', colour: '#ff7a45', enabled: true }] })).toBe(true);
  });

  it('refuses unknown keys at every level', () => {
    expect(patch({ token: 'x' })).toBe(false);
    expect(patch({ polling: { mode: 'balanced', extra: 1 } })).toBe(false);
    expect(
      patch({ notify: { ...DEFAULT_SETTINGS.notify, quietHours: { ...DEFAULT_SETTINGS.notify.quietHours, x: 1 } } }),
    ).toBe(false);
    expect(patch(JSON.parse('{"__proto__": {"polluted": true}}'))).toBe(false);
  });

  it('lets the window choose https, never which host a secret belongs to', () => {
    expect(patch({ preferHttps: false })).toBe(true);
    expect(patch({ secretHosts: { token: 'evil.example' } })).toBe(false);
  });

  it('checks urls, times, enums and ranges', () => {
    expect(patch({ gatewayBaseUrl: 'https://api.vv-tool.com' })).toBe(true);
    expect(patch({ gatewayBaseUrl: 'http://127.0.0.1:8080' })).toBe(true);
    expect(patch({ gatewayBaseUrl: 'javascript:alert(1)' })).toBe(false);
    expect(patch({ gatewayBaseUrl: 'file:///etc/passwd' })).toBe(false);
    expect(patch({ gatewayBaseUrl: 'ftp://x' })).toBe(false);
    expect(patch({ topBaseUrl: 'https://user:pw@eco.taobao.com/router/rest' })).toBe(false);
    const quiet = (start: string) =>
      patch({ notify: { ...DEFAULT_SETTINGS.notify, quietHours: { ...DEFAULT_SETTINGS.notify.quietHours, start } } });
    expect(quiet('22:30')).toBe(true);
    expect(quiet('24:00')).toBe(false);
    expect(quiet('7:00')).toBe(false);
    expect(patch({ polling: { mode: 'turbo' } })).toBe(false);
    expect(patch({ vvtype: 4 })).toBe(false);
    expect(patch({ vvtype: 0 })).toBe(false);
    expect(patch({ language: 'fr' })).toBe(false);
    expect(patch({ shops: [{ id: 's', name: 'n', colour: 'red;background:url(x)', enabled: true }] })).toBe(false);
  });

  it('caps memo templates by count and by UTF-8 bytes', () => {
    expect(patch({ memoTemplates: Array(50).fill('加急') })).toBe(true);
    expect(patch({ memoTemplates: Array(51).fill('加急') })).toBe(false);
    expect(patch({ memoTemplates: ['字'.repeat(333)] })).toBe(true);
    // 334 characters but 1002 bytes: over the gateway's limit.
    expect(patch({ memoTemplates: ['字'.repeat(334)] })).toBe(false);
    expect(patch({ memoTemplates: [42] })).toBe(false);
  });
});

describe('the settings rules beyond one field', () => {
  const shop = (id: string) => ({ id, name: id, colour: '#888', enabled: true });

  it('refuses a shop listed twice, in a patch as in the whole', () => {
    expect(settingsPatchSchema.safeParse({ shops: [shop('a'), shop('b')] }).success).toBe(true);
    const twice = settingsPatchSchema.safeParse({ shops: [shop('a'), shop('b'), shop('a')] });
    expect(twice.success).toBe(false);
    expect(twice.error?.issues[0]?.path).toEqual(['shops', 2, 'id']);
  });

  it('lets a patch choose custom polling before its ceiling is typed, but not the whole settings', () => {
    const custom = { polling: { mode: 'custom' } };
    expect(settingsPatchSchema.safeParse(custom).success).toBe(true);
    expect(completeSettingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...custom }).success).toBe(false);
    expect(
      completeSettingsSchema.safeParse({ ...DEFAULT_SETTINGS, polling: { mode: 'custom', customCeilingMs: 5_000 } })
        .success,
    ).toBe(true);
  });
});
