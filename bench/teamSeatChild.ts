/**
 * One seat of B5 in a process of its own: the real Seat (reading only: it wants no lease) storing
 * what the stream brings through the same path as the app (decodeEntries, then the real Pipeline
 * for each published batch: decode, a real Inbox with its journal and datasync), noting when each
 * message was stored. Notifications and events go nowhere.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/main/core/clock';
import { Inbox } from '../src/main/core/inbox/inbox';
import { Pipeline } from '../src/main/core/intake/pipeline';
import { silentLogger } from '../src/main/core/ports';
import { decodeEntries } from '../src/main/core/team/entry';
import { Seat } from '../src/main/core/team/seat';

export type SeatRequest =
  { type: 'start'; url: string; shop: string; dir: string; name: string } | { type: 'report' } | { type: 'close' };

export type SeatReply =
  { type: 'ready' } | { type: 'report'; storedAt: Record<string, number> } | { type: 'failed'; error: string };

const now = () => performance.timeOrigin + performance.now();
const storedAt: Record<string, number> = {};
let seat: Seat | undefined;
let inbox: Inbox | undefined;

async function handle(r: SeatRequest): Promise<SeatReply | undefined> {
  switch (r.type) {
    case 'start': {
      inbox = await Inbox.open(path.join(r.dir, 'inbox'));
      const pipeline = new Pipeline({
        inbox,
        notifications: { offer: () => undefined },
        events: {
          emit: (event, payload) => {
            if (event === 'message') storedAt[(payload as { id: string }).id] ??= now();
          },
        },
        logger: silentLogger,
        redact: (text) => text,
      });
      seat = await Seat.open({
        url: r.url,
        seatName: r.name,
        dataDir: r.dir,
        inboxDir: path.join(r.dir, 'inbox'),
        clock: systemClock,
        logger: silentLogger,
        hooks: {
          consumingChanged: () => undefined,
          changed: () => undefined,
          // As the app's TeamMode stores: one published batch at a time through the pipeline.
          store: async (shop, groups) => {
            for (const g of groups) {
              const { messages, malformed } = decodeEntries(g.entries);
              await pipeline.ingest(shop, { messages, malformed, cost: 0 }, g.receivedAt);
            }
          },
        },
      });
      seat.setShops([r.shop], []);
      await seat.start();
      return { type: 'ready' };
    }
    case 'report':
      return { type: 'report', storedAt };
    case 'close':
      await seat?.close();
      await inbox?.close();
      process.disconnect();
      return undefined;
  }
}

process.on('message', (r: SeatRequest) => {
  handle(r).then(
    (reply) => reply && process.send?.(reply),
    (e: unknown) => process.send?.({ type: 'failed', error: String(e) } satisfies SeatReply),
  );
});
