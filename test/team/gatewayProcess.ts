/** Starts gatewayChild.ts and asks it things over IPC, one request at a time. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { askChild } from '../../bench/askChild';
import type { SimulatorOptions } from '../../src/simulator';
import type { GatewayReply, GatewayReport, GatewayRequest } from './gatewayChild';

const CHILD = fileURLToPath(new URL('./gatewayChild.ts', import.meta.url));

export class GatewayProcess {
  private queue: Promise<unknown> = Promise.resolve();
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    /** Each seat's way to the gateway. */
    readonly proxies: Record<string, string>,
  ) {}

  static async start(options: Omit<SimulatorOptions, 'clock'>, seats: string[]): Promise<GatewayProcess> {
    const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = await ask(child, { type: 'start', options, seats });
    if (ready.type !== 'ready') {
      child.kill();
      throw new Error(`gateway child: ${JSON.stringify(ready)}`);
    }
    return new GatewayProcess(child, ready.url, ready.proxies);
  }

  private ask(r: GatewayRequest): Promise<GatewayReply> {
    const run = this.queue.then(() => ask(this.child, r));
    this.queue = run.catch(() => undefined);
    return run;
  }

  get pid(): number {
    return this.child.pid!;
  }

  async generate(shop: string, count: number): Promise<void> {
    await this.ask({ type: 'generate', shop, count });
  }

  async report(): Promise<GatewayReport> {
    const r = await this.ask({ type: 'report' });
    if (r.type !== 'report') throw new Error(`gateway child answered ${r.type}`);
    return r;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'close' } satisfies GatewayRequest);
    await exited;
  }
}

function ask(child: ChildProcess, request: GatewayRequest): Promise<GatewayReply> {
  return askChild<GatewayRequest, GatewayReply>(child, request, 'gateway child');
}
