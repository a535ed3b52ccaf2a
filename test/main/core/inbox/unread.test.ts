/**
 * The inbox's counts as the window reads them, through everything that changes them on disk:
 * new orders, seen marks, memos, compaction to the retention policy, and restarts (from the
 * snapshot, and from the journal alone). Each step's counts are checked against a count over the
 * rows themselves, and every restart against the state before it.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Inbox } from '../../../../src/main/core/inbox/inbox';
import { SNAPSHOT_FILE } from '../../../../src/main/core/inbox/snapshot';
import type { RetentionPolicy } from '../../../../src/main/core/inbox/types';
import type { OrderQuery } from '../../../../src/shared/api';
import type { Tid } from '../../../../src/shared/domain';
import { DAY, FakeClock, MINUTE, SHOP, T0, trade, useTempDir } from './helpers';

const tempDir = useTempDir();
const TIDS = ['101', '102', '103', '104', '105', '106'];
const RETENTION: RetentionPolicy = { maxAgeMs: 2 * DAY, maxMessages: 8 };

type Step =
  | { k: 'append'; tid: string; topic: string; shop: string }
  | { k: 'seen'; tids: Tid[] }
  | { k: 'remark'; tid: string; flag: 0 | 1 }
  | { k: 'time'; days: number }
  | { k: 'compact' }
  | { k: 'restart'; snapshot: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc.record({
      k: fc.constant('append' as const),
      tid: fc.constantFrom(...TIDS),
      topic: fc.constantFrom('TradeCreate', 'TradeBuyerPay', 'TradeSellerShip', 'TradeMemoModified'),
      shop: fc.constantFrom(SHOP, SHOP, 'shop2'),
    }),
    weight: 4,
  },
  fc.record({ k: fc.constant('seen' as const), tids: fc.subarray(TIDS, { minLength: 1 }) }),
  fc.record({
    k: fc.constant('remark' as const),
    tid: fc.constantFrom(...TIDS),
    flag: fc.constantFrom(0 as const, 1 as const),
  }),
  fc.record({ k: fc.constant('time' as const), days: fc.constantFrom(0.5, 1, 3) }),
  fc.record({ k: fc.constant('compact' as const) }),
  fc.record({ k: fc.constant('restart' as const), snapshot: fc.boolean() }),
);

const QUERIES: OrderQuery[] = [{}, { shop: SHOP }, { status: 'WAIT_SELLER_SEND_GOODS' }, { unflaggedOnly: true }];

/** Counts taken from the rows themselves, every one of them. */
function counted(inbox: Inbox, q: OrderQuery) {
  const rows = inbox.query({ ...q, limit: undefined }).orders;
  return { total: rows.length, unread: rows.filter((o) => !o.seen).length };
}

function expectCountsRight(inbox: Inbox): void {
  for (const q of QUERIES) {
    const page = inbox.query({ ...q, limit: 1 });
    expect({ total: page.total, unread: page.unread }, JSON.stringify(q)).toEqual(counted(inbox, q));
  }
}

describe('Inbox unread counts', () => {
  it('stay right through new orders, seen marks, memos, compaction and restarts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const dir = path.join(await tempDir(), 'inbox');
        const clock = new FakeClock(T0);
        let inbox = await Inbox.open(dir, { clock, retention: RETENTION });
        try {
          let minute = 0;
          for (const s of steps) {
            if (s.k === 'append') {
              minute++;
              const content = s.topic === 'TradeMemoModified' ? { seller_memo: 'm', seller_flag: 1 } : {};
              await inbox.append([
                trade(s.tid, s.topic, clock.t + minute * MINUTE, content, { shop: s.shop, receivedAt: clock.t }),
              ]);
            } else if (s.k === 'seen') await inbox.markSeen(s.tids);
            else if (s.k === 'remark') await inbox.recordRemark(SHOP, s.tid, 'note', s.flag, clock.t + minute * MINUTE);
            else if (s.k === 'time') clock.t += s.days * DAY;
            else if (s.k === 'compact') await inbox.compact();
            else {
              const before = QUERIES.map((q) => inbox.query(q));
              await inbox.close();
              if (!s.snapshot) await rm(path.join(dir, SNAPSHOT_FILE), { force: true });
              inbox = await Inbox.open(dir, { clock, retention: RETENTION });
              // A compaction at open may trim; the counts must still be the rows'.
              if (QUERIES.every((q, i) => inbox.query(q).total === before[i]!.total))
                expect(QUERIES.map((q) => inbox.query(q))).toEqual(before);
            }
            expectCountsRight(inbox);
          }
        } finally {
          await inbox.close();
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('tell the window which orders a compaction dropped or changed', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0);
    const told: Tid[][] = [];
    const inbox = await Inbox.open(dir, {
      clock,
      retention: { maxAgeMs: 30 * DAY, maxMessages: 2 },
      onOrdersChanged: (tids) => told.push(tids),
    });
    await inbox.append([
      trade('1', 'TradeCreate', T0),
      trade('2', 'TradeCreate', T0 + 1),
      trade('3', 'TradeCreate', T0 + 2),
    ]);
    expect(inbox.query({ limit: 1 })).toMatchObject({ total: 3, unread: 3 });
    await inbox.compact();
    expect(told).toEqual([['1']]);
    expect(inbox.changed({}, ['1'])).toEqual({ orders: [], total: 2, unread: 2 });
    // Nothing to trim: nothing to tell.
    await inbox.compact();
    expect(told).toHaveLength(1);
    await inbox.close();
  });
});
