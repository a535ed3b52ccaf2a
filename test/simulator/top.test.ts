import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { formatChinaTime } from '../../src/main/core/clock';
import { parseJsonLossless } from '../../src/main/core/json';
import { startSimulator, type Simulator } from '../../src/simulator';
import { signTop, type TopSignMethod } from '../../src/main/core/top/sign';
import { ManualClock } from '../main/core/gateway/timeHelpers';
import { BCRO, post, TOP } from './http';

const T0 = Date.UTC(2026, 10, 22, 4, 0, 0);
const APP_KEY = '23456789';
const SECRET = 'sim-test-secret';
const PERMIT = 'taobao.jindoucloud.message.authorize.permit';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(clock = new ManualClock(T0)): Promise<{ s: Simulator; clock: ManualClock }> {
  sim = await startSimulator({ clock, topAppKey: APP_KEY, topSecret: SECRET, echoDelayMs: 1000 });
  return { s: sim, clock };
}

function signed(
  params: Record<string, string>,
  opts: { method?: TopSignMethod; secret?: string; now?: number } = {},
): Record<string, string> {
  const method = opts.method ?? 'hmac-sha256';
  const form: Record<string, string> = {
    method: PERMIT,
    app_key: APP_KEY,
    session: 'seller-session',
    timestamp: formatChinaTime(opts.now ?? T0),
    format: 'json',
    v: '2.0',
    sign_method: method,
    ...params,
  };
  return { ...form, sign: signTop(form, opts.secret ?? SECRET, method) };
}

async function permit(s: Simulator, form: Record<string, string>): Promise<Record<string, any>> {
  const res = await post(s.url, TOP, form, { token: null, urlencoded: true });
  expect(res.status).toBe(200);
  return parseJsonLossless(res.text) as Record<string, any>;
}

describe('TOP permit', () => {
  it.each(['md5', 'hmac', 'hmac-sha256'] as const)(
    'accepts a request signed with %s and answers the subscriptions',
    async (method) => {
      const { s } = await start();
      const body = await permit(s, signed({ open_sub_info: JSON.stringify({ item: ['ItemAdd'] }) }, { method }));
      const info = body.jindoucloud_message_authorize_permit_response.authorize_info;
      expect(info).toMatchObject({ status: 'valid_session', created: '2026-11-22 12:00:00' });
      expect(info.subscriptions.subscription).toContainEqual({ topic: 'item', status: 'ItemAdd' });
      expect(info.subscriptions.subscription).toContainEqual({ topic: 'trade', status: 'TradeBuyerPay' });
      expect(s.subscriptions().item).toEqual(['ItemAdd']);
    },
  );

  it('refuses a bad signature with code 25 and leaves the subscriptions alone', async () => {
    const { s } = await start();
    const before = s.subscriptions();
    const tampered = { ...signed({ open_sub_info: '{"item":["ItemAdd"]}' }), open_sub_info: '{"item":["ItemDelete"]}' };
    for (const form of [tampered, signed({ open_sub_info: '{"item":["ItemAdd"]}' }, { secret: 'wrong' })]) {
      expect(await permit(s, form)).toMatchObject({
        error_response: { code: 25, msg: 'Invalid signature', sub_code: 'isv.invalid-signature' },
      });
    }
    expect(s.subscriptions()).toEqual(before);
  });

  it('checks the common fields like the router', async () => {
    const { s } = await start();
    expect((await permit(s, signed({ method: 'taobao.other' }))).error_response.code).toBe(22);
    expect((await permit(s, signed({ app_key: '999' }))).error_response.code).toBe(29);
    expect((await permit(s, signed({}, { now: T0 - 11 * 60_000 }))).error_response.code).toBe(31);
    expect((await permit(s, signed({}, { now: T0 + 9 * 60_000 }))).error_response).toBeUndefined();
    expect((await permit(s, signed({ session: '' }))).error_response.code).toBe(26);
    const { sign: _sign, ...unsigned } = signed({});
    expect((await permit(s, unsigned)).error_response.code).toBe(24);
  });

  it('opens and stops statuses, expands "all", and refuses unknown ones', async () => {
    const { s } = await start();
    await permit(
      s,
      signed({
        stop_sub_info: JSON.stringify({ trade: ['TradeCreate', 'TradeClose'] }),
        open_sub_info: JSON.stringify({ refund: ['all'] }),
      }),
    );
    const subs = s.subscriptions();
    expect(subs.trade).not.toContain('TradeCreate');
    expect(subs.trade).not.toContain('TradeClose');
    expect(subs.trade).toContain('TradeBuyerPay');
    expect(subs.refund).toEqual(
      expect.arrayContaining(['RefundCreated', 'RefundSellerAgreeAgreement', 'RefundClosed']),
    );
    for (const bad of ['{"trade":["TradeNope"]}', '{"shop":["x"]}', 'not json', '["trade"]']) {
      expect((await permit(s, signed({ open_sub_info: bad }))).error_response).toMatchObject({
        code: 50,
        sub_code: 'isv.invalid-parameter',
      });
    }
    expect(s.subscriptions()).toEqual(subs);
  });

  it('gives the bare list when asked to simplify, and reads fields from the query string too', async () => {
    const { s } = await start();
    const form = signed({ simplify: 'true' });
    const query = new URLSearchParams({
      method: form.method ?? '',
      app_key: APP_KEY,
      sign: form.sign ?? '',
    }).toString();
    const rest = Object.fromEntries(Object.entries(form).filter(([k]) => !['method', 'app_key', 'sign'].includes(k)));
    const res = await request(`${s.url}${TOP}?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(rest).toString(),
    });
    const body = parseJsonLossless(await res.body.text()) as Record<string, any>;
    expect(Array.isArray(body.jindoucloud_message_authorize_permit_response.authorize_info.subscriptions)).toBe(true);
  });

  it('stops the bcro echo once TradeMemoModified is unsubscribed', async () => {
    const { s, clock } = await start();
    await permit(s, signed({ stop_sub_info: JSON.stringify({ trade: ['TradeMemoModified'] }) }));
    await post(s.url, BCRO, { shop_id: 'demo-shop-1', tid: '1588826713157361977', memo: '加急', flag: '1' });
    await clock.advance(2000);
    expect(s.queueLength('demo-shop-1')).toBe(0);
    await permit(s, signed({ open_sub_info: JSON.stringify({ trade: ['TradeMemoModified'] }) }, { now: clock.now() }));
    await post(s.url, BCRO, { shop_id: 'demo-shop-1', tid: '1588826713157361977', memo: '加急', flag: '1' });
    await clock.advance(2000);
    expect(s.queueLength('demo-shop-1')).toBe(1);
  });
});
