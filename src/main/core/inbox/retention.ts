/**
 * What a compaction keeps of the journal's records: a pure function of the records and the policy.
 *
 * Age is judged on Taobao's clock, not the computer's: a message's age is its publication time
 * (set by Taobao), and "now" is the computer's clock only as far as the newest messages'
 * publication times confirm it. A clock set 30 days ahead (or a dead CMOS battery setting it back
 * years, then corrected) would otherwise make every stored message look too old and empty the
 * inbox at the next compaction. A quiet shop keeps its messages a little longer than the policy
 * says; nothing is ever dropped early. The count limit does not depend on any clock.
 */
import { orderKey, type TmcMessage, type UndecodedMessage } from '../../../shared/domain';
import type { InboxRecord, RemarkRecord } from './records';
import type { RetentionPolicy } from './types';

/** How many of the newest publication times are kept to vouch for "now": the oldest of them
 * counts, so one odd date (a message without pub_time, dated by the computer's clock) cannot
 * move it on its own. */
export const NEWEST_PUB_TIMES = 2;

export interface Retained {
  messages: TmcMessage[];
  undecoded: UndecodedMessage[];
  /** The memo/flag the user last saved, one per order still kept. */
  remarks: RemarkRecord[];
}

/** Keeps `newest` the NEWEST_PUB_TIMES largest times, newest first. */
export function notePubTime(newest: number[], t: number): void {
  if (newest.length === NEWEST_PUB_TIMES && t <= newest[NEWEST_PUB_TIMES - 1]!) return;
  let i = newest.length;
  while (i > 0 && newest[i - 1]! < t) i--;
  newest.splice(i, 0, t);
  if (newest.length > NEWEST_PUB_TIMES) newest.pop();
}

/** "Now" for retention: the local clock, but never later than the newest messages were published.
 * No message at all: no evidence, so nothing is old. */
export function retentionNow(localNow: number, newestPub: readonly number[]): number {
  const vouched = newestPub[newestPub.length - 1];
  return vouched === undefined ? -Infinity : Math.min(localNow, vouched);
}

/** The newest `max` (file order is arrival order), and of those only the ones inside the window. */
function newest<T>(items: T[], max: number, cutoff: number, timeOf: (item: T) => number): T[] {
  return items.slice(Math.max(0, items.length - max)).filter((x) => timeOf(x) >= cutoff);
}

/** Both limits apply: at most `maxMessages` messages, none older than `maxAgeMs`. */
export function retain(records: readonly InboxRecord[], policy: RetentionPolicy, now: number): Retained {
  const messages: TmcMessage[] = [];
  const undecoded: { u: UndecodedMessage; at: number }[] = [];
  // The remark that wins on replay: the latest `at`, the later line on a tie.
  const lastRemark = new Map<string, RemarkRecord>();
  // An undecoded entry has no publication time; it arrived after every message before it in the
  // file, so it is at least as recent as they are, whatever the clock said when it came.
  let newestPub = -Infinity;
  const newestPubs: number[] = [];
  for (const r of records) {
    if (r.k === 'message') {
      messages.push(r.m);
      if (r.m.pubTime > newestPub) newestPub = r.m.pubTime;
      notePubTime(newestPubs, r.m.pubTime);
    } else if (r.k === 'undecoded') undecoded.push({ u: r.u, at: Math.max(r.u.receivedAt, newestPub) });
    else if (r.k === 'remark') {
      const key = orderKey(r);
      const prev = lastRemark.get(key);
      if (!prev || r.at >= prev.at) lastRemark.set(key, r);
    }
  }
  const cutoff = retentionNow(now, newestPubs) - policy.maxAgeMs;
  const kept = newest(messages, policy.maxMessages, cutoff, (m) => m.pubTime);
  const keptOrders = new Set(
    kept.flatMap((m) => (m.tid === undefined ? [] : [orderKey({ shop: m.shop, tid: m.tid })])),
  );
  return {
    messages: kept,
    undecoded: newest(undecoded, policy.maxMessages, cutoff, (x) => x.at).map((x) => x.u),
    // A recent edit outlives its order's old messages: the next edit must still know it.
    remarks: [...lastRemark.values()].filter((r) => keptOrders.has(orderKey(r)) || r.at >= cutoff),
  };
}
