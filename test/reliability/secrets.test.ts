/**
 * The access token (and the TOP secret and session key) never appear where a user, a log file or
 * a support request could carry them: the core's log lines, its events and answers (what IPC
 * hands the renderer), the settings it reads back, every file under its data folder, and the
 * CLI's stdout and stderr. Each path is driven with distinctive secrets, including gateways that
 * echo the request back in their error text.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../src/main/core/core';
import { RateBudgets } from '../../src/main/core/gateway/rate';
import { MemorySettingsStore } from '../../src/main/core/ports';
import type { CoreEvents } from '../../src/main/core/service';
import { DEMO_TOP_APP_KEY, startSimulator, type Simulator } from '../../src/simulator';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';
import { json, startServer, type TestServer } from '../main/core/gateway/testServer';
import { capturingLogger, spawnCli, tempDir, waitFor, type CapturingLogger } from './helpers';

const TOKEN = 'TBSECRET-token-7f3a9c1e5b';
const TOP_SECRET = 'TBSECRET-topsecret-5d2b8a';
const TOP_SESSION = 'TBSECRET-session-8e4f6c';
const SECRETS = [TOKEN, TOP_SECRET, TOP_SESSION];
const SHOP = 'shop1';
const TID = '1588826713157361977';
const EVENTS: (keyof CoreEvents)[] = ['state', 'orders', 'notify', 'message', 'undecoded', 'error'];

function leaked(where: string, text: string): string[] {
  return SECRETS.filter((s) => text.includes(s)).map((s) => `${where} holds ${s}`);
}

async function filesUnder(dir: string): Promise<{ path: string; text: string }[]> {
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = names.filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
  return Promise.all(files.map(async (path) => ({ path, text: await readFile(path, 'latin1') })));
}

/** Every place a secret could surface from a core: its log, its events, what its calls return. */
interface Surfaces {
  logger: CapturingLogger;
  seen: string[];
  core: Core;
  dataDir: string;
}

async function coreWith(over: Partial<Settings>, opts: { withSecrets?: boolean } = {}): Promise<Surfaces> {
  const dataDir = await tempDir('secrets');
  const settings: Settings = {
    ...structuredClone(DEFAULT_SETTINGS),
    polling: { mode: 'realtime' },
    shops: [{ id: SHOP, name: SHOP, colour: '#888888', enabled: true }],
    ...over,
  };
  const store = new MemorySettingsStore(settings);
  store.setSecret('token', TOKEN);
  if (opts.withSecrets !== false) {
    store.setSecret('topSecret', TOP_SECRET);
    store.setSecret('topSession', TOP_SESSION);
  }
  const logger = capturingLogger();
  const core = await Core.create({
    dataDir,
    settings: store,
    logger,
    demo: false,
    budgets: new RateBudgets(),
    notifyWindowMs: 10,
    timeouts: { connectMs: 1_000, headersMs: 1_000, bodyMs: 1_000 },
  });
  const seen: string[] = [];
  for (const e of EVENTS) core.on(e, (payload) => seen.push(`${e} ${JSON.stringify(payload)}`));
  return { logger, seen, core, dataDir };
}

/** Stops the core, then looks everywhere. */
async function leaksOf(s: Surfaces, answers: unknown[]): Promise<string[]> {
  answers.push(s.core.getSettings(), s.core.getState(), s.core.listOrders({}));
  await s.core.stop();
  const found = [
    ...s.logger.lines.flatMap((l) => leaked('log line', l)),
    ...s.seen.flatMap((l) => leaked('event', l)),
    ...answers.flatMap((a) => leaked('answer', JSON.stringify(a))),
  ];
  for (const f of await filesUnder(s.dataDir)) found.push(...leaked(`file ${f.path}`, f.text));
  return found;
}

/** A gateway or router that quotes the request back in its error, as debugging proxies do. */
async function echoingServer(): Promise<TestServer> {
  const server = await startServer();
  server.handle((req, res) => {
    const quoted = `${req.headers.authorization ?? ''} ${JSON.stringify(req.fields)}`;
    if (req.path.startsWith('/router/rest')) {
      return json(
        res,
        JSON.stringify({
          error_response: {
            code: 27,
            msg: 'Invalid session',
            sub_code: 'isv.invalid-session',
            sub_msg: `session 无效: ${quoted}`,
          },
        }),
      );
    }
    if (req.fields.shop_id === 'html') {
      res.writeHead(502, { 'content-type': 'text/html' });
      return void res.end(`<html><body><h1>502</h1><pre>${quoted}</pre></body></html>`);
    }
    return json(res, JSON.stringify({ code: 401, msg: `token invalid: ${quoted}`, data: [] }));
  });
  return server;
}

async function simulator(tokens: string[]): Promise<Simulator> {
  return startSimulator({ tokens, shops: [SHOP], seed: 5, echoDelayMs: 10, topSecret: TOP_SECRET });
}

function closed(): string {
  // Port 9 (discard) on loopback: nothing listens there on a test machine.
  return 'http://127.0.0.1:9';
}

describe('secrets never leave through the core', () => {
  it('a gateway 401 (token refused)', async () => {
    const sim = await simulator(['another-token']);
    try {
      const s = await coreWith({ gatewayBaseUrl: sim.url });
      await s.core.drain();
      const r = await s.core.remark({ shop: SHOP, tid: TID, memo: '加急', flag: 1 });
      expect(r.ok).toBe(false);
      expect(s.seen.some((l) => l.startsWith('error') && l.includes('"auth"'))).toBe(true);
      expect(await leaksOf(s, [r])).toEqual([]);
    } finally {
      await sim.close();
    }
  });

  it('a gateway that quotes the request (token included) in its 401 message', async () => {
    const server = await echoingServer();
    try {
      const s = await coreWith({ gatewayBaseUrl: server.url });
      await s.core.drain();
      const r = await s.core.remark({ shop: SHOP, tid: TID, memo: '加急', flag: 1 });
      expect(r.ok).toBe(false);
      expect(await leaksOf(s, [r])).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('a proxy error page that quotes the request headers', async () => {
    const server = await echoingServer();
    try {
      const s = await coreWith({
        gatewayBaseUrl: server.url,
        shops: [{ id: 'html', name: 'html', colour: '#888888', enabled: true }],
      });
      await s.core.start();
      expect(await waitFor(() => s.seen.some((l) => l.startsWith('error') && l.includes('"transient"')), 5_000)).toBe(
        true,
      );
      expect(await leaksOf(s, [])).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('a network error (connection refused)', async () => {
    const s = await coreWith({ gatewayBaseUrl: closed() });
    // Polling, not a drain: the retry waits 5 s and more, the first error is what counts here.
    await s.core.start();
    expect(await waitFor(() => s.seen.some((l) => l.startsWith('error') && l.includes('"network"')), 5_000)).toBe(true);
    const r = await s.core.remark({ shop: SHOP, tid: TID, memo: '加急', flag: 1 });
    expect(await leaksOf(s, [r])).toEqual([]);
  });

  it('messages, a remark, its echo and the saved cost, on a gateway that accepts the token', async () => {
    const sim = await simulator([TOKEN]);
    try {
      sim.generate(SHOP, 10);
      const s = await coreWith({ gatewayBaseUrl: sim.url });
      await s.core.drain();
      const r = await s.core.remark({ shop: SHOP, tid: TID, memo: `备注 ${'x'.repeat(20)}`, flag: 2 });
      expect(r.ok).toBe(true);
      await new Promise((res) => setTimeout(res, 50));
      await s.core.drain();
      expect(s.seen.filter((l) => l.startsWith('message')).length).toBeGreaterThan(10);
      expect(await leaksOf(s, [r])).toEqual([]);
    } finally {
      await sim.close();
    }
  });

  it('settings reads and writes, secrets set and cleared', async () => {
    const s = await coreWith({ gatewayBaseUrl: closed() }, { withSecrets: false });
    const answers: unknown[] = [s.core.getSettings()];
    answers.push(await s.core.setSecret('topSecret', TOP_SECRET));
    answers.push(await s.core.setSecret('topSession', TOP_SESSION));
    answers.push(await s.core.setSecret('token', `${TOKEN} with a space`));
    answers.push(await s.core.updateSettings({ language: 'en' }));
    answers.push(s.core.getSettings());
    expect(s.core.getSettings()).toMatchObject({ tokenSet: true, topSecretSet: true, topSessionSet: true });
    expect(await leaksOf(s, answers)).toEqual([]);
  });

  it('TOP subscriptions: accepted, refused for a wrong secret, and from a router that quotes the request', async () => {
    const sim = await simulator([TOKEN]);
    const echo = await echoingServer();
    try {
      const answers: unknown[] = [];
      const good = await coreWith({
        gatewayBaseUrl: sim.url,
        topBaseUrl: `${sim.url}/router/rest`,
        topAppKey: DEMO_TOP_APP_KEY,
      });
      const accepted = await good.core.getSubscriptions();
      expect(accepted.ok).toBe(true);
      answers.push(accepted, await good.core.changeSubscriptions({ open: { trade: ['TradeClose'] }, stop: {} }));
      const goodLeaks = await leaksOf(good, answers);

      const wrong = await coreWith(
        { gatewayBaseUrl: sim.url, topBaseUrl: `${sim.url}/router/rest`, topAppKey: DEMO_TOP_APP_KEY },
        { withSecrets: false },
      );
      await wrong.core.setSecret('topSecret', `${TOP_SECRET}-wrong`);
      await wrong.core.setSecret('topSession', TOP_SESSION);
      const refused = await wrong.core.getSubscriptions();
      expect(refused.ok).toBe(false);
      const wrongLeaks = await leaksOf(wrong, [refused]);

      const quoting = await coreWith({
        gatewayBaseUrl: sim.url,
        topBaseUrl: `${echo.url}/router/rest`,
        topAppKey: DEMO_TOP_APP_KEY,
      });
      const quoted = await quoting.core.getSubscriptions();
      expect(quoted.ok).toBe(false);
      const quotingLeaks = await leaksOf(quoting, [quoted]);

      expect({ goodLeaks, wrongLeaks, quotingLeaks }).toEqual({ goodLeaks: [], wrongLeaks: [], quotingLeaks: [] });
    } finally {
      await echo.close();
      await sim.close();
    }
  });
});

describe('secrets never leave through the CLI', () => {
  async function cli(
    args: string[],
    env: Record<string, string>,
  ): Promise<{ out: string; dataDir: string; code: number | null }> {
    const dataDir = await tempDir('secrets-cli');
    const run = spawnCli([...args, '--data', dataDir], env);
    const { code } = await run.exited;
    return { out: `${run.stdout()}\n${run.stderr()}`, dataDir, code };
  }

  async function cliLeaks(runs: { out: string; dataDir: string }[]): Promise<string[]> {
    const found: string[] = [];
    for (const r of runs) {
      found.push(...leaked('CLI output', r.out));
      for (const f of await filesUnder(r.dataDir)) found.push(...leaked(`file ${f.path}`, f.text));
    }
    return found;
  }

  it('watch and remark through a 401, a refused connection and a messages run, token from the environment and from --token', async () => {
    const refusing = await simulator(['another-token']);
    const accepting = await simulator([TOKEN]);
    accepting.generate(SHOP, 5);
    try {
      const env = { TRADEBELL_TOKEN: TOKEN };
      const runs = await Promise.all([
        cli(['watch', '--base-url', refusing.url, '--shop', SHOP, '--once'], env),
        // A refused connection is retried after 5 s or more: one second of watching shows the error.
        cli(['watch', '--base-url', closed(), '--shop', SHOP, '--duration', '1'], env),
        cli(['watch', '--base-url', accepting.url, '--shop', SHOP, '--once', '--token', TOKEN], {}),
        cli(['remark', '--base-url', refusing.url, '--shop', SHOP, '--tid', TID, '--memo', '加急', '--flag', '1'], env),
        cli(
          [
            'remark',
            '--base-url',
            accepting.url,
            '--shop',
            SHOP,
            '--tid',
            TID,
            '--memo',
            '加急',
            '--flag',
            '1',
            '--token',
            TOKEN,
          ],
          {},
        ),
      ]);
      expect(runs.map((r) => r.code)).toEqual([1, 0, 0, 1, 0]);
      expect(runs[1]!.out).toContain('"kind":"network"');
      expect(runs[2]!.out).toContain('"type":"message"');
      expect(await cliLeaks(runs)).toEqual([]);
    } finally {
      await refusing.close();
      await accepting.close();
    }
  }, 30_000);

  it('watch and remark against a gateway that quotes the request in its errors', async () => {
    const server = await echoingServer();
    try {
      const env = { TRADEBELL_TOKEN: TOKEN };
      const runs = await Promise.all([
        cli(['watch', '--base-url', server.url, '--shop', SHOP, '--once'], env),
        cli(['remark', '--base-url', server.url, '--shop', SHOP, '--tid', TID, '--memo', '加急', '--flag', '1'], env),
      ]);
      expect(runs.map((r) => r.code)).toEqual([1, 1]);
      expect(await cliLeaks(runs)).toEqual([]);
    } finally {
      await server.close();
    }
  }, 30_000);
});
