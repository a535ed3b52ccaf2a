/**
 * Quiet hours and learned hours through the Core: what the settings page says ("at this hour we
 * poll about every N s") and projects, messages still stored in quiet hours, and refunds keeping
 * their rule there.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../../../src/main/core/clock';
import { Core } from '../../../../src/main/core/core';
import { RateBudgets } from '../../../../src/main/core/gateway/rate';
import { Inbox } from '../../../../src/main/core/inbox/inbox';
import { MemorySettingsStore } from '../../../../src/main/core/ports';
import type { CoreEvents } from '../../../../src/main/core/service';
import { startSimulator, TOPIC } from '../../../../src/simulator';
import type { TmcMessage } from '../../../../src/shared/domain';
import { DEFAULT_SETTINGS, type Settings } from '../../../../src/shared/settings';
import { CHINA_OFFSET_MS } from '../../../../src/shared/time';
import { VIRTUAL_EPOCH } from '../../../support/virtualClock';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2024-06-03 00:00 China time, a Monday. */
const MONDAY = VIRTUAL_EPOCH + 2 * DAY;
/** Messages an hour of a shop that sleeps at night. */
const DAY_CURVE = [2, 1, 0, 0, 0, 0, 1, 2, 6, 10, 12, 12, 10, 12, 14, 14, 14, 12, 14, 16, 22, 24, 18, 8];

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tradebell-polling-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function settings(over: Partial<Settings> = {}): MemorySettingsStore {
  const s = new MemorySettingsStore({
    ...structuredClone(DEFAULT_SETTINGS),
    shops: [{ id: 'shop1', name: 'shop1', colour: '#888', enabled: true }],
    ...over,
  });
  s.setSecret('token', 'tok-1');
  return s;
}

const at = (now: number): Clock => ({ now: () => now, sleep: systemClock.sleep });

async function core(dataDir: string, store: MemorySettingsStore, clock?: Clock): Promise<Core> {
  const c = await Core.create({ dataDir, settings: store, clock, budgets: new RateBudgets(), demo: false });
  cleanups.push(() => c.stop());
  return c;
}

/** Four weeks of a shop's orders, stored as an inbox would have stored them. */
async function history(dataDir: string): Promise<void> {
  const inbox = await Inbox.open(join(dataDir, 'inbox'));
  const messages: TmcMessage[] = [];
  let n = 0;
  for (let d = 0; d < 28; d++)
    DAY_CURVE.forEach((count, h) => {
      for (let i = 0; i < count; i++) {
        const pubTime = MONDAY + d * DAY + h * HOUR + ((i + 0.5) / count) * HOUR;
        n++;
        messages.push({
          id: String(9_000_000_000_000_000_000n + BigInt(n)),
          rowId: String(n),
          shop: 'shop1',
          topic: 'taobao_trade_TradeBuyerPay',
          pubTime,
          receivedAt: pubTime + 2_000,
          tid: String(1_588_826_713_157_000_000n + BigInt(n)),
          content: {},
        });
      }
    });
  await inbox.append(messages);
  await inbox.close();
}

describe('the Core’s polling at this hour', () => {
  it('learns a shop’s dead hours from the inbox’s history: saver’s ceiling there, balanced’s elsewhere, and a cheaper projection', async () => {
    const dir = await tempDir();
    await history(dir);
    // One core at a time on a folder: each takes the folder's lock.
    const night = await core(dir, settings(), at(MONDAY + 28 * DAY + 3.5 * HOUR));
    expect(night.getState().polling).toEqual({ everyMs: 60_000, reason: 'learned' });
    await night.stop();
    const evening = await core(dir, settings(), at(MONDAY + 28 * DAY + 21.5 * HOUR));
    expect(evening.getState().polling).toEqual({ everyMs: 10_000, reason: 'mode' });
    const eveningPoints = evening.getState().cost.projectedDailyPoints;
    await evening.stop();
    const fresh = await core(await tempDir(), settings(), at(MONDAY + 28 * DAY + 21.5 * HOUR));
    expect(eveningPoints).toBeLessThan(fresh.getState().cost.projectedDailyPoints);
    // Realtime asks for speed: nothing learned applies.
    const realtime = await core(dir, settings({ polling: { mode: 'realtime' } }), at(MONDAY + 28 * DAY + 3.5 * HOUR));
    expect(realtime.getState().polling).toEqual({ everyMs: 2_000, reason: 'mode' });
  });

  it('quiet hours 23:00–08:00 poll at saver’s ceiling and project about a third fewer calls for a quiet shop', async () => {
    const quietHours = { enabled: true, start: '23:00', end: '08:00', allowRefunds: true };
    const quiet = settings({ notify: { ...DEFAULT_SETTINGS.notify, quietHours } });
    const c = await core(await tempDir(), quiet, at(MONDAY + 3 * HOUR));
    expect(c.getState().polling).toEqual({ everyMs: 60_000, reason: 'quiet' });
    const day = await core(await tempDir(), quiet, at(MONDAY + 12 * HOUR));
    expect(day.getState().polling).toEqual({ everyMs: 10_000, reason: 'mode' });
    const plain = await core(await tempDir(), settings(), at(MONDAY + 12 * HOUR));
    const saved = 1 - day.getState().cost.projectedDailyPoints / plain.getState().cost.projectedDailyPoints;
    expect(saved).toBeGreaterThan(0.3);
    expect(saved).toBeLessThan(0.4);
  });

  it('in quiet hours messages are still stored, and a refund allowed through them still notifies', async () => {
    const s = await startSimulator({ tokens: ['tok-1'], shops: ['shop1'], seed: 5 });
    cleanups.push(() => s.close());
    // Quiet hours around the present moment, China time.
    const minute = Math.floor(((Date.now() + CHINA_OFFSET_MS) % DAY) / 60_000);
    const hhmm = (m: number) => {
      const x = (m + 1_440) % 1_440;
      return `${String(Math.floor(x / 60)).padStart(2, '0')}:${String(x % 60).padStart(2, '0')}`;
    };
    const quietHours = { enabled: true, start: hhmm(minute - 60), end: hhmm(minute + 60), allowRefunds: true };
    const store = settings({ gatewayBaseUrl: s.url, notify: { ...DEFAULT_SETTINGS.notify, quietHours } });
    const paid = s.generate('shop1', 3, { topics: [TOPIC.pay], duplicateRate: 0 });
    const refunds = s.generate('shop1', 30, { topics: [TOPIC.refundCreated], duplicateRate: 0 });
    expect(paid.length).toBeGreaterThan(0);
    expect(refunds.length).toBeGreaterThan(0);
    const c = await Core.create({
      dataDir: await tempDir(),
      settings: store,
      budgets: new RateBudgets(),
      notifyWindowMs: 10,
    });
    cleanups.push(() => c.stop());
    const messages: CoreEvents['message'][] = [];
    const notes: CoreEvents['notify'][] = [];
    c.on('message', (m) => messages.push(m));
    c.on('notify', (n) => notes.push(n));
    await c.drain();
    expect(c.getState().polling?.reason).toBe('quiet');
    expect(new Set(messages.map((m) => m.id))).toEqual(new Set([...paid, ...refunds].map((m) => m.id)));
    const noted = new Set(notes.flatMap((n) => n.tids));
    for (const r of refunds) expect(noted.has(r.tid!)).toBe(true);
    for (const p of paid) expect(noted.has(p.tid!)).toBe(false);
  });
});
