/**
 * The seat's two connections to the team server (node-redis): one for commands (lease, publish,
 * counters) and one dedicated to XREAD BLOCK, which holds its connection while it waits.
 *
 * Commands never wait for a connection: the offline queue is off, so while the server is away a
 * command fails at once (and one without an answer fails after a timeout) instead of sitting in a
 * queue and running late. A lease check that runs late is exactly what must never happen. The
 * client reconnects by itself, with a short capped back-off; this class reports the state.
 */
import { createClient, ErrorReply } from '@redis/client';
import { boundText } from '../bounded';
import type { Logger } from '../ports';
import { redactTeamUrl } from './url';

export type ServerState = 'connecting' | 'connected' | 'unreachable';

export interface TeamConnectionOptions {
  /** redis:// or rediss:// without the password. */
  url: string;
  password?: string | null;
  commandTimeoutMs: number;
  logger: Logger;
  /** The server became reachable or unreachable (not called for repeats). */
  onState: (state: ServerState) => void;
}

/** The server could not be asked (not connected, no answer in time, connection lost). */
export class TeamUnreachable extends Error {}

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 2_000;
const CONNECT_TIMEOUT_MS = 5_000;

function makeClient(opts: TeamConnectionOptions, name: string) {
  return createClient({
    url: opts.url,
    ...(opts.password ? { password: opts.password } : {}),
    // RESP2 and no client-info handshake: managed Redis 5/6 and cloud proxies refuse HELLO 3.
    RESP: 2,
    maintNotifications: 'disabled',
    disableClientInfo: true,
    disableOfflineQueue: true,
    name,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      reconnectStrategy: (retries: number) =>
        Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** Math.min(retries, 4)) + Math.floor(Math.random() * 100),
    },
  });
}

export type RedisConnection = ReturnType<typeof makeClient>;

export class TeamConnection {
  readonly commands: RedisConnection;
  readonly blocking: RedisConnection;
  private current: ServerState = 'connecting';
  private closed = false;
  /** The last connection error, for the window (no password in it: node-redis never prints it). */
  lastError?: string;
  private readyWaiters: (() => void)[] = [];

  constructor(private readonly opts: TeamConnectionOptions) {
    this.commands = makeClient(opts, 'tradebell');
    this.blocking = makeClient(opts, 'tradebell-reader');
    for (const c of [this.commands, this.blocking]) {
      c.on('error', (e: unknown) => this.failed(e));
      c.on('ready', () => this.update());
      c.on('reconnecting', () => this.update());
      c.on('end', () => this.update());
    }
  }

  /** Starts connecting (and reconnecting, for as long as it is open); never throws. */
  open(): void {
    for (const c of [this.commands, this.blocking]) c.connect().catch(() => undefined);
  }

  get state(): ServerState {
    return this.current;
  }

  get ready(): boolean {
    return this.commands.isReady && this.blocking.isReady;
  }

  /** Resolves once both connections are ready (or at once if they are), or when closed. */
  whenReady(signal?: AbortSignal): Promise<void> {
    if (this.ready || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => resolve();
      this.readyWaiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * Runs one command (or script) on the command connection, with the timeout. Errors from the
   * server itself (ErrorReply: a refused script, out of memory...) pass through as they are; any
   * other failure is TeamUnreachable.
   */
  async run<T>(command: (c: RedisConnection) => Promise<T>): Promise<T> {
    if (this.closed || !this.commands.isReady) throw new TeamUnreachable('team server not connected');
    try {
      return await command(this.commands.withCommandOptions({ timeout: this.opts.commandTimeoutMs }));
    } catch (e) {
      if (e instanceof ErrorReply) throw e;
      throw new TeamUnreachable(boundText(e instanceof Error ? e.message : String(e)));
    }
  }

  private failed(e: unknown): void {
    // Text from outside (whatever answers at that address): bounded before it is kept or logged.
    const text = boundText(e instanceof Error ? e.message : String(e));
    if (text !== this.lastError)
      this.opts.logger.warn('team server connection error', { server: redactTeamUrl(this.opts.url), error: text });
    this.lastError = text;
    this.update();
  }

  private update(): void {
    if (this.closed) return;
    const next: ServerState = this.ready
      ? 'connected'
      : this.current === 'connecting' && this.lastError === undefined
        ? 'connecting'
        : 'unreachable';
    if (next === 'connected') {
      this.lastError = undefined;
      const waiters = this.readyWaiters;
      this.readyWaiters = [];
      for (const w of waiters) w();
    }
    if (next === this.current) return;
    this.current = next;
    this.opts.logger.info('team server', { server: redactTeamUrl(this.opts.url), state: next });
    this.opts.onState(next);
  }

  /** Closes both connections at once: nothing is waited for (a blocked XREAD would hold a close). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of [this.commands, this.blocking]) {
      try {
        c.destroy();
      } catch {
        // Already closed.
      }
    }
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w();
  }
}
