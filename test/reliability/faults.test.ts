/**
 * Faults over time. Real traffic through the real Core and GatewayClient, over HTTP, with a proxy
 * in front of the local gateway that fails 30% of the calls at random (101, 202, HTTP 5xx, resets,
 * answers that never come); then a simulated day of the same on the virtual clock, through the
 * real Scheduler. Every message is stored exactly once, the calls stay bounded, and a 401, 204 or
 * 302 stops the polling it concerns within one call.
 *
 * The faults here fail a call before the gateway takes messages off its queue, so nothing may be
 * lost at all; an answer lost after the gateway sent it is the crash test's case.
 */
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { Core } from '../../src/main/core/core';
import { httpStatusError, transportError } from '../../src/main/core/gateway/http';
import { RateBudgets } from '../../src/main/core/gateway/rate';
import type { ConsumeOk, ConsumeRequest, Gateway } from '../../src/main/core/gateway/types';
import { planForError, type PollPolicy } from '../../src/main/core/intake/pauses';
import { Scheduler } from '../../src/main/core/intake/scheduler';
import { MemorySettingsStore } from '../../src/main/core/ports';
import { createRng, startSimulator, type Rng, type Simulator } from '../../src/simulator';
import { VirtualClock } from '../support/virtualClock';
import { appError, type AppError, type ErrorKind } from '../../src/shared/errors';
import { err, ok, type Result } from '../../src/shared/result';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';
import { busiestWindow } from '../main/core/gateway/timeHelpers';
import { json, startServer, type TestServer } from '../main/core/gateway/testServer';
import { pick, readJournal, sleep, tempDir, waitFor } from './helpers';

const SEC = 1_000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const TOKEN = 'tok-faults';
const FAIL_RATE = 0.3;
/** The gateway's documented limit, as the proxy in front of it sees the calls arrive. */
const CALLS_PER_SECOND_SEEN = 10;

/** What a test started, closed in reverse order when it ends (tests here may run concurrently). */
type Cleanups = (() => Promise<unknown>)[];

async function closeAll(cleanups: Cleanups): Promise<void> {
  while (cleanups.length) await cleanups.pop()!();
}

// ---- real HTTP: a faulty proxy in front of the local gateway ----

const PROXY_FAULTS = ['code101', 'code202', 'http502', 'http503', 'reset', 'timeout'] as const;
type ProxyFault = (typeof PROXY_FAULTS)[number];

interface ProxyCall {
  at: number;
  shop: string;
  outcome: 'pass' | ProxyFault | `scripted${number}`;
  answeredAt?: number;
}

interface FaultyProxy {
  url: string;
  calls: ProxyCall[];
  failRate: number;
  /** The next call of `shop` is answered with this code by the proxy itself. */
  script(shop: string, code: number): void;
}

async function startFaultyProxy(
  cleanups: Cleanups,
  target: string,
  seed: number,
  failRate: number,
): Promise<FaultyProxy> {
  const rng = createRng(seed);
  const scripted = new Map<string, number>();
  const server: TestServer = await startServer();
  cleanups.push(() => server.close());
  const proxy: FaultyProxy = { url: server.url, calls: [], failRate, script: (shop, code) => scripted.set(shop, code) };
  server.handle(async (req, res, raw) => {
    const shop = req.fields.shop_id ?? '';
    const call: ProxyCall = { at: Date.now(), shop, outcome: 'pass' };
    proxy.calls.push(call);
    const answered = () => (call.answeredAt = Date.now());
    const code = scripted.get(shop);
    if (code !== undefined) {
      scripted.delete(shop);
      call.outcome = `scripted${code}`;
      const data = code === 302 ? '{"url":"https://oauth.taobao.com/authorize?state=x"}' : '[]';
      json(res, `{"code":${code},"msg":"scripted","data":${data}}`);
      return void answered();
    }
    if (rng.next() < proxy.failRate) {
      const fault = rng.pick(PROXY_FAULTS);
      call.outcome = fault;
      switch (fault) {
        case 'code101':
        case 'code202':
          json(res, `{"code":${fault.slice(4)},"msg":"请稍后再试","data":[]}`);
          break;
        case 'http502':
        case 'http503':
          res.writeHead(Number(fault.slice(4)), { 'content-type': 'text/html' });
          res.end('<html><body><h1>Bad Gateway</h1></body></html>');
          break;
        case 'reset':
          raw.socket.resetAndDestroy();
          break;
        case 'timeout':
          // Held until the client gives up; never forwarded, so nothing is consumed.
          await new Promise((r) => res.on('close', r));
          break;
      }
      return void answered();
    }
    const forwarded = await request(`${target}${req.path}`, {
      method: 'POST',
      headers: {
        authorization: String(req.headers.authorization ?? ''),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(req.fields).toString(),
    });
    const text = await forwarded.body.text();
    res.writeHead(forwarded.statusCode, { 'content-type': 'application/json; charset=utf-8' });
    res.end(text);
    answered();
  });
  return proxy;
}

function settingsFor(baseUrl: string, shops: string[]): MemorySettingsStore {
  const settings: Settings = {
    ...structuredClone(DEFAULT_SETTINGS),
    gatewayBaseUrl: baseUrl,
    polling: { mode: 'realtime' },
    shops: shops.map((id) => ({ id, name: id, colour: '#888888', enabled: true })),
  };
  const store = new MemorySettingsStore(settings);
  store.setSecret('token', TOKEN);
  return store;
}

async function coreOn(baseUrl: string, shops: string[], dataDir: string): Promise<Core> {
  return Core.create({
    dataDir,
    settings: settingsFor(baseUrl, shops),
    demo: false,
    budgets: new RateBudgets(),
    notifyWindowMs: 50,
    // A held call ends at this deadline; the production default is 20 s, the same code.
    timeouts: { connectMs: 2_000, headersMs: 3_000, bodyMs: 3_000 },
  });
}

async function simulator(cleanups: Cleanups, shops: string[], seed: number): Promise<Simulator> {
  const sim = await startSimulator({ tokens: [TOKEN], shops, seed, serviceTimeMs: 20, rateLimitPerSecond: 20 });
  cleanups.push(() => sim.close());
  return sim;
}

describe('faults over time, real HTTP', () => {
  const SHOPS = ['shop1', 'shop2', 'shop3', 'shop4'];
  const WINDOW_MS = pick(8_000, 60_000);

  it.concurrent(
    `${WINDOW_MS / 1000} s with 30% of calls failing: every message stored exactly once, calls bounded`,
    async () => {
      const cleanups: Cleanups = [];
      try {
        await faultyWindow(cleanups);
      } finally {
        await closeAll(cleanups);
      }
    },
    pick(60_000, 180_000),
  );

  async function faultyWindow(cleanups: Cleanups): Promise<void> {
    const seed = 4242;
    const rng = createRng(seed);
    const sim = await simulator(cleanups, SHOPS, seed);
    const proxy = await startFaultyProxy(cleanups, sim.url, seed, FAIL_RATE);
    const dataDir = await tempDir('faults');
    const generated = new Set<string>();
    const gen = (shop: string, n: number) => sim.generate(shop, n).forEach((m) => generated.add(m.id));
    for (const shop of SHOPS) gen(shop, 20);

    const core = await coreOn(proxy.url, SHOPS, dataDir);
    const errors: AppError[] = [];
    core.on('error', ({ error }) => errors.push(error));
    const seen = new Map<string, number>();
    core.on('message', (m) => seen.set(m.id, (seen.get(m.id) ?? 0) + 1));
    await core.start();
    const feeder = setInterval(() => gen(rng.pick(SHOPS), rng.int(1, 3)), 300);
    await sleep(WINDOW_MS);
    clearInterval(feeder);
    await core.stop();
    const windowCalls = proxy.calls.length;
    const faulted = proxy.calls.filter((c) => c.outcome !== 'pass').length;

    // Whatever the faults left in the queues, a clean run takes now.
    proxy.failRate = 0;
    const after = await coreOn(proxy.url, SHOPS, dataDir);
    after.on('message', (m) => seen.set(m.id, (seen.get(m.id) ?? 0) + 1));
    await after.drain();
    await after.stop();
    for (const shop of SHOPS) expect(sim.queueLength(shop)).toBe(0);

    const journal = await readJournal(dataDir);
    expect(journal.messageIds.length).toBe(new Set(journal.messageIds).size);
    expect(new Set(journal.messageIds)).toEqual(generated);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(seen.size).toBe(generated.size);

    // Typed, retryable errors only; calls within the gateway's rate.
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(['transient', 'timeout', 'network']).toContain(e.kind);
    const starts = proxy.calls.slice(0, windowCalls).map((c) => c.at);
    expect(busiestWindow(starts, SEC)).toBeLessThanOrEqual(CALLS_PER_SECOND_SEEN);
    expect(busiestWindow(starts, MIN)).toBeLessThanOrEqual(600);
    console.log(
      `faults (real HTTP) ${JSON.stringify({ windowMs: WINDOW_MS, calls: windowCalls, faulted, errors: errors.length, busiestSecond: busiestWindow(starts, SEC), messages: generated.size, stored: journal.messageIds.length, duplicates: 0 })}`,
    );
  }

  it.concurrent.each([
    [401, 'auth', 'all'],
    [204, 'quota', 'all'],
    [302, 'shop_unauthorized', 'shop'],
  ] as const)(
    'a %i stops the polling it concerns within one call',
    async (code, kind, scope) => {
      const cleanups: Cleanups = [];
      try {
        await stopsWithinOneCall(cleanups, code, kind, scope);
      } finally {
        await closeAll(cleanups);
      }
    },
    30_000,
  );

  async function stopsWithinOneCall(
    cleanups: Cleanups,
    code: number,
    kind: ErrorKind,
    scope: 'all' | 'shop',
  ): Promise<void> {
    const shops = ['shop1', 'shop2', 'shop3'];
    const sim = await simulator(cleanups, shops, code);
    const proxy = await startFaultyProxy(cleanups, sim.url, code, 0);
    for (const shop of shops) sim.generate(shop, 5);
    const core = await coreOn(proxy.url, shops, await tempDir('stop'));
    cleanups.push(() => core.stop());
    const errors: { shop?: string; error: AppError; at: number }[] = [];
    core.on('error', (e) => errors.push({ ...e, at: Date.now() }));
    await core.start();
    // Every shop has called and gone quiet (realtime idles at 1–2 s between calls).
    expect(await waitFor(() => shops.every((s) => proxy.calls.filter((c) => c.shop === s).length >= 2), 10_000)).toBe(
      true,
    );
    proxy.script('shop2', code);
    expect(await waitFor(() => errors.some((e) => e.error.kind === kind), 10_000)).toBe(true);
    const stopCall = proxy.calls.find((c) => c.outcome === `scripted${code}`)!;
    // Longer than realtime's longest idle pause (2 s): a shop still polling calls in this time.
    await sleep(2_500);

    // The core runs in this process: its own record of when each shop last started a call is
    // exact, whatever the loopback delays. Nothing the stop concerns may start after it.
    const stoppedAt = errors.find((e) => e.error.kind === kind)!.at;
    const shopsNow = core.getState().shops;
    const lastCall = Object.fromEntries(shopsNow.map((s) => [s.shop, s.lastCallAt ?? 0]));
    const states = Object.fromEntries(shopsNow.map((s) => [s.shop, s.state]));
    const later = proxy.calls.filter((c) => c.at > stopCall.answeredAt!);
    expect(later.filter((c) => c.shop === 'shop2')).toEqual([]);
    expect(lastCall.shop2).toBeLessThanOrEqual(stoppedAt);
    expect(states.shop2).toBe('stopped');
    if (scope === 'all') {
      // At most the other shops' calls already on their way when the answer came.
      expect(later.length).toBeLessThanOrEqual(shops.length - 1);
      for (const shop of shops) expect(lastCall[shop], shop).toBeLessThanOrEqual(stoppedAt);
      expect(states).toEqual({ shop1: 'stopped', shop2: 'stopped', shop3: 'stopped' });
    } else {
      for (const shop of ['shop1', 'shop3']) {
        expect(lastCall[shop], shop).toBeGreaterThan(stoppedAt);
        expect(states[shop]).not.toBe('stopped');
      }
    }
  }
});

// ---- the virtual clock: a simulated day through the real Scheduler ----

const VIRTUAL_FAULTS = ['code101', 'code202', 'http502', 'timeout', 'reset'] as const;

function virtualError(fault: (typeof VIRTUAL_FAULTS)[number]): AppError {
  switch (fault) {
    case 'code101':
      return appError(
        'transient',
        'gateway_code',
        { gatewayCode: 101, msg: '请求超时,请重试' },
        { endpoint: 'consume' },
      );
    case 'code202':
      return appError(
        'transient',
        'gateway_code',
        { gatewayCode: 202, msg: '系统错误,请稍后再试' },
        { endpoint: 'consume' },
      );
    case 'http502':
      return httpStatusError(502, '<html>502 Bad Gateway</html>', 'consume');
    case 'timeout':
      return transportError(
        Object.assign(new Error('headers timeout'), { code: 'UND_ERR_HEADERS_TIMEOUT' }),
        'consume',
      );
    case 'reset':
      return transportError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'consume');
  }
}

interface VirtualCall {
  shop: string;
  start: number;
  end?: number;
  error?: AppError;
}

/** A gateway on the virtual clock: queues fed by a traffic plan, a real gateway's latency, and a
 * share of calls failing before anything is taken off the queue. */
class FlakyGateway implements Gateway {
  readonly calls: VirtualCall[] = [];
  private readonly queues = new Map<string, string[]>();
  /** The next call of a shop at or after `at` answers `error`, once. */
  stopping?: { shop: string; at: number; error: AppError; call?: VirtualCall };

  constructor(
    private readonly clock: VirtualClock,
    private readonly rng: Rng,
    private readonly failRate: number,
  ) {}

  push(shop: string, ids: string[]): void {
    const q = this.queues.get(shop) ?? [];
    q.push(...ids);
    this.queues.set(shop, q);
  }

  left(): number {
    return [...this.queues.values()].reduce((n, q) => n + q.length, 0);
  }

  async consume(shop: string, req: ConsumeRequest): Promise<Result<ConsumeOk>> {
    const call: VirtualCall = { shop, start: this.clock.now() };
    this.calls.push(call);
    const s = this.stopping;
    const stop = s && !s.call && s.shop === shop && call.start >= s.at;
    if (stop) s.call = call;
    const fault = !stop && this.rng.next() < this.failRate ? this.rng.pick(VIRTUAL_FAULTS) : undefined;
    await this.clock.sleep(fault === 'timeout' ? 20 * SEC : this.rng.int(300, 1_500));
    call.end = this.clock.now();
    if (stop) return err((call.error = s.error));
    if (fault) return err((call.error = virtualError(fault)));
    const taken = (this.queues.get(shop) ?? []).splice(0, req.quantity ?? 100);
    return ok({ messages: taken.map((id) => ({ rowId: id, msgData: id })), malformed: [], cost: 1 });
  }

  async remark(): Promise<never> {
    throw new Error('not used');
  }
}

interface DayRun {
  gateway: FlakyGateway;
  stored: Map<string, number>;
  pushed: number;
  errors: AppError[];
}

/** `days` of traffic (a steady trickle and hourly bursts), then an hour to drain, then stop. */
async function simulatedDay(opts: {
  seed: number;
  shops: string[];
  failRate: number;
  days: number;
  polling: PollPolicy;
  stopping?: FlakyGateway['stopping'];
}): Promise<DayRun> {
  const clock = new VirtualClock();
  const rng = createRng(opts.seed);
  const gateway = new FlakyGateway(clock, createRng(opts.seed + 1), opts.failRate);
  gateway.stopping = opts.stopping && { ...opts.stopping, at: clock.now() + opts.stopping.at };
  const stored = new Map<string, number>();
  const errors: AppError[] = [];
  const scheduler = new Scheduler({
    gateway,
    clock,
    random: () => rng.next(),
    polling: opts.polling,
    onBatch: async (_shop, batch) => {
      for (const m of batch.messages) stored.set(m.rowId, (stored.get(m.rowId) ?? 0) + 1);
    },
    onError: (_shop, e) => errors.push(e),
  });
  scheduler.setShops(opts.shops);
  scheduler.start();
  let pushed = 0;
  const trafficRng = createRng(opts.seed + 2);
  const end = clock.now() + opts.days * 24 * HOUR;
  while (clock.now() < end) {
    // Each minute: a few messages per shop; at the top of each hour, a burst on one shop.
    for (const shop of opts.shops) {
      const n = trafficRng.int(0, 4) + (clock.now() % HOUR === 0 && trafficRng.chance(1 / opts.shops.length) ? 400 : 0);
      gateway.push(
        shop,
        Array.from({ length: n }, () => `${shop}-${pushed++}`),
      );
    }
    await clock.advance(MIN);
  }
  await clock.advance(HOUR);
  let stopped = false;
  const stopping = scheduler.stop().then(() => (stopped = true));
  while (!stopped) await clock.advance(SEC);
  await stopping;
  return { gateway, stored, pushed, errors };
}

describe('faults over time, a simulated day on the virtual clock', () => {
  const SHOPS = ['A', 'B', 'C'];
  const DAYS = pick(1, 7);
  const POLLING: PollPolicy = { mode: 'balanced' };

  it(
    `${DAYS} day(s) with 30% of calls failing: every message stored exactly once, calls bounded, back-off kept`,
    async () => {
      const faulty = await simulatedDay({ seed: 1, shops: SHOPS, failRate: FAIL_RATE, days: DAYS, polling: POLLING });
      const clean = await simulatedDay({ seed: 1, shops: SHOPS, failRate: 0, days: DAYS, polling: POLLING });
      const { gateway, stored, pushed, errors } = faulty;

      expect(gateway.left()).toBe(0);
      expect(stored.size).toBe(pushed);
      expect([...stored.values()].every((n) => n === 1)).toBe(true);
      expect(errors.length).toBeGreaterThan(0);

      const calls = gateway.calls;
      const failed = calls.filter((c) => c.error).length;
      expect(failed / calls.length).toBeGreaterThan(0.2);
      expect(
        busiestWindow(
          calls.map((c) => c.start),
          SEC,
        ),
      ).toBeLessThanOrEqual(10);
      expect(
        busiestWindow(
          calls.map((c) => c.start),
          MIN,
        ),
      ).toBeLessThanOrEqual(600);
      // Failures cost time, not calls: the faulty day never calls more than a clean one.
      expect(calls.length).toBeLessThanOrEqual(clean.gateway.calls.length);

      // After a failure, a shop's next call waits the back-off's floor, unless an answer of another
      // of its calls showed the gateway well again in between.
      const violations: string[] = [];
      for (const shop of SHOPS) {
        const mine = calls.filter((c) => c.shop === shop);
        mine.forEach((f, i) => {
          if (!f.error) return;
          const n = mine.findIndex((c, j) => j > i && c.start > f.end!);
          if (n === -1) return;
          const next = mine[n]!;
          // Calls started before `next` (some before `f`, on other lanes) that answered well meanwhile.
          const healed = mine
            .slice(0, n)
            .some((c) => !c.error && c.end !== undefined && c.end > f.end! && c.end <= next.start);
          const plan = planForError(f.error, 1, () => 0);
          if (!healed && plan.action === 'retry' && next.start - f.end! < plan.delayMs)
            violations.push(`${shop} failed at ${f.end}, called again ${next.start - f.end!} ms later`);
        });
      }
      expect(violations).toEqual([]);
      console.log(
        `faults (virtual) ${JSON.stringify({
          days: DAYS,
          shops: SHOPS.length,
          calls: calls.length,
          failed,
          cleanDayCalls: clean.gateway.calls.length,
          messages: pushed,
          stored: stored.size,
          duplicates: 0,
          busiestMinute: busiestWindow(
            calls.map((c) => c.start),
            MIN,
          ),
        })}`,
      );
    },
    pick(30_000, 300_000),
  );

  it.each([
    [401, 'auth', 'all'],
    [204, 'quota', 'all'],
    [302, 'shop_unauthorized', 'shop'],
  ] as const)(
    'a %i in the middle of the day stops the polling it concerns within one call',
    async (code, kind: ErrorKind, scope) => {
      const error = appError(kind, 'gateway_code', { gatewayCode: code, msg: '' }, { endpoint: 'consume' });
      const { gateway } = await simulatedDay({
        seed: code,
        shops: SHOPS,
        failRate: FAIL_RATE,
        days: 0.25,
        polling: POLLING,
        stopping: { shop: 'B', at: 2 * HOUR, error },
      });
      const stop = gateway.stopping!.call!;
      expect(stop.error?.kind).toBe(kind);
      const after = gateway.calls.filter((c) => c.start > stop.end!);
      expect(after.filter((c) => c.shop === 'B')).toEqual([]);
      if (scope === 'all') expect(after).toEqual([]);
      else expect(new Set(after.map((c) => c.shop))).toEqual(new Set(['A', 'C']));
    },
  );
});
