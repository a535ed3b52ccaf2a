/**
 * Builds the app as `npm run build` does, lays it out as the packaged app is laid out
 * (package.json, out/, resources/, node_modules/ side by side), and boots `out/main/index.js`
 * under Node with the Electron double (test/boot/double). Also serves the renderer the way
 * `npm start` does (electron-vite's dev server, from the project's own electron.vite.config.ts).
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveConfig } from 'electron-vite';
import { createServer, type ViteDevServer } from 'vite';
import type { DoubleRecord } from './double/electron';

const ROOT = resolve(import.meta.dirname, '../..');
const REGISTER = join(ROOT, 'test/boot/double/register.mjs');

let built: string | undefined;

/** `electron-vite build` into a fresh app folder, once per test file. */
export function buildApp(): string {
  if (built) return built;
  const dir = mkdtempSync(join(tmpdir(), 'tradebell-boot-app-'));
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', join(dir, 'out')],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stdout}\n${r.stderr}`);
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  symlinkSync(join(ROOT, 'resources'), join(dir, 'resources'), 'dir');
  built = dir;
  return dir;
}

/** The renderer dev server `npm start` runs, on a free loopback port. */
export async function startDevServer(): Promise<{ url: string; close(): Promise<void> }> {
  const config = await resolveConfig({ root: ROOT, logLevel: 'warn' }, 'serve', 'development');
  const renderer = config.config?.renderer;
  if (!renderer) throw new Error('electron.vite.config.ts has no renderer config');
  const server: ViteDevServer = await createServer({
    ...renderer,
    configFile: false,
    logLevel: 'warn',
    server: { ...renderer.server, host: '127.0.0.1', port: 0, strictPort: false },
  });
  await server.listen();
  const port = (server.httpServer!.address() as AddressInfo).port;
  return { url: `http://localhost:${port}`, close: () => server.close() };
}

export interface BootOptions {
  userData: string;
  chromium: string;
  packaged: boolean;
  /** ELECTRON_RENDERER_URL, as `npm start` sets it. */
  rendererUrl?: string;
  /** process.resourcesPath (app-update.yml lives there when packaged). */
  resources?: string;
  env?: Record<string, string>;
}

export interface BootedApp {
  child: ChildProcess;
  records: DoubleRecord[];
  output(): string;
  call<T = unknown>(command: Record<string, unknown>): Promise<T>;
  /** Resolves with the first record that matches, waiting for it if needed. */
  waitFor(match: (r: DoubleRecord) => boolean, what: string, timeoutMs?: number): Promise<DoubleRecord>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
}

export function bootApp(dir: string, opts: BootOptions): BootedApp {
  const env: Record<string, string | undefined> = {
    ...process.env,
    ELECTRON_RENDERER_URL: opts.rendererUrl,
    TRADEBELL_DOUBLE_USER_DATA: opts.userData,
    TRADEBELL_DOUBLE_CHROMIUM: opts.chromium,
    TRADEBELL_DOUBLE_PACKAGED: opts.packaged ? '1' : '',
    TRADEBELL_DOUBLE_RESOURCES: opts.resources,
    ...opts.env,
  };
  // vitest's own variables must not leak into the app.
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'NODE_OPTIONS') delete env[key];
  if (!opts.rendererUrl) delete env.ELECTRON_RENDERER_URL;
  const child = fork(join(dir, 'out/main/index.js'), [], {
    cwd: dir,
    execArgv: ['--import', REGISTER],
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const records: DoubleRecord[] = [];
  const waiting = new Set<() => void>();
  const replies = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  child.on(
    'message',
    (m: { type: string; record?: DoubleRecord; requestId?: number; result?: unknown; error?: string }) => {
      if (m.type === 'record' && m.record) {
        records.push(m.record);
        for (const w of [...waiting]) w();
      } else if (m.type === 'reply' && m.requestId !== undefined) {
        const r = replies.get(m.requestId);
        replies.delete(m.requestId);
        if (m.error !== undefined) r?.reject(new Error(m.error));
        else r?.resolve(m.result);
      }
    },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('exit', (code, signal) => {
      for (const [, reply] of replies) reply.reject(new Error(`app exited (${code ?? signal})\n${output}`));
      for (const w of [...waiting]) w();
      r({ code, signal });
    }),
  );
  return {
    child,
    records,
    output: () => output,
    call: <T>(command: Record<string, unknown>) =>
      new Promise<T>((resolve, reject) => {
        if (child.exitCode !== null || !child.connected) return reject(new Error(`app not running\n${output}`));
        const id = nextId++;
        replies.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ requestId: id, command });
      }),
    waitFor(match, what, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = records.find(match);
          if (found) {
            done();
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`app exited before ${what}\n${output}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(
              `timed out waiting for ${what}\nlast records: ${records
                .slice(-30)
                .map((r) => r.kind)
                .join(', ')}\n${output}`,
            ),
          );
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiting.delete(check);
        };
        waiting.add(check);
        check();
      });
    },
    exited,
    kill: () => void child.kill('SIGKILL'),
  };
}

export function freshDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(dir, { recursive: true });
  return dir;
}
