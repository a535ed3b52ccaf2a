/**
 * Starts the local gateway simulator in a child process (simulatorChild.ts) with a backlog queued,
 * and reads back what it answered. The backlog is rebuilt in the child from its seed rather than
 * shipped over IPC: backlog() gives the same messages for the same arguments.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { askChild } from './askChild';
import type { SimulatorOptions } from '../src/simulator';

export interface BacklogSpec {
  seed: number;
  shop: string;
  count: number;
  now: number;
}

export type ChildRequest =
  | { type: 'start'; options: Omit<SimulatorOptions, 'clock'>; backlog: BacklogSpec }
  | { type: 'report' }
  | { type: 'close' };

export interface SimulatorReport {
  /** When each consume call reached the gateway, by its clock. */
  consumeCallTimes: number[];
  /** Every consume answer: its code and the message ids it carried. */
  answers: { code: number; ids: string[] }[];
}

export type ChildReply =
  { type: 'ready'; url: string } | { type: 'failed'; error: string } | ({ type: 'report' } & SimulatorReport);

const CHILD = fileURLToPath(new URL('./simulatorChild.ts', import.meta.url));

export class RemoteSimulator {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(options: Omit<SimulatorOptions, 'clock'>, backlog: BacklogSpec): Promise<RemoteSimulator> {
    const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    try {
      const ready = await ask(child, { type: 'start', options, backlog });
      if (ready.type !== 'ready')
        throw new Error(`simulator child failed: ${ready.type === 'failed' ? ready.error : ready.type}`);
      return new RemoteSimulator(child, ready.url);
    } catch (e) {
      child.kill();
      throw e;
    }
  }

  async report(): Promise<SimulatorReport> {
    const r = await ask(this.child, { type: 'report' });
    if (r.type !== 'report') throw new Error(`simulator child answered ${r.type} to report`);
    return { consumeCallTimes: r.consumeCallTimes, answers: r.answers };
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'close' } satisfies ChildRequest);
    await exited;
  }
}

function ask(child: ChildProcess, request: ChildRequest): Promise<ChildReply> {
  return askChild<ChildRequest, ChildReply>(child, request, 'simulator child');
}
