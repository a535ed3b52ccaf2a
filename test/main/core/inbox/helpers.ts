/** Builders and a temp folder for the inbox tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { Clock } from '../../../../src/main/core/clock';
import type { TmcMessage } from '../../../../src/shared/domain';

export const SHOP = 'shop1';
/** 2024-01-02 00:00:00 UTC. */
export const T0 = Date.UTC(2024, 0, 2);
export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** A fresh folder under the OS temp dir, removed after the test. */
export function useTempDir(): () => Promise<string> {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tradebell-inbox-'));
    dirs.push(dir);
    return dir;
  };
}

export class FakeClock implements Clock {
  constructor(public t = T0) {}
  now(): number {
    return this.t;
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
}

let seq = 0;

/** A trade message; `topic` is the short name (TradeBuyerPay), `at` the pub time. */
export function trade(
  tid: string,
  topic: string,
  at: number,
  content: Record<string, unknown> = {},
  extra: Partial<TmcMessage> = {},
): TmcMessage {
  seq++;
  const fullTopic = topic.startsWith('taobao_') ? topic : `taobao_trade_${topic}`;
  const m: TmcMessage = {
    id: `9${String(seq).padStart(18, '0')}`,
    rowId: String(seq),
    shop: SHOP,
    topic: fullTopic,
    pubTime: at,
    receivedAt: at,
    tid,
    content: { tid, ...content },
    ...extra,
  };
  for (const [field, key] of [
    ['oid', 'oid'],
    ['status', 'status'],
    ['payment', 'payment'],
    ['buyerNick', 'buyer_nick'],
  ] as const) {
    const v = content[key];
    if (typeof v === 'string' && m[field] === undefined) m[field] = v;
  }
  return m;
}
