/**
 * The vv-tool gateway over undici. Input is checked before anything is sent (a refused call costs
 * nothing), every call waits for the endpoint's shared rate budget, and every outcome, down to an
 * HTML page from a proxy, comes back as a Result.
 */
import { FormData } from 'undici';
import { appError, type AppError } from '../../../shared/errors';
import { isShopId, validateRemark } from '../../../shared/memo';
import { err, ok, type Result } from '../../../shared/result';
import type { VvType } from '../../../shared/settings';
import { MAX_QUANTITY, MIN_QUANTITY } from '../../../shared/limits';
import type { Clock } from '../clock';
import { idString, parseJsonRepairing } from '../json';
import type { CostMeter } from './cost';
import { excerpt, HttpSender, httpStatusError, transportError, type HttpSenderOptions } from './http';
import { RateBudgets, sharedRateBudgets } from './rate';
import {
  ENDPOINT_PATHS,
  type CallOptions,
  type ConsumeOk,
  type ConsumeRequest,
  type Endpoint,
  type Gateway,
  type GatewayMessage,
  type RemarkCall,
  type RemarkOk,
} from './types';
import { asRecord } from './shape';
import { clientError } from '../redact';

export interface GatewayClientOptions extends HttpSenderOptions {
  baseUrl: string;
  /** Read at each call, so a token entered in Settings applies at once. */
  token: () => string | null;
  vvtype: () => VvType;
  budgets?: RateBudgets;
  meter?: CostMeter;
  /** Paces the rate budgets when the client builds them itself; unused otherwise. */
  clock?: Clock;
}

const CODE_KINDS: Record<number, AppError['kind']> = {
  100: 'bad_request',
  103: 'bad_request',
  101: 'transient',
  202: 'transient',
  200: 'server',
  203: 'unsupported',
  204: 'quota',
  302: 'shop_unauthorized',
  401: 'auth',
  404: 'not_found',
};

export interface Envelope {
  code: number;
  msg: string;
  msec?: number;
  data: unknown;
  raw: Record<string, unknown>;
}

type Fields = Record<string, string>;

export class GatewayClient implements Gateway {
  private readonly baseUrl: string;
  private readonly http: HttpSender;
  private readonly budgets: RateBudgets;

  constructor(private readonly opts: GatewayClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.http = new HttpSender(opts);
    this.budgets = opts.budgets ?? (opts.clock ? new RateBudgets({ clock: opts.clock }) : sharedRateBudgets);
  }

  async consume(shop: string, req: ConsumeRequest, opts: CallOptions = {}): Promise<Result<ConsumeOk, AppError>> {
    const refused = checkConsume(shop, req);
    if (refused) return err({ ...refused, endpoint: 'consume' });
    const fields: Fields = { shop_id: shop };
    if (req.quantity !== undefined) fields.quantity = String(req.quantity);
    if (req.msgType !== undefined) fields.msg_type = req.msgType;
    const answer = await this.call('consume', shop, fields, opts);
    if (!answer.ok) return answer;
    const { data, msec } = answer.value;
    const list = asRecord(data)?.msg;
    if (!Array.isArray(list)) return err(badShape('consume', 'data.msg'));
    const messages: GatewayMessage[] = [];
    const malformed: string[] = [];
    for (const entry of list) {
      const e = asRecord(entry);
      if (e && 'msg_data' in e) messages.push({ rowId: rowId(e.id), msgData: e.msg_data });
      else malformed.push(JSON.stringify(entry) ?? String(entry));
    }
    return ok({ messages, malformed, cost: withholding(data) ?? 0, ...(msec !== undefined && { msec }) });
  }

  async remark(shop: string, req: RemarkCall, opts: CallOptions = {}): Promise<Result<RemarkOk, AppError>> {
    const refused = validateRemark({ shop, tid: req.tid, memo: req.memo, flag: req.flag });
    if (refused) return err({ ...refused, endpoint: 'remark' });
    // Both always: the gateway reads a missing flag as 0 and would turn a red flag gray.
    const fields: Fields = { shop_id: shop, tid: req.tid, memo: req.memo, flag: String(req.flag) };
    const answer = await this.call('remark', shop, fields, opts);
    if (!answer.ok) return answer;
    const data = asRecord(answer.value.data);
    if (!data) return err(badShape('remark', 'data'));
    const modified = typeof data.modified === 'string' ? data.modified : undefined;
    return ok({
      tid: idString(data.tid) ?? req.tid,
      cost: withholding(data) ?? 0,
      ...(modified !== undefined && { modified }),
    });
  }

  /** Closes the connection pool, when the client made it. */
  close(): Promise<void> {
    return this.http.close();
  }

  /** Sends one call and returns the envelope of a code-0 answer; every other outcome is an error,
   * scrubbed of the token and bounded in size here, where it is made, so no face holds more. */
  private async call(
    endpoint: Endpoint,
    shop: string,
    fields: Fields,
    opts: CallOptions,
  ): Promise<Result<Envelope, AppError>> {
    const r = await this.send(endpoint, shop, fields, opts);
    return r.ok ? r : err(clientError(r.error, [this.opts.token()]));
  }

  private async send(
    endpoint: Endpoint,
    shop: string,
    fields: Fields,
    opts: CallOptions,
  ): Promise<Result<Envelope, AppError>> {
    const token = this.opts.token()?.trim();
    if (!token) return err(appError('auth', 'token_missing', {}, { endpoint }));
    if (!/^[\x21-\x7e]+$/.test(token)) return err(appError('auth', 'token_invalid', {}, { endpoint }));

    try {
      await this.budgets.get(endpoint).take(opts.signal);
    } catch (e) {
      return err(transportError(e, endpoint, opts.signal));
    }

    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('vvtype', String(this.opts.vvtype()));

    const answer = await this.http.post({
      url: this.baseUrl + ENDPOINT_PATHS[endpoint],
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      body: form,
      endpoint,
      signal: opts.signal,
    });
    if (!answer.ok) return answer;
    const { status, text } = answer.value;

    const envelope = readEnvelope(text);
    if (!envelope) {
      if (status < 200 || status > 299) return err(httpStatusError(status, text, endpoint));
      return err(appError('bad_answer', 'unreadable_answer', { status, sample: excerpt(text) }, { endpoint }));
    }
    // The envelope's code is the outcome, whatever the HTTP status: an answered call was billed.
    this.opts.meter?.record(endpoint, shop, withholding(envelope.data) ?? 0);
    if (envelope.code === 0) return ok(envelope);
    return err(codeError(envelope, endpoint));
  }
}

function checkConsume(shop: string, req: ConsumeRequest): AppError | null {
  if (!isShopId(shop)) return appError('validation', 'bad_shop_id', {});
  const q = req.quantity;
  if (q !== undefined && !(Number.isInteger(q) && q >= MIN_QUANTITY && q <= MAX_QUANTITY))
    return appError('validation', 'bad_quantity', { min: MIN_QUANTITY, max: MAX_QUANTITY, got: String(q) });
  if (req.msgType !== undefined && !/^[A-Za-z0-9_]{1,100}$/.test(req.msgType))
    return appError('validation', 'bad_msg_type', {});
  return null;
}

/** `field`: the part of the answer that is missing or of the wrong type. */
function badShape(endpoint: Endpoint, field: string): AppError {
  return appError('bad_answer', 'answer_shape', { field }, { endpoint });
}

/** The gateway envelope of an answer (a numeric `code`), or undefined when it is not one. */
export function readEnvelope(text: string): Envelope | undefined {
  let parsed: unknown;
  try {
    // The API page's own example carries stray backslashes: one repair, never a guess.
    parsed = parseJsonRepairing(text);
  } catch {
    return undefined;
  }
  const raw = asRecord(parsed);
  if (!raw) return undefined;
  const code =
    typeof raw.code === 'number'
      ? raw.code
      : typeof raw.code === 'string' && /^-?\d+$/.test(raw.code.trim())
        ? Number(raw.code)
        : undefined;
  if (code === undefined || !Number.isSafeInteger(code)) return undefined;
  // Only a plain number: Number() of a hostile object (a `toString` key) would throw.
  const msec = typeof raw.msec === 'number' && Number.isFinite(raw.msec) ? raw.msec : undefined;
  return {
    code,
    msg: typeof raw.msg === 'string' ? raw.msg : '',
    ...(msec !== undefined && { msec }),
    data: raw.data,
    raw,
  };
}

function withholding(data: unknown): number | undefined {
  const v = asRecord(data)?.withholding_money;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

function rowId(v: unknown): string {
  return idString(v) ?? (typeof v === 'string' ? v : '');
}

function codeError(env: Envelope, endpoint: Endpoint): AppError {
  const kind = CODE_KINDS[env.code] ?? 'unknown_code';
  const params = { gatewayCode: env.code, msg: env.msg };
  if (kind !== 'shop_unauthorized') return appError(kind, 'gateway_code', params, { endpoint });
  const authUrl = findAuthUrl(env);
  return appError(kind, 'gateway_code', params, { endpoint, ...(authUrl && { authUrl }) });
}

const URL_RE = /https?:\/\/[^\s"'<>，。；）)\]}]+/;

/** The 302 answer carries the link to scan; where exactly is not documented, so look everywhere. */
function findAuthUrl(env: Envelope): string | undefined {
  const data = asRecord(env.data);
  const places: unknown[] = [data?.url, data?.auth_url, env.data, env.raw.url, env.msg];
  for (const place of places) {
    const found = firstUrl(place, 0);
    if (found) return found;
  }
  return undefined;
}

function firstUrl(v: unknown, depth: number): string | undefined {
  if (typeof v === 'string') return URL_RE.exec(v)?.[0];
  if (depth > 4 || v === null || typeof v !== 'object') return undefined;
  for (const child of Object.values(v)) {
    const found = firstUrl(child, depth + 1);
    if (found) return found;
  }
  return undefined;
}
