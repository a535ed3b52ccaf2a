/** What a compaction keeps of the journal's records: a pure function of the records and the policy. */
import { orderKey, type TmcMessage, type UndecodedMessage } from '../../../shared/domain';
import type { InboxRecord, RemarkRecord } from './records';
import type { RetentionPolicy } from './types';

export interface Retained {
  messages: TmcMessage[];
  undecoded: UndecodedMessage[];
  /** The memo/flag the user last saved, one per order still kept. */
  remarks: RemarkRecord[];
}

/** The newest `max` (file order is arrival order), and of those only the ones inside the window. */
function newest<T extends { receivedAt: number }>(items: T[], max: number, cutoff: number): T[] {
  return items.slice(Math.max(0, items.length - max)).filter((x) => x.receivedAt >= cutoff);
}

/** Both limits apply: at most `maxMessages` messages, none older than `maxAgeMs`. */
export function retain(records: readonly InboxRecord[], policy: RetentionPolicy, now: number): Retained {
  const cutoff = now - policy.maxAgeMs;
  const messages: TmcMessage[] = [];
  const undecoded: UndecodedMessage[] = [];
  // The remark that wins on replay: the latest `at`, the later line on a tie.
  const lastRemark = new Map<string, RemarkRecord>();
  for (const r of records) {
    if (r.k === 'message') messages.push(r.m);
    else if (r.k === 'undecoded') undecoded.push(r.u);
    else if (r.k === 'remark') {
      const key = orderKey(r);
      const prev = lastRemark.get(key);
      if (!prev || r.at >= prev.at) lastRemark.set(key, r);
    }
  }
  const kept = newest(messages, policy.maxMessages, cutoff);
  const keptOrders = new Set(
    kept.flatMap((m) => (m.tid === undefined ? [] : [orderKey({ shop: m.shop, tid: m.tid })])),
  );
  return {
    messages: kept,
    undecoded: newest(undecoded, policy.maxMessages, cutoff),
    // A recent edit outlives its order's old messages: the next edit must still know it.
    remarks: [...lastRemark.values()].filter((r) => keptOrders.has(orderKey(r)) || r.at >= cutoff),
  };
}
