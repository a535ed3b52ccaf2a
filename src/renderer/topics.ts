/**
 * Words for the TMC topics of src/shared/topics.ts, grouped as the TOP permit call groups them.
 * A topic without words here shows its short name.
 */
import { TOP_TOPICS, TOPIC_GROUPS, type TopicGroup } from '../shared/topics';

interface Words {
  zh: string;
  en: string;
}

export interface TopicInfo extends Words {
  /** Short topic name, e.g. `TradeBuyerPay`: the key of subscriptions and notification rules. */
  name: string;
}

export interface TopicSection extends Words {
  group: TopicGroup;
  topics: TopicInfo[];
}

const GROUP_WORDS: Record<TopicGroup, Words> = {
  trade: { zh: '交易', en: 'Trade' },
  refund: { zh: '退款', en: 'Refund' },
  item: { zh: '商品', en: 'Item' },
};

const TOPIC_WORDS: Record<string, Words> = {
  TradeCreate: { zh: '创建订单', en: 'Order created' },
  TradeBuyerPay: { zh: '买家付款', en: 'Buyer paid' },
  TradeSellerShip: { zh: '卖家发货', en: 'Shipped' },
  TradePartlySellerShip: { zh: '部分发货', en: 'Partly shipped' },
  TradeSuccess: { zh: '交易成功', en: 'Completed' },
  TradeClose: { zh: '交易关闭', en: 'Closed' },
  TradeModifyFee: { zh: '修改价格', en: 'Price changed' },
  TradeChanged: { zh: '订单变更', en: 'Order changed' },
  TradeMemoModified: { zh: '备注修改', en: 'Memo changed' },
  TradeLogisticsAddressChanged: { zh: '修改收货地址', en: 'Address changed' },
  TradeRated: { zh: '交易评价', en: 'Rated' },
  TradePartlyRefund: { zh: '部分退款', en: 'Partly refunded' },
  RefundCreated: { zh: '买家申请退款', en: 'Refund requested' },
  RefundSellerAgreeAgreement: { zh: '卖家同意退款', en: 'Seller agreed' },
  RefundSellerRefuseAgreement: { zh: '卖家拒绝退款', en: 'Seller refused' },
  RefundBuyerReturnGoods: { zh: '买家退货', en: 'Buyer returned goods' },
  RefundSuccess: { zh: '退款成功', en: 'Refunded' },
  RefundClosed: { zh: '退款关闭', en: 'Refund closed' },
  ItemAdd: { zh: '新增商品', en: 'Item added' },
  ItemUpdate: { zh: '更新商品', en: 'Item updated' },
  ItemUpshelf: { zh: '上架', en: 'Listed' },
  ItemDownshelf: { zh: '下架', en: 'Delisted' },
  ItemDelete: { zh: '删除商品', en: 'Item deleted' },
  ItemStockChanged: { zh: '库存变化', en: 'Stock changed' },
  ItemZeroStock: { zh: '库存为零', en: 'Out of stock' },
};

export function topicInfo(name: string): TopicInfo {
  return { name, ...(TOPIC_WORDS[name] ?? { zh: name, en: name }) };
}

export const TOPIC_SECTIONS: TopicSection[] = TOPIC_GROUPS.map((group) => ({
  group,
  ...GROUP_WORDS[group],
  topics: TOP_TOPICS[group].map(topicInfo),
}));
