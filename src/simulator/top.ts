/**
 * The one TOP call TradeBell makes, `taobao.jindoucloud.message.authorize.permit`: checks the
 * common fields and the signature as the router does, and keeps the seller's subscriptions.
 */
import { TOP_TOPICS, TOPIC_GROUPS, shortTopic, topicGroup, type TopicGroup } from '../shared/topics';
import { formatChinaTime, parseChinaTime } from '../main/core/clock';
import { parseJsonLossless } from '../main/core/json';
import { verifyTopSignature } from '../main/core/top/sign';
import { writeJson } from './encode';

export const PERMIT_METHOD = 'taobao.jindoucloud.message.authorize.permit';
const PERMIT_ROOT = 'jindoucloud_message_authorize_permit_response';
/** The router refuses a timestamp more than 10 minutes off its own clock. */
const MAX_SKEW_MS = 10 * 60_000;

/** What a new seller is subscribed to: the topics the generated traffic carries. */
export const DEFAULT_SUBSCRIPTIONS: Record<TopicGroup, string[]> = {
  trade: ['TradeCreate', 'TradeBuyerPay', 'TradeSellerShip', 'TradeSuccess', 'TradeClose', 'TradeMemoModified'],
  refund: ['RefundCreated', 'RefundSuccess'],
  item: [],
};

export interface TopError {
  code: number;
  msg: string;
  sub_code?: string;
  sub_msg?: string;
}

export function topErrorBody(e: TopError, requestId: string): string {
  return writeJson({ error_response: { ...e, request_id: requestId } });
}

export class TopPermit {
  private readonly subs = new Map<TopicGroup, Set<string>>();
  private requests = 0;

  constructor(private readonly opts: { appKey: string; secret: string }) {
    for (const g of TOPIC_GROUPS) this.subs.set(g, new Set(DEFAULT_SUBSCRIPTIONS[g]));
  }

  nextRequestId(): string {
    this.requests += 1;
    return `sim${this.requests.toString(36)}`;
  }

  subscriptions(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [g, set] of this.subs) out[g] = [...set];
    return out;
  }

  /** Whether TMC would deliver a message of this (full or short) topic. */
  isSubscribed(topic: string): boolean {
    const group = topicGroup(topic);
    return group !== undefined && (this.subs.get(group)?.has(shortTopic(topic)) ?? false);
  }

  /** The answer's JSON text, an `error_response` when the call is refused. */
  handle(fields: Record<string, string>, now: number): string {
    const requestId = this.nextRequestId();
    const refused = this.check(fields, now);
    if (refused) return topErrorBody(refused, requestId);
    const open = readSubInfo(fields.open_sub_info);
    if ('error' in open) return topErrorBody(invalidParameter(open.error), requestId);
    const stop = readSubInfo(fields.stop_sub_info);
    if ('error' in stop) return topErrorBody(invalidParameter(stop.error), requestId);
    for (const [g, statuses] of Object.entries(open.info))
      for (const s of statuses) this.subs.get(g as TopicGroup)?.add(s);
    for (const [g, statuses] of Object.entries(stop.info))
      for (const s of statuses) this.subs.get(g as TopicGroup)?.delete(s);
    const subscription = [...this.subs].flatMap(([topic, set]) => [...set].map((status) => ({ topic, status })));
    // TOP's JSON wraps a list in an object named for its element, unless the caller asked for `simplify`.
    const subscriptions = fields.simplify === 'true' ? subscription : { subscription };
    return writeJson({
      [PERMIT_ROOT]: {
        authorize_info: { status: 'valid_session', created: formatChinaTime(now), subscriptions },
        request_id: requestId,
      },
    });
  }

  private check(f: Record<string, string>, now: number): TopError | undefined {
    if (!f.method) return { code: 21, msg: 'Missing method' };
    if (f.method !== PERMIT_METHOD) return { code: 22, msg: 'Invalid method' };
    if (!f.app_key) return { code: 28, msg: 'Missing app key' };
    if (f.app_key !== this.opts.appKey) return { code: 29, msg: 'Invalid app key' };
    if (!f.timestamp) return { code: 30, msg: 'Missing timestamp' };
    const at = parseChinaTime(f.timestamp);
    if (Number.isNaN(at) || Math.abs(at - now) > MAX_SKEW_MS) return { code: 31, msg: 'Invalid timestamp' };
    if (!f.sign) return { code: 24, msg: 'Missing signature' };
    if (!verifyTopSignature(f, this.opts.secret))
      return { code: 25, msg: 'Invalid signature', sub_code: 'isv.invalid-signature' };
    if (!f.session) return { code: 26, msg: 'Missing session' };
    return undefined;
  }
}

/** The seed page's own error example. */
function invalidParameter(detail: string): TopError {
  return { code: 50, msg: 'Remote service error', sub_code: 'isv.invalid-parameter', sub_msg: `非法参数 ${detail}` };
}

type SubInfo = Partial<Record<TopicGroup, string[]>>;

/** `{"trade":["TradeBuyerPay"],"refund":["all"]}`: known groups, known statuses, `all` for a whole group. */
function readSubInfo(text: string | undefined): { info: SubInfo } | { error: string } {
  if (text === undefined || text === '') return { info: {} };
  let value: unknown;
  try {
    value = parseJsonLossless(text);
  } catch {
    return { error: 'sub_info is not JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { error: 'sub_info must be an object' };
  const info: SubInfo = {};
  for (const [group, statuses] of Object.entries(value)) {
    if (!TOPIC_GROUPS.includes(group as TopicGroup)) return { error: `unknown topic ${group}` };
    if (!Array.isArray(statuses) || !statuses.every((s): s is string => typeof s === 'string'))
      return { error: `${group} must list statuses` };
    const known: readonly string[] = TOP_TOPICS[group as TopicGroup];
    const unknown = statuses.find((s) => s !== 'all' && !known.includes(s));
    if (unknown) return { error: `unknown status ${group}.${unknown}` };
    info[group as TopicGroup] = statuses.includes('all') ? [...known] : statuses;
  }
  return { info };
}
