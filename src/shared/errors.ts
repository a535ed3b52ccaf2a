/**
 * Errors are values: a kind, a code and parameters, and no words. The kind decides what the app
 * does (retry, stop, ask the user); the code and its parameters say what happened. Each face turns
 * them into words in the user's language through the catalogue (src/shared/i18n), so an error made
 * in the core reads the same in the window, the tray, a dialog and the CLI.
 */
export type ErrorKind =
  | 'transient' // 101, 202, HTTP 5xx: retry with back-off
  | 'server' // 200: system error, retry slowly
  | 'auth' // 401: token invalid, stop everything until the user enters a new one
  | 'quota' // 204: no permission or no calls left, stop polling
  | 'shop_unauthorized' // 302: stop that shop, offer authUrl
  | 'bad_request' // 100, 103: a bug or bad input, do not retry
  | 'unsupported' // 203: stop calling that endpoint
  | 'not_found' // 404: wrong path or base URL
  | 'unknown_code' // a code no page lists
  | 'bad_answer' // not JSON, wrong shape, over the size cap
  | 'http' // an HTTP status that is not 2xx and not 5xx
  | 'timeout' // connect or read timeout
  | 'network' // refused, reset, DNS
  | 'validation' // refused locally, never sent
  | 'top' // a TOP error_response
  | 'ipc' // a bad IPC payload or sender
  | 'storage' // the disk refused a write (full, failing, a file held by another program): kept in memory, retried
  | 'internal';

/** Which stage of a call ran out of time. */
export type TimeoutStage = 'connect' | 'headers' | 'body';

/** Why a connection failed, as far as the system said. */
export type ConnectionCause =
  | 'refused'
  | 'reset'
  | 'closed_by_peer'
  | 'closed'
  | 'broken_pipe'
  | 'host_not_found'
  | 'dns_failed'
  | 'host_unreachable'
  | 'network_unreachable';

/** Why a write to the data folder failed. */
export type StorageCause = 'disk_full' | 'io' | 'locked' | 'other';

/** A TOP credential the subscriptions need. */
export type TopCredential = 'appKey' | 'appSecret' | 'session';

/** A setting whose value is an address. */
export type AddressSetting = 'gatewayBaseUrl' | 'topBaseUrl' | 'teamUrl';

/** A setting whose value is an http(s) address. */
export type HttpAddressSetting = Exclude<AddressSetting, 'teamUrl'>;

/** What is wrong with a team server URL (core/team/url.ts). */
export type TeamUrlProblem = 'empty_or_long' | 'scheme' | 'no_host' | 'query' | 'database';

/**
 * Every error code with its parameters. A string parameter named `sample`, `msg`, `detail` or
 * `text` quotes what came from outside (an answer, the gateway, the system) as it came.
 */
export interface ErrorParams {
  // ---- a call on the wire (gateway/http.ts) ----
  /** The address to call is not http(s). */
  bad_url: { url: string };
  answer_too_large: { maxBytes: number; status: number };
  /** The whole answer did not arrive within its deadline. */
  body_deadline: { ms: number };
  cancelled: Record<string, never>;
  /** `sys`: the system's code (UND_ERR_HEADERS_TIMEOUT, ETIMEDOUT...). */
  timed_out: { stage: TimeoutStage; sys: string };
  connection_failed: { cause: ConnectionCause; sys: string };
  network_failed: { sys?: string; detail: string };
  /** An HTTP status outside 2xx without a readable answer. */
  http_status: { status: number; sample: string };

  // ---- the gateway's answers (gateway/client.ts) ----
  token_missing: Record<string, never>;
  token_invalid: Record<string, never>;
  unreadable_answer: { status: number; sample: string };
  /** `field`: the part of the answer that is missing or of the wrong type. */
  answer_shape: { field: string };
  /** The gateway's own result code; `msg` is its words (Chinese, as the gateway writes them). */
  gateway_code: { gatewayCode: number; msg: string };
  /** The gateway sent more messages than asked: all stored, the next call waits. */
  over_quantity: { count: number; quantity: number };
  /** A message whose content could not be decoded (kept raw); `reason` is the decoder's. */
  undecodable: { reason: string };

  // ---- a request refused before it is sent (shared/memo.ts, gateway/client.ts) ----
  /** `id`: the one refused, when it is a setting (a request's is not repeated back). */
  bad_shop_id: { id?: string };
  bad_tid: Record<string, never>;
  bad_flag: Record<string, never>;
  memo_not_text: Record<string, never>;
  memo_too_long: { bytes: number; over: number; max: number };
  bad_quantity: { min: number; max: number; got: string };
  bad_msg_type: Record<string, never>;
  /** An empty memo would erase one TradeBell does not know (remark.ts): the faces ask instead. */
  memo_unknown: Record<string, never>;
  /** The same for the flag: bcro sets the flag it is sent, so gray for an order whose flag is
   * unknown would clear a colour set in Qianniu, unseen. */
  flag_unknown: Record<string, never>;
  /** A request that keeps the order's memo or flag (leaves it out), for an order whose current one
   * TradeBell does not know: bcro replaces both, so it cannot be sent as it is (remark.ts). */
  keep_unknown: { field: 'memo' | 'flag' };

  // ---- Taobao Open Platform (top/) ----
  top_unreadable: { status: number; sample: string };
  top_missing_root: { root: string; sample: string };
  top_credentials_missing: { missing: TopCredential[] };
  /** TOP's error_response: `msg` is TOP's (English), `subMsg` the detail (often Chinese). */
  top_error: { code?: string; msg?: string; subMsg?: string };

  // ---- polling and the inbox (intake/) ----
  /** The gateway client threw instead of answering: a bug. */
  consume_threw: { detail: string };
  /** A batch could not be saved; `messages` are held in memory meanwhile. */
  store_failed: { cause: StorageCause; messages: number; sys?: string; detail: string };
  /** At stop, held messages were written beside the inbox and come back at the next start. */
  held_saved: { messages: number; folders: string[] };
  /** At stop, some held batches could be written nowhere. */
  held_lost: { messages: number; batches: number; detail: string };

  // ---- settings (settings.ts, core.ts) ----
  bad_secret: Record<string, never>;
  duplicate_shop: { id: string };
  bad_custom_ceiling: { minSeconds: number; maxSeconds: number };
  bad_address: { setting: HttpAddressSetting; url: string };
  /** The team server's URL is not a redis:// or rediss:// one TradeBell can use. */
  bad_team_url: { problem: TeamUrlProblem };
  /** The password in a pasted team URL cannot be kept (a space, a control character). */
  bad_team_password: Record<string, never>;
  /** A seat name over `max` characters or with a control character. */
  bad_seat_name: { max: number };
  /** Any other refused setting: `path` names it (`notify.quietHours.start`). */
  bad_setting: { path: string };
  /** The user did not confirm the new address. */
  host_change_declined: { setting: AddressSetting; host: string };
  /** This face cannot ask (the CLI). */
  host_change_unconfirmable: { setting: AddressSetting; host: string };

  // ---- the window's requests and the browser (electron/) ----
  ipc_untrusted_sender: Record<string, never>;
  /** `fields`: which arguments were refused, by path; never the payload (it may hold a secret). */
  ipc_bad_payload: { fields: string[] };
  link_not_allowed: Record<string, never>;
  browser_failed: { detail: string };

  // ---- the data folder, at start (inbox/) ----
  folder_in_use: { dir: string; pid: number; host?: string; lockFile?: string };
  folder_lock_contended: { dir: string; lockFile: string };
  journal_too_new: { file: string; found: string; supported: number };
  inbox_read_only: Record<string, never>;
  /** The disk had no room to open the inbox: nothing was fetched, nothing is lost. */
  disk_full_at_start: { dir: string };

  /** Something that should not happen; `detail` is the exception's text. */
  internal: { detail: string };
}

export type ErrorCode = keyof ErrorParams;

interface ErrorFields {
  kind: ErrorKind;
  /** True when calling again later may succeed. */
  retryable: boolean;
  /** Which endpoint it came from, when it came from one. */
  endpoint?: string;
  /** 302: the authorisation link to scan. */
  authUrl?: string;
}

/** One error of one code, its parameters typed by the code. */
export type AppErrorOf<C extends ErrorCode> = ErrorFields & { code: C; params: ErrorParams[C] };

export type AppError = { [C in ErrorCode]: AppErrorOf<C> }[ErrorCode];

export function appError<C extends ErrorCode>(
  kind: ErrorKind,
  code: C,
  params: ErrorParams[C],
  extra: Partial<Pick<ErrorFields, 'retryable' | 'endpoint' | 'authUrl'>> = {},
): AppErrorOf<C> {
  return { kind, code, params, retryable: RETRYABLE.has(kind), ...extra };
}

/** The error as log fields: no words, nothing the catalogue would have to be loaded for. */
export function errorFields(e: AppError): { kind: ErrorKind; code: ErrorCode; params: unknown } {
  return { kind: e.kind, code: e.code, params: e.params };
}

/** The gateway's result code, when the error is one. */
export function gatewayCodeOf(e: AppError): number | undefined {
  return e.code === 'gateway_code' ? e.params.gatewayCode : undefined;
}

/**
 * An error thrown where a value cannot be returned (opening the data folder at start): it carries
 * the AppError for the face to word, and an English message for logs and stack traces only.
 */
export class AppFailure extends Error {
  constructor(
    readonly error: AppError,
    logText: string,
    options?: ErrorOptions,
  ) {
    super(logText, options);
    this.name = 'AppFailure';
  }
}

const RETRYABLE = new Set<ErrorKind>(['transient', 'server', 'timeout', 'network', 'bad_answer', 'http', 'storage']);

/** Kinds that will not heal by themselves: polling stops until the user acts (rule 3). */
export const STOPPING_KINDS = new Set<ErrorKind>(['auth', 'quota', 'shop_unauthorized', 'unsupported', 'not_found']);
