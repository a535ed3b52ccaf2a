/** The simulator's public contract: demo mode, tests and benchmarks code against these names. */
import type { Clock } from '../main/core/clock';

export interface SimulatorOptions {
  /** 0 = any free port (default). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Accepted Bearer tokens, default ['demo-token']. */
  tokens?: string[];
  /** Authorised shop ids; consume/bcro for another shop → code 302 with `data.url`. Default ['demo-shop-1','demo-shop-2']. */
  shops?: readonly string[];
  /** Seed of the traffic PRNG; the same seed gives the same messages. */
  seed?: number;
  /** Automatic generation on a timer (demo mode); default false. */
  traffic?: false | { ordersPerMinute: number };
  /** Delay before answering (the real gateway takes about 1000 ms); default 0. */
  serviceTimeMs?: number;
  /** Calls a second per endpoint, default 10; calls over it are answered with code 202. */
  rateLimitPerSecond?: number;
  /** Delay before a bcro's TradeMemoModified echo is enqueued, default 1000. */
  echoDelayMs?: number;
  clock?: Clock;
  /** For the TOP permit endpoint; defaults DEMO_TOP_APP_KEY / DEMO_TOP_SECRET. */
  topSecret?: string;
  topAppKey?: string;
}

export type SimEndpoint = 'consume' | 'remark' | 'top';

export interface Simulator {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
  /** Generates n order lifecycles' worth of messages for a shop and enqueues them; returns what was enqueued. */
  generate(shop: string, count: number, opts?: { topics?: string[]; duplicateRate?: number }): SimMessage[];
  /** Enqueues ready-made messages (tests build exact cases). */
  enqueue(shop: string, messages: SimMessage[]): void;
  queueLength(shop: string): number;
  /** Memo and flag recorded by bcro, per tid (string). */
  remarkOf(tid: string): { shop: string; memo: string; flag: number; at: number } | undefined;
  /** Scripted faults: applied to the next matching calls. */
  injectFault(fault: Fault, opts?: { endpoint?: SimEndpoint; shop?: string; times?: number }): void;
  clearFaults(): void;
  /** Every consume answer sent: which message ids went out in it (for the crash test). */
  readonly answers: { at: number; shop: string; ids: string[]; code: number }[];
  readonly calls: { at: number; endpoint: string; shop?: string }[];
  subscriptions(): Record<string, string[]>;
}

export interface SimMessage {
  /** The TMC message id (inner `id`), digits. */
  id: string;
  /** Full topic, e.g. `taobao_trade_TradeBuyerPay`. */
  topic: string;
  tid?: string;
  /** `yyyy-MM-dd HH:mm:ss`, China time. */
  pubTime: string;
  /** Id fields (tid, oid, refund_id...) given as digit strings are written as bare JSON numbers. */
  content: Record<string, unknown> | string;
  contentFormat?: 'json' | 'xml';
  /** The decoded text of `msg_data`, used as is: overrides the encoding entirely, for malformed cases. */
  rawMsgData?: string;
}

export type Fault =
  /** Any result code, e.g. 101, 202, 204, 302, 401. */
  | { type: 'code'; code: number; msg?: string }
  /** An HTTP error, e.g. 502 with an HTML body. */
  | { type: 'http'; status: number; body?: string; contentType?: string }
  /** Destroy the socket without answering. */
  | { type: 'reset' }
  /** The normal answer, sent slowly (default 64 bytes a second). */
  | { type: 'drip'; bytesPerSecond?: number }
  /** Wait, then answer normally. */
  | { type: 'delay'; ms: number }
  | { type: 'malformed'; what: 'msg_data' | 'content' | 'body' | 'invalid_escapes' };

export interface RemarkRecord {
  shop: string;
  memo: string;
  flag: number;
  at: number;
}
