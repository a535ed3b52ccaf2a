/**
 * The shape of the catalogue: every word TradeBell shows, in every face. Each language is one
 * object of type `Words`, so a key missing from a language, an error code without words, or a
 * topic of src/shared/topics.ts without a label does not compile; each message's parameters are
 * typed, so a face cannot call one with the wrong ones.
 *
 * Words only: what to say. Which words a face needs, and how they are put together from data
 * (an error's code and parameters, a notification's news), is in index.ts.
 */
import type { ShopRunState, TeamServerState } from '../api';
import type { TradeStatus } from '../domain';
import type { AddressSetting, ErrorCode, ErrorKind, ErrorParams } from '../errors';
import type { Flag } from '../flag';
import type { Language, PollMode, VvType } from '../settings';
import type { TopicGroup, TopicName } from '../topics';

/** The words of each error code, from its parameters. */
export type ErrorWords = { [C in ErrorCode]: (params: ErrorParams[C]) => string };

export interface TopicWords {
  /** In lists (settings, subscriptions): 买家付款. */
  name: string;
  /** As news, a notification's title: 新付款订单. */
  news: string;
}

export interface Words {
  lang: Language;

  // ---- the shared vocabulary ----
  statuses: Record<TradeStatus, string>;
  refundWord: (status: string) => string;
  flags: Record<Flag, string>;
  topics: Record<TopicName, TopicWords>;
  topicGroups: Record<TopicGroup, string>;
  /** A setting holding an address, as a sentence names it. */
  addresses: Record<AddressSetting, string>;
  /** What happened, by code. */
  errors: ErrorWords;
  /** What to do about it, by kind. */
  advice: Record<ErrorKind, string>;
  /** Joins what happened and what to do. */
  errorLine: (what: string, advice: string) => string;

  // ---- notifications (notificationText in index.ts puts them together) ----
  notify: {
    /** An order's title: the news, with the amount when it is known. */
    title: (news: string, amount: string | undefined) => string;
    buyer: (nick: string) => string;
    /** Item titles, `total` of them in all. */
    items: (shown: readonly string[], total: number) => string;
    memo: (memo: string) => string;
    shop: (name: string) => string;
    order: (tid: string) => string;
    /** A burst of `count` of one news; `orders` when they are orders, not bare messages. */
    summaryTitle: (news: string, count: number, orders: boolean, total: string | undefined) => string;
    summaryOrders: (shown: readonly string[], total: number) => string;
    summaryShops: (names: readonly string[]) => string;
    /** The notice when the window is first closed to the tray. */
    stillRunning: { title: string; body: string; bodyMac: string };
    /** macOS: the login item waits for the user's approval. */
    loginApproval: { title: string; body: string };
  };

  // ---- the tray ----
  tray: {
    open: string;
    pause: string;
    resume: string;
    mute: string;
    unmute: string;
    settings: string;
    logs: string;
    restartToUpdate: string;
    quit: string;
    paused: string;
    muted: string;
    demo: string;
    unread: (n: number) => string;
    listening: (n: number) => string;
    failing: (n: number) => string;
    /** Windows: the taskbar overlay's description. */
    badge: (n: number) => string;
  };

  // ---- native dialogs ----
  dialogs: {
    hostChangeMessage: (what: string, host: string) => string;
    hostChangeDetail: (url: string, host: string) => string;
    hostChangePlainHttp: string;
    cancel: string;
    change: (host: string) => string;
    /** The start-up failure box, with what went wrong. */
    startFailed: (what: string) => string;
  };

  // ---- the command line (src/main/cli.ts) ----
  cli: {
    /** A line on stderr saying what went wrong. */
    error: (text: string) => string;
    /** The help: `synopsis` is the commands and options, the same in every language. */
    usage: (synopsis: string) => string;
    tokenArgWarning: string;
    teamPasswordArgWarning: string;
    /** After a refusal to keep a memo or flag the data folder does not know. */
    keepUnknownHint: string;
    unknownCommand: (command: string) => string;
    noCommand: string;
    /** An option the command line parser refused; `detail` is the parser's own (English) words. */
    badArgs: (detail: string) => string;
    badLang: string;
    needBaseUrl: string;
    needToken: string;
    needShop: string;
    seatWithoutTeam: string;
    badTeam: (problem: string) => string;
    needSeat: (max: number) => string;
    onceWithTeam: string;
    badMode: (mode: string) => string;
    badDuration: string;
    oneShop: string;
    needTid: string;
    needMemoOrFlag: string;
    badFlag: string;
  };

  // ---- the window ----
  appTitle: string;
  loading: string;
  navLabel: string;
  tabInbox: string;
  tabSubscriptions: string;
  tabSettings: string;
  unreadBadge: (n: number) => string;
  today: string;
  close: string;
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
  /** Leaving (`close`) or moving to another order with changes not saved: the same key again leaves. */
  unsavedAsk: (leaving: 'close' | 'move') => string;
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
