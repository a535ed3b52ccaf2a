/**
 * One HTTP POST with hard limits, shared by the gateway client, the TOP client and the HTTPS
 * check: every way a request can fail (timeout, refused, reset, an endless or endlessly slow body)
 * comes back as a typed error instead of an exception or a hang.
 */
import { Agent, request, type buildConnector, type Dispatcher, type FormData } from 'undici';
import { appError, type AppError, type ConnectionCause, type TimeoutStage } from '../../../shared/errors';
import { err, ok, type Result } from '../../../shared/result';
import { boundText } from '../bounded';

export interface HttpTimeouts {
  /** TCP (and TLS) connection set-up. */
  connectMs: number;
  /** From sending the request to the last response header. */
  headersMs: number;
  /** The whole body, from the headers to its last byte (not just the gap between chunks). */
  bodyMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 10_000, headersMs: 20_000, bodyMs: 20_000 };

/** Gateway answers are a few KB; 200 messages of a few KB each stay far below this. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The Agent the app (and tests) share, so connection reuse and timeouts are the same for all. */
export function createHttpAgent(
  timeouts: HttpTimeouts = DEFAULT_TIMEOUTS,
  connect: buildConnector.BuildOptions = {},
): Agent {
  return new Agent({
    connect: { timeout: timeouts.connectMs, ...connect },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
  });
}

export interface HttpAnswer {
  status: number;
  text: string;
}

export interface PostOptions {
  dispatcher: Dispatcher;
  url: string;
  headers: Record<string, string>;
  body: FormData | string;
  timeouts: HttpTimeouts;
  maxBodyBytes: number;
  /** Put on every error, so the UI can say which call failed. */
  endpoint: string;
  signal?: AbortSignal;
}

export interface HttpSenderOptions {
  /** Share one with the rest of the app; the sender makes its own (and owns it) when absent. A
   * shared dispatcher brings its own connect timeout; headers and body limits apply per call. */
  dispatcher?: Dispatcher;
  timeouts?: Partial<HttpTimeouts>;
  maxBodyBytes?: number;
}

/** What a client posts through: its limits, and a connection pool it closes only if it made it. */
export class HttpSender {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly timeouts: HttpTimeouts;
  private readonly maxBodyBytes: number;

  constructor(opts: HttpSenderOptions) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
    this.ownsDispatcher = !opts.dispatcher;
    this.dispatcher = opts.dispatcher ?? createHttpAgent(this.timeouts);
    this.maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  post(o: Omit<PostOptions, 'dispatcher' | 'timeouts' | 'maxBodyBytes'>): Promise<Result<HttpAnswer, AppError>> {
    return postOnce({ ...o, dispatcher: this.dispatcher, timeouts: this.timeouts, maxBodyBytes: this.maxBodyBytes });
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }
}

class BodyDeadline extends Error {}
class BodyTooLarge extends Error {}

/** Never throws: a transport failure is an AppError, any HTTP status is an answer. */
export async function postOnce(o: PostOptions): Promise<Result<HttpAnswer, AppError>> {
  if (!/^https?:$/.test(URL.parse(o.url)?.protocol ?? '')) {
    return err(appError('validation', 'bad_url', { url: excerpt(o.url) }, { endpoint: o.endpoint }));
  }
  let res: Dispatcher.ResponseData;
  try {
    res = await request(o.url, {
      dispatcher: o.dispatcher,
      method: 'POST',
      headers: o.headers,
      body: o.body,
      signal: o.signal,
      headersTimeout: o.timeouts.headersMs,
      bodyTimeout: o.timeouts.bodyMs,
    });
  } catch (e) {
    return err(transportError(e, o.endpoint, o.signal));
  }
  const body = await readCapped(res.body, o.maxBodyBytes, o.timeouts.bodyMs, contentLength(res.headers));
  if (body instanceof BodyTooLarge) {
    return err(
      appError(
        'bad_answer',
        'answer_too_large',
        { maxBytes: o.maxBodyBytes, status: res.statusCode },
        { endpoint: o.endpoint },
      ),
    );
  }
  if (body instanceof BodyDeadline) {
    return err(appError('timeout', 'body_deadline', { ms: o.timeouts.bodyMs }, { endpoint: o.endpoint }));
  }
  if (body instanceof Error) return err(transportError(body, o.endpoint, o.signal));
  return ok({ status: res.statusCode, text: body });
}

function contentLength(headers: Dispatcher.ResponseData['headers']): number | undefined {
  const v = headers['content-length'];
  const n = Number(Array.isArray(v) ? v[0] : v);
  return Number.isFinite(n) ? n : undefined;
}

async function readCapped(
  body: Dispatcher.ResponseData['body'],
  max: number,
  deadlineMs: number,
  declared: number | undefined,
): Promise<string | Error> {
  if (declared !== undefined && declared > max) {
    // Destroyed unread, the body emits an abort error with nobody reading it: an uncaught
    // exception that would end the process, when the whole answer had already arrived.
    body.on('error', () => undefined);
    body.destroy();
    return new BodyTooLarge();
  }
  // undici's bodyTimeout only measures the silence between chunks; a body that drips a byte just
  // inside it would hold the caller for ever, so the whole body gets one deadline too.
  const deadline = setTimeout(() => body.destroy(new BodyDeadline()), deadlineMs);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) {
        body.destroy();
        return new BodyTooLarge();
      }
      chunks.push(chunk);
    }
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  } finally {
    clearTimeout(deadline);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks)).replace(/^\uFEFF/, '');
}

const TIMEOUT_CODES: Record<string, TimeoutStage> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body',
  ETIMEDOUT: 'connect',
};

const NETWORK_CODES: Record<string, ConnectionCause> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  UND_ERR_SOCKET: 'closed_by_peer',
  ENOTFOUND: 'host_not_found',
  EAI_AGAIN: 'dns_failed',
  EHOSTUNREACH: 'host_unreachable',
  ENETUNREACH: 'network_unreachable',
  EPIPE: 'broken_pipe',
  UND_ERR_CLOSED: 'closed',
};

function errorCodes(e: unknown): string[] {
  const codes: string[] = [];
  for (
    let cur: unknown = e, depth = 0;
    cur && typeof cur === 'object' && depth < 4;
    cur = (cur as { cause?: unknown }).cause, depth++
  ) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

/** A failure below HTTP: the request may or may not have reached the server. */
export function transportError(e: unknown, endpoint: string, signal?: AbortSignal): AppError {
  if (signal?.aborted) return appError('network', 'cancelled', {}, { endpoint, retryable: false });
  const codes = errorCodes(e);
  for (const sys of codes) {
    const stage = Object.hasOwn(TIMEOUT_CODES, sys) ? TIMEOUT_CODES[sys] : undefined;
    if (stage) return appError('timeout', 'timed_out', { stage, sys }, { endpoint });
  }
  for (const sys of codes) {
    const cause = Object.hasOwn(NETWORK_CODES, sys) ? NETWORK_CODES[sys] : undefined;
    if (cause) return appError('network', 'connection_failed', { cause, sys }, { endpoint });
  }
  const detail = boundText(e instanceof Error ? e.message : String(e));
  return appError(
    'network',
    'network_failed',
    { detail, ...(codes[0] !== undefined && { sys: codes[0] }) },
    { endpoint },
  );
}

/** A short, single-line sample of an answer that could not be read, for the error message. */
export function excerpt(text: string, max = 160): string {
  const flat = text
    .replace(/<[^<>]{0,300}>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return boundText(flat, max);
}

/** An HTTP status outside 2xx that did not carry a readable answer. */
export function httpStatusError(status: number, text: string, endpoint: string): AppError {
  return appError(status >= 500 ? 'transient' : 'http', 'http_status', { status, sample: excerpt(text) }, { endpoint });
}
