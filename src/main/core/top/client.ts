/**
 * The one TOP call TradeBell makes: `taobao.jindoucloud.message.authorize.permit`, which turns the
 * seller's message subscriptions on and off. Signed with the user's own app key and secret.
 */
import { appError, type AppError } from '../../../shared/errors';
import { err, ok, type Result } from '../../../shared/result';
import { DEFAULT_TOP_URL } from '../../../shared/settings';
import { formatChinaTime, systemClock, type Clock } from '../clock';
import { excerpt, HttpSender, httpStatusError, type HttpSenderOptions } from '../gateway/http';
import { parseJsonLossless } from '../json';
import { clientError } from '../redact';
import { signTop, type TopParams, type TopSignMethod } from './sign';
import { asRecord } from '../gateway/shape';

export const TOP_URLS = {
  production: DEFAULT_TOP_URL,
  sandbox: 'http://gw.api.tbsandbox.com/router/rest',
} as const;

export const PERMIT_METHOD = 'taobao.jindoucloud.message.authorize.permit';
const PERMIT_ROOT = 'jindoucloud_message_authorize_permit_response';

export interface TopClientOptions extends HttpSenderOptions {
  /** The full router URL, e.g. TOP_URLS.production or a local simulator's. */
  baseUrl: string;
  appKey: string;
  secret: () => string | null;
  /** The seller's session key. */
  session: () => string | null;
  signMethod: TopSignMethod;
  clock?: Clock;
}

/** Groups and statuses as TOP names them: `{ trade: ['TradeBuyerPay'], item: ['ItemAdd'] }`. */
export type SubInfo = Partial<Record<string, string[]>>;

export interface PermitParams {
  /** `item;trade`, or the list. */
  topics?: string | string[];
  /** `all;all;ItemAdd,ItemUpdate`: one entry per topic, in the same order. */
  status?: string;
  stop?: boolean;
  openSubInfo?: SubInfo | string;
  stopSubInfo?: SubInfo | string;
  subUserid?: string | number;
  clientInfo?: string;
  /** 1 subscribe a first-level category, 2 cancel. */
  categoryAction?: 1 | 2;
}

export interface Subscription {
  topic: string;
  status: string;
}

export interface PermitResult {
  status?: string;
  created?: string;
  subscriptions: Subscription[];
}

export interface SignedRequestInput {
  method: string;
  appKey: string;
  secret: string;
  session: string;
  signMethod: TopSignMethod;
  now: number;
  params: TopParams;
}

/** The complete form of a TOP call, common fields and `sign` included. */
export function buildTopRequest(input: SignedRequestInput): Record<string, string> {
  const fields: TopParams = {
    ...input.params,
    method: input.method,
    app_key: input.appKey,
    session: input.session,
    timestamp: formatChinaTime(input.now),
    format: 'json',
    v: '2.0',
    sign_method: input.signMethod,
  };
  const form: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') form[k] = v;
  form.sign = signTop(form, input.secret, input.signMethod);
  return form;
}

export class TopClient {
  private readonly http: HttpSender;
  private readonly clock: Clock;

  constructor(private readonly opts: TopClientOptions) {
    this.http = new HttpSender(opts);
    this.clock = opts.clock ?? systemClock;
  }

  async permit(params: PermitParams, signal?: AbortSignal): Promise<Result<PermitResult, AppError>> {
    const body = await this.call(PERMIT_METHOD, permitFields(params), signal);
    if (!body.ok) return body;
    const root = asRecord(body.value[PERMIT_ROOT]);
    if (!root)
      return err(
        appError(
          'bad_answer',
          'top_missing_root',
          { root: PERMIT_ROOT, sample: excerpt(JSON.stringify(body.value)) },
          { endpoint: PERMIT_METHOD },
        ),
      );
    const info = asRecord(root.authorize_info) ?? {};
    const status = typeof info.status === 'string' ? info.status : undefined;
    const created = typeof info.created === 'string' ? info.created : undefined;
    return ok({
      ...(status !== undefined && { status }),
      ...(created !== undefined && { created }),
      subscriptions: readSubscriptions(info.subscriptions),
    });
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** Signs and sends one call; returns the parsed body when it is not an error_response. An
   * error's text (the router's own words) is scrubbed of the secret and the session key, then
   * bounded in size. */
  private async call(
    method: string,
    params: TopParams,
    signal?: AbortSignal,
  ): Promise<Result<Record<string, unknown>, AppError>> {
    const r = await this.send(method, params, signal);
    return r.ok ? r : err(clientError(r.error, [this.opts.secret(), this.opts.session()]));
  }

  private async send(
    method: string,
    params: TopParams,
    signal?: AbortSignal,
  ): Promise<Result<Record<string, unknown>, AppError>> {
    const secret = this.opts.secret();
    const session = this.opts.session();
    if (!this.opts.appKey || !secret || !session) {
      const missing = [
        ...(this.opts.appKey ? [] : (['appKey'] as const)),
        ...(secret ? [] : (['appSecret'] as const)),
        ...(session ? [] : (['session'] as const)),
      ];
      return err(appError('top', 'top_credentials_missing', { missing }, { endpoint: method, retryable: false }));
    }
    const form = buildTopRequest({
      method,
      appKey: this.opts.appKey,
      secret,
      session,
      signMethod: this.opts.signMethod,
      now: this.clock.now(),
      params,
    });
    const answer = await this.http.post({
      url: this.opts.baseUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      endpoint: method,
      signal,
    });
    if (!answer.ok) return answer;
    const { status, text } = answer.value;
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = asRecord(parseJsonLossless(text));
    } catch {
      parsed = undefined;
    }
    const failure = asRecord(parsed?.error_response);
    if (failure) return err(topError(failure, method));
    if (status < 200 || status > 299) return err(httpStatusError(status, text, method));
    if (!parsed)
      return err(appError('bad_answer', 'top_unreadable', { status, sample: excerpt(text) }, { endpoint: method }));
    return ok(parsed);
  }
}

function permitFields(p: PermitParams): TopParams {
  return {
    topics: Array.isArray(p.topics) ? p.topics.join(';') : p.topics,
    status: p.status,
    stop: p.stop === undefined ? undefined : String(p.stop),
    open_sub_info: subInfo(p.openSubInfo),
    stop_sub_info: subInfo(p.stopSubInfo),
    sub_userid: p.subUserid === undefined ? undefined : String(p.subUserid),
    client_info: p.clientInfo,
    category_action: p.categoryAction === undefined ? undefined : String(p.categoryAction),
  };
}

function subInfo(v: SubInfo | string | undefined): string | undefined {
  return v === undefined || typeof v === 'string' ? v : JSON.stringify(v);
}

function topError(e: Record<string, unknown>, endpoint: string): AppError {
  const subCode = typeof e.sub_code === 'string' ? e.sub_code : undefined;
  const code = subCode ?? (typeof e.code === 'number' || typeof e.code === 'string' ? String(e.code) : undefined);
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const msg = text(e.msg);
  const subMsg = text(e.sub_msg);
  // isp.* is the platform's own trouble and may pass; isv.* is the caller's mistake and will not.
  const retryable = subCode?.startsWith('isp.') ?? false;
  return appError(
    'top',
    'top_error',
    { ...(code !== undefined && { code }), ...(msg !== undefined && { msg }), ...(subMsg !== undefined && { subMsg }) },
    { endpoint, retryable },
  );
}

/** TOP's JSON wraps lists as `{ subscription: [...] }` (or a lone object); `simplify` gives the bare array. */
function readSubscriptions(v: unknown): Subscription[] {
  const inner = asRecord(v)?.subscription ?? v;
  const list = Array.isArray(inner) ? inner : inner === undefined ? [] : [inner];
  const out: Subscription[] = [];
  for (const item of list) {
    const r = asRecord(item);
    if (r && typeof r.topic === 'string' && typeof r.status === 'string')
      out.push({ topic: r.topic, status: r.status });
  }
  return out;
}
