/**
 * TMC message topics TradeBell knows, by the group that TOP's subscription call uses
 * (`topics=trade;refund;item`, statuses named by their short names). Real traffic carries
 * topics beyond these lists: treat an unknown topic as data, not as an error.
 */
export type TopicGroup = 'trade' | 'refund' | 'item';

export const TOPIC_GROUPS: readonly TopicGroup[] = ['trade', 'refund', 'item'];

export const TOP_TOPICS = {
  trade: [
    'TradeCreate',
    'TradeBuyerPay',
    'TradeSellerShip',
    'TradePartlySellerShip',
    'TradeSuccess',
    'TradeClose',
    'TradeModifyFee',
    'TradeChanged',
    'TradeMemoModified',
    'TradeLogisticsAddressChanged',
    'TradeRated',
    'TradePartlyRefund',
  ],
  refund: [
    'RefundCreated',
    'RefundSellerAgreeAgreement',
    'RefundSellerRefuseAgreement',
    'RefundBuyerReturnGoods',
    'RefundSuccess',
    'RefundClosed',
  ],
  item: ['ItemAdd', 'ItemUpdate', 'ItemUpshelf', 'ItemDownshelf', 'ItemDelete', 'ItemStockChanged', 'ItemZeroStock'],
} as const satisfies Record<TopicGroup, readonly string[]>;

/** A topic TradeBell knows by its short name: the catalogue must have words for each. */
export type TopicName = (typeof TOP_TOPICS)[TopicGroup][number];

const KNOWN: ReadonlySet<string> = new Set(Object.values(TOP_TOPICS).flat());

export function isKnownTopic(short: string): short is TopicName {
  return KNOWN.has(short);
}

const FULL_TOPIC = /^taobao_(trade|refund|item)_(\w+)$/;
const SHORT_PREFIX: Record<TopicGroup, string> = { trade: 'Trade', refund: 'Refund', item: 'Item' };

/** `taobao_trade_TradeBuyerPay` → `TradeBuyerPay`; a short name comes back unchanged. */
export function shortTopic(topic: string): string {
  return FULL_TOPIC.exec(topic)?.[2] ?? topic;
}

/** `TradeBuyerPay` → `taobao_trade_TradeBuyerPay`; undefined when the group cannot be told. */
export function fullTopic(topic: string): string | undefined {
  if (FULL_TOPIC.test(topic)) return topic;
  const group = topicGroup(topic);
  return group ? `taobao_${group}_${topic}` : undefined;
}

/** The group of a full or short topic name, by its prefix. */
export function topicGroup(topic: string): TopicGroup | undefined {
  const full = FULL_TOPIC.exec(topic);
  if (full) return full[1] as TopicGroup;
  return TOPIC_GROUPS.find((g) => topic.startsWith(SHORT_PREFIX[g]) && topic.length > SHORT_PREFIX[g].length);
}
