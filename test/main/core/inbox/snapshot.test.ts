import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeLines } from '../../../../src/main/core/inbox/journal';
import { OrdersView } from '../../../../src/main/core/inbox/orders';
import type { InboxRecord } from '../../../../src/main/core/inbox/records';
import {
  loadSnapshot,
  removeSnapshotTemp,
  saveSnapshot,
  SNAPSHOT_FILE,
  SNAPSHOT_VERSION,
} from '../../../../src/main/core/inbox/snapshot';
import { InboxState } from '../../../../src/main/core/inbox/state';
import { MINUTE, SHOP, T0, trade, useTempDir } from './helpers';

const tempDir = useTempDir();
const MARK = { size: 12_345, crc: 0xdeadbeef };

/** A state with a bit of everything: orders with items, a refund and a memo, undecoded entries, seen and remarks. */
function sampleState(): InboxState {
  const state = new InboxState();
  const records: InboxRecord[] = [
    {
      k: 'message',
      m: trade('1588826713157361977', 'TradeCreate', T0, {
        status: 'WAIT_BUYER_PAY',
        oid: '111',
        title: '杯子',
        num: 2,
        price: '24.00',
        buyer_nick: '雨洁',
      }),
    },
    {
      k: 'message',
      m: trade('1588826713157361977', 'taobao_refund_RefundCreated', T0 + MINUTE, {
        refund_id: '5001',
        refund_fee: '1.00',
      }),
    },
    { k: 'message', m: trade('2', 'TradeMemoModified', T0 + 2 * MINUTE, { seller_memo: '发顺丰', seller_flag: 1 }) },
    { k: 'undecoded', u: { shop: SHOP, raw: '<html>', reason: 'not JSON', receivedAt: T0 - MINUTE } },
    { k: 'seen', tids: ['2'], at: T0 + 3 * MINUTE },
    { k: 'remark', shop: SHOP, tid: '3', memo: 'mine', flag: 4, at: T0 + 4 * MINUTE },
  ];
  for (const r of records) state.apply(r);
  return state;
}

function summary(state: InboxState) {
  return {
    ids: [...state.ids].sort(),
    orders: state.view.query({}),
    undecoded: state.undecoded,
    oldestAt: state.oldestAt,
    staleLines: state.staleLines,
    newestPub: state.newestPub,
    newestPubs: state.newestPubs,
  };
}

async function saved(): Promise<{ dir: string; file: string; bytes: Buffer; state: InboxState }> {
  const dir = await tempDir();
  const state = sampleState();
  await saveSnapshot(dir, state, MARK);
  const file = path.join(dir, SNAPSHOT_FILE);
  return { dir, file, bytes: await readFile(file), state };
}

describe('Inbox snapshots', () => {
  it('load back the state they saved, and the journal mark it belongs to', async () => {
    const { dir, state } = await saved();
    const loaded = await loadSnapshot(dir);
    expect(loaded?.mark).toEqual(MARK);
    expect(summary(loaded!.state)).toEqual(summary(state));
  });

  it('keep an empty state (nothing stored: no oldest time)', async () => {
    const dir = await tempDir();
    await saveSnapshot(dir, new InboxState(), { size: 0, crc: 0 });
    expect(summary((await loadSnapshot(dir))!.state)).toEqual(summary(new InboxState()));
  });

  it('split large states into many checksummed lines', async () => {
    const dir = await tempDir();
    const state = new InboxState();
    for (let i = 0; i < 12_000; i++)
      state.apply({ k: 'message', m: trade(String(1000 + (i % 1_500)), 'TradeBuyerPay', T0 + i) });
    await saveSnapshot(dir, state, MARK);
    const lines = (await readFile(path.join(dir, SNAPSHOT_FILE), 'utf8')).split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(4);
    for (const line of lines) expect(line).toMatch(/^[0-9a-f]{8} \{/);
    expect(summary((await loadSnapshot(dir))!.state)).toEqual(summary(state));
  });

  it('are not used when there is none', async () => {
    expect(await loadSnapshot(await tempDir())).toBeUndefined();
  });

  it('are not used when torn anywhere', async () => {
    const { dir, file, bytes } = await saved();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bytes.length - 1 }), async (size) => {
        await writeFile(file, bytes);
        await truncate(file, size);
        expect(await loadSnapshot(dir)).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });

  it('are not used when any byte is damaged', async () => {
    const { dir, file, bytes } = await saved();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, flip) => {
          const damaged = Buffer.from(bytes);
          damaged[at]! ^= flip;
          await writeFile(file, damaged);
          expect(await loadSnapshot(dir)).toBeUndefined();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('are not used when a whole line is missing, each line still checksummed', async () => {
    const { dir, file, bytes } = await saved();
    const lines = bytes.toString('utf8').split('\n');
    for (let i = 0; i < lines.length - 1; i++) {
      await writeFile(file, [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'));
      expect(await loadSnapshot(dir)).toBeUndefined();
    }
  });

  it('are not used when written by another version', async () => {
    const { dir, file, bytes } = await saved();
    const [head, ...rest] = bytes.toString('utf8').split('\n');
    const other = { ...(JSON.parse(head!.slice(9)) as Record<string, unknown>), v: SNAPSHOT_VERSION + 1 };
    await writeFile(file, Buffer.concat([encodeLines([other]), Buffer.from(rest.join('\n'))]));
    expect(await loadSnapshot(dir)).toBeUndefined();
  });

  it('leave the last whole one in place when a save is cut short; only the writer drops its temp file', async () => {
    const { dir, file } = await saved();
    await writeFile(`${file}.tmp`, 'half a snapshot');
    expect((await loadSnapshot(dir))?.mark).toEqual(MARK);
    expect((await readdir(dir)).sort()).toEqual([SNAPSHOT_FILE, `${SNAPSHOT_FILE}.tmp`]);
    await removeSnapshotTemp(dir);
    expect(await readdir(dir)).toEqual([SNAPSHOT_FILE]);
  });

  it('carry a version that moves whenever folding does', () => {
    // A fixed run of messages through the view: if this changes, snapshots of the old folding
    // would restore states this version would not build. Bump SNAPSHOT_VERSION, then record here.
    // (The orders are saved newest first; restore takes any order, so that alone needs no bump.)
    const view = new OrdersView();
    const at = (i: number) => T0 + i * MINUTE;
    const tid = '1588826713157361977';
    const fixed = [
      trade(tid, 'TradeCreate', at(0), {
        status: 'WAIT_BUYER_PAY',
        payment: '50.00',
        oid: '111',
        title: 'Mug',
        num: 1,
        price: '50.00',
        buyer_nick: '雨洁',
      }),
      trade(tid, 'TradeBuyerPay', at(1), {
        status: 'WAIT_SELLER_SEND_GOODS',
        payment: '48.00',
        oid: '222',
        title: '杯子',
        num: '2',
      }),
      trade(tid, 'TradeSellerShip', at(1)),
      trade(tid, 'TradeCreate', at(0)),
      trade(tid, 'taobao_refund_RefundCreated', at(2), { refund_id: '5001', refund_fee: '1.00', oid: '111' }),
      trade(tid, 'taobao_refund_RefundCreated', at(3), { refund_id: '5002', refund_fee: '2.00' }),
      trade(tid, 'taobao_refund_RefundSuccess', at(4), { refund_id: '5001' }),
      trade(tid, 'TradeMemoModified', at(5), { seller_memo: '发顺丰', seller_flag: '3' }),
      trade(tid, 'TradeLogisticsAddressChanged', at(6)),
      trade('2', 'TradeClose', at(7), { status: 'TRADE_CLOSED_BY_TAOBAO' }),
      trade('3', 'TradeSuccess', at(8), {}, { shop: 'shop2' }),
    ];
    fixed.forEach((m, i) => {
      view.applyMessage(m);
      if (i === 3) view.applySeen([tid]);
    });
    view.applyRemark(SHOP, '4', 'mine', 2, at(9));
    const fingerprint = crc32(
      JSON.stringify(
        view.save().map(({ order, ...rest }) => ({
          ...rest,
          order: { ...order, events: order.events.map(({ msgId: _, ...e }) => e) },
        })),
      ),
    );
    expect({ version: SNAPSHOT_VERSION, fingerprint }).toEqual({ version: 2, fingerprint: 2476658799 });
  });
});
