import type { AppError } from '../../../shared/errors';
import type { Flag } from '../../../shared/flag';
import type { Result } from '../../../shared/result';

export type Endpoint = 'consume' | 'remark';

export const ENDPOINT_PATHS: Record<Endpoint, string> = {
  consume: '/tool/erps/tbconsume',
  remark: '/tool/accounts/bcro',
};

export interface ConsumeRequest {
  /** 10..200; the gateway's default when absent. */
  quantity?: number;
  /** A topic such as `taobao_trade_TradeSellerShip`. */
  msgType?: string;
}

/** One entry of `data.msg`, before the decoder: `msgData` is a JSON string (or an object). */
export interface GatewayMessage {
  rowId: string;
  msgData: unknown;
}

export interface ConsumeOk {
  messages: GatewayMessage[];
  /** Entries of `data.msg` that were not even objects: kept raw for the decoder to report. */
  malformed: string[];
  /** `withholding_money`, 点券. */
  cost: number;
  /** The gateway's own run time, ms. */
  msec?: number;
  /** No call left for the gateway (team mode: another seat holds the shop's lease). Nothing was
   * consumed or billed, and the answer's timing says nothing about the way to the gateway. */
  notSent?: true;
}

export interface RemarkCall {
  tid: string;
  memo: string;
  flag: Flag;
}

export interface RemarkOk {
  tid: string;
  modified?: string;
  cost: number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** What the intake and the core need of the gateway; the undici client implements it. */
export interface Gateway {
  consume(shop: string, req: ConsumeRequest, opts?: CallOptions): Promise<Result<ConsumeOk, AppError>>;
  remark(shop: string, req: RemarkCall, opts?: CallOptions): Promise<Result<RemarkOk, AppError>>;
}
