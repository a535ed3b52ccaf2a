/**
 * Runs the built renderer in real Chromium against the real core and the local gateway. The
 * preload is replaced by a loopback bridge (Playwright bindings) that reaches the real IPC
 * handlers (registerIpc + coreHandlers) with their sender and payload checks, so everything but
 * Electron itself is the production code path.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { Core } from '../../src/main/core/core';
import { RateBudgets } from '../../src/main/core/gateway/rate';
import { MemorySettingsStore, silentLogger } from '../../src/main/core/ports';
import { DEMO_TOP_APP_KEY, DEMO_TOP_SECRET, startSimulator, type Simulator } from '../../src/simulator';
import {
  coreHandlers,
  isTrustedSender,
  registerIpc,
  type IpcMainLike,
  type InvokeEvent,
} from '../../src/main/electron/ipc';
import { CONTENT_SECURITY_POLICY } from '../../src/main/electron/window';
import { EVENTS } from '../../src/shared/ipc';
import { serveOffThread } from './staticServer';
import { encodeAnswer } from './transport';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';

const ROOT = resolve(import.meta.dirname, '../..');

export const CHROMIUM_PATHS = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function findChromium(): string | undefined {
  const env = process.env.CHROMIUM_PATH;
  if (env && existsSync(env)) return env;
  return CHROMIUM_PATHS.find((p) => existsSync(p));
}

let built: Promise<{ dir: string; bridge: string }> | undefined;

/**
 * Runs a build as `npm run build` does, with NODE_ENV production: Vite and the React plugin take it
 * from the environment, which vitest sets to 'test' (React's development build, StrictMode's double
 * effects). The bench runs outside vitest, where it is unset.
 */
async function asShipped<T>(run: () => Promise<T>): Promise<T> {
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    return await run();
  } finally {
    if (env === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = env;
  }
}

/** Builds the renderer (as electron-vite would) and the bridge, once per test process. */
export function buildOnce(): Promise<{ dir: string; bridge: string }> {
  built ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tradebell-renderer-'));
    await asShipped(() =>
      build({
        configFile: false,
        root: join(ROOT, 'src/renderer'),
        base: './',
        plugins: [react()],
        logLevel: 'warn',
        build: { outDir: join(dir, 'app'), emptyOutDir: true },
      }),
    );
    await build({
      configFile: false,
      logLevel: 'warn',
      build: {
        outDir: join(dir, 'bridge'),
        emptyOutDir: true,
        minify: false,
        lib: {
          entry: join(ROOT, 'test/e2e/bridgeEntry.ts'),
          formats: ['iife'],
          name: 'TradebellBridge',
          fileName: () => 'bridge.js',
        },
      },
    });
    return { dir: join(dir, 'app'), bridge: await readFile(join(dir, 'bridge', 'bridge.js'), 'utf8') };
  })();
  return built;
}

export interface HarnessOptions {
  settings?: Partial<Settings>;
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** Called with the simulator before the core starts (queue traffic, faults). */
  beforeStart?: (sim: Simulator, core: Core) => Promise<void> | void;
  shops?: string[];
  /** A data folder prepared beforehand (e.g. an inbox with 10,000 orders). */
  dataDir?: string;
  /** Scripts to run in the page before the app (measurements). */
  initScripts?: string[];
}

export interface Harness {
  page: Page;
  core: Core;
  sim: Simulator;
  url: string;
  /** Console errors and page errors seen (CSP violations show up here). */
  problems: string[];
  /** The channels the page invoked, in order. */
  calls: string[];
  /** Opened-externally and copied values, as main would receive them. */
  opened: string[];
  copied: string[];
  close(): Promise<void>;
}

let browser: Promise<Browser> | undefined;

export function launchBrowser(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no chromium found');
  browser ??= chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  const b = browser;
  browser = undefined;
  if (b) await (await b).close();
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const { dir, bridge } = await buildOnce();
  // As the app's tradebell:// scheme lets it, Chromium keeps the scripts' compiled code (staticServer.ts).
  const { server, url } = await serveOffThread(dir, CONTENT_SECURITY_POLICY, 'code');
  const shops = opts.shops ?? ['shop1', 'shop2'];
  const sim = await startSimulator({ tokens: ['e2e-token'], shops, seed: 5, echoDelayMs: 50 });
  const settings = new MemorySettingsStore({
    ...structuredClone(DEFAULT_SETTINGS),
    gatewayBaseUrl: sim.url,
    topBaseUrl: `${sim.url}/router/rest`,
    topAppKey: DEMO_TOP_APP_KEY,
    polling: { mode: 'realtime' },
    shops: shops.map((id, i) => ({
      id,
      name: i === 0 ? '悦木家居旗舰店' : '小鹿数码专营店',
      colour: i === 0 ? '#ff7a45' : '#597ef7',
      enabled: true,
    })),
    ...opts.settings,
  });
  settings.setSecret('token', 'e2e-token');
  settings.setSecret('topSecret', DEMO_TOP_SECRET);
  settings.setSecret('topSession', 'e2e-session');
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'tradebell-e2e-')));
  const core = await Core.create({ dataDir, settings, demo: false, notifyWindowMs: 50, budgets: new RateBudgets() });
  await opts.beforeStart?.(sim, core);

  const opened: string[] = [];
  const copied: string[] = [];
  const handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>();
  const ipcMain: IpcMainLike = {
    handle: (c, l) => void handlers.set(c, l),
    removeHandler: (c) => void handlers.delete(c),
  };
  const source = { kind: 'dev' as const, url, origin: new URL(url).origin };
  registerIpc(
    ipcMain,
    coreHandlers(core, {
      openExternal: async (u) => {
        opened.push(u);
        return { ok: true, value: undefined };
      },
      copyText: (t) => void copied.push(t),
      settingsChanged: () => {},
    }),
    (event) => isTrustedSender(event, source, () => true),
    silentLogger,
  );

  const b = await launchBrowser();
  const context = await b.newContext({
    viewport: opts.viewport ?? { width: 420, height: 640 },
    colorScheme: opts.colorScheme ?? 'light',
    locale: 'zh-CN',
    timezoneId: 'America/New_York',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const calls: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.exposeBinding('__tbInvoke', async (bindingSource, channel: string, args: unknown[]) => {
    calls.push(channel);
    const handler = handlers.get(channel);
    if (!handler)
      return {
        ok: false,
        error: { kind: 'ipc', code: 'ipc_bad_payload', params: { fields: [channel] }, retryable: false },
      };
    const event: InvokeEvent = {
      sender: {},
      senderFrame: { url: bindingSource.frame.url(), parent: bindingSource.frame.parentFrame() },
    };
    return encodeAnswer(await handler(event, ...args));
  });
  await page.addInitScript({ content: bridge });
  for (const content of opts.initScripts ?? []) await page.addInitScript({ content });

  const forward = (channel: string) => (payload: unknown) => {
    page
      .evaluate(
        ([c, p]) => (globalThis as unknown as { __tbEmit(c: string, p: unknown): void }).__tbEmit(c as string, p),
        [channel, payload] as const,
      )
      .catch(() => undefined);
  };
  const offs = [core.on('state', forward(EVENTS.state)), core.on('orders', forward(EVENTS.ordersChanged))];

  await core.start();
  await page.goto(url);

  return {
    page,
    core,
    sim,
    url,
    problems,
    calls,
    opened,
    copied,
    async close() {
      for (const off of offs) off();
      await context.close();
      await core.stop();
      await sim.close();
      await new Promise<void>((r) => server.close(r));
    },
  };
}
