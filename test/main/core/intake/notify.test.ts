import { describe, expect, it } from 'vitest';
import { parseChinaTime } from '../../../../src/main/core/clock';
import { NotifyPolicy, inQuietHours, type NotifyDeps, type OrderLookup } from '../../../../src/main/core/intake/notify';
import { VirtualClock } from '../../../support/virtualClock';
import type { NotificationSpec, Order, TmcMessage } from '../../../../src/shared/domain';
import { MESSAGES } from '../../../../src/shared/i18n';
import { DEFAULT_NOTIFY, type Language, type NotifySettings } from '../../../../src/shared/settings';

const TID = '1588826713157361977';
let seq = 0;

function msg(over: Partial<TmcMessage> & { short?: string } = {}): TmcMessage {
  const { short = 'TradeBuyerPay', ...rest } = over;
  const group = short.startsWith('Refund') ? 'refund' : short.startsWith('Item') ? 'item' : 'trade';
  return {
    id: String(4540753123187100 + seq++),
    rowId: String(seq),
    shop: 'shop1',
    topic: `taobao_${group}_${short}`,
    pubTime: 0,
    receivedAt: 0,
    tid: TID,
    status: 'WAIT_SELLER_SEND_GOODS',
    payment: '48.00',
    buyerNick: '201314雨洁',
    content: {},
    ...rest,
  };
}

function order(over: Partial<Order> = {}): Order {
  return {
    shop: 'shop1',
    tid: TID,
    items: [{ title: '夏季连衣裙' }, { title: '草帽' }, { title: '太阳镜' }],
    createdAt: 0,
    updatedAt: 0,
    seen: false,
    events: [],
    ...over,
  };
}

function setup(
  opts: { at?: string; settings?: Partial<NotifySettings>; lang?: Language; isOwnEcho?: NotifyDeps['isOwnEcho'] } = {},
) {
  const clock = new VirtualClock({ start: parseChinaTime(opts.at ?? '2024-06-01 12:00:00') });
  const settings: NotifySettings = { ...structuredClone(DEFAULT_NOTIFY), ...opts.settings };
  // Each notification with the words a face would show for it, in the language of the moment.
  const emitted: (NotificationSpec & { title: string; body: string })[] = [];
  let lang: Language = opts.lang ?? 'zh-CN';
  const policy = new NotifyPolicy({
    clock,
    settings: () => settings,
    emit: (n) => emitted.push({ ...n, ...MESSAGES[lang].notification(n) }),
    shopName: (s) => (s === 'shop1' ? '高墣旗舰店' : undefined),
    isOwnEcho: opts.isOwnEcho,
  });
  const orders = new Map<string, Order>([[TID, order()]]);
  const orderOf: OrderLookup = (_shop, tid) => orders.get(tid);
  return {
    clock,
    settings,
    emitted,
    policy,
    orders,
    orderOf,
    setLang: (l: Language) => (lang = l),
    /** Offers and lets the hold window pass. */
    async offer(messages: TmcMessage[]) {
      policy.offer(messages, orderOf);
      await clock.advance(3_000);
    },
  };
}

describe('NotifyPolicy: rules', () => {
  it('notifies paid orders and refund requests by default, not the other topics', async () => {
    const t = setup();
    await t.offer([
      msg({ short: 'TradeCreate', tid: '11', status: 'WAIT_BUYER_PAY' }),
      msg({ short: 'TradeSellerShip', tid: '12' }),
      msg({ short: 'TradeMemoModified', tid: '13', content: { action_type: 'buyer' } }),
      msg({ short: 'ItemAdd', tid: undefined }),
      msg({ short: 'TradeBuyerPay' }),
      msg({ short: 'RefundCreated', tid: '14', content: { refund_id: '77', refund_fee: '12.50' } }),
    ]);
    expect(t.emitted.map((n) => n.topic)).toEqual(['taobao_trade_TradeBuyerPay', 'taobao_refund_RefundCreated']);
    expect(t.emitted[1]!.title).toBe('新退款申请 ¥12.50');
  });

  it('writes one paid order as title with amount and body with buyer, items, shop and tid', async () => {
    const t = setup();
    t.policy.offer([msg()], t.orderOf);
    await t.clock.advance(1_000);
    expect(t.emitted).toHaveLength(0);
    await t.clock.advance(1_000);
    expect(t.emitted).toEqual([
      {
        key: expect.any(String),
        kind: 'order',
        shop: 'shop1',
        tids: [TID],
        topic: 'taobao_trade_TradeBuyerPay',
        sound: true,
        amountFen: 4_800,
        buyer: '201314雨洁',
        items: ['夏季连衣裙', '草帽', '太阳镜'],
        shopName: '高墣旗舰店',
        title: '新付款订单 ¥48.00',
        body: `买家：201314雨洁\n夏季连衣裙、草帽 等 3 件商品\n店铺：高墣旗舰店\n订单号：${TID}`,
      },
    ]);
  });

  it('follows the settings: a rule off, a rule on, a muted shop, sound off', async () => {
    const t = setup({
      settings: {
        rules: { TradeBuyerPay: { enabled: false }, TradeSellerShip: { enabled: true } },
        mutedShops: ['shop2'],
        sound: false,
      },
    });
    await t.offer([
      msg({ tid: '1' }),
      msg({ short: 'TradeSellerShip', tid: '2' }),
      msg({ short: 'TradeSellerShip', tid: '3', shop: 'shop2' }),
    ]);
    expect(t.emitted.map((n) => n.tids)).toEqual([['2']]);
    expect(t.emitted[0]!.sound).toBe(false);
    // A rule the settings do not mention falls back to the defaults: refunds are on.
    await t.offer([msg({ short: 'RefundCreated', tid: '4' })]);
    expect(t.emitted.map((n) => n.tids)).toEqual([['2'], ['4']]);
  });

  it('compares the minimum amount in fen, and lets an unknown amount through', async () => {
    const t = setup({ settings: { rules: { TradeBuyerPay: { enabled: true, minAmount: '100.00' } } } });
    t.orders.clear();
    await t.offer([
      msg({ tid: '1', payment: '99.99' }),
      msg({ tid: '2', payment: '100.00' }),
      msg({ tid: '3', payment: '100.1' }),
      msg({ tid: '4', payment: undefined }),
    ]);
    expect(t.emitted.map((n) => n.tids[0])).toEqual(['2', '3', '4']);
    expect(t.emitted[2]!.title).toBe('新付款订单');

    // 0.1 + 0.2 is not 0.3 in floating point; in fen it is.
    const u = setup({ settings: { rules: { TradeBuyerPay: { enabled: true, minAmount: '0.3' } } } });
    await u.offer([msg({ tid: '5', payment: '0.30' }), msg({ tid: '6', payment: '0.29' })]);
    expect(u.emitted.map((n) => n.tids[0])).toEqual(['5']);
  });

  it('takes the amount from the order when the message has none', async () => {
    const t = setup();
    t.orders.set(TID, order({ payment: '1234.50' }));
    await t.offer([msg({ payment: undefined })]);
    expect(t.emitted[0]!.title).toBe('新付款订单 ¥1,234.50');
  });
});

describe('NotifyPolicy: once per order and status', () => {
  it('notifies an order once although each sub-order brings its own message', async () => {
    const t = setup();
    await t.offer([msg({ oid: '1' }), msg({ oid: '2' }), msg({ oid: '3' })]);
    await t.offer([msg({ oid: '4' })]);
    expect(t.emitted).toHaveLength(1);
  });

  it('notifies the same order again for another topic, and each refund of it', async () => {
    const t = setup({
      settings: {
        rules: {
          TradeBuyerPay: { enabled: true },
          RefundCreated: { enabled: true },
          TradeSellerShip: { enabled: true },
        },
      },
    });
    await t.offer([
      msg(),
      msg({ short: 'TradeSellerShip', status: 'WAIT_BUYER_CONFIRM_GOODS' }),
      msg({ short: 'RefundCreated', content: { refund_id: '1', refund_fee: '5.00' } }),
      msg({ short: 'RefundCreated', content: { refund_id: '2', refund_fee: '6.00' } }),
      msg({ short: 'RefundCreated', content: { refund_id: '2', refund_fee: '6.00' } }),
    ]);
    expect(t.emitted.map((n) => n.title)).toEqual([
      '新付款订单 ¥48.00',
      '订单已发货 ¥48.00',
      '新退款申请 ¥5.00',
      '新退款申请 ¥6.00',
    ]);
  });

  it("after a restart (a new policy), news already in the order's stored events is not notified again; a new refund is", async () => {
    const t = setup();
    const earlier = msg({ oid: '1' });
    const earlierRefund = msg({ short: 'RefundCreated', content: { refund_id: '1', refund_fee: '5.00' } });
    // What the store holds from before the restart, plus the new messages just appended.
    const later = msg({ oid: '2' });
    const sameRefund = msg({ short: 'RefundCreated', content: { refund_id: '1', refund_fee: '5.00' } });
    const newRefund = msg({ short: 'RefundCreated', content: { refund_id: '2', refund_fee: '6.00' } });
    const ev = (m: TmcMessage, refundId?: string) => ({
      msgId: m.id,
      topic: m.topic,
      at: 0,
      status: m.status,
      ...(refundId && { refundId }),
    });
    t.orders.set(
      TID,
      order({ events: [ev(earlier), ev(earlierRefund, '1'), ev(later), ev(sameRefund, '1'), ev(newRefund, '2')] }),
    );
    await t.offer([later, sameRefund, newRefund]);
    expect(t.emitted.map((n) => n.title)).toEqual(['新退款申请 ¥6.00']);
  });

  it('tells apart messages without a tid by their id', async () => {
    const t = setup({ settings: { rules: { ItemZeroStock: { enabled: true } } } });
    await t.offer([
      msg({ short: 'ItemZeroStock', tid: undefined, payment: undefined }),
      msg({ short: 'ItemZeroStock', tid: undefined, payment: undefined }),
    ]);
    expect(t.emitted.map((n) => n.title)).toEqual(['商品售罄', '商品售罄']);
    expect(t.emitted[0]!.tids).toEqual([]);
  });
});

describe('NotifyPolicy: bursts', () => {
  it('turns more than 3 pending of one topic into one summary with the total in fen', async () => {
    const t = setup();
    const tids = Array.from({ length: 50 }, (_, i) => String(3000000000000000000n + BigInt(i)));
    // 50 × ¥246.90 = ¥12,345.00; in floating point the sum drifts.
    await t.offer(tids.map((tid) => msg({ tid, payment: '246.90' })));
    expect(t.emitted).toHaveLength(1);
    const n = t.emitted[0]!;
    expect(n.kind).toBe('summary');
    expect(n.title).toBe('50 笔新付款订单，共 ¥12,345.00');
    expect(n.tids).toEqual(tids);
    expect(n.body).toBe(`订单号：${tids.slice(0, 5).join('、')} 等 50 笔\n店铺：高墣旗舰店`);
    expect(n.shop).toBe('shop1');
  });

  it('keeps up to 3 as individual notifications and summarises per topic', async () => {
    const t = setup();
    await t.offer([
      ...['1', '2', '3'].map((tid) => msg({ tid })),
      ...['4', '5', '6', '7'].map((tid) => msg({ short: 'RefundCreated', tid, content: { refund_fee: '1.00' } })),
    ]);
    expect(t.emitted.map((n) => n.kind)).toEqual(['order', 'order', 'order', 'summary']);
    expect(t.emitted[3]!.title).toBe('4 笔新退款申请，共 ¥4.00');
  });

  it('holds for the window after the first, gathering what comes meanwhile', async () => {
    const t = setup();
    t.policy.offer([msg({ tid: '1' }), msg({ tid: '2' })], t.orderOf);
    await t.clock.advance(1_500);
    t.policy.offer([msg({ tid: '3' }), msg({ tid: '4' })], t.orderOf);
    await t.clock.advance(500);
    expect(t.emitted.map((n) => n.kind)).toEqual(['summary']);
    t.policy.offer([msg({ tid: '5' })], t.orderOf);
    await t.clock.advance(1_999);
    expect(t.emitted).toHaveLength(1);
    await t.clock.advance(1);
    expect(t.emitted.map((n) => n.tids)).toEqual([['1', '2', '3', '4'], ['5']]);
  });

  it('flush() emits at once; dispose() drops what is held', async () => {
    const t = setup();
    t.policy.offer([msg({ tid: '1' })], t.orderOf);
    t.policy.flush();
    expect(t.emitted).toHaveLength(1);
    t.policy.offer([msg({ tid: '2' })], t.orderOf);
    t.policy.dispose();
    await t.clock.advance(10_000);
    expect(t.emitted).toHaveLength(1);
    expect(t.clock.pending).toBe(0);
  });
});

describe('NotifyPolicy: quiet hours and muting', () => {
  const quiet = { enabled: true, start: '23:00', end: '08:00', allowRefunds: true };

  it('reads quiet hours in China time, across midnight, end excluded', () => {
    const at = (s: string) => parseChinaTime(`2024-06-01 ${s}`);
    expect(inQuietHours(quiet, at('22:59:59'))).toBe(false);
    expect(inQuietHours(quiet, at('23:00:00'))).toBe(true);
    expect(inQuietHours(quiet, at('03:00:00'))).toBe(true);
    expect(inQuietHours(quiet, at('07:59:59'))).toBe(true);
    expect(inQuietHours(quiet, at('08:00:00'))).toBe(false);
    const lunch = { ...quiet, start: '12:00', end: '13:30' };
    expect(inQuietHours(lunch, at('12:45:00'))).toBe(true);
    expect(inQuietHours(lunch, at('13:30:00'))).toBe(false);
    expect(inQuietHours(lunch, at('23:00:00'))).toBe(false);
    expect(inQuietHours({ ...quiet, enabled: false }, at('03:00:00'))).toBe(false);
    expect(inQuietHours({ ...quiet, start: '8:00', end: '8:00' }, at('08:00:00'))).toBe(false);
    expect(inQuietHours({ ...quiet, start: 'late' }, at('03:00:00'))).toBe(false);
  });

  it('lets only refunds through during quiet hours when allowed', async () => {
    const t = setup({ at: '2024-06-01 23:30:00', settings: { quietHours: quiet } });
    await t.offer([msg({ tid: '1' }), msg({ short: 'RefundCreated', tid: '2' })]);
    expect(t.emitted.map((n) => n.tids[0])).toEqual(['2']);
    const u = setup({ at: '2024-06-01 23:30:00', settings: { quietHours: { ...quiet, allowRefunds: false } } });
    await u.offer([msg({ tid: '1' }), msg({ short: 'RefundCreated', tid: '2' })]);
    expect(u.emitted).toHaveLength(0);
  });

  it('muteFor silences everything until it ends; unmute ends it early', async () => {
    const t = setup();
    t.policy.muteFor(30);
    expect(t.policy.mutedUntil).toBe(t.clock.now() + 30 * 60_000);
    await t.offer([msg({ tid: '1' }), msg({ short: 'RefundCreated', tid: '2' })]);
    expect(t.emitted).toHaveLength(0);
    await t.clock.advance(30 * 60_000);
    expect(t.policy.mutedUntil).toBeUndefined();
    await t.offer([msg({ tid: '3' })]);
    expect(t.emitted).toHaveLength(1);
    t.policy.muteFor(60);
    t.policy.unmute();
    await t.offer([msg({ tid: '4' })]);
    expect(t.emitted).toHaveLength(2);
  });

  it('drops what is held when muted during the window', async () => {
    const t = setup();
    t.policy.offer([msg({ tid: '1' })], t.orderOf);
    t.policy.muteFor(10);
    await t.clock.advance(3_000);
    expect(t.emitted).toHaveLength(0);
  });
});

describe('NotifyPolicy: echoes of the user’s own memo edits', () => {
  const memoOn = { rules: { ...DEFAULT_NOTIFY.rules, TradeMemoModified: { enabled: true } } };
  const memoMsg = (content: Record<string, unknown>) => msg({ short: 'TradeMemoModified', status: undefined, content });

  it('does not notify the echo of a saved memo, but does notify someone else’s edit', async () => {
    const t = setup({ settings: memoOn });
    t.policy.expectEcho('shop1', TID, '加急', 1);
    await t.offer([memoMsg({ action_type: 'seller', seller_memo: '加急', seller_flag: 1 })]);
    expect(t.emitted).toHaveLength(0);
    await t.offer([memoMsg({ action_type: 'seller', seller_memo: '另一位客服改的', seller_flag: 1 })]);
    expect(t.emitted).toHaveLength(1);
    expect(t.emitted[0]!.body).toContain('备注：另一位客服改的');
  });

  it('matches the echo by shop, tid, flag and time', async () => {
    const t = setup({ settings: memoOn });
    t.policy.expectEcho('shop1', TID, 'm', 2);
    await t.offer([memoMsg({ action_type: 'seller', seller_memo: 'm', seller_flag: '3' })]);
    expect(t.emitted).toHaveLength(1);

    const u = setup({ settings: memoOn });
    u.policy.expectEcho('shop1', TID, 'm', 2);
    await u.clock.advance(11 * 60_000);
    await u.offer([memoMsg({ action_type: 'seller', seller_memo: 'm', seller_flag: 2 })]);
    expect(u.emitted).toHaveLength(1);

    const v = setup({ settings: memoOn });
    v.policy.expectEcho('shop1', TID, 'm', 2);
    await v.offer([memoMsg({ action_type: 'seller' })]);
    expect(v.emitted).toHaveLength(0);
  });

  it('asks isOwnEcho too, and leaves memo edits un-notified by default', async () => {
    const t = setup({ settings: memoOn, isOwnEcho: (m) => m.content.client === 'mine' });
    await t.offer([memoMsg({ action_type: 'seller', client: 'mine' })]);
    expect(t.emitted).toHaveLength(0);
    const u = setup();
    await u.offer([memoMsg({ action_type: 'buyer', seller_memo: 'x' })]);
    expect(u.emitted).toHaveLength(0);
  });
});

describe('NotifyPolicy: what it tells, in words from the catalogue', () => {
  it('reads in English when the face words it so, for single notifications and summaries', async () => {
    const t = setup({ lang: 'en' });
    await t.offer([msg({ tid: '1' })]);
    expect(t.emitted[0]!.title).toBe('New paid order ¥48.00');
    expect(t.emitted[0]!.body).toBe('Buyer: 201314雨洁\nShop: 高墣旗舰店\nOrder 1');
    await t.offer(['2', '3', '4', '5', '6', '7'].map((tid) => msg({ tid, payment: '1000.00' })));
    expect(t.emitted[1]!.title).toBe('New paid order ×6, ¥6,000.00 in total');
    expect(t.emitted[1]!.body).toBe('Orders 2, 3, 4, 5, 6 and 1 more\nShops: 高墣旗舰店');
    t.setLang('zh-CN');
    await t.offer([msg({ tid: '8' })]);
    expect(t.emitted[2]!.title).toBe('新付款订单 ¥48.00');
  });
});

describe('memory', () => {
  it('keeps what it remembers small when the wire sends statuses the size of an answer', () => {
    const { policy, orderOf } = setup();
    const huge = 'S'.repeat(100_000);
    for (let i = 0; i < 50; i++) policy.offer([msg({ tid: String(1000 + i), status: `${huge}${i}` })], orderOf);
    const recent = (policy as unknown as { recent: Set<string> }).recent;
    expect(recent.size).toBe(50);
    let chars = 0;
    for (const key of recent) chars += key.length;
    expect(chars).toBeLessThan(50 * 200);
    // Still one notification per order and status: the same news again is not news.
    policy.offer([msg({ tid: '1000', status: `${huge}0` })], orderOf);
    expect(recent.size).toBe(50);
  });
});
