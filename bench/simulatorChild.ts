/**
 * The local gateway of B2 in its own process, so that it answers on its own event loop (and core),
 * as a remote gateway would, instead of waiting behind the client's decoding and disk writes.
 * Driven over the fork IPC channel by remoteSimulator.ts.
 */
import { startSimulator, type Simulator } from '../src/simulator';
import { backlog } from './backlog';
import type { ChildReply, ChildRequest } from './remoteSimulator';

let sim: Simulator | undefined;

function reply(message: ChildReply): void {
  process.send?.(message);
}

async function handle(request: ChildRequest): Promise<void> {
  switch (request.type) {
    case 'start': {
      sim = await startSimulator(request.options);
      const { seed, shop, count, now } = request.backlog;
      sim.enqueue(shop, backlog(seed, shop, count, now));
      return reply({ type: 'ready', url: sim.url });
    }
    case 'report':
      return reply({
        type: 'report',
        consumeCallTimes: (sim?.calls ?? []).filter((c) => c.endpoint === 'consume').map((c) => c.at),
        answers: (sim?.answers ?? []).map((a) => ({ code: a.code, ids: a.ids })),
      });
    case 'close':
      await sim?.close();
      process.disconnect();
  }
}

process.on('message', (request: ChildRequest) => {
  handle(request).catch((e: unknown) => reply({ type: 'failed', error: String(e) }));
});
