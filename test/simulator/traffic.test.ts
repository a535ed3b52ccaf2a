import { describe, expect, it } from 'vitest';
import { formatChinaTime, parseChinaTime } from '../../src/main/core/clock';
import { createRng, generateTraffic, memoModifiedMessage, planTraffic, type SimMessage } from '../../src/simulator';

const NOW = Date.UTC(2026, 10, 22, 1, 0, 0);
const DAY = 24 * 3600_000;

const content = (m: SimMessage) => m.content as Record<string, string | number>;
const fen = (yuan: string) => Math.round(Number(yuan) * 100);

/** Each topic's trade status, and the order a lifecycle may go through them. */
const TRADE_STEPS: Record<string, { rank: number; statuses: string[] }> = {
  taobao_trade_TradeCreate: { rank: 0, statuses: ['TRADE_NO_CREATE_PAY', 'WAIT_BUYER_PAY'] },
  taobao_trade_TradeBuyerPay: { rank: 1, statuses: ['WAIT_SELLER_SEND_GOODS'] },
  taobao_trade_TradeSellerShip: { rank: 2, statuses: ['WAIT_BUYER_CONFIRM_GOODS'] },
  taobao_trade_TradeSuccess: { rank: 3, statuses: ['TRADE_FINISHED'] },
  taobao_trade_TradeClose: { rank: 3, statuses: ['TRADE_CLOSED'] },
};

describe('traffic model', () => {
  it('is reproducible: the same seed gives the same messages, another seed others', () => {
    const a = generateTraffic(42, 'demo-shop-1', 50, NOW);
    const b = generateTraffic(createRng(42), 'demo-shop-1', 50, NOW);
    expect(a).toEqual(b);
    expect(generateTraffic(43, 'demo-shop-1', 50, NOW)).not.toEqual(a);
  });

  it('writes realistic 19-digit tids and oids, all above 2^53, and one tid per order', () => {
    const messages = generateTraffic(1, 'demo-shop-1', 300, NOW, { duplicateRate: 0 });
    const creates = messages.filter((m) => m.topic === 'taobao_trade_TradeCreate');
    expect(new Set(creates.map((m) => m.tid)).size).toBe(300);
    for (const m of messages) {
      const c = content(m);
      expect(m.tid).toMatch(/^(15888|4)\d+$/);
      expect(m.tid).toHaveLength(19);
      expect(BigInt(m.tid as string)).toBeGreaterThan(2n ** 53n);
      expect(c.tid).toBe(m.tid);
      expect(m.id).toMatch(/^[1-9]\d{18}$/);
      if (typeof c.oid === 'string') {
        expect(c.oid).toHaveLength(19);
        expect(c.oid.slice(-6)).toBe((m.tid as string).slice(-6));
      }
    }
    expect(new Set(messages.map((m) => m.id)).size).toBe(messages.length);
  });

  it('folds into consistent orders: statuses in lifecycle order, payment = items + post fee', () => {
    const messages = generateTraffic(9, 'demo-shop-1', 400, NOW, { duplicateRate: 0 });
    const byTid = new Map<string, SimMessage[]>();
    for (const m of messages) byTid.set(m.tid as string, [...(byTid.get(m.tid as string) ?? []), m]);
    for (const [tid, list] of byTid) {
      const trades = list.filter((m) => m.topic in TRADE_STEPS);
      expect(trades[0]?.topic).toBe('taobao_trade_TradeCreate');
      const ranks = trades.map((m) => TRADE_STEPS[m.topic]?.rank ?? -1);
      expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
      const times = list.map((m) => parseChinaTime(m.pubTime));
      expect(times).toEqual([...times].sort((x, y) => x - y));
      for (const m of trades) expect(TRADE_STEPS[m.topic]?.statuses).toContain(content(m).status);
      // One message per sub-order per status change.
      const oids = new Set(trades.filter((m) => m.topic === 'taobao_trade_TradeCreate').map((m) => content(m).oid));
      expect(oids.size).toBeGreaterThanOrEqual(1);
      expect(oids.size).toBeLessThanOrEqual(3);
      if (oids.size === 1) expect([...oids][0]).toBe(tid);
      const create = trades.filter((m) => m.topic === 'taobao_trade_TradeCreate').map(content);
      const items = create.reduce((sum, c) => sum + fen(String(c.price)) * Number(c.num), 0);
      expect(fen(String(create[0]?.payment))).toBe(items + fen(String(create[0]?.post_fee)));
      for (const c of create) expect(String(c.payment)).toMatch(/^\d+\.\d{2}$/);
    }
  });

  it('has Chinese buyer nicks and item titles, closes and refunds', () => {
    const messages = generateTraffic(5, 'demo-shop-1', 300, NOW);
    const cjk = /[\u4e00-\u9fff]/;
    expect(messages.some((m) => cjk.test(String(content(m).buyer_nick)))).toBe(true);
    expect(
      messages.filter((m) => m.topic === 'taobao_trade_TradeCreate').every((m) => cjk.test(String(content(m).title))),
    ).toBe(true);
    const topics = new Set(messages.map((m) => m.topic));
    for (const t of [
      'taobao_trade_TradeBuyerPay',
      'taobao_trade_TradeSellerShip',
      'taobao_trade_TradeSuccess',
      'taobao_trade_TradeClose',
      'taobao_refund_RefundCreated',
      'taobao_refund_RefundSuccess',
    ]) {
      expect(topics).toContain(t);
    }
    const refund = messages.find((m) => m.topic === 'taobao_refund_RefundCreated');
    expect(content(refund as SimMessage)).toMatchObject({ tid: refund?.tid, refund_phase: 'onsale' });
    expect(String(content(refund as SimMessage).refund_id)).toMatch(/^\d{19}$/);
    expect(String(content(refund as SimMessage).refund_fee)).toMatch(/^\d+\.\d{2}$/);
    expect(String(content(refund as SimMessage).oid)).toMatch(/^\d{19}$/);
  });

  it('delivers some messages twice with the same TMC id and content', () => {
    const messages = generateTraffic(11, 'demo-shop-1', 100, NOW, { duplicateRate: 0.3 });
    const seen = new Map<string, SimMessage>();
    let duplicates = 0;
    for (const m of messages) {
      const first = seen.get(m.id);
      if (first) {
        duplicates++;
        expect(m).toEqual(first);
      } else seen.set(m.id, m);
    }
    expect(duplicates).toBeGreaterThan(10);
    const none = generateTraffic(11, 'demo-shop-1', 100, NOW, { duplicateRate: 0 });
    expect(new Set(none.map((m) => m.id)).size).toBe(none.length);
  });

  it('keeps only the asked topics, by full or short name', () => {
    const full = generateTraffic(2, 'demo-shop-1', 50, NOW, { topics: ['taobao_trade_TradeBuyerPay'] });
    expect(full.length).toBeGreaterThan(0);
    expect(new Set(full.map((m) => m.topic))).toEqual(new Set(['taobao_trade_TradeBuyerPay']));
    const short = generateTraffic(2, 'demo-shop-1', 50, NOW, { topics: ['TradeBuyerPay'] });
    expect(short).toEqual(full);
  });

  it('places orders in time: from now on by default, ending at now for a backlog, spread over a span', () => {
    const ahead = planTraffic(4, 'demo-shop-1', 20, NOW);
    expect(ahead[0]?.at).toBe(NOW);
    expect(ahead[0]?.message.pubTime).toBe(formatChinaTime(NOW));
    expect(ahead.every((t, i) => i === 0 || t.at >= (ahead[i - 1]?.at ?? 0))).toBe(true);
    const backlog = planTraffic(4, 'demo-shop-1', 20, NOW, { anchor: 'end' });
    expect(Math.max(...backlog.map((t) => t.at))).toBe(NOW);
    expect(backlog.every((t) => parseChinaTime(t.message.pubTime) <= NOW)).toBe(true);
    const day = planTraffic(4, 'demo-shop-1', 500, NOW, { spanMs: DAY });
    const creates = day.filter((t) => t.message.topic === 'taobao_trade_TradeCreate').map((t) => t.at);
    expect(Math.min(...creates)).toBeLessThan(NOW + DAY / 10);
    expect(Math.max(...creates)).toBeGreaterThan(NOW + DAY * 0.9);
    expect(Math.max(...creates)).toBeLessThan(NOW + DAY);
  });

  it('stamps time fields of the content from the final publication time', () => {
    const backlog = generateTraffic(8, 'demo-shop-1', 200, NOW, { anchor: 'end', duplicateRate: 0 });
    const success = backlog.find((m) => m.topic === 'taobao_trade_TradeSuccess') as SimMessage;
    expect(content(success).end_time).toBe(parseChinaTime(success.pubTime));
    const refund = backlog.find((m) => m.topic === 'taobao_refund_RefundCreated') as SimMessage;
    expect(content(refund).modified).toBe(refund.pubTime);
  });

  it('names the same seller for a shop every time', () => {
    const a = generateTraffic(1, 'demo-shop-1', 3, NOW);
    const b = generateTraffic(2, 'demo-shop-1', 3, NOW);
    expect(content(a[0] as SimMessage).seller_nick).toBe(content(b[0] as SimMessage).seller_nick);
  });

  it('builds the TradeMemoModified echo of a seller edit', () => {
    const echo = memoModifiedMessage(createRng(1), 'demo-shop-1', '4012345678901234567', '加急', 3, NOW);
    expect(echo).toMatchObject({
      topic: 'taobao_trade_TradeMemoModified',
      tid: '4012345678901234567',
      pubTime: formatChinaTime(NOW),
    });
    expect(echo.content).toMatchObject({
      tid: '4012345678901234567',
      action_type: 'seller',
      seller_flag: 3,
      seller_memo: '加急',
      modified: formatChinaTime(NOW),
    });
  });
});
