/** Word lists for the generated traffic: buyer nicks, item titles, shop names as sellers see them. */

export const NICK_HEADS = ['快乐的', '爱吃', '小', '阿', '甜甜的', '追风的', '安静的', '可爱', '幸运', '大'] as const;
export const NICK_TAILS = [
  '小猪',
  '雨洁',
  '鱼儿',
  '月亮',
  '橙子',
  '糖糖',
  '阿杰',
  '晓雯',
  '木木',
  '大熊',
  '兔子',
  '星星',
  '小七',
  '丸子',
  '若曦',
] as const;

/** Title and the unit price range in fen (分). */
export const ITEMS: readonly { title: string; minFen: number; maxFen: number }[] = [
  { title: '纯棉短袖T恤男夏季宽松', minFen: 3900, maxFen: 9900 },
  { title: '无线蓝牙耳机主动降噪', minFen: 12900, maxFen: 39900 },
  { title: '加厚珊瑚绒毛毯', minFen: 5900, maxFen: 15900 },
  { title: '不锈钢保温杯大容量', minFen: 4900, maxFen: 12900 },
  { title: '儿童益智积木玩具', minFen: 8900, maxFen: 29900 },
  { title: '明前龙井绿茶礼盒装250g', minFen: 16800, maxFen: 58800 },
  { title: '手机壳磨砂防摔', minFen: 990, maxFen: 3990 },
  { title: '家用电热水壶1.7L', minFen: 6900, maxFen: 15900 },
  { title: '护手霜补水保湿套装', minFen: 2990, maxFen: 8990 },
  { title: '男士运动跑步鞋透气', minFen: 19900, maxFen: 45900 },
  { title: '女士真丝围巾', minFen: 12800, maxFen: 36800 },
  { title: '猫粮成猫全价10kg', minFen: 15900, maxFen: 29900 },
  { title: '机械键盘青轴RGB', minFen: 19900, maxFen: 59900 },
  { title: '云南小粒咖啡豆500g', minFen: 5800, maxFen: 12800 },
  { title: '北欧风陶瓷餐具套装', minFen: 9900, maxFen: 29900 },
  { title: '防晒霜SPF50+', minFen: 6900, maxFen: 18900 },
  { title: '宿舍懒人折叠桌', minFen: 3500, maxFen: 8900 },
  { title: '婴儿纸尿裤L码', minFen: 8900, maxFen: 16900 },
];

export const SELLER_NICKS = [
  '高墣旗舰店',
  '悦木家居旗舰店',
  '小鹿数码专营店',
  '青禾茶叶店',
  '暖阳母婴旗舰店',
  '拾光服饰店',
  '山野零食铺',
  '星辰宠物用品店',
] as const;
