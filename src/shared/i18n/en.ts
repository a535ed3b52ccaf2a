/** English. */
import type { ConnectionCause, StorageCause, TimeoutStage, TopCredential } from '../errors';
import type { Words } from './words';

const ADDRESSES = {
  gatewayBaseUrl: 'gateway address',
  topBaseUrl: 'Taobao Open Platform address',
  teamUrl: 'team server address',
} as const;
const TEAM_URL_PROBLEMS = {
  empty_or_long: 'Invalid team server URL: it is empty or too long',
  scheme: 'Invalid team server URL: it must start with redis:// or rediss://',
  no_host: 'The team server URL has no host',
  query: 'The team server URL cannot carry a ? or # part',
  database: 'Invalid database number in the team server URL (0 to 99)',
} as const;

const TIMEOUTS: Record<TimeoutStage, string> = {
  connect: 'Connecting timed out',
  headers: 'No answer within the time limit',
  body: 'The answer stalled',
};

const CONNECTION: Record<ConnectionCause, string> = {
  refused: 'Connection refused',
  reset: 'Connection reset',
  closed_by_peer: 'Connection closed by the other side',
  closed: 'Connection closed',
  broken_pipe: 'Connection broken',
  host_not_found: 'Host not found (DNS)',
  dns_failed: 'DNS lookup failed',
  host_unreachable: 'Host unreachable',
  network_unreachable: 'Network unreachable',
};

const STORAGE: Record<StorageCause, string> = {
  disk_full: 'the disk is full',
  io: 'the disk failed to write',
  locked: 'the file is held by another program or not writable',
  other: 'the write failed',
};

const TOP_CREDENTIALS: Record<TopCredential, string> = {
  appKey: 'app key',
  appSecret: 'app secret',
  session: 'session key',
};

const sys = (code: string | undefined) => (code ? ` (${code})` : '');
const sample = (text: string) => text || '(empty)';
/** "a", "a and b", "a, b and c". */
const list = (items: readonly string[]) =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

export const en: Words = {
  lang: 'en',

  statuses: {
    TRADE_NO_CREATE_PAY: 'Awaiting payment',
    WAIT_BUYER_PAY: 'Awaiting payment',
    PAY_PENDING: 'Payment pending',
    WAIT_SELLER_SEND_GOODS: 'To ship',
    SELLER_CONSIGNED_PART: 'Partly shipped',
    WAIT_BUYER_CONFIRM_GOODS: 'Shipped',
    TRADE_BUYER_SIGNED: 'Signed for',
    TRADE_FINISHED: 'Completed',
    TRADE_CLOSED: 'Closed',
    TRADE_CLOSED_BY_TAOBAO: 'Closed',
    REFUNDING: 'Refunding',
  },
  refundWord: (s) => (s === 'SUCCESS' ? 'Refunded' : s === 'CLOSED' ? 'Refund closed' : 'Refunding'),
  flags: { 0: 'Gray', 1: 'Red', 2: 'Yellow', 3: 'Green', 4: 'Blue', 5: 'Pink' },
  topics: {
    TradeCreate: { name: 'Order created', news: 'New order' },
    TradeBuyerPay: { name: 'Buyer paid', news: 'New paid order' },
    TradeSellerShip: { name: 'Shipped', news: 'Order shipped' },
    TradePartlySellerShip: { name: 'Partly shipped', news: 'Order partly shipped' },
    TradeSuccess: { name: 'Completed', news: 'Order completed' },
    TradeClose: { name: 'Closed', news: 'Order closed' },
    TradeModifyFee: { name: 'Price changed', news: 'Price changed' },
    TradeChanged: { name: 'Order changed', news: 'Order changed' },
    TradeMemoModified: { name: 'Memo changed', news: 'Memo changed' },
    TradeLogisticsAddressChanged: { name: 'Address changed', news: 'Address changed' },
    TradeRated: { name: 'Rated', news: 'Order rated' },
    TradePartlyRefund: { name: 'Partly refunded', news: 'Partial refund' },
    RefundCreated: { name: 'Refund requested', news: 'New refund request' },
    RefundSellerAgreeAgreement: { name: 'Seller agreed', news: 'Refund agreed' },
    RefundSellerRefuseAgreement: { name: 'Seller refused', news: 'Refund refused' },
    RefundBuyerReturnGoods: { name: 'Buyer returned goods', news: 'Buyer returned goods' },
    RefundSuccess: { name: 'Refunded', news: 'Refund completed' },
    RefundClosed: { name: 'Refund closed', news: 'Refund closed' },
    ItemAdd: { name: 'Item added', news: 'Item added' },
    ItemUpdate: { name: 'Item updated', news: 'Item updated' },
    ItemUpshelf: { name: 'Listed', news: 'Item listed' },
    ItemDownshelf: { name: 'Delisted', news: 'Item delisted' },
    ItemDelete: { name: 'Item deleted', news: 'Item deleted' },
    ItemStockChanged: { name: 'Stock changed', news: 'Stock changed' },
    ItemZeroStock: { name: 'Out of stock', news: 'Item sold out' },
  },
  topicGroups: { trade: 'Trade', refund: 'Refund', item: 'Item' },
  addresses: ADDRESSES,

  errors: {
    bad_url: ({ url }) => `Not an http(s) address: ${url}`,
    answer_too_large: ({ maxBytes }) => `The gateway's answer is larger than ${maxBytes} bytes`,
    body_deadline: ({ ms }) => `The answer was not complete within ${ms} ms`,
    cancelled: () => 'The request was cancelled',
    timed_out: ({ stage, sys: code }) => `${TIMEOUTS[stage]}${sys(code)}`,
    connection_failed: ({ cause, sys: code }) => `${CONNECTION[cause]}${sys(code)}`,
    network_failed: ({ sys: code, detail }) => `Network error${sys(code)}: ${detail}`,
    http_status: ({ status, sample: text }) =>
      `${status >= 500 ? 'Server error' : 'Error'} HTTP ${status}${text ? `: ${text}` : ''}`,
    token_missing: () => 'The access token (access_token) is not set',
    token_invalid: () => 'The access token contains characters a token cannot have',
    unreadable_answer: ({ status, sample: text }) =>
      `The gateway answered with something unreadable (HTTP ${status}): ${sample(text)}`,
    answer_shape: ({ field }) => `Unexpected answer from the gateway: ${field} is missing or of the wrong type`,
    // The gateway's own msg is Chinese: the code says it, and the advice says what to do.
    gateway_code: ({ gatewayCode }) => `The gateway answered with code ${gatewayCode}`,
    over_quantity: ({ count, quantity }) =>
      `The gateway sent ${count} messages when ${quantity} were asked for: all stored; the next call waits`,
    undecodable: () => 'A message could not be decoded; it is kept as it came',
    bad_shop_id: ({ id }) =>
      id === undefined
        ? 'Invalid shop id: letters, digits, _ and - only'
        : `Invalid shop id: ${id} (letters, digits, _ and - only)`,
    bad_tid: () => 'Invalid order number: digits only',
    bad_flag: () => 'Invalid flag: an integer from 0 to 5',
    memo_not_text: () => 'The memo must be text',
    memo_too_long: ({ bytes, over, max }) =>
      `The memo is ${bytes} bytes, ${over} over the ${max}-byte limit (a Chinese character is 3 bytes)`,
    bad_quantity: ({ min, max, got }) => `The quantity to fetch must be an integer from ${min} to ${max}, not ${got}`,
    bad_msg_type: () => 'Invalid message topic: a topic name such as taobao_trade_TradeBuyerPay',
    memo_unknown: () =>
      "Memo unknown: the order's current memo on Taobao is not known here, and saving an empty memo would erase it. Type the memo to set, or confirm clearing it.",
    flag_unknown: () =>
      "Flag unknown: the order's current flag on Taobao is not known here, and saving gray would clear it. Choose a flag (0–5), or confirm clearing it.",
    keep_unknown: ({ field }) =>
      `The order's current ${field} on Taobao is not known here (TradeBell learns it from the TradeMemoModified messages it stores), so it cannot be kept: saving replaces both memo and flag. Give the ${field} to save.`,
    top_unreadable: ({ status, sample: text }) =>
      `The Taobao Open Platform answered with something unreadable (HTTP ${status}): ${sample(text)}`,
    top_missing_root: ({ root, sample: text }) => `The Taobao Open Platform's answer has no ${root}: ${sample(text)}`,
    top_credentials_missing: ({ missing }) =>
      `Enter the Taobao Open Platform ${list(missing.map((c) => TOP_CREDENTIALS[c]))} in Settings first`,
    // TOP's msg is English; its sub_msg is often Chinese, and the sub code names it.
    top_error: ({ code, msg }) => `Taobao Open Platform error: ${msg ?? 'unknown error'}${sys(code)}`,
    consume_threw: ({ detail }) => `Internal error while fetching messages: ${detail}`,
    store_failed: ({ cause, messages, sys: code }) =>
      `Could not save messages: ${STORAGE[cause]}${sys(code)}. ${messages} ${plural(messages, 'message is', 'messages are')} held in memory, and this shop takes no new ones until they are saved`,
    held_saved: ({ messages, folders }) =>
      `${messages} ${plural(messages, 'message', 'messages')} could not be stored before stopping; written to ${folders.join(', ')} and taken back at the next start`,
    held_lost: ({ messages, batches }) =>
      `${messages} ${plural(messages, 'message', 'messages')} could not be stored before stopping; ${batches} ${plural(batches, 'batch', 'batches')} could be written nowhere and ${plural(batches, 'is', 'are')} lost`,
    bad_secret: () => 'Invalid secret: it cannot be empty or contain spaces',
    duplicate_shop: ({ id }) => `Shop ${id} is listed twice`,
    bad_custom_ceiling: ({ minSeconds, maxSeconds }) =>
      `The custom polling pause must be between ${minSeconds} and ${maxSeconds} seconds`,
    bad_address: ({ setting, url }) => `Invalid ${ADDRESSES[setting]}: ${url} (it must start with http:// or https://)`,
    bad_team_url: ({ problem }) => TEAM_URL_PROBLEMS[problem],
    bad_team_password: () => 'Invalid team server password: it cannot contain spaces or control characters',
    bad_seat_name: ({ max }) => `Invalid seat name: at most ${max} characters, no control characters`,
    bad_setting: ({ path }) => `Invalid setting: ${path}`,
    host_change_declined: ({ setting, host }) =>
      `Not changed: changing the ${ADDRESSES[setting]} to ${host} was not confirmed.`,
    host_change_unconfirmable: ({ setting, host }) =>
      `Not changed: changing the ${ADDRESSES[setting]} to ${host} cannot be confirmed here.`,
    ipc_untrusted_sender: () => 'The request did not come from the TradeBell window',
    ipc_bad_payload: ({ fields }) => `Invalid request: ${fields.join(', ')}`,
    link_not_allowed: () => 'Only Taobao/Tmall order pages and vv-tool links open outside TradeBell',
    browser_failed: ({ detail }) => `Could not open the browser: ${detail}`,
    folder_in_use: ({ dir, pid, host, lockFile }) =>
      `The data folder ${dir} is in use by another TradeBell process (${host === undefined ? `pid ${pid}` : `pid ${pid} on ${host}`}): stop it first, or use another folder.` +
      (host !== undefined && lockFile !== undefined
        ? ` If that computer no longer runs TradeBell, delete ${lockFile}.`
        : ''),
    folder_lock_contended: ({ dir, lockFile }) =>
      `Could not lock the data folder ${dir}: others keep changing ${lockFile}`,
    journal_too_new: ({ file, found, supported }) =>
      `The inbox ${file} was written by a newer TradeBell (journal format ${found}); this version reads format ${supported}. Update TradeBell to open it. Nothing was changed.`,
    inbox_read_only: () => 'The inbox is open read-only: another process writes it',
    disk_full_at_start: ({ dir }) =>
      `The disk holding the data folder ${dir} is full: TradeBell could not open it and fetched nothing. Free some space and start again.`,
    internal: ({ detail }) => `Internal error: ${detail}`,
  },
  advice: {
    transient: 'The gateway is busy; TradeBell retries by itself.',
    server: 'Gateway system error; retrying slowly. Contact vv-tool support if it persists.',
    auth: 'The access token is invalid: enter a new one in Settings.',
    quota: 'No permission or no calls left: enable the endpoint or recharge at vv-tool, then resume.',
    shop_unauthorized: 'Shop not authorised: scan the authorisation link, then resume.',
    bad_request: 'Bad request parameters: check the shop id and order number.',
    unsupported: 'This endpoint is not supported for your plan: check the vvtype setting.',
    not_found: 'Wrong endpoint: check the gateway URL in Settings.',
    unknown_code: 'The gateway answered with an unknown code: contact vv-tool support.',
    bad_answer: 'The gateway answered with something unreadable (a proxy or network problem?); retrying later.',
    http: 'The gateway answered with an HTTP error; retrying later. Check your network or proxy if it persists.',
    timeout: 'The gateway timed out; retrying later.',
    network: 'Cannot reach the gateway: check your network connection.',
    validation: 'Please correct it and save again.',
    top: 'Taobao Open Platform error: check the app key, secret and session key.',
    ipc: 'Invalid internal request: restart TradeBell.',
    storage:
      "Free disk space, or let your antivirus or backup tool release TradeBell's data folder; the messages received are kept in memory and polling goes on once they are saved.",
    internal: 'Internal error: restart TradeBell, and see the log if it persists.',
  },
  errorLine: (what, advice) => `${what} — ${advice}`,

  notify: {
    title: (news, amount) => (amount === undefined ? news : `${news} ${amount}`),
    buyer: (nick) => `Buyer: ${nick}`,
    items: (shown, total) => `${shown.join(', ')}${total > shown.length ? ` and ${total - shown.length} more` : ''}`,
    memo: (memo) => `Memo: ${memo}`,
    shop: (name) => `Shop: ${name}`,
    order: (tid) => `Order ${tid}`,
    summaryTitle: (news, count, _orders, total) =>
      `${news} ×${count}${total === undefined ? '' : `, ${total} in total`}`,
    summaryOrders: (shown, total) =>
      `Orders ${shown.join(', ')}${total > shown.length ? ` and ${total - shown.length} more` : ''}`,
    summaryShops: (names) => `Shops: ${names.join(', ')}`,
    stillRunning: {
      title: 'TradeBell is still running',
      body: 'New orders will still be announced. Click the tray icon to open the window, or quit from its menu.',
      bodyMac: 'New orders will still be announced. Click the menu bar icon and choose Open TradeBell or Quit.',
    },
    loginApproval: {
      title: 'Start at login needs your approval',
      body: 'Allow TradeBell in System Settings › General › Login Items.',
    },
  },

  tray: {
    open: 'Open TradeBell',
    pause: 'Pause polling',
    resume: 'Resume polling',
    mute: 'Mute for 1 hour',
    unmute: 'Unmute',
    settings: 'Settings…',
    logs: 'Open log folder',
    restartToUpdate: 'Restart to update',
    quit: 'Quit',
    paused: 'Paused',
    muted: 'Muted',
    demo: 'Demo mode',
    unread: (n) => (n === 0 ? 'No new orders' : n === 1 ? '1 new order' : `${n} new orders`),
    listening: (n) => `Listening to ${n} ${plural(n, 'shop', 'shops')}`,
    failing: (n) => `${n} ${plural(n, 'shop', 'shops')} failing`,
    badge: (n) => (n === 1 ? '1 new order' : `${n} new orders`),
  },

  dialogs: {
    hostChangeMessage: (what, host) => `Change the ${what} to ${host}?`,
    hostChangeDetail: (url, host) =>
      `New address: ${url}\nChoose "Change to ${host}" only if you just changed it in Settings yourself. Secrets already entered are not sent to the new address: enter them again for it if needed.`,
    hostChangePlainHttp:
      'This address is not encrypted (http:// or redis://): what is sent to it crosses the network in clear.',
    cancel: 'Cancel',
    change: (host) => `Change to ${host}`,
    startFailed: (what) => `TradeBell could not start:\n${what}`,
  },

  cli: {
    error: (text) => `error: ${text}`,
    usage: (synopsis) => `Usage:
${synopsis}
The token comes from the TRADEBELL_TOKEN environment variable (--token T also works, but other
local users can read a command line in the process list). The team server's password comes from
TRADEBELL_TEAM_PASSWORD (a password in the --team URL also works, with the same caveat). Errors and
notifications are worded in Simplified Chinese, or in English with --lang en (or TRADEBELL_LANG=en).`,
    tokenArgWarning:
      'warning: --token is visible to other users of this computer in the process list (ps, Task Manager); set TRADEBELL_TOKEN instead',
    teamPasswordArgWarning:
      'warning: the password in --team is visible to other users of this computer in the process list (ps, Task Manager); set TRADEBELL_TEAM_PASSWORD instead',
    keepUnknownHint:
      "pass both --memo and --flag, or let a `watch` on this data folder store the order's TradeMemoModified message first",
    unknownCommand: (command) => `unknown command: ${command}`,
    noCommand: 'no command given',
    badArgs: (detail) => detail,
    badLang: '--lang must be zh-CN or en',
    needBaseUrl: '--base-url is required',
    needToken: 'set TRADEBELL_TOKEN (or pass --token) to the access token',
    needShop: 'at least one --shop is required',
    seatWithoutTeam: '--seat goes with --team',
    badTeam: (problem) => `--team: ${problem}`,
    needSeat: (max) => `--seat NAME is required with --team (1..${max} characters)`,
    onceWithTeam: '--once does not go with --team (only the seat holding the lease consumes)',
    badMode: (mode) => `--mode must be realtime, balanced or saver, not ${mode}`,
    badDuration: '--duration must be a positive number of seconds',
    oneShop: 'remark takes exactly one --shop',
    needTid: '--tid is required',
    needMemoOrFlag: 'give --flag, --memo or both',
    badFlag: '--flag must be an integer 0..5',
  },

  appTitle: 'TradeBell',
  loading: 'Loading…',
  navLabel: 'Main menu',
  tabInbox: 'Orders',
  tabSubscriptions: 'Subscriptions',
  tabSettings: 'Settings',
  unreadBadge: (n) => `${n} unread`,
  today: 'Today',
  close: 'Close',

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
  unsavedAsk: (leaving) =>
    leaving === 'close'
      ? 'Changes not saved. Press Ctrl/⌘+Enter to save, or Esc again to discard them and close.'
      : 'Changes not saved. Press Ctrl/⌘+Enter to save, or move again to discard them.',
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
