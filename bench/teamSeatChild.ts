/**
 * One seat of B5 in a process of its own: the real Seat (reading only: it wants no lease) storing
 * what the stream brings through the same path as the app (decodeEntries, decodeBatch, a real
 * Inbox with its journal and datasync), noting when each message was stored.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/main/core/clock';
import { Inbox } from '../src/main/core/inbox/inbox';
import { decodeBatch } from '../src/main/core/intake/decoder';
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
          store: async (shop, groups) => {
            const messages = [];
            for (const g of groups) {
              const { messages: wire, malformed } = decodeEntries(g.entries);
              messages.push(...decodeBatch(shop, wire, malformed, g.receivedAt).messages);
            }
            const { added } = await inbox!.append(messages);
            const at = now();
            for (const m of added) storedAt[m.id] = at;
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
