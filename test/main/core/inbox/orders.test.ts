import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrdersView, type SavedOrder } from '../../../../src/main/core/inbox/orders';
import {
  compareNewestFirst,
  orderKey,
  type Order,
  type OrderSummary,
  type TmcMessage,
} from '../../../../src/shared/domain';
import { MINUTE, SHOP, T0, trade } from './helpers';

function viewOf(...messages: TmcMessage[]): OrdersView {
  const view = new OrdersView();
  for (const m of messages) view.applyMessage(m);
  return view;
}

const TID = '1588826713157361977';

function refund(topic: string, at: number, content: Record<string, unknown>): TmcMessage {
  return trade(TID, `taobao_refund_${topic}`, at, content);
}

describe('OrdersView folding', () => {
  it('keeps the latest status by pub time when messages arrive out of order', () => {
    const view = viewOf(
      trade(TID, 'TradeSuccess', T0 + 3 * MINUTE, { status: 'TRADE_FINISHED' }),
      trade(TID, 'TradeBuyerPay', T0 + MINUTE, { status: 'WAIT_SELLER_SEND_GOODS', payment: '48.00' }),
      trade(TID, 'TradeCreate', T0, { status: 'WAIT_BUYER_PAY', payment: '50.00', buyer_nick: '雨洁' }),
    );
    const o = view.get(SHOP, TID)!;
    expect(o.status).toBe('TRADE_FINISHED');
    expect(o.payment).toBe('48.00');
    expect(o.buyerNick).toBe('雨洁');
    expect(o.createdAt).toBe(T0);
    expect(o.updatedAt).toBe(T0 + 3 * MINUTE);
    expect(o.events.map((e) => [e.topic, e.at, e.status])).toEqual([
      ['taobao_trade_TradeCreate', T0, 'WAIT_BUYER_PAY'],
      ['taobao_trade_TradeBuyerPay', T0 + MINUTE, 'WAIT_SELLER_SEND_GOODS'],
      ['taobao_trade_TradeSuccess', T0 + 3 * MINUTE, 'TRADE_FINISHED'],
    ]);
  });

  it('breaks a tie in pub time by how far along the trade is', () => {
    const view = viewOf(
      trade(TID, 'TradeSellerShip', T0, { status: 'WAIT_BUYER_CONFIRM_GOODS' }),
      trade(TID, 'TradeBuyerPay', T0, { status: 'WAIT_SELLER_SEND_GOODS' }),
    );
    expect(view.get(SHOP, TID)!.status).toBe('WAIT_BUYER_CONFIRM_GOODS');
  });

  it('reads the status from the topic when the content has none', () => {
    const view = viewOf(trade(TID, 'TradeBuyerPay', T0), trade('2', 'TradeClose', T0));
    expect(view.get(SHOP, TID)!.status).toBe('WAIT_SELLER_SEND_GOODS');
    expect(view.get(SHOP, '2')!.status).toBe('TRADE_CLOSED');
  });

  it('collects one item per oid, filling in what each message carries', () => {
    const view = viewOf(
      trade(TID, 'TradeCreate', T0, { oid: '111', title: '红色 T 恤', num: 2, price: '24.00' }),
      trade(TID, 'TradeCreate', T0, { oid: '222', title: 'Blue Mug', num: '1' }),
      trade(TID, 'TradeBuyerPay', T0 + MINUTE, { oid: '111' }),
    );
    expect(view.get(SHOP, TID)!.items).toEqual([
      { oid: '111', title: '红色 T 恤', num: 2, price: '24.00' },
      { oid: '222', title: 'Blue Mug', num: 1 },
    ]);
  });

  it('takes memo and flag from TradeMemoModified, the latest by pub time', () => {
    const view = viewOf(
      trade(TID, 'TradeMemoModified', T0 + 2 * MINUTE, {
        seller_memo: '发顺丰',
        seller_flag: 1,
        action_type: 'seller',
      }),
      trade(TID, 'TradeMemoModified', T0 + MINUTE, { seller_memo: 'old', seller_flag: '3' }),
    );
    expect(view.get(SHOP, TID)).toMatchObject({ memo: '发顺丰', flag: 1 });
    view.applyMessage(trade(TID, 'TradeMemoModified', T0 + 3 * MINUTE, { seller_flag: '4' }));
    expect(view.get(SHOP, TID)).toMatchObject({ memo: '发顺丰', flag: 4 });
  });

  it('applies a recorded remark unless a later memo change is known, and creates the order if need be', () => {
    const view = viewOf(
      trade(TID, 'TradeMemoModified', T0 + 5 * MINUTE, { seller_memo: 'from qianniu', seller_flag: 2 }),
    );
    view.applyRemark(SHOP, TID, 'mine', 1, T0 + MINUTE);
    expect(view.get(SHOP, TID)).toMatchObject({ memo: 'from qianniu', flag: 2 });
    view.applyRemark(SHOP, TID, 'mine', 1, T0 + 6 * MINUTE);
    expect(view.get(SHOP, TID)).toMatchObject({ memo: 'mine', flag: 1 });
    view.applyRemark(SHOP, '77', '', 5, T0);
    expect(view.get(SHOP, '77')).toMatchObject({ memo: '', flag: 5, seen: true, createdAt: T0, items: [], events: [] });
  });

  it('tracks refunds: open while any is open, then how the latest ended', () => {
    const view = viewOf(trade(TID, 'TradeBuyerPay', T0, { status: 'WAIT_SELLER_SEND_GOODS' }));
    view.applyMessage(refund('RefundCreated', T0 + MINUTE, { refund_id: '5001', refund_fee: '10.00', oid: '111' }));
    expect(view.get(SHOP, TID)!.refund).toEqual({ id: '5001', fee: '10.00', status: 'REFUNDING' });
    expect(view.get(SHOP, TID)!.status).toBe('WAIT_SELLER_SEND_GOODS');
    view.applyMessage(refund('RefundCreated', T0 + 2 * MINUTE, { refund_id: '5002', refund_fee: '3.00' }));
    view.applyMessage(refund('RefundSuccess', T0 + 3 * MINUTE, { refund_id: '5001' }));
    expect(view.get(SHOP, TID)!.refund).toEqual({ id: '5002', fee: '3.00', status: 'REFUNDING' });
    view.applyMessage(refund('RefundClosed', T0 + 4 * MINUTE, { refund_id: '5002' }));
    expect(view.get(SHOP, TID)!.refund).toEqual({ id: '5002', fee: '3.00', status: 'CLOSED' });
    // A late copy of the opening step does not reopen a refund that ended.
    view.applyMessage(refund('RefundSellerAgreeAgreement', T0 + 2 * MINUTE, { refund_id: '5001' }));
    expect(view.get(SHOP, TID)!.refund!.status).toBe('CLOSED');
  });

  it('leaves messages without a tid out of the orders', () => {
    const view = new OrdersView();
    const m = trade('1', 'taobao_item_ItemAdd', T0);
    delete m.tid;
    view.applyMessage(m);
    expect(view.size).toBe(0);
  });

  it('hands out copies: changing a returned order changes nothing inside', () => {
    const view = viewOf(trade(TID, 'TradeCreate', T0, { oid: '1', title: 'x' }));
    const o = view.get(SHOP, TID)!;
    o.items[0]!.title = 'changed';
    o.events.pop();
    expect(view.get(SHOP, TID)!.items[0]!.title).toBe('x');
    expect(view.get(SHOP, TID)!.events).toHaveLength(1);
  });
});

describe('OrdersView seen state', () => {
  it('is unseen when new, seen once marked, and unseen again after a notable change only', () => {
    const view = viewOf(trade(TID, 'TradeBuyerPay', T0, { status: 'WAIT_SELLER_SEND_GOODS' }));
    expect(view.get(SHOP, TID)!.seen).toBe(false);
    expect(view.unseenAmong([TID, TID, '404'])).toEqual([TID]);
    view.applySeen([TID]);
    expect(view.get(SHOP, TID)!.seen).toBe(true);
    expect(view.unseenAmong([TID])).toEqual([]);
    // A stale message changes nothing the seller sees.
    view.applyMessage(trade(TID, 'TradeCreate', T0 - MINUTE, { status: 'WAIT_BUYER_PAY' }));
    expect(view.get(SHOP, TID)!.seen).toBe(true);
    view.applyMessage(trade(TID, 'TradeSellerShip', T0 + MINUTE, { status: 'WAIT_BUYER_CONFIRM_GOODS' }));
    expect(view.get(SHOP, TID)!.seen).toBe(false);
  });

  it("treats the echo of the user's own memo edit as no news, but an address change as news", () => {
    const view = viewOf(trade(TID, 'TradeBuyerPay', T0));
    view.applySeen([TID]);
    view.applyRemark(SHOP, TID, 'ship today', 1, T0 + MINUTE);
    view.applyMessage(
      trade(TID, 'TradeMemoModified', T0 + 2 * MINUTE, {
        seller_memo: 'ship today',
        seller_flag: 1,
        action_type: 'seller',
      }),
    );
    expect(view.get(SHOP, TID)!.seen).toBe(true);
    view.applyMessage(trade(TID, 'TradeLogisticsAddressChanged', T0 + 3 * MINUTE));
    expect(view.get(SHOP, TID)!.seen).toBe(false);
  });
});

describe('OrdersView news, field by field', () => {
  const base = { status: 'WAIT_SELLER_SEND_GOODS', payment: '48.00', oid: '111', title: 'Mug', num: 1, price: '48.00' };
  function seenOrder(): OrdersView {
    const view = viewOf(
      trade(TID, 'TradeBuyerPay', T0, base),
      refund('RefundCreated', T0, { refund_id: '5001', refund_fee: '1.00' }),
      trade(TID, 'TradeMemoModified', T0, { seller_memo: 'm', seller_flag: 1 }),
    );
    view.applySeen([TID]);
    return view;
  }
  const later = T0 + MINUTE;
  const cases: [string, TmcMessage, boolean][] = [
    ['the same again', trade(TID, 'TradeBuyerPay', later, base), false],
    ['status', trade(TID, 'TradeSellerShip', later, { ...base, status: 'WAIT_BUYER_CONFIRM_GOODS' }), true],
    ['payment', trade(TID, 'TradeBuyerPay', later, { ...base, payment: '40.00' }), true],
    ['a title', trade(TID, 'TradeBuyerPay', later, { ...base, title: 'Cup' }), true],
    ['a count', trade(TID, 'TradeBuyerPay', later, { ...base, num: 2 }), true],
    ['a price', trade(TID, 'TradeBuyerPay', later, { ...base, price: '40.00' }), true],
    [
      'a new item with nothing known yet',
      trade(TID, 'TradeBuyerPay', later, { status: base.status, payment: base.payment, oid: '222' }),
      true,
    ],
    ['the refund fee', refund('RefundSellerAgreeAgreement', later, { refund_id: '5001', refund_fee: '2.00' }), true],
    ['the refund step only', refund('RefundSellerAgreeAgreement', later, { refund_id: '5001' }), false],
    ['the refund ending', refund('RefundSuccess', later, { refund_id: '5001' }), true],
    ['the memo', trade(TID, 'TradeMemoModified', later, { seller_memo: 'n', seller_flag: 1 }), true],
    ['the flag', trade(TID, 'TradeMemoModified', later, { seller_memo: 'm', seller_flag: 2 }), true],
    ['the same memo and flag', trade(TID, 'TradeMemoModified', later, { seller_memo: 'm', seller_flag: '1' }), false],
  ];
  for (const [what, m, news] of cases) {
    it(`${news ? 'is news' : 'is no news'}: ${what}`, () => {
      const view = seenOrder();
      view.applyMessage(m);
      expect(view.get(SHOP, TID)!.seen).toBe(!news);
    });
  }
});

describe('OrdersView.query', () => {
  function sample(): OrdersView {
    const view = viewOf(
      trade('1001', 'TradeBuyerPay', T0 + 1 * MINUTE, {
        status: 'WAIT_SELLER_SEND_GOODS',
        buyer_nick: 'Alice<b>',
        oid: '1',
        title: 'Red Scarf',
      }),
      trade('1002', 'TradeSellerShip', T0 + 2 * MINUTE, {
        status: 'WAIT_BUYER_CONFIRM_GOODS',
        buyer_nick: '雨洁',
        oid: '2',
        title: '蓝色杯子',
      }),
      trade('1003', 'TradeBuyerPay', T0 + 3 * MINUTE, { status: 'WAIT_SELLER_SEND_GOODS', buyer_nick: 'bob' }),
      trade('2004', 'TradeMemoModified', T0 + 4 * MINUTE, { seller_memo: 'm', seller_flag: 1 }),
      trade('2005', 'TradeMemoModified', T0 + 5 * MINUTE, { seller_memo: 'gray', seller_flag: 0 }),
      trade('1006', 'taobao_refund_RefundCreated', T0 + 6 * MINUTE, { refund_id: '9', refund_fee: '1.00' }),
      trade('1007', 'TradeBuyerPay', T0 + 7 * MINUTE, { status: 'WAIT_SELLER_SEND_GOODS' }, { shop: 'shop2' }),
    );
    view.applySeen(['1001', '1002']);
    return view;
  }
  const tids = (page: { orders: { tid: string }[] }) => page.orders.map((o) => o.tid);

  it('lists newest first with total and unread', () => {
    const page = sample().query({});
    expect(tids(page)).toEqual(['1007', '1006', '2005', '2004', '1003', '1002', '1001']);
    expect(page.total).toBe(7);
    expect(page.unread).toBe(5);
  });

  it('re-sorts when an order changes, not only when one is added', () => {
    const view = sample();
    view.query({});
    view.applyMessage(trade('1001', 'TradeSellerShip', T0 + 10 * MINUTE, { status: 'WAIT_BUYER_CONFIRM_GOODS' }));
    expect(tids(view.query({ limit: 2 }))).toEqual(['1001', '1007']);
  });

  it('filters by shop, status, refunding, flag and unflagged', () => {
    const view = sample();
    expect(tids(view.query({ shop: 'shop2' }))).toEqual(['1007']);
    expect(tids(view.query({ status: 'WAIT_SELLER_SEND_GOODS' }))).toEqual(['1007', '1003', '1001']);
    expect(tids(view.query({ status: 'WAIT_SELLER_SEND_GOODS', shop: SHOP }))).toEqual(['1003', '1001']);
    expect(tids(view.query({ status: 'REFUNDING' }))).toEqual(['1006']);
    expect(tids(view.query({ flag: 1 }))).toEqual(['2004']);
    expect(tids(view.query({ flag: 0 }))).toEqual(['2005']);
    expect(tids(view.query({ unflaggedOnly: true }))).toEqual(['1007', '1006', '2005', '1003', '1002', '1001']);
  });

  it('files gateway status variants under one filter key (待付款, 已关闭)', () => {
    const view = new OrdersView();
    view.applyMessage(trade('3001', 'TradeCreate', T0, { status: 'TRADE_NO_CREATE_PAY' }));
    view.applyMessage(trade('3002', 'TradeCreate', T0 + MINUTE, { status: 'WAIT_BUYER_PAY' }));
    view.applyMessage(trade('3003', 'TradeClose', T0 + 2 * MINUTE, { status: 'TRADE_CLOSED_BY_TAOBAO' }));
    expect(tids(view.query({ status: 'WAIT_BUYER_PAY' }))).toEqual(['3002', '3001']);
    expect(tids(view.query({ status: 'TRADE_CLOSED' }))).toEqual(['3003']);
  });

  it('searches tid, buyer nick and item title, ignoring case; markup is plain text', () => {
    const view = sample();
    expect(tids(view.query({ search: '100' }))).toEqual(['1007', '1006', '1003', '1002', '1001']);
    expect(tids(view.query({ search: ' ALICE<B> ' }))).toEqual(['1001']);
    expect(tids(view.query({ search: 'scarf' }))).toEqual(['1001']);
    expect(tids(view.query({ search: '杯子' }))).toEqual(['1002']);
    expect(tids(view.query({ search: 'nobody' }))).toEqual([]);
    expect(tids(view.query({ search: '' }))).toHaveLength(7);
  });

  it('restricts to given tids and pages with limit and offset, counting all matches', () => {
    const view = sample();
    expect(tids(view.query({ tids: ['1001', '1003', '404'] }))).toEqual(['1003', '1001']);
    const page = view.query({ limit: 2, offset: 2 });
    expect(tids(page)).toEqual(['2005', '2004']);
    expect(page.total).toBe(7);
    expect(page.unread).toBe(5);
    expect(view.query({ offset: 6, limit: 10 }).orders).toHaveLength(1);
    expect(view.query({ limit: 0 }).orders).toEqual([]);
    const unread = view.query({ status: 'WAIT_BUYER_CONFIRM_GOODS' });
    expect([unread.total, unread.unread]).toEqual([1, 0]);
  });
});

/** Random traffic for a few orders of two shops: every topic the view folds, fields present or not,
 * publication times that tie and arrive out of order, the user marking orders seen in between. */
type Step = { seen: string[] } | { m: TmcMessage };

const TIDS = ['1588826713157361977', '2'];
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
const message = fc
  .record({
    // Mostly one order, so that it is often seen before the next change comes.
    tid: fc.constantFrom(TIDS[0]!, TIDS[0]!, TIDS[0]!, TIDS[1]!),
    shop: fc.constantFrom(SHOP, SHOP, SHOP, 'shop2'),
    topic: fc.constantFrom(
      'TradeCreate',
      'TradeBuyerPay',
      'TradeSellerShip',
      'TradeSuccess',
      'TradeClose',
      'TradeMemoModified',
      'TradeLogisticsAddressChanged',
      'taobao_refund_RefundCreated',
      'taobao_refund_RefundSuccess',
      'taobao_refund_RefundClosed',
    ),
    at: fc.integer({ min: 0, max: 6 }).map((i) => T0 + i * MINUTE),
    status: maybe(fc.constantFrom('WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS', 'TRADE_FINISHED', 'TRADE_CLOSED')),
    payment: maybe(fc.constantFrom('48.00', '50.00')),
    buyer_nick: maybe(fc.constantFrom('雨洁', 'Alice')),
    oid: maybe(fc.constantFrom('111', '222')),
    title: maybe(fc.constantFrom('红色 T 恤', 'Blue Mug')),
    num: maybe(fc.constantFrom(1, 2, '3')),
    price: maybe(fc.constantFrom('24.00', '9.90')),
    refund_id: maybe(fc.constantFrom('5001', '5002')),
    refund_fee: maybe(fc.constantFrom('1.00', '3.00')),
    seller_memo: maybe(fc.constantFrom('发顺丰', 'call first')),
    seller_flag: maybe(fc.constantFrom(0, 1, '4')),
  })
  .map(({ tid, shop, topic, at, ...fields }): TmcMessage => {
    const content = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    return trade(tid, topic, at, content, { shop });
  });
const steps = fc.array(
  fc.oneof(
    { arbitrary: message.map((m): Step => ({ m })), weight: 2 },
    fc.subarray(TIDS).map((seen): Step => ({ seen })),
  ),
  { maxLength: 40 },
);

function run(view: OrdersView, list: Step[]): void {
  for (const step of list) {
    if ('m' in step) view.applyMessage(step.m);
    else view.applySeen(step.seen);
  }
}

/** What the row shows, written out the way the view used to compare it. */
function shown(o: Order): string {
  return JSON.stringify([o.status, o.payment, o.buyerNick, o.memo, o.flag, o.refund?.status, o.refund?.fee, o.items]);
}

describe('OrdersView, whatever arrives', () => {
  it('makes an order unseen exactly when it is new, a change shows in its row, or the address changed', () => {
    fc.assert(
      fc.property(steps, (list) => {
        const view = new OrdersView();
        for (const step of list) {
          if (!('m' in step)) {
            view.applySeen(step.seen);
            continue;
          }
          const { m } = step;
          const before = view.get(m.shop, m.tid!);
          view.applyMessage(m);
          const after = view.get(m.shop, m.tid!)!;
          const news =
            !before || shown(before) !== shown(after) || m.topic === 'taobao_trade_TradeLogisticsAddressChanged';
          expect(after.seen).toBe(news ? false : before.seen);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('searches what the orders hold now: tid, buyer nick and item titles', () => {
    fc.assert(
      fc.property(
        steps,
        steps,
        fc.constantFrom('雨', 'alice', 'mug', '红色', '1588', '2', 'nothing'),
        (first, then, search) => {
          const view = new OrdersView();
          run(view, first);
          view.query({ search });
          run(view, then);
          const haystack = (o: OrderSummary) =>
            [o.tid, o.buyerNick ?? '', ...o.items.map((i) => i.title ?? '')].join('\n').toLowerCase();
          const expected = view.query({}).orders.filter((o) => haystack(o).includes(search));
          expect(view.query({ search }).orders).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('saves and restores itself (through JSON, as a snapshot does) and then folds on exactly alike', () => {
    fc.assert(
      fc.property(steps, steps, (first, then) => {
        const view = new OrdersView();
        run(view, first);
        const restored = OrdersView.restore(JSON.parse(JSON.stringify(view.save())) as SavedOrder[]);
        expect(restored.query({})).toEqual(view.query({}));
        run(view, then);
        run(restored, then);
        expect(restored.query({})).toEqual(view.query({}));
        expect(restored.size).toBe(view.size);
        for (const shop of [SHOP, 'shop2'])
          for (const tid of TIDS) expect(restored.get(shop, tid)).toEqual(view.get(shop, tid));
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * The view's incremental indexes against the plain definition: every order, filtered, sorted
 * from scratch, counted from scratch. Queries run between the steps, so filtered indexes are built
 * early and then kept up to date change by change.
 */
describe('OrdersView queries, against sorting and counting from scratch', () => {
  const query = fc.record(
    {
      shop: fc.constantFrom(SHOP, 'shop2'),
      status: fc.constantFrom(
        'WAIT_BUYER_PAY',
        'WAIT_SELLER_SEND_GOODS',
        'TRADE_CLOSED',
        'REFUNDING',
        'TRADE_FINISHED',
      ),
      flag: fc.constantFrom(0 as const, 1 as const, 4 as const),
      unflaggedOnly: fc.boolean(),
      search: fc.constantFrom('雨', 'alice', ' MUG ', '1588', '2', ''),
      tids: fc.subarray([...TIDS, '404']),
      limit: fc.integer({ min: 0, max: 3 }),
      offset: fc.integer({ min: 0, max: 3 }),
    },
    { requiredKeys: [] },
  );
  type Query = typeof query extends fc.Arbitrary<infer Q> ? Q : never;
  type Act = Step | { q: Query } | { remark: { shop: string; tid: string; flag: 0 | 1 | 4; at: number } };
  const acts = fc.array(
    fc.oneof(
      { arbitrary: message.map((m): Act => ({ m })), weight: 3 },
      fc.subarray(TIDS).map((seen): Act => ({ seen })),
      query.map((q): Act => ({ q })),
      fc
        .record({
          shop: fc.constantFrom(SHOP, 'shop2'),
          tid: fc.constantFrom(...TIDS, '77'),
          flag: fc.constantFrom(0 as const, 1 as const, 4 as const),
          at: fc.integer({ min: 0, max: 6 }).map((i) => T0 + i * MINUTE),
        })
        .map((remark): Act => ({ remark })),
    ),
    { maxLength: 50 },
  );

  const KEYS = [SHOP, 'shop2'].flatMap((shop) => [...TIDS, '77'].map((tid) => ({ shop, tid })));
  const STATUS_KEY: Record<string, string> = {
    TRADE_NO_CREATE_PAY: 'WAIT_BUYER_PAY',
    TRADE_CLOSED_BY_TAOBAO: 'TRADE_CLOSED',
  };
  const statusKey = (s: string) => STATUS_KEY[s] ?? s;

  /** The query as the view used to answer it: a full sort and a full scan. */
  function naive(view: OrdersView, q: Query & { after?: { shop: string; tid: string; updatedAt: number } }) {
    const all = KEYS.flatMap(({ shop, tid }) => view.get(shop, tid) ?? []).sort((a, b) =>
      compareNewestFirst(a.updatedAt, orderKey(a), b.updatedAt, orderKey(b)),
    );
    const search = q.search?.trim().toLowerCase();
    const matched = all.filter(
      (o) =>
        (q.shop === undefined || o.shop === q.shop) &&
        (q.status === undefined ||
          (q.status === 'REFUNDING'
            ? o.refund?.status === 'REFUNDING'
            : o.status !== undefined && statusKey(o.status) === statusKey(q.status))) &&
        (q.flag === undefined || o.flag === q.flag) &&
        (!q.unflaggedOnly || !o.flag) &&
        (!q.tids || q.tids.includes(o.tid)) &&
        (!search ||
          [o.tid, o.buyerNick ?? '', ...o.items.map((i) => i.title ?? '')].join('\n').toLowerCase().includes(search)),
    );
    const after = q.after;
    const rest = after
      ? matched.filter((o) => compareNewestFirst(o.updatedAt, orderKey(o), after.updatedAt, orderKey(after)) > 0)
      : matched;
    const offset = q.offset ?? 0;
    return {
      orders: rest.slice(offset, offset + (q.limit ?? Infinity)).map(({ events: _e, ...summary }) => summary),
      total: matched.length,
      unread: matched.filter((o) => !o.seen).length,
    };
  }

  function apply(view: OrdersView, act: Act): void {
    if ('m' in act) view.applyMessage(act.m);
    else if ('seen' in act) view.applySeen(act.seen);
    else if ('remark' in act) view.applyRemark(act.remark.shop, act.remark.tid, 'memo', act.remark.flag, act.remark.at);
    else view.query(act.q);
  }

  it('answers every query as a full sort and scan would, pages by cursor included', () => {
    fc.assert(
      fc.property(acts, query, (list, last) => {
        const view = new OrdersView();
        for (const act of list) {
          apply(view, act);
          if ('q' in act) expect(view.query(act.q)).toEqual(naive(view, act.q));
        }
        expect(view.query(last)).toEqual(naive(view, last));
        expect(view.query({})).toEqual(naive(view, {}));
        expect(view.unread).toBe(naive(view, {}).unread);
        // Paging by cursor from each row of the whole list gives what follows it.
        const whole = naive(view, { ...last, limit: undefined, offset: undefined });
        for (const row of whole.orders) {
          const after = { shop: row.shop, tid: row.tid, updatedAt: row.updatedAt };
          expect(view.query({ ...last, after })).toEqual(naive(view, { ...last, after }));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('hands the window, for changed tids, their rows as the filter sees them and the filter’s counts', () => {
    fc.assert(
      fc.property(acts, query, fc.subarray([...TIDS, '77', '404']), (list, q, changed) => {
        const view = new OrdersView();
        view.query(q);
        for (const act of list) apply(view, act);
        const page = view.changed(q, changed);
        const whole = naive(view, { ...q, limit: undefined, offset: undefined });
        expect(page.total).toBe(whole.total);
        expect(page.unread).toBe(whole.unread);
        expect(page.orders).toEqual(whole.orders.filter((o) => changed.includes(o.tid)));
      }),
      { numRuns: 300 },
    );
  });

  it('restores unread counts and order from a snapshot, and keeps them as changes go on', () => {
    fc.assert(
      fc.property(acts, acts, query, (first, then, q) => {
        const view = new OrdersView();
        for (const act of first) apply(view, act);
        const restored = OrdersView.restore(JSON.parse(JSON.stringify(view.save())) as SavedOrder[]);
        expect(restored.unread).toBe(view.unread);
        for (const act of then) apply(restored, act);
        expect(restored.query(q)).toEqual(naive(restored, q));
        expect(restored.unread).toBe(naive(restored, {}).unread);
      }),
      { numRuns: 200 },
    );
  });

  it('names the tids whose rows differ between two views, and those only one holds', () => {
    fc.assert(
      fc.property(acts, acts, (a, b) => {
        const before = new OrdersView();
        const after = new OrdersView();
        for (const act of a) apply(before, act);
        for (const act of b) apply(after, act);
        const row = (v: OrdersView, shop: string, tid: string) => {
          const o = v.get(shop, tid);
          return o && JSON.stringify({ ...o, events: undefined });
        };
        const expected = new Set(
          KEYS.filter(({ shop, tid }) => row(before, shop, tid) !== row(after, shop, tid)).map((k) => k.tid),
        );
        expect(new Set(before.changedIn(after))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
