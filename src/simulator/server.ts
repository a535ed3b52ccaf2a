/**
 * The local vv-tool gateway on 127.0.0.1 for demo mode, tests and benchmarks: HTTP in and out, the
 * same paths, form fields and envelope as the real one. What each call answers is the gateway
 * model's (gateway.ts); this file routes requests to it and writes its answers, slowly when a
 * drip fault says so.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { GatewayModel, type Answer, type Outcome } from './gateway';
import { FormError, readForm } from './form';
import type { Fault, SimEndpoint, Simulator, SimulatorOptions } from './types';

export { authUrl, PUB_APP_KEY } from './gateway';

export const ROUTES: Record<string, SimEndpoint> = {
  '/tool/erps/tbconsume': 'consume',
  '/tool/accounts/bcro': 'remark',
  '/router/rest': 'top',
};

const DEFAULT_DRIP_BYTES_PER_SECOND = 64;
const DRIP_STEP_MS = 100;

class SimulatorServer implements Simulator {
  url = '';
  port = 0;
  private readonly model: GatewayModel;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  constructor(private readonly options: SimulatorOptions) {
    this.model = new GatewayModel(options);
    this.server = createServer((req, res) => void this.serve(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get answers(): Simulator['answers'] {
    return this.model.answers;
  }

  get calls(): Simulator['calls'] {
    return this.model.calls;
  }

  async listen(): Promise<void> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
    if (this.options.traffic) void this.model.runTraffic(this.options.traffic.ordersPerMinute);
  }

  async close(): Promise<void> {
    this.model.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  generate(...args: Parameters<Simulator['generate']>): ReturnType<Simulator['generate']> {
    return this.model.generate(...args);
  }

  enqueue(...args: Parameters<Simulator['enqueue']>): void {
    this.model.enqueue(...args);
  }

  queueLength(shop: string): number {
    return this.model.queueLength(shop);
  }

  remarkOf(tid: string): ReturnType<Simulator['remarkOf']> {
    return this.model.remarkOf(tid);
  }

  injectFault(...args: Parameters<Simulator['injectFault']>): void {
    this.model.injectFault(...args);
  }

  clearFaults(): void {
    this.model.clearFaults();
  }

  subscriptions(): Record<string, string[]> {
    return this.model.subscriptions();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const outcome = await this.route(req);
      if ('reset' in outcome) req.socket.resetAndDestroy();
      else await this.send(res, outcome.answer, outcome.drip);
    } catch (e) {
      // Closing while a call waits (service time, a delay, a drip) lands here: nothing to answer.
      if (this.model.closed || res.headersSent) res.destroy();
      else
        await this.send(res, {
          status: 500,
          body: `simulator error: ${e instanceof Error ? e.stack : String(e)}`,
          contentType: 'text/plain; charset=utf-8',
        });
    }
  }

  private async route(req: IncomingMessage): Promise<Outcome> {
    const started = this.model.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const endpoint = req.method === 'POST' ? ROUTES[url.pathname] : undefined;
    if (!endpoint) {
      req.resume();
      return { answer: this.model.unknownPath(started) };
    }
    let fields: Record<string, string>;
    try {
      fields = await readForm(req);
    } catch (e) {
      if (!(e instanceof FormError)) throw e;
      return { answer: this.model.unreadableForm(endpoint, e.message, started) };
    }
    if (endpoint === 'top') {
      // The router takes its fields from the query string as well as the body.
      for (const [k, v] of url.searchParams) fields[k] ??= v;
      return this.model.topRouter(fields, started);
    }
    return this.model.gateway(endpoint, req.headers.authorization, fields, started);
  }

  /** Writes the answer, a few bytes at a time under a drip fault. */
  private async send(
    res: ServerResponse,
    answer: Answer,
    drip?: Pick<Extract<Fault, { type: 'drip' }>, 'bytesPerSecond'>,
  ): Promise<void> {
    const bytes = Buffer.from(answer.body, 'utf8');
    res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': bytes.length });
    if (!drip) {
      res.end(bytes);
      return;
    }
    const step = Math.max(1, Math.ceil(((drip.bytesPerSecond ?? DEFAULT_DRIP_BYTES_PER_SECOND) * DRIP_STEP_MS) / 1000));
    for (let i = 0; i < bytes.length; i += step) {
      if (res.destroyed) return;
      if (i > 0) await this.model.wait(DRIP_STEP_MS);
      res.write(bytes.subarray(i, i + step));
    }
    res.end();
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = new SimulatorServer(options);
  await sim.listen();
  return sim;
}
