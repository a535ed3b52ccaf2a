import { afterEach, describe, expect, it } from 'vitest';
import { CostMeter } from '../../../../src/main/core/gateway/cost';
import { Connection, type DemoOptions } from '../../../../src/main/core/gateway/connection';
import type { HttpsProbe } from '../../../../src/main/core/gateway/httpsProbe';
import { RateBudgets } from '../../../../src/main/core/gateway/rate';
import { MemorySettingsStore, silentLogger } from '../../../../src/main/core/ports';
import { LiveSettings } from '../../../../src/main/core/settings';
import { startSimulator, type Simulator } from '../../../../src/simulator';
import { DEMO_SHOPS } from '../../../../src/shared/demo';
import { DEFAULT_SETTINGS, type Settings } from '../../../../src/shared/settings';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function sim(over: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
  const s = await startSimulator({ seed: 2, ...over });
  cleanups.push(() => s.close());
  return s;
}

/** A demo factory that starts the real simulator and remembers what it started. */
function demoFactory(): DemoOptions & { started: Simulator[] } {
  const started: Simulator[] = [];
  return {
    started,
    serviceTimeMs: 0,
    start: async (o) => {
      const s = await sim({ ...o, traffic: false });
      started.push(s);
      return s;
    },
  };
}

function setup(
  over: Partial<Settings> = {},
  demo?: false | DemoOptions,
  probeHttps?: (url: string) => Promise<HttpsProbe>,
) {
  const store = new MemorySettingsStore({ ...structuredClone(DEFAULT_SETTINGS), ...over });
  const settings = new LiveSettings(store);
  const connection = new Connection({
    probeHttps,
    settings,
    meter: new CostMeter(),
    clock: { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    logger: silentLogger,
    demo,
    budgets: new RateBudgets(),
  });
  cleanups.push(() => connection.close());
  return { store, settings, connection };
}

describe('Connection', () => {
  it('with no token, starts the demo gateway once through the factory and consumes from it', async () => {
    const demo = demoFactory();
    const { connection } = setup({}, demo);
    await connection.connect();
    await connection.connect();
    expect(connection.demo).toBe(true);
    expect(demo.started).toHaveLength(1);
    expect(connection.enabledShopIds()).toEqual([...DEMO_SHOPS]);
    expect(connection.shopsInUse()[0]!.name).toBe('演示店铺·服饰');
    const generated = demo.started[0]!.generate('demo-shop-1', 2);
    const r = await connection.consume('demo-shop-1', { quantity: 100 });
    expect(r.ok && r.value.messages.length).toBe(generated.length);
  });

  it('in demo mode polls the shops the user configured, when there are any', async () => {
    const demo = demoFactory();
    const shops = [{ id: 'mine', name: '我的店', colour: '#888888', enabled: true }];
    const { connection } = setup({ shops }, demo);
    await connection.connect();
    expect(connection.demo).toBe(true);
    expect(connection.enabledShopIds()).toEqual(['mine']);
  });

  it('a token set ends demo mode: the demo gateway closes, the real one is called with the token', async () => {
    const real = await sim({ tokens: ['tok-1'], shops: ['shop1'] });
    const demo = demoFactory();
    const shops = [{ id: 'shop1', name: 'shop1', colour: '#888888', enabled: true }];
    const { connection, settings } = setup({ shops, gatewayBaseUrl: real.url }, demo);
    await connection.connect();
    expect(connection.demo).toBe(true);
    settings.setSecret('token', 'tok-1');
    await connection.connect();
    expect(connection.demo).toBe(false);
    const closed = await fetch(demo.started[0]!.url).then(
      () => false,
      () => true,
    );
    expect(closed).toBe(true);
    real.generate('shop1', 1);
    const r = await connection.consume('shop1', {});
    expect(r.ok).toBe(true);
    expect(real.calls.filter((c) => c.endpoint === 'consume')).toHaveLength(1);
  });

  it('without a factory (or with demo off), no token means no demo and only the user shops', async () => {
    for (const demo of [undefined, false as const]) {
      const { connection } = setup({}, demo);
      await connection.connect();
      expect(connection.demo).toBe(false);
      expect(connection.enabledShopIds()).toEqual([]);
    }
  });

  it('names the TOP router in use: the demo one, the user one once every credential is set, else none', async () => {
    const demo = demoFactory();
    const { connection } = setup({}, demo);
    await connection.connect();
    expect(connection.top()?.baseUrl).toBe(`${demo.started[0]!.url}/router/rest`);

    const user = setup({ topAppKey: 'key1', topBaseUrl: 'https://eco.taobao.com/router/rest' }, false);
    await user.connection.connect();
    expect(user.connection.top()).toBeUndefined();
    user.settings.setSecret('topSecret', 'sec');
    expect(user.connection.top()).toBeUndefined();
    user.settings.setSecret('topSession', 'sess');
    const target = user.connection.top()!;
    expect([target.baseUrl, target.appKey, target.secret(), target.session()]).toEqual([
      'https://eco.taobao.com/router/rest',
      'key1',
      'sec',
      'sess',
    ]);
  });
});

describe('Connection.movedBy', () => {
  it('a new gateway address or HTTPS preference moves the real gateway; other settings, or demo mode, do not', async () => {
    const { connection, settings } = setup({}, false);
    const before = settings.current;
    expect(connection.movedBy(before, { ...before, gatewayBaseUrl: 'http://127.0.0.1:9' })).toBe(true);
    expect(connection.movedBy(before, { ...before, preferHttps: !before.preferHttps })).toBe(true);
    expect(connection.movedBy(before, { ...before, language: 'en' })).toBe(false);

    const demo = setup({}, demoFactory());
    await demo.connection.connect();
    expect(demo.connection.movedBy(before, { ...before, gatewayBaseUrl: 'http://127.0.0.1:9' })).toBe(false);
  });
});

describe('Connection over HTTPS when the host offers it', () => {
  /** A probe that answers as told and remembers what it was asked. */
  function probe(ok: boolean) {
    const asked: string[] = [];
    const fn = async (url: string): Promise<HttpsProbe> => {
      asked.push(url);
      return ok ? { ok, url } : { ok, url, reason: 'ECONNREFUSED' };
    };
    return Object.assign(fn, { asked });
  }

  it('uses https:// for the documented http:// address once the same host answers, checking once', async () => {
    const p = probe(true);
    const { connection, settings } = setup({}, false, p);
    settings.setSecret('token', 'tok-1');
    expect(connection.gatewayUrl).toBe('http://api.vv-tool.com');
    await connection.connect();
    await connection.connect();
    expect(connection.gatewayUrl).toBe('https://api.vv-tool.com');
    expect(p.asked).toEqual(['https://api.vv-tool.com']);
  });

  it('stays on http when the host does not answer over HTTPS, or the user keeps http', async () => {
    const no = probe(false);
    const a = setup({}, false, no);
    a.settings.setSecret('token', 'tok-1');
    await a.connection.connect();
    expect(a.connection.gatewayUrl).toBe('http://api.vv-tool.com');

    const never = probe(true);
    const b = setup({ preferHttps: false }, false, never);
    b.settings.setSecret('token', 'tok-1');
    await b.connection.connect();
    expect([b.connection.gatewayUrl, never.asked]).toEqual(['http://api.vv-tool.com', []]);
  });

  it('checks nothing without a token, nor for an address with a port (a local or test gateway)', async () => {
    const p = probe(true);
    const a = setup({}, false, p);
    await a.connection.connect();
    const b = setup({ gatewayBaseUrl: 'http://gw.example:8080' }, false, p);
    b.settings.setSecret('token', 'tok-1');
    await b.connection.connect();
    expect([a.connection.gatewayUrl, b.connection.gatewayUrl, p.asked]).toEqual([
      'http://api.vv-tool.com',
      'http://gw.example:8080',
      [],
    ]);
  });
});
