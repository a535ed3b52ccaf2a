import { describe, expect, it } from 'vitest';
import { fullTopic, shortTopic, TOP_TOPICS, TOPIC_GROUPS, topicGroup } from '../../src/shared/topics';

describe('topics', () => {
  it('lists the known topics by group, each named with its group prefix', () => {
    expect(TOP_TOPICS.trade).toContain('TradeBuyerPay');
    expect(TOP_TOPICS.refund).toContain('RefundCreated');
    expect(TOP_TOPICS.item).toContain('ItemZeroStock');
    for (const g of TOPIC_GROUPS) for (const t of TOP_TOPICS[g]) expect(topicGroup(t)).toBe(g);
    const all = TOPIC_GROUPS.flatMap((g) => TOP_TOPICS[g]);
    expect(new Set(all).size).toBe(all.length);
  });

  it('shortens a full topic name and leaves others alone', () => {
    expect(shortTopic('taobao_trade_TradeBuyerPay')).toBe('TradeBuyerPay');
    expect(shortTopic('taobao_refund_RefundCreated')).toBe('RefundCreated');
    expect(shortTopic('TradeBuyerPay')).toBe('TradeBuyerPay');
    expect(shortTopic('taobao_fenxiao_FxOrderSuccess')).toBe('taobao_fenxiao_FxOrderSuccess');
  });

  it('tells the group of full and short names, and nothing for others', () => {
    expect(topicGroup('taobao_item_ItemAdd')).toBe('item');
    expect(topicGroup('RefundSuccess')).toBe('refund');
    expect(topicGroup('TradeSomethingNew')).toBe('trade');
    expect(topicGroup('Trade')).toBeUndefined();
    expect(topicGroup('FxOrderSuccess')).toBeUndefined();
  });

  it('builds the full name back', () => {
    expect(fullTopic('TradeMemoModified')).toBe('taobao_trade_TradeMemoModified');
    expect(fullTopic('taobao_item_ItemAdd')).toBe('taobao_item_ItemAdd');
    expect(fullTopic('FxOrderSuccess')).toBeUndefined();
    for (const g of TOPIC_GROUPS) for (const t of TOP_TOPICS[g]) expect(shortTopic(fullTopic(t)!)).toBe(t);
  });
});
