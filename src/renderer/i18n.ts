/**
 * The window's words in Simplified Chinese (the default) and English. Both dictionaries have the
 * type `Messages`, so a key missing from either is a compile error. Status words, flag names and
 * error advice come from src/shared so the CLI and the notifications say the same.
 */
import { createContext, createElement, useContext, type ReactNode } from 'react';
import type { ShopRunState, TeamServerState } from '../shared/api';
import { STATUS_TEXT } from '../shared/domain';
import type { AppError } from '../shared/errors';
import { describeError } from '../shared/errorText';
import { FLAGS, type Flag } from '../shared/flag';
import type { Language, PollMode, VvType } from '../shared/settings';
import type { TopicInfo, TopicSection } from './topics';

export interface Messages {
  lang: Language;
  appTitle: string;
  loading: string;
  navLabel: string;
  tabInbox: string;
  tabSubscriptions: string;
  tabSettings: string;
  unreadBadge: (n: number) => string;
  today: string;
  close: string;

  statusWord: (status: string | undefined) => string;
  refundWord: (status: string) => string;
  flagName: (flag: Flag) => string;
  topicName: (topic: TopicInfo) => string;
  groupName: (group: TopicSection) => string;
  describe: (error: AppError) => string;
  authorize: string;

  searchLabel: string;
  searchPlaceholder: string;
  filterShop: string;
  allShops: string;
  filterStatus: string;
  allStatuses: string;
  filterFlag: string;
  allFlags: string;
  unflaggedOnly: string;
  tidsFilter: (n: number) => string;
  showAll: string;
  summary: (shown: number, total: number, unread: number) => string;
  markAllRead: string;
  noOrders: string;
  ordersLabel: string;
  selectOrder: (tid: string) => string;
  newBadge: string;
  copyTid: string;
  copied: (tid: string) => string;
  openOnTaobao: string;
  selected: (n: number) => string;
  batchEdit: string;
  clearSelection: string;
  memoPrefix: string;
  flagMarker: (name: string) => string;

  panelTitle: (tid: string) => string;
  prevOrder: string;
  nextOrder: string;
  position: (index: number, count: number) => string;
  flagLegend: string;
  memoLabel: string;
  bytes: (n: number, max: number) => string;
  overLimit: (over: number) => string;
  currentMemo: string;
  noMemo: string;
  historyTitle: string;
  historyEmpty: string;
  memoUnknown: string;
  unknownMemoAsk: string;
  unknownFlagAsk: string;
  clearUnknownMemo: string;
  replaceWarning: string;
  keysHint: string;
  batchKeysHint: string;
  save: string;
  saving: string;
  saved: (modified: string | undefined) => string;

  templatesTitle: string;
  insertTemplate: (text: string) => string;
  editTemplates: string;
  doneEditing: string;
  addTemplate: string;
  newTemplate: string;
  templateText: (n: number) => string;
  moveUp: (n: number) => string;
  moveDown: (n: number) => string;
  removeTemplate: (n: number) => string;
  noTemplates: string;

  batchTitle: (n: number) => string;
  batchAlsoMemo: string;
  batchKeepMemo: string;
  batchUnknownMemos: (n: number) => string;
  batchSkipUnknown: (n: number) => string;
  batchClearUnknown: string;
  batchChooseUnknown: string;
  resultSkipped: string;
  chooseFlag: string;
  apply: (n: number) => string;
  retryFailed: (n: number) => string;
  batchSummary: (ok: number, failed: number, pending: number) => string;
  batchResultsLabel: string;
  resultPending: string;

  demoBadge: string;
  demoHint: string;
  running: string;
  pausedAll: string;
  pause: string;
  resume: string;
  muteHour: string;
  unmute: string;
  mutedUntil: (time: string) => string;
  pauseShop: (name: string) => string;
  resumeShop: (name: string) => string;
  shopState: Record<ShopRunState, string>;
  costToday: (calls: string, points: string, yuan: string) => string;
  lastCall: (time: string) => string;
  neverCalled: string;
  shopsStatusLabel: string;

  settingsSaved: string;
  noChanges: string;
  saveSettings: string;
  isSet: string;
  notSet: string;
  setSecret: string;
  clearSecret: string;
  saveSecretOf: (label: string) => string;
  clearSecretOf: (label: string) => string;
  secretPlaceholder: string;
  secretSaved: string;
  secretCleared: string;
  secToken: string;
  tokenLabel: string;
  secretsInMemory: string;
  tokenNote: string;
  secShops: string;
  shopId: string;
  shopName: string;
  shopColour: string;
  shopEnabled: string;
  shopMuted: string;
  shopNameOf: (id: string) => string;
  shopColourOf: (id: string) => string;
  shopEnabledOf: (id: string) => string;
  shopMutedOf: (id: string) => string;
  removeShop: (name: string) => string;
  addShop: string;
  badShopId: string;
  duplicateShop: string;
  noShops: string;
  secGateway: string;
  vvtypeLabel: string;
  vvtypes: Record<VvType, string>;
  gatewayUrl: string;
  preferHttps: string;
  plainHttpWarning: string;
  httpsInUse: (url: string) => string;
  tokenForOtherHost: (host: string) => string;
  secPolling: string;
  pollModes: Record<PollMode, string>;
  customSeconds: string;
  projected: (points: string, yuan: string) => string;
  pollingNow: (seconds: string, reason: 'mode' | 'quiet' | 'learned') => string;
  costNote: string;
  secNotify: string;
  notifyTopic: (name: string) => string;
  minAmount: (name: string) => string;
  minAmountPlaceholder: string;
  quietHours: string;
  quietEnabled: string;
  quietStart: string;
  quietEnd: string;
  allowRefunds: string;
  sound: string;
  secTop: string;
  topAppKey: string;
  topSecret: string;
  topSession: string;
  secTeam: string;
  teamEnabled: string;
  teamUrl: string;
  teamPassword: string;
  teamSeat: string;
  teamNote: string;
  teamPlainWarning: string;
  teamPasswordForOtherHost: (host: string) => string;
  teamBadge: (seat: string) => string;
  teamServer: Record<TeamServerState, string>;
  teamConsumer: (seat: string, self: boolean) => string;
  teamNoConsumer: string;
  teamLag: (n: string) => string;
  teamMissed: (n: string) => string;
  teamBacklog: (n: string) => string;
  teamReset: string;
  secGeneral: string;
  startAtLogin: string;
  loginItemApproval: string;
  updateMirror: string;
  updateMirrorPlaceholder: string;
  language: string;
  languages: Record<Language, string>;

  subsTitle: string;
  subsLoading: string;
  subsReload: string;
  subsApply: string;
  subsApplying: string;
  subsApplied: string;
  subsPending: (open: number, stop: number) => string;
  subsNeedCredentials: string;
  subsStatus: (status: string) => string;
}

const zh: Messages = {
  lang: 'zh-CN',
  appTitle: '订单铃',
  loading: '加载中…',
  navLabel: '主菜单',
  tabInbox: '订单',
  tabSubscriptions: '订阅',
  tabSettings: '设置',
  unreadBadge: (n) => `${n} 条未读`,
  today: '今天',
  close: '关闭',

  statusWord: (s) => (s === undefined ? '—' : (STATUS_TEXT[s]?.zh ?? s)),
  refundWord: (s) => (s === 'SUCCESS' ? '退款成功' : s === 'CLOSED' ? '退款关闭' : '退款中'),
  flagName: (f) => FLAGS[f].zh,
  topicName: (t) => t.zh,
  groupName: (g) => g.zh,
  describe: (e) => describeError(e, 'zh-CN'),
  authorize: '打开授权链接',

  searchLabel: '搜索',
  searchPlaceholder: '搜索订单号、买家或商品',
  filterShop: '店铺',
  allShops: '全部店铺',
  filterStatus: '状态',
  allStatuses: '全部状态',
  filterFlag: '旗帜',
  allFlags: '全部旗帜',
  unflaggedOnly: '仅未插旗',
  tidsFilter: (n) => `仅显示通知中的 ${n} 个订单`,
  showAll: '显示全部',
  summary: (shown, total, unread) => `${shown < total ? `已载入 ${shown} / ` : '共 '}${total} 单 · 未读 ${unread}`,
  markAllRead: '全部标为已读',
  noOrders: '没有符合条件的订单',
  ordersLabel: '订单列表',
  selectOrder: (tid) => `选择订单 ${tid}`,
  newBadge: '新',
  copyTid: '复制订单号',
  copied: (tid) => `已复制订单号 ${tid}`,
  openOnTaobao: '在淘宝打开',
  selected: (n) => `已选 ${n} 单`,
  batchEdit: '批量插旗 / 备注',
  clearSelection: '取消选择',
  memoPrefix: '备注：',
  flagMarker: (name) => `${name}旗`,

  panelTitle: (tid) => `订单 ${tid}`,
  prevOrder: '上一单',
  nextOrder: '下一单',
  position: (i, n) => `${i} / ${n}`,
  flagLegend: '旗帜',
  memoLabel: '卖家备注',
  bytes: (n, max) => `${n} / ${max} 字节`,
  overLimit: (over) => `超出 ${over} 字节，无法保存（一个汉字占 3 字节）`,
  currentMemo: '现有备注：',
  noMemo: '（无）',
  historyTitle: '消息记录',
  historyEmpty: '没有保存的消息',
  memoUnknown: '备注未知',
  unknownMemoAsk:
    '备注未知：TradeBell 还没有收到该订单在淘宝上的备注，保存空备注会把它清空。请在上方输入要设置的备注，或确认清空。',
  clearUnknownMemo: '清空淘宝上的现有备注',
  unknownFlagAsk:
    '旗帜未知：TradeBell 还没有收到该订单在淘宝上的旗帜，保存灰色会把它清除。请先按 0–5 选择旗帜（0 为灰色，会清除现有旗帜），再保存。',
  replaceWarning: '注意：保存会覆盖该订单现有的卖家备注和旗帜。',
  keysHint:
    '快捷键：0–5 选旗帜（在输入框内用 Alt+0–5）· Ctrl/⌘+Enter 保存 · Esc 关闭 · ↑/↓ 切换订单（在输入框内用 Alt+↑/↓）',
  batchKeysHint: '快捷键：0–5 选旗帜（在输入框内用 Alt+0–5）· Ctrl/⌘+Enter 应用 · Esc 关闭',
  save: '保存',
  saving: '正在保存…',
  saved: (m) => (m ? `已保存 ✓（${m}）` : '已保存 ✓'),

  templatesTitle: '快捷备注',
  insertTemplate: (text) => `插入快捷备注：${text}`,
  editTemplates: '编辑',
  doneEditing: '完成',
  addTemplate: '添加',
  newTemplate: '新的快捷备注',
  templateText: (n) => `快捷备注 ${n}`,
  moveUp: (n) => `上移快捷备注 ${n}`,
  moveDown: (n) => `下移快捷备注 ${n}`,
  removeTemplate: (n) => `删除快捷备注 ${n}`,
  noTemplates: '还没有快捷备注',

  batchTitle: (n) => `批量设置 ${n} 个订单`,
  batchAlsoMemo: '同时设置备注（替换每个订单的现有备注）',
  batchKeepMemo: '不设置备注时，每个订单保留其现有备注，只改旗帜。',
  batchUnknownMemos: (n) =>
    `其中 ${n} 个订单的备注未知：TradeBell 还没有收到它们在淘宝上的备注，只改旗帜会把这些备注清空。请勾选“同时设置备注”输入要设置的备注，或选择：`,
  batchSkipUnknown: (n) => `跳过这 ${n} 个订单`,
  batchClearUnknown: '清空淘宝上的现有备注',
  batchChooseUnknown: '请选择如何处理备注未知的订单',
  resultSkipped: '已跳过（备注未知）',
  chooseFlag: '请选择旗帜',
  apply: (n) => `应用到 ${n} 个订单`,
  retryFailed: (n) => `重试失败的 ${n} 个`,
  batchSummary: (ok, failed, pending) => `成功 ${ok} · 失败 ${failed}${pending ? ` · 进行中 ${pending}` : ''}`,
  batchResultsLabel: '每个订单的结果',
  resultPending: '…',

  demoBadge: '演示模式',
  demoHint: '未设置访问令牌：正在使用内置模拟网关，不会产生费用。',
  running: '运行中',
  pausedAll: '已暂停',
  pause: '暂停',
  resume: '继续',
  muteHour: '静音 1 小时',
  unmute: '取消静音',
  mutedUntil: (time) => `静音至 ${time}`,
  pauseShop: (name) => `暂停 ${name}`,
  resumeShop: (name) => `继续 ${name}`,
  shopState: { listening: '监听中', paused: '已暂停', stopped: '已停止', error: '出错', disabled: '已停用' },
  costToday: (calls, points, yuan) => `今日 ${calls} 次 · ${points} 点券（${yuan}）`,
  lastCall: (time) => `最近调用 ${time}`,
  neverCalled: '尚未调用',
  shopsStatusLabel: '店铺状态',

  settingsSaved: '设置已保存',
  noChanges: '没有更改',
  saveSettings: '保存设置',
  isSet: '已设置',
  notSet: '未设置',
  setSecret: '保存',
  clearSecret: '清除',
  saveSecretOf: (label) => `保存 ${label}`,
  clearSecretOf: (label) => `清除 ${label}`,
  secretPlaceholder: '粘贴新的值',
  secretSaved: '已保存',
  secretCleared: '已清除',
  secToken: '访问令牌',
  tokenLabel: 'access_token',
  secretsInMemory: '本机系统不提供加密存储：令牌和密钥只保存在内存中，TradeBell 重启后需要重新填写。',
  tokenNote: '令牌长期有效；在 vv-tool 重新生成会使旧令牌失效。只存放在本机，界面不会再显示它。',
  secShops: '店铺',
  shopId: '店铺 ID',
  shopName: '名称',
  shopColour: '颜色',
  shopEnabled: '启用',
  shopMuted: '静音通知',
  shopNameOf: (id) => `店铺 ${id} 的名称`,
  shopColourOf: (id) => `店铺 ${id} 的颜色`,
  shopEnabledOf: (id) => `启用店铺 ${id}`,
  shopMutedOf: (id) => `静音店铺 ${id} 的通知`,
  removeShop: (name) => `删除店铺 ${name}`,
  addShop: '添加店铺',
  badShopId: '店铺 ID 只能包含字母、数字、_ 和 -',
  duplicateShop: '该店铺已添加',
  noShops: '尚未添加店铺',
  secGateway: '网关',
  vvtypeLabel: '版本 (vvtype)',
  vvtypes: { 1: '普通版', 2: '增强版', 3: '标准版' },
  gatewayUrl: '网关地址',
  preferHttps: '网关支持 https 时改用 https',
  plainHttpWarning:
    '注意：当前以 http 连接网关，访问令牌以明文经过网络，同一网络中的他人（公共 Wi-Fi、网吧、公司网络）可能截获它。vv-tool 只公布了 http 地址。',
  httpsInUse: (url) => `网关支持加密连接：正在使用 ${url}。`,
  tokenForOtherHost: (host) => `已填写的访问令牌是为 ${host} 填写的，不会发往当前网关地址；请为新地址重新填写。`,
  secPolling: '轮询策略',
  pollModes: {
    realtime: '实时（最长 2 秒）',
    balanced: '均衡（最长 10 秒）',
    saver: '省钱（最长 60 秒）',
    custom: '自定义',
  },
  customSeconds: '最长间隔（秒）',
  projected: (points, yuan) => `按当前流量，预计每日 ${points} 点券（约 ${yuan}）`,
  pollingNow: (seconds, reason) =>
    `此时段空闲时约每 ${seconds} 秒查询一次` +
    {
      mode: '（按所选模式）',
      quiet: '（免打扰时段：照常保存订单，查询放慢）',
      learned: '（店铺近几周这个时段几乎没有订单）',
    }[reason],
  costNote: '每次调用都会扣点券（1 点券 = ¥0.01）；空闲时间隔越长越省钱。',
  secNotify: '通知',
  notifyTopic: (name) => `${name}时提醒`,
  minAmount: (name) => `${name}最低金额`,
  minAmountPlaceholder: '最低金额 ¥',
  quietHours: '免打扰时段',
  quietEnabled: '启用免打扰时段',
  quietStart: '开始',
  quietEnd: '结束',
  allowRefunds: '免打扰时仍提醒退款',
  sound: '提示音',
  secTop: '淘宝开放平台（消息订阅用）',
  topAppKey: 'App Key',
  topSecret: 'App Secret',
  topSession: 'SessionKey',
  secTeam: '团队',
  teamEnabled: '团队模式（多台电脑同时使用同一店铺）',
  teamUrl: '团队服务器地址（redis:// 或 rediss://）',
  teamPassword: '团队服务器密码',
  teamSeat: '本机座位名称（留空则用电脑名）',
  teamNote:
    '同一店铺的多台电脑连到同一个 Redis：只有一台负责从网关取消息，其余从团队服务器同步，每台都收到全部订单。各台的提醒规则和静音互不影响。',
  teamPlainWarning:
    '注意：redis:// 地址不加密，订单内容和团队服务器密码以明文经过网络。只在店内局域网使用；云服务请用 rediss:// 地址（开启 TLS）。',
  teamPasswordForOtherHost: (host) =>
    `已填写的团队服务器密码是为 ${host} 填写的，不会发往当前团队服务器地址；请为新地址重新填写。`,
  teamBadge: (seat) => `团队 · ${seat}`,
  teamServer: { connecting: '正在连接团队服务器', connected: '团队服务器已连接', unreachable: '团队服务器不可达' },
  teamConsumer: (seat, self) => (self ? '本机接单' : `由 ${seat} 接单`),
  teamNoConsumer: '暂无座位接单',
  teamLag: (n) => `落后 ${n} 条`,
  teamMissed: (n) => `漏掉 ${n} 条（本机离线太久，已超出团队服务器的保留范围）`,
  teamBacklog: (n) => `${n} 条待同步到团队服务器`,
  teamReset: '团队服务器丢失过数据：离线期间的部分消息可能未同步到本机',
  secGeneral: '通用',
  startAtLogin: '开机启动',
  loginItemApproval: '开机启动需要你的允许：请在「系统设置 › 通用 › 登录项」中允许 TradeBell。',
  updateMirror: '更新镜像地址（留空使用官方发布地址；清空后重启生效）',
  updateMirrorPlaceholder: 'https://…',
  language: '语言',
  languages: { 'zh-CN': '简体中文', en: 'English' },

  subsTitle: '消息订阅',
  subsLoading: '正在读取订阅…',
  subsReload: '刷新',
  subsApply: '应用更改',
  subsApplying: '正在应用…',
  subsApplied: '订阅已更新',
  subsPending: (open, stop) => `将开启 ${open} 个、关闭 ${stop} 个`,
  subsNeedCredentials: '请先在“设置”中填写 App Key、App Secret 和 SessionKey。',
  subsStatus: (s) => `授权状态：${s}`,
};

const en: Messages = {
  lang: 'en',
  appTitle: 'TradeBell',
  loading: 'Loading…',
  navLabel: 'Main menu',
  tabInbox: 'Orders',
  tabSubscriptions: 'Subscriptions',
  tabSettings: 'Settings',
  unreadBadge: (n) => `${n} unread`,
  today: 'Today',
  close: 'Close',

  statusWord: (s) => (s === undefined ? '—' : (STATUS_TEXT[s]?.en ?? s)),
  refundWord: (s) => (s === 'SUCCESS' ? 'Refunded' : s === 'CLOSED' ? 'Refund closed' : 'Refunding'),
  flagName: (f) => FLAGS[f].en,
  topicName: (t) => t.en,
  groupName: (g) => g.en,
  describe: (e) => describeError(e, 'en'),
  authorize: 'Open the authorisation link',

  searchLabel: 'Search',
  searchPlaceholder: 'Search order number, buyer or item',
  filterShop: 'Shop',
  allShops: 'All shops',
  filterStatus: 'Status',
  allStatuses: 'All statuses',
  filterFlag: 'Flag',
  allFlags: 'All flags',
  unflaggedOnly: 'Unflagged only',
  tidsFilter: (n) => `Only the ${n} orders from the notification`,
  showAll: 'Show all',
  summary: (shown, total, unread) => `${shown < total ? `${shown} of ` : ''}${total} orders · ${unread} unread`,
  markAllRead: 'Mark all read',
  noOrders: 'No orders match',
  ordersLabel: 'Orders',
  selectOrder: (tid) => `Select order ${tid}`,
  newBadge: 'New',
  copyTid: 'Copy order number',
  copied: (tid) => `Copied order number ${tid}`,
  openOnTaobao: 'Open on Taobao',
  selected: (n) => `${n} selected`,
  batchEdit: 'Flag / memo all',
  clearSelection: 'Clear selection',
  memoPrefix: 'Memo: ',
  flagMarker: (name) => `${name} flag`,

  panelTitle: (tid) => `Order ${tid}`,
  prevOrder: 'Previous order',
  nextOrder: 'Next order',
  position: (i, n) => `${i} of ${n}`,
  flagLegend: 'Flag',
  memoLabel: 'Seller memo',
  bytes: (n, max) => `${n} / ${max} bytes`,
  overLimit: (over) => `${over} bytes over the limit: cannot save (a Chinese character is 3 bytes)`,
  currentMemo: 'Current memo: ',
  noMemo: '(none)',
  historyTitle: 'Messages',
  historyEmpty: 'No stored messages',
  memoUnknown: 'Memo unknown',
  unknownMemoAsk:
    "Memo unknown: TradeBell has not received this order's memo on Taobao, and saving an empty memo would erase it. Type the memo to set above, or confirm clearing it.",
  clearUnknownMemo: 'Clear the existing memo on Taobao',
  unknownFlagAsk:
    "Flag unknown: TradeBell has not received this order's flag on Taobao, and saving gray would clear it. Press 0–5 to choose a flag first (0, gray, clears the existing one), then save.",
  replaceWarning: "Note: saving replaces the order's existing seller memo and flag.",
  keysHint:
    'Keys: 0–5 pick a flag (Alt+0–5 in a text box) · Ctrl/⌘+Enter saves · Esc closes · ↑/↓ next order (Alt+↑/↓ in a text box)',
  batchKeysHint: 'Keys: 0–5 pick a flag (Alt+0–5 in a text box) · Ctrl/⌘+Enter applies · Esc closes',
  save: 'Save',
  saving: 'Saving…',
  saved: (m) => (m ? `Saved ✓ (${m})` : 'Saved ✓'),

  templatesTitle: 'Quick memos',
  insertTemplate: (text) => `Insert quick memo: ${text}`,
  editTemplates: 'Edit',
  doneEditing: 'Done',
  addTemplate: 'Add',
  newTemplate: 'New quick memo',
  templateText: (n) => `Quick memo ${n}`,
  moveUp: (n) => `Move quick memo ${n} up`,
  moveDown: (n) => `Move quick memo ${n} down`,
  removeTemplate: (n) => `Delete quick memo ${n}`,
  noTemplates: 'No quick memos yet',

  batchTitle: (n) => `Set ${n} orders at once`,
  batchAlsoMemo: "Also set the memo (replaces each order's memo)",
  batchKeepMemo: 'Without a memo, each order keeps its current memo; only the flag changes.',
  batchUnknownMemos: (n) =>
    `${n === 1 ? '1 of these orders has an unknown memo' : `${n} of these orders have an unknown memo`}: TradeBell has not received ${n === 1 ? 'its memo' : 'their memos'} on Taobao, and changing only the flag would erase ${n === 1 ? 'it' : 'them'}. Tick "Also set the memo" to type the memo to set, or choose:`,
  batchSkipUnknown: (n) => (n === 1 ? 'Skip this order' : `Skip these ${n} orders`),
  batchClearUnknown: 'Clear the existing memo on Taobao',
  batchChooseUnknown: 'Choose what to do with the orders whose memo is unknown',
  resultSkipped: 'Skipped (memo unknown)',
  chooseFlag: 'Pick a flag',
  apply: (n) => `Apply to ${n} orders`,
  retryFailed: (n) => `Retry the ${n} failed`,
  batchSummary: (ok, failed, pending) => `${ok} done · ${failed} failed${pending ? ` · ${pending} in progress` : ''}`,
  batchResultsLabel: 'Result per order',
  resultPending: '…',

  demoBadge: 'Demo',
  demoHint: 'No access token: using the built-in simulated gateway, nothing is billed.',
  running: 'Running',
  pausedAll: 'Paused',
  pause: 'Pause',
  resume: 'Resume',
  muteHour: 'Mute 1 hour',
  unmute: 'Unmute',
  mutedUntil: (time) => `Muted until ${time}`,
  pauseShop: (name) => `Pause ${name}`,
  resumeShop: (name) => `Resume ${name}`,
  shopState: { listening: 'Listening', paused: 'Paused', stopped: 'Stopped', error: 'Error', disabled: 'Disabled' },
  costToday: (calls, points, yuan) => `Today ${calls} calls · ${points} points (${yuan})`,
  lastCall: (time) => `Last call ${time}`,
  neverCalled: 'No call yet',
  shopsStatusLabel: 'Shop status',

  settingsSaved: 'Settings saved',
  noChanges: 'Nothing changed',
  saveSettings: 'Save settings',
  isSet: 'Set',
  notSet: 'Not set',
  setSecret: 'Save',
  clearSecret: 'Clear',
  saveSecretOf: (label) => `Save ${label}`,
  clearSecretOf: (label) => `Clear ${label}`,
  secretPlaceholder: 'Paste the new value',
  secretSaved: 'Saved',
  secretCleared: 'Cleared',
  secToken: 'Access token',
  tokenLabel: 'access_token',
  secretsInMemory:
    'This system offers no encrypted storage: the token and secrets are kept in memory only and must be entered again after TradeBell restarts.',
  tokenNote:
    'A token lasts for years; creating a new one at vv-tool revokes the old one. It stays on this computer and is never shown again.',
  secShops: 'Shops',
  shopId: 'Shop id',
  shopName: 'Name',
  shopColour: 'Colour',
  shopEnabled: 'Enabled',
  shopMuted: 'Mute notifications',
  shopNameOf: (id) => `Name of shop ${id}`,
  shopColourOf: (id) => `Colour of shop ${id}`,
  shopEnabledOf: (id) => `Enable shop ${id}`,
  shopMutedOf: (id) => `Mute notifications of shop ${id}`,
  removeShop: (name) => `Remove shop ${name}`,
  addShop: 'Add shop',
  badShopId: 'A shop id is letters, digits, _ and - only',
  duplicateShop: 'That shop is already added',
  noShops: 'No shops yet',
  secGateway: 'Gateway',
  vvtypeLabel: 'Plan (vvtype)',
  vvtypes: { 1: 'Basic', 2: 'Enhanced', 3: 'Standard' },
  gatewayUrl: 'Gateway URL',
  preferHttps: 'Use https when the gateway offers it',
  plainHttpWarning:
    'Note: the gateway is reached over http, so the access token crosses the network in clear, where others on the same network (public Wi-Fi, an internet café, an office network) can read it. vv-tool documents only an http address.',
  httpsInUse: (url) => `The gateway offers an encrypted connection: using ${url}.`,
  tokenForOtherHost: (host) =>
    `The access token was entered for ${host} and is not sent to the gateway address now set: enter it again for the new address.`,
  secPolling: 'Polling',
  pollModes: {
    realtime: 'Real time (2 s at most)',
    balanced: 'Balanced (10 s at most)',
    saver: 'Saver (60 s at most)',
    custom: 'Custom',
  },
  customSeconds: 'Longest pause (seconds)',
  projected: (points, yuan) => `At the current traffic: about ${points} points a day (${yuan})`,
  pollingNow: (seconds, reason) =>
    `At this hour an idle shop is polled about every ${seconds} s` +
    {
      mode: ' (the chosen mode)',
      quiet: ' (quiet hours: orders are still stored, polling slows down)',
      learned: ' (this shop has had almost no orders at this hour in recent weeks)',
    }[reason],
  costNote: 'Every call is billed in points (1 point = ¥0.01); longer idle pauses cost less.',
  secNotify: 'Notifications',
  notifyTopic: (name) => `Notify on ${name}`,
  minAmount: (name) => `Minimum amount for ${name}`,
  minAmountPlaceholder: 'Min ¥',
  quietHours: 'Quiet hours',
  quietEnabled: 'Use quiet hours',
  quietStart: 'From',
  quietEnd: 'To',
  allowRefunds: 'Still notify refunds in quiet hours',
  sound: 'Sound',
  secTop: 'Taobao Open Platform (for subscriptions)',
  topAppKey: 'App key',
  topSecret: 'App secret',
  topSession: 'Session key',
  secTeam: 'Team',
  teamEnabled: 'Team mode (several computers on the same shops)',
  teamUrl: 'Team server URL (redis:// or rediss://)',
  teamPassword: 'Team server password',
  teamSeat: 'This seat’s name (empty: the computer’s name)',
  teamNote:
    'Every computer of the shop connects to the same Redis: one of them takes the messages from the gateway, the others get them from the team server, and every seat sees every order. Each seat keeps its own notification rules and mutes.',
  teamPlainWarning:
    'Note: a redis:// address is not encrypted, so the orders and the team server password cross the network in clear. Use it only on the shop’s own network; for a cloud service use its rediss:// address (TLS).',
  teamPasswordForOtherHost: (host) =>
    `The team server password was entered for ${host} and is not sent to the team server address now set: enter it again for the new address.`,
  teamBadge: (seat) => `Team · ${seat}`,
  teamServer: {
    connecting: 'Connecting to the team server',
    connected: 'Team server connected',
    unreachable: 'Team server unreachable',
  },
  teamConsumer: (seat, self) => (self ? 'Consumed on this seat' : `Consumed by ${seat}`),
  teamNoConsumer: 'No seat consumes yet',
  teamLag: (n) => `${n} behind`,
  teamMissed: (n) => `${n} missed (this seat was away longer than the team server keeps messages)`,
  teamBacklog: (n) => `${n} waiting to reach the team server`,
  teamReset: 'The team server lost its data: some messages from that time may not have reached this seat',
  secGeneral: 'General',
  startAtLogin: 'Start at login',
  loginItemApproval: 'Start at login needs your approval: allow TradeBell in System Settings › General › Login Items.',
  updateMirror: 'Update mirror URL (empty: the release feed; clearing it takes effect after a restart)',
  updateMirrorPlaceholder: 'https://…',
  language: 'Language',
  languages: { 'zh-CN': '简体中文', en: 'English' },

  subsTitle: 'Message subscriptions',
  subsLoading: 'Reading subscriptions…',
  subsReload: 'Reload',
  subsApply: 'Apply changes',
  subsApplying: 'Applying…',
  subsApplied: 'Subscriptions updated',
  subsPending: (open, stop) => `${open} to turn on, ${stop} to turn off`,
  subsNeedCredentials: 'Enter the app key, app secret and session key in Settings first.',
  subsStatus: (s) => `Authorisation status: ${s}`,
};

export const MESSAGES: Record<Language, Messages> = { 'zh-CN': zh, en };

const LanguageContext = createContext<Language>('zh-CN');

export function LanguageProvider({ language, children }: { language: Language; children?: ReactNode }) {
  return createElement(LanguageContext.Provider, { value: language }, children);
}

export function useT(): Messages {
  return MESSAGES[useContext(LanguageContext)];
}
