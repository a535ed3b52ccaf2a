/**
 * Team mode through the whole core: two seats (two Cores, each with its own data folder) in one
 * process, on one shop, against a real redis-server and the local gateway. Each seat notifies under
 * its own rules (one has paid orders switched off); a memo and flag edit goes to the gateway from
 * either seat, its TradeMemoModified echo reaches both through the stream, and only the colleague's
 * seat rings for it; the state shows who consumes the shop, this seat's lag and the server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../src/main/core/core';
import { MemorySettingsStore } from '../../src/main/core/ports';
import type { CoreEvents } from '../../src/main/core/service';
import { startSimulator, type Simulator } from '../../src/simulator';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';
import { until } from './helpers';
import { RedisServer, redisAvailable, SKIP_REASON } from './redisServer';

const available = redisAvailable();
if (!available) console.warn(`team core tests skipped: ${SKIP_REASON}`);

const SHOP = 'shop1';
const MEMO_TOPIC = 'taobao_trade_TradeMemoModified';

interface TestSeat {
  name: string;
  core: Core;
  notes: CoreEvents['notify'][];
  messages: CoreEvents['message'][];
}

describe.skipIf(!available)('team mode through the core: two seats', () => {
  let redis: RedisServer;
  let sim: Simulator;
  let dir: string;
  const seats: TestSeat[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    sim = await startSimulator({ tokens: ['tok-1'], shops: [SHOP], seed: 21, echoDelayMs: 20 });
    dir = await mkdtemp(join(tmpdir(), 'tradebell-teamcores-'));
  });
  afterAll(async () => {
    for (const s of seats) await s.core.stop();
    await sim?.close();
    await redis?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function seat(name: string, paidOrders: boolean): Promise<TestSeat> {
    const settings: Settings = {
      ...structuredClone(DEFAULT_SETTINGS),
      gatewayBaseUrl: sim.url,
      polling: { mode: 'realtime' },
      shops: [{ id: SHOP, name: SHOP, colour: '#888', enabled: true }],
      notify: {
        ...DEFAULT_SETTINGS.notify,
        rules: { TradeBuyerPay: { enabled: paidOrders }, TradeMemoModified: { enabled: true } },
      },
      team: { enabled: true, url: redis.url, seat: name },
    };
    const store = new MemorySettingsStore(settings);
    store.setSecret('token', 'tok-1');
    const core = await Core.create({ dataDir: join(dir, name), settings: store, demo: false, notifyWindowMs: 30 });
    const s: TestSeat = { name, core, notes: [], messages: [] };
    core.on('notify', (n) => s.notes.push(n));
    core.on('message', (m) => s.messages.push(m));
    seats.push(s);
    await core.start();
    return s;
  }

  const shopOf = (s: TestSeat) => s.core.getState().team?.shops.find((x) => x.shop === SHOP);
  const memoOf = (s: TestSeat, tid: string) => s.core.listOrders({ shop: SHOP, tids: [tid], limit: 1 }).orders[0];

  it('each seat stores every order and rings under its own rules; an edit rings only at the colleague’s seat', async () => {
    const a = await seat('前台', true);
    const b = await seat('客服2', false);
    await until(
      () => seats.filter((s) => shopOf(s)?.self).length === 1 && seats.every((s) => shopOf(s)?.consumer !== undefined),
      20_000,
      'one consumer, known to both seats',
    );
    const consumer = seats.find((s) => shopOf(s)!.self)!;
    const reader = seats.find((s) => s !== consumer)!;
    expect(shopOf(reader)!.consumer).toBe(consumer.name);
    expect(reader.core.getState().team).toMatchObject({ seat: reader.name, server: 'connected' });
    // Only the consumer's seat calls the gateway; the reader's shop is listening through the stream.
    expect(reader.core.getState().shops.find((x) => x.shop === SHOP)?.state).toBe('listening');

    const paid = sim.generate(SHOP, 8, { topics: ['TradeBuyerPay'] });
    const ids = new Set(paid.map((m) => m.id));
    await until(
      () => seats.every((s) => new Set(s.messages.map((m) => m.id)).size === ids.size),
      20_000,
      'every paid order at both seats',
    );
    for (const s of seats) expect(new Set(s.messages.map((m) => m.id))).toEqual(ids);
    const paidTids = [...new Set(paid.map((m) => m.tid!))];
    await until(
      () => a.notes.flatMap((n) => n.tids).length >= paidTids.length,
      5_000,
      'the paid orders to ring at 前台',
    );
    expect(new Set(a.notes.flatMap((n) => n.tids))).toEqual(new Set(paidTids));
    expect(b.notes).toEqual([]);
    await until(() => seats.every((s) => shopOf(s)!.lag === 0), 10_000, 'no lag at either seat');

    // An edit from each seat in turn: the reader's goes to the gateway itself, not through the consumer.
    for (const [editor, tid, memo, flag] of [
      [reader, paidTids[0]!, '改地址：杭州', 2],
      [consumer, paidTids[1]!, '加急', 1],
    ] as const) {
      const colleague = editor === a ? b : a;
      const before = { editor: editor.notes.length, colleague: colleague.notes.length };
      const saved = await editor.core.remark({ shop: SHOP, tid, memo, flag });
      expect(saved.ok, editor.name).toBe(true);
      expect(sim.remarkOf(tid)).toMatchObject({ memo, flag });
      await until(
        () => seats.every((s) => s.messages.some((m) => m.topic === MEMO_TOPIC && m.tid === tid)),
        20_000,
        `the echo of ${editor.name}'s edit at both seats`,
      );
      for (const s of seats) expect(memoOf(s, tid), s.name).toMatchObject({ memo, flag });
      await until(
        () => colleague.notes.slice(before.colleague).some((n) => n.tids.includes(tid)),
        5_000,
        `${colleague.name} to ring for ${editor.name}'s edit`,
      );
      await new Promise((r) => setTimeout(r, 200));
      expect(
        editor.notes.slice(before.editor).filter((n) => n.tids.includes(tid)),
        `${editor.name} rang for its own edit`,
      ).toEqual([]);
    }
    // The reader's edit went to the gateway from the reader; only the consumer consumed.
    expect(shopOf(consumer)!.self).toBe(true);
  }, 90_000);
});
