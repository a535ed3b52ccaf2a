/**
 * Large amounts of realistic messages for B2 and B3, from the simulator's order model (redeliveries
 * of the same TMC id included, 2 %), and their wire form as the gateway client hands it over.
 */
import type { ShopId } from '../src/shared/domain';
import type { GatewayMessage } from '../src/main/core/gateway/types';
import { encodeMsgData, generateTraffic, PUB_APP_KEY, shopIdentity, type SimMessage } from '../src/simulator';
import type { Publisher } from '../src/simulator/encode';

/** The shop every single-shop benchmark consumes for. */
export const BENCH_SHOP: ShopId = 'bench-shop-1';

/** The seller account a shop's messages are published by, as the simulator writes it. */
export function publisherOf(shop: ShopId): Publisher {
  const id = shopIdentity(shop);
  return { userId: id.userId, userNick: id.sellerNick, appKey: PUB_APP_KEY };
}

/** Exactly `count` deliveries that already happened by `now`, oldest first. */
export function backlog(seed: number, shop: ShopId, count: number, now: number): SimMessage[] {
  // An order makes about four messages; grow the order count until there are enough.
  for (let orders = Math.max(1, Math.ceil(count / 3)); ; orders *= 2) {
    const messages = generateTraffic(seed, shop, orders, now, { anchor: 'end', spanMs: 6 * 3_600_000 });
    if (messages.length >= count) return messages.slice(0, count);
  }
}

/** The messages as consume answers of `size` entries (msg_data as the JSON string it arrives as). */
export function wireBatches(messages: readonly SimMessage[], shop: ShopId, size: number): GatewayMessage[][] {
  const publisher = publisherOf(shop);
  const batches: GatewayMessage[][] = [];
  for (let i = 0; i < messages.length; i += size) {
    batches.push(
      messages.slice(i, i + size).map((m, j) => ({ rowId: String(i + j + 1), msgData: encodeMsgData(m, publisher) })),
    );
  }
  return batches;
}
