import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assembleCore } from '../../../src/main/core/assemble';
import { Core, type CoreOptions } from '../../../src/main/core/core';
import { createHttpAgent, DEFAULT_TIMEOUTS } from '../../../src/main/core/gateway/http';
import { RateBudgets } from '../../../src/main/core/gateway/rate';
import { MemorySettingsStore, type HostChangeQuestion } from '../../../src/main/core/ports';
import type { CoreEvents } from '../../../src/main/core/service';
import { startSimulator, type Simulator } from '../../../src/simulator';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/shared/settings';
import { json, startServer } from './gateway/testServer';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tradebell-core-'));
}

function settingsFor(over: Partial<Settings> = {}): Settings {
  return { ...structuredClone(DEFAULT_SETTINGS), polling: { mode: 'realtime' }, ...over };
}

async function makeCore(opts: Partial<CoreOptions> & { settings: MemorySettingsStore }): Promise<Core> {
  const core = await Core.create({
    dataDir: opts.dataDir ?? (await tempDir()),
    notifyWindowMs: 30,
    budgets: new RateBudgets(),
    ...opts,
  });
  cleanups.push(() => core.stop());
  return core;
}

async function sim(over: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
  const s = await startSimulator({ tokens: ['tok-1'], shops: ['shop1', 'shop2'], seed: 7, echoDelayMs: 20, ...over });
  cleanups.push(() => s.close());
  return s;
}

function collect<K extends keyof CoreEvents>(core: Core, event: K): CoreEvents[K][] {
  const out: CoreEvents[K][] = [];
  core.on(event, (p) => out.push(p));
  return out;
}

async function until(cond: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function realStore(s: Simulator, shops = ['shop1']): MemorySettingsStore {
  const store = new MemorySettingsStore(
    settingsFor({ gatewayBaseUrl: s.url, shops: shops.map((id) => ({ id, name: id, colour: '#888', enabled: true })) }),
  );
  store.setSecret('token', 'tok-1');
  return store;
}

describe('Core with a token, against the local gateway', () => {
  it('stores every generated message once, with tids digit for digit, and notifies paid orders', async () => {
    const s = await sim();
    const generated = s.generate('shop1', 20, { duplicateRate: 0.2 });
    const core = await makeCore({ settings: realStore(s) });
    const messages = collect(core, 'message');
    const notes = collect(core, 'notify');
    await core.start();
    const uniqueIds = new Set(generated.map((m) => m.id));
    await until(() => messages.length >= uniqueIds.size && s.queueLength('shop1') === 0);
    expect(new Set(messages.map((m) => m.id))).toEqual(uniqueIds);
    expect(messages.length).toBe(uniqueIds.size);
    const tids = new Set(generated.map((m) => m.tid).filter(Boolean));
    for (const m of messages) expect(tids.has(m.tid)).toBe(true);
    expect([...tids].every((t) => /^\d{19}$/.test(t!))).toBe(true);
    await until(() => notes.length > 0);
    expect(notes.flatMap((n) => n.tids).every((t) => tids.has(t))).toBe(true);
    const page = core.listOrders({ shop: 'shop1' });
    expect(page.total).toBe(tids.size);
  });

  it('a restarted core on the same data stores and notifies nothing of a redelivery', async () => {
    const s = await sim();
    const generated = s.generate('shop1', 5);
    const dataDir = await tempDir();
    const first = await Core.create({
      dataDir,
      settings: realStore(s),
      notifyWindowMs: 10,
      budgets: new RateBudgets(),
    });
    const firstMessages = collect(first, 'message');
    const firstNotes = collect(first, 'notify');
    await first.drain();
    const orders = first.listOrders({}).total;
    await first.stop();
    expect(firstMessages.length).toBe(new Set(generated.map((m) => m.id)).size);
    expect(firstNotes.length).toBeGreaterThan(0);
    // At-least-once delivery: the gateway sends the very same messages again.
    s.enqueue('shop1', generated);
    const second = await makeCore({ dataDir, settings: realStore(s) });
    const again = collect(second, 'message');
    const notes = collect(second, 'notify');
    await second.drain();
    expect(s.queueLength('shop1')).toBe(0);
    expect(again).toEqual([]);
    expect(notes).toEqual([]);
    expect(second.listOrders({}).total).toBe(orders);
  });

  it('saves memo and flag together on the 19-digit tid, records them, and does not notify the echo', async () => {
    const s = await sim();
    const settings = realStore(s);
    settings.save({
      ...settings.load(),
      notify: {
        ...DEFAULT_SETTINGS.notify,
        rules: { ...DEFAULT_SETTINGS.notify.rules, TradeMemoModified: { enabled: true } },
      },
    });
    const core = await makeCore({ settings });
    const notes = collect(core, 'notify');
    const messages = collect(core, 'message');
    const tid = '1588826713157361977';
    const r = await core.remark({ shop: 'shop1', tid, memo: '加急，红旗', flag: 1 });
    expect(r).toMatchObject({ ok: true, value: { tid } });
    expect(s.remarkOf(tid)).toMatchObject({ shop: 'shop1', memo: '加急，红旗', flag: 1 });
    expect(core.listOrders({ tids: [tid] }).orders[0]).toMatchObject({ memo: '加急，红旗', flag: 1 });
    await new Promise((r2) => setTimeout(r2, 60));
    await core.drain();
    expect(messages.some((m) => m.topic === 'taobao_trade_TradeMemoModified' && m.tid === tid)).toBe(true);
    expect(notes.filter((n) => n.tids.includes(tid))).toEqual([]);
  });

  it('a failure after a batch is stored (a throwing listener) does not stop the shop', async () => {
    const s = await sim();
    s.generate('shop1', 3);
    const core = await makeCore({ settings: realStore(s) });
    const messages = collect(core, 'message');
    core.on('message', () => {
      throw new Error('listener broke');
    });
    await core.start();
    await until(() => s.queueLength('shop1') === 0 && messages.length > 0);
    await new Promise((r) => setTimeout(r, 200));
    expect(core.getState().shops.find((x) => x.shop === 'shop1')?.state).toBe('listening');
    expect(core.listOrders({}).total).toBeGreaterThan(0);
  });

  it('refuses a memo over 1000 bytes before any call', async () => {
    const s = await sim();
    const core = await makeCore({ settings: realStore(s) });
    const r = await core.remark({ shop: 'shop1', tid: '1588826713157361977', memo: '备'.repeat(334), flag: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'validation' });
    expect(s.calls.filter((c) => c.endpoint === 'remark')).toEqual([]);
  });

  it('a 401 stops every shop within one call and says why', async () => {
    const s = await sim();
    s.injectFault({ type: 'code', code: 401 });
    const core = await makeCore({ settings: realStore(s, ['shop1', 'shop2']) });
    let stoppedAt = Infinity;
    core.on('error', () => (stoppedAt = Math.min(stoppedAt, Date.now())));
    await core.start();
    await until(() => stoppedAt < Infinity);
    // Longer than realtime's first pauses (an empty answer: 1 s): a shop still polling calls in this time.
    await new Promise((r) => setTimeout(r, 1_500));
    const state = core.getState();
    expect(state.globalError?.kind).toBe('auth');
    expect(state.shops.every((sh) => sh.state === 'stopped')).toBe(true);
    // The scheduler's own record of each start is exact, whatever the loopback delays: calls opened
    // before the 401 was read may still arrive, but none starts after it.
    for (const sh of state.shops) expect(sh.lastCallAt ?? 0).toBeLessThanOrEqual(stoppedAt);
    expect(s.calls.filter((c) => c.endpoint === 'consume').length).toBeGreaterThan(0);
  });

  it('keeps the cost meter across restarts', async () => {
    const s = await sim();
    s.generate('shop1', 2);
    const dataDir = await tempDir();
    const a = await Core.create({ dataDir, settings: realStore(s), budgets: new RateBudgets() });
    await a.drain();
    const calls = a.getState().cost.total.calls;
    await a.stop();
    expect(calls).toBeGreaterThan(0);
    const b = await makeCore({ dataDir, settings: realStore(s) });
    expect(b.getState().cost.total.calls).toBe(calls);
    expect(JSON.parse(await readFile(join(dataDir, 'cost.json'), 'utf8'))).toBeTruthy();
  });
});

describe('demo mode', () => {
  it("with no token starts the face's local gateway, polls the demo shops, and a token ends it", async () => {
    const started: Simulator[] = [];
    const store = new MemorySettingsStore(settingsFor());
    const core = await makeCore({
      settings: store,
      demo: {
        start: async (o) => {
          const s = await startSimulator(o);
          started.push(s);
          return s;
        },
        seed: 3,
        ordersPerMinute: 1,
        serviceTimeMs: 0,
      },
      // The real gateway's address: no test asks it anything over the network.
      probeHttps: async (url) => ({ ok: false, url, reason: 'not checked in tests' }),
    });
    const messages = collect(core, 'message');
    await core.start();
    expect(core.getState().demo).toBe(true);
    expect(core.getSettings()).toMatchObject({ demo: true, tokenSet: false });
    expect(started).toHaveLength(1);
    started[0]!.generate('demo-shop-1', 3);
    core.wake();
    await until(() => messages.length > 0);
    expect(messages[0]!.shop).toBe('demo-shop-1');

    const r = await core.setSecret('token', 'real-token-123456');
    expect(r).toMatchObject({ ok: true, value: { tokenSet: true, demo: false } });
    expect(core.getState().demo).toBe(false);
    expect(JSON.stringify(core.getSettings())).not.toContain('real-token-123456');
  });

  it('without a demo factory, no token means no polling and no demo', async () => {
    const core = await makeCore({ settings: new MemorySettingsStore(settingsFor()) });
    await core.start();
    expect(core.getState()).toMatchObject({ demo: false, shops: [] });
  });
});

describe('the data folder', () => {
  it('keeps data files under the data folder only', async () => {
    const s = await sim();
    s.generate('shop1', 1);
    const dataDir = await tempDir();
    const core = await makeCore({ dataDir, settings: realStore(s) });
    await core.drain();
    expect((await readdir(dataDir)).sort()).toEqual(['cost.json', 'inbox']);
  });
});

describe('Core parts', () => {
  it('tell the faces which orders a compaction dropped, as for any other change', async () => {
    const dataDir = await tempDir();
    const parts = await assembleCore({
      dataDir,
      settings: new MemorySettingsStore(settingsFor()),
      budgets: new RateBudgets(),
      retention: { maxAgeMs: 30 * 86_400_000, maxMessages: 1 },
    });
    cleanups.push(() => parts.inbox.close());
    const at = Date.now();
    const message = (tid: string, n: number) => ({
      id: `9${String(n).padStart(18, '0')}`,
      rowId: String(n),
      shop: 'shop1',
      topic: 'taobao_trade_TradeBuyerPay',
      pubTime: at + n,
      receivedAt: at + n,
      tid,
      content: { tid },
    });
    await parts.inbox.append([message('1588826713157361977', 1), message('1588826713157361978', 2)]);
    const told: string[][] = [];
    parts.events.on('orders', (tids) => told.push(tids));
    await parts.inbox.compact();
    expect(told).toEqual([['1588826713157361977']]);
  });
});

describe('Core: a new gateway or router host', () => {
  /** Resolves every name to 127.0.0.1: real hosts in the settings, served on loopback. */
  function everyHostIsLocal() {
    return createHttpAgent(DEFAULT_TIMEOUTS, {
      lookup: ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) =>
        opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)) as never,
    });
  }

  it('is confirmed outside the window before it is saved; a no, or no way to ask, changes nothing', async () => {
    const s = await sim();
    const questions: HostChangeQuestion[] = [];
    let answer = false;
    const core = await makeCore({
      settings: realStore(s),
      confirmHostChange: async (q) => {
        questions.push(q);
        return answer;
      },
    });
    const declined = await core.updateSettings({ gatewayBaseUrl: 'http://gw-b.example:8080' });
    expect(declined.ok).toBe(false);
    if (!declined.ok)
      expect(declined.error).toMatchObject({
        kind: 'validation',
        code: 'host_change_declined',
        params: { setting: 'gatewayBaseUrl', host: 'gw-b.example:8080' },
      });
    expect(questions).toEqual([
      { setting: 'gatewayBaseUrl', url: 'http://gw-b.example:8080', host: 'gw-b.example:8080', plainHttp: true },
    ]);
    expect(core.getSettings().gatewayBaseUrl).toBe(s.url);
    // The loopback simulator is not asked about; a yes saves.
    expect((await core.updateSettings({ gatewayBaseUrl: 'http://localhost:1' })).ok).toBe(true);
    expect(questions).toHaveLength(1);
    answer = true;
    expect((await core.updateSettings({ topBaseUrl: 'https://router.example/rest' })).ok).toBe(true);
    expect(questions.map((q) => q.host)).toEqual(['gw-b.example:8080', 'router.example']);

    const cannotAsk = await makeCore({ settings: realStore(s) });
    const refused = await cannotAsk.updateSettings({ gatewayBaseUrl: 'https://gw-b.example' });
    expect(!refused.ok && refused.error).toMatchObject({
      code: 'host_change_unconfirmable',
      params: { setting: 'gatewayBaseUrl', host: 'gw-b.example' },
    });
  });

  it('never receives the token entered for the old host, even once confirmed', async () => {
    const s = await sim();
    const other = await startServer();
    cleanups.push(() => other.close());
    const agent = everyHostIsLocal();
    cleanups.push(() => agent.close());
    const core = await makeCore({ settings: realStore(s), dispatcher: agent, confirmHostChange: async () => true });
    const errors = collect(core, 'error');
    // drain() (the CLI's --once) runs on a core that is not polling.
    const port = new URL(other.url).port;
    expect((await core.updateSettings({ gatewayBaseUrl: `http://gw-b.example:${port}` })).ok).toBe(true);
    expect(core.getSettings()).toMatchObject({ tokenSet: false, secretHosts: { token: new URL(s.url).host } });
    await core.drain();
    await new Promise((r) => setTimeout(r, 200));
    expect(other.received).toEqual([]);
    expect(errors.map((e) => e.error.kind)).toContain('auth');
    // Entered again for the new host, it goes there.
    await core.setSecret('token', 'tok-for-b');
    other.handle((_q, res) => json(res, '{"code":0,"msg":"ok","data":{"msg":[]}}'));
    await core.drain();
    expect(other.received.map((q) => q.headers.authorization)).toContain('Bearer tok-for-b');
    expect(JSON.stringify(other.received)).not.toContain('tok-1');
  });
});
