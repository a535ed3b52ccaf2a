/**
 * Decode → store (flushed) → notify: the path of every consumed batch, and the one place where
 * "stored before notified" lives. A consumed message is gone from the gateway, so nothing is told
 * about it (no event, no notification) before the inbox has it on disk. The scheduler hands each
 * answer to `ingest` (its onBatch) and calls that shop again only once it resolves.
 */
import type { ShopId, TmcMessage, UndecodedMessage } from '../../../shared/domain';
import type { ConsumeOk } from '../gateway/types';
import type { InboxStore } from '../inbox/types';
import type { Logger } from '../ports';
import type { CoreEventHub } from '../events';
import { decodeBatch } from './decoder';
import type { NotifyPolicy } from './notify';
import { recentRatePerHour } from './projection';

/** Arrivals are kept this long, for the cost projection's recent traffic. */
const ARRIVALS_KEPT_MS = 86_400_000;
/** Arrivals are counted per minute: a shop's counts stay at most a day of minutes however many
 * messages the gateway sends (one time per message would grow with its traffic). */
const ARRIVAL_BUCKET_MS = 60_000;

export interface PipelineDeps {
  inbox: Pick<InboxStore, 'append' | 'getOrder'>;
  notifications: Pick<NotifyPolicy, 'offer'>;
  events: Pick<CoreEventHub, 'emit'>;
  logger: Logger;
  /** Scrubs secrets from text bound for the log. */
  redact: (text: string) => string;
  /** After every stored batch: save the cost meter, publish the state. */
  afterBatch?: () => Promise<void> | void;
}

export class Pipeline {
  /** Per shop: minute start → messages stored in that minute. */
  private readonly arrivals = new Map<ShopId, Map<number, number>>();

  constructor(private readonly deps: PipelineDeps) {}

  /** Rejects only when the batch could not be stored: then the scheduler holds it and retries,
   * and consumes nothing more for that shop until it is stored. */
  async ingest(shop: ShopId, answer: ConsumeOk, receivedAt: number): Promise<void> {
    const batch = decodeBatch(shop, answer.messages, answer.malformed, receivedAt);
    const stored = await this.deps.inbox.append(batch.messages, batch.undecoded);
    // The batch is safe on disk: nothing after this point may reject, which would read as "could
    // not store" and hold the batch to store it again.
    await this.afterStore(shop, () => this.announce(shop, batch.undecoded, stored.added, receivedAt));
    await this.afterStore(shop, async () => this.deps.afterBatch?.());
  }

  private async afterStore(shop: ShopId, step: () => unknown): Promise<void> {
    try {
      await step();
    } catch (e) {
      this.deps.logger.error('after storing a batch', {
        shop,
        error: this.deps.redact(e instanceof Error ? e.message : String(e)),
      });
    }
  }

  /** Newly stored messages an hour for a shop, from the last day's arrivals. */
  ratePerHour(shop: ShopId, now: number): number {
    return recentRatePerHour(this.arrivals.get(shop) ?? [], now);
  }

  private countArrivals(shop: ShopId, count: number, receivedAt: number): void {
    let minutes = this.arrivals.get(shop);
    if (!minutes) this.arrivals.set(shop, (minutes = new Map()));
    const minute = receivedAt - (receivedAt % ARRIVAL_BUCKET_MS);
    minutes.set(minute, (minutes.get(minute) ?? 0) + count);
    const cutoff = receivedAt - ARRIVALS_KEPT_MS;
    // A clock set back can leave newer minutes in front: look at every one (a day's worth at most).
    for (const m of minutes.keys()) if (m < cutoff) minutes.delete(m);
  }

  /** Reports and notifies what a stored batch brought. */
  private announce(shop: ShopId, undecoded: UndecodedMessage[], added: TmcMessage[], receivedAt: number): void {
    const { events, logger } = this.deps;
    for (const u of undecoded) {
      logger.warn('undecodable message kept raw', { shop, rowId: u.rowId, reason: u.reason });
      events.emit('undecoded', u);
    }
    if (added.length === 0) return;
    this.countArrivals(shop, added.length, receivedAt);
    for (const m of added) events.emit('message', m);
    this.deps.notifications.offer(added, (s, t) => this.deps.inbox.getOrder(s, t));
    events.emit('orders', [...new Set(added.flatMap((m) => (m.tid === undefined ? [] : [m.tid])))]);
  }
}
