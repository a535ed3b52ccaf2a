/**
 * A real redis-server for the team-mode tests: started on a free loopback port (Redis has no port
 * 0, so a free one is found first), with no snapshots of its own and a fresh temp folder; stopped in
 * teardown. It can be stopped and started again on the same port and folder, with or without its
 * data (SHUTDOWN SAVE writes dump.rdb there, which the next start loads, as a managed Redis keeps
 * its data across a restart).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REDIS_BIN = 'redis-server';

/** Whether redis-server can run here; the tests that need it say why they were skipped otherwise. */
export function redisAvailable(): boolean {
  return spawnSync(REDIS_BIN, ['--version'], { stdio: 'ignore' }).status === 0;
}

export const SKIP_REASON = 'redis-server is not installed (apt-get install redis-server; .ci/run installs it)';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.end();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

/** One command over a raw socket (inline protocol), after AUTH when the server has a password:
 * enough for PING, SHUTDOWN and CONFIG. Resolves with the command's reply line. */
function rawCommand(port: number, command: string, password?: string): Promise<string> {
  const lines = password === undefined ? [command] : [`AUTH ${password}`, command];
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    let out = '';
    const last = () => out.split('\r\n').at(-2) ?? out;
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      out += d;
      if (out.split('\r\n').length > lines.length) sock.end();
    });
    sock.on('close', () => resolve(last()));
    sock.on('error', () => resolve(last()));
    sock.on('connect', () => sock.write(lines.map((l) => `${l}\r\n`).join('')));
  });
}

export class RedisServer {
  private child?: ChildProcess;
  private constructor(
    readonly port: number,
    readonly dir: string,
    /** The server's requirepass, when started with one (not in the URL: the app takes it apart). */
    readonly password?: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(extraArgs: string[] = [], opts: { password?: string } = {}): Promise<RedisServer> {
    const dir = await mkdtemp(join(tmpdir(), 'tradebell-redis-'));
    for (let attempt = 0; ; attempt++) {
      const server = new RedisServer(await freePort(), dir, opts.password);
      try {
        await server.boot(extraArgs);
        return server;
      } catch (e) {
        // Another process took the port between the probe and the start: try another.
        if (attempt >= 4) throw e;
      }
    }
  }

  private args: string[] = [];

  private async boot(extraArgs: string[]): Promise<void> {
    this.args = extraArgs;
    const child = spawn(
      REDIS_BIN,
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--dir', this.dir],
        ...(this.password === undefined ? [] : ['--requirepass', this.password]),
        ...extraArgs,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`redis-server exited: ${log}`);
      if ((await canConnect(this.port)) && (await rawCommand(this.port, 'PING', this.password)).startsWith('+PONG'))
        return;
      await Promise.race([exited, new Promise((r) => setTimeout(r, 50))]);
    }
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start: ${log}`);
  }

  /** Stops the server; `save` writes its data first so the next start() finds it. */
  async stop(opts: { save?: boolean } = {}): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await rawCommand(this.port, opts.save ? 'SHUTDOWN SAVE' : 'SHUTDOWN NOSAVE', this.password);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    this.child = undefined;
  }

  /** Starts again on the same port and folder (loading dump.rdb if a stop saved one). */
  async restart(): Promise<void> {
    await this.stop();
    await this.boot(this.args);
  }

  async startAgain(): Promise<void> {
    await this.boot(this.args);
  }

  async close(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
