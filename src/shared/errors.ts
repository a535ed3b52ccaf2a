/**
 * Errors are values with a kind. The kind decides what the app does (retry, stop, ask the user);
 * `message` says what happened in plain words; the UI adds what to do (see errorText.ts).
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

export interface AppError {
  kind: ErrorKind;
  /** The gateway's `code`, the HTTP status, or a TOP sub_code. */
  code?: number | string;
  message: string;
  /** 302: the authorisation link to scan. */
  authUrl?: string;
  /** True when calling again later may succeed. */
  retryable: boolean;
  /** Which endpoint it came from, when it came from one. */
  endpoint?: string;
}

export function appError(kind: ErrorKind, message: string, extra: Partial<AppError> = {}): AppError {
  return { kind, message, retryable: RETRYABLE.has(kind), ...extra };
}

const RETRYABLE = new Set<ErrorKind>(['transient', 'server', 'timeout', 'network', 'bad_answer', 'http', 'storage']);

/** Kinds that will not heal by themselves: polling stops until the user acts (rule 3). */
export const STOPPING_KINDS = new Set<ErrorKind>(['auth', 'quota', 'shop_unauthorized', 'unsupported', 'not_found']);
