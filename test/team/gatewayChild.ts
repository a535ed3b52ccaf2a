/**
 * The local gateway for the seats test in a process of its own, as the real gateway is another
 * machine: its log of arrivals is then not skewed by the test's own work (reading journals). Beside
 * it, one small proxy per seat, so every consume call is known by the seat that made it. Driven over
 * the fork IPC channel by gatewayProcess.ts.
 */
import { createServer, request, type Server } from 'node:http';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator';

export type GatewayRequest =
  | { type: 'start'; options: Omit<SimulatorOptions, 'clock'>; seats: string[] }
  | { type: 'generate'; shop: string; count: number }
  | { type: 'report' }
  | { type: 'close' };

export interface GatewayReport {
  /** When each consume call reached the gateway. */
  consumeTimes: number[];
  /** Every consume answer: when, its code, the TMC ids it carried. */
  answers: { at: number; code: number; ids: string[] }[];
  /** When each seat's consume calls reached its proxy. */
  seatConsumes: Record<string, number[]>;
  queued: Record<string, number>;
}

export type GatewayReply =
  | { type: 'ready'; url: string; proxies: Record<string, string> }
  | { type: 'done' }
  | { type: 'failed'; error: string }
  | ({ type: 'report' } & GatewayReport);

let sim: Simulator | undefined;
let shops: string[] = [];
const proxies = new Map<string, { server: Server; consumes: number[] }>();

function proxyTo(target: string): Promise<{ server: Server; consumes: number[]; url: string }> {
  const t = new URL(target);
  const consumes: number[] = [];
  const server = createServer((req, res) => {
    if (req.url?.includes('tbconsume')) consumes.push(Date.now());
    const out = request(
      { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, consumes, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` }),
    ),
  );
}

function reply(message: GatewayReply): void {
  process.send?.(message);
}

async function handle(r: GatewayRequest): Promise<void> {
  switch (r.type) {
    case 'start': {
      sim = await startSimulator(r.options);
      shops = r.options.shops ?? [];
      const urls: Record<string, string> = {};
      for (const seat of r.seats) {
        const p = await proxyTo(sim.url);
        proxies.set(seat, p);
        urls[seat] = p.url;
      }
      return reply({ type: 'ready', url: sim.url, proxies: urls });
    }
    case 'generate':
      sim!.generate(r.shop, r.count);
      return reply({ type: 'done' });
    case 'report':
      return reply({
        type: 'report',
        consumeTimes: sim!.calls.filter((c) => c.endpoint === 'consume').map((c) => c.at),
        answers: sim!.answers.map((a) => ({ at: a.at, code: a.code, ids: a.ids })),
        seatConsumes: Object.fromEntries([...proxies].map(([seat, p]) => [seat, p.consumes])),
        queued: Object.fromEntries(shops.map((s) => [s, sim!.queueLength(s)])),
      });
    case 'close':
      for (const p of proxies.values()) {
        p.server.closeAllConnections();
        p.server.close();
      }
      await sim?.close();
      process.disconnect();
  }
}

process.on('message', (r: GatewayRequest) => {
  handle(r).catch((e: unknown) => reply({ type: 'failed', error: String(e) }));
});
