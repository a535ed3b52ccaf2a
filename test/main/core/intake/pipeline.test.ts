import { afterEach, describe, expect, it, vi } from 'vitest';
import { CoreEventHub } from '../../../../src/main/core/events';
import type { ConsumeOk } from '../../../../src/main/core/gateway/types';
import { Inbox } from '../../../../src/main/core/inbox/inbox';
import type { InboxStore } from '../../../../src/main/core/inbox/types';
import { Pipeline, type PipelineDeps } from '../../../../src/main/core/intake/pipeline';
import type { Logger } from '../../../../src/main/core/ports';
import type { CoreEvents } from '../../../../src/main/core/service';
import type { AppState } from '../../../../src/shared/api';
import { FakeClock, T0, useTempDir } from '../inbox/helpers';

const SHOP = 'shop1';
const HOUR = 3_600_000;
const tempDir = useTempDir();
const opened: Inbox[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((inbox) => inbox.close()));
});

/** A consume answer of paid orders (one message each), and `malformed` raw entries. */
function answer(tids: string[], malformed: string[] = [], firstId = 1): ConsumeOk {
  const messages = tids.map((tid, i) => ({
    rowId: String(firstId + i),
    msgData: JSON.stringify({
      id: `7${String(firstId + i).padStart(18, '0')}`,
      topic: 'taobao_trade_TradeBuyerPay',
      pub_time: '2024-01-02 11:04:05',
      content: JSON.stringify({ tid, status: 'WAIT_SELLER_SEND_GOODS', payment: '48.00' }),
    }),
  }));
  return { messages, malformed, cost: 1 };
}

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, info() {}, warn() {}, error: (m, d) => void errors.push(`${m} ${JSON.stringify(d)}`) };
}

async function setup(over: Partial<PipelineDeps> = {}) {
  const inbox = await Inbox.open(await tempDir(), { clock: new FakeClock() });
  opened.push(inbox);
  const events = new CoreEventHub(() => ({}) as AppState);
  const offered: string[][] = [];
  const logger = recordingLogger();
  const pipeline = new Pipeline({
    inbox,
    notifications: { offer: (messages) => void offered.push(messages.map((m) => m.tid!)) },
    events,
    logger,
    redact: (t) => t.replaceAll('secret-token', '***'),
    ...over,
  });
  const seen: string[] = [];
  for (const event of ['message', 'undecoded', 'orders'] as const)
    events.on(event, (p: CoreEvents[typeof event]) => void seen.push(`${event} ${JSON.stringify(p)}`));
  return { inbox, events, pipeline, offered, logger, seen };
}

describe('Pipeline', () => {
  it('stores a batch, then tells each new message, notifies it and names the changed orders', async () => {
    const { inbox, pipeline, offered, seen } = await setup();
    await pipeline.ingest(SHOP, answer(['1588826713157361977', '1588826713157361978']), T0);
    expect(inbox.messageCount()).toBe(2);
    expect(offered).toEqual([['1588826713157361977', '1588826713157361978']]);
    expect(seen.filter((s) => s.startsWith('message'))).toHaveLength(2);
    expect(seen.at(-1)).toBe('orders ["1588826713157361977","1588826713157361978"]');
  });

  it('tells nothing and notifies nothing before the batch is on disk, nor when it cannot be stored', async () => {
    const order: string[] = [];
    let release!: () => void;
    const stored = new Promise<void>((r) => (release = r));
    const inbox: Pick<InboxStore, 'append' | 'getOrder'> = {
      append: async (messages) => {
        await stored;
        order.push('stored');
        return { added: messages, duplicates: 0 };
      },
      getOrder: () => undefined,
    };
    const { pipeline, events } = await setup({
      inbox,
      notifications: { offer: () => void order.push('notified') },
    });
    events.on('message', () => void order.push('told'));
    const ingest = pipeline.ingest(SHOP, answer(['1588826713157361977']), T0);
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual([]);
    release();
    await ingest;
    expect(order).toEqual(['stored', 'told', 'notified']);

    const failing = await setup({
      inbox: { append: () => Promise.reject(new Error('ENOSPC')), getOrder: () => undefined },
    });
    await expect(failing.pipeline.ingest(SHOP, answer(['1588826713157361977']), T0)).rejects.toThrow('ENOSPC');
    expect(failing.seen).toEqual([]);
    expect(failing.offered).toEqual([]);
  });

  it('a message delivered again is stored and told once', async () => {
    const { pipeline, offered, seen } = await setup();
    await pipeline.ingest(SHOP, answer(['1588826713157361977']), T0);
    await pipeline.ingest(SHOP, answer(['1588826713157361977']), T0 + 1000);
    expect(offered).toHaveLength(1);
    expect(seen.filter((s) => s.startsWith('message'))).toHaveLength(1);
  });

  it('keeps and reports an entry it cannot decode, and the rest of the batch still arrives', async () => {
    const { inbox, pipeline, seen } = await setup();
    await pipeline.ingest(SHOP, answer(['1588826713157361977'], ['[1,2]']), T0);
    expect(inbox.undecodedCount()).toBe(1);
    expect(inbox.messageCount()).toBe(1);
    expect(seen.some((s) => s.startsWith('undecoded'))).toBe(true);
  });

  it('once the batch is stored, a failing listener or after-batch step is logged (secrets scrubbed), not thrown', async () => {
    const afterBatch = vi.fn(() => {
      throw new Error('state listener broke with secret-token');
    });
    const { inbox, pipeline, events, logger } = await setup({ afterBatch });
    events.on('message', () => {
      throw new Error('message listener broke');
    });
    await expect(pipeline.ingest(SHOP, answer(['1588826713157361977']), T0)).resolves.toBeUndefined();
    expect(inbox.messageCount()).toBe(1);
    // The after-batch step (the cost saved, the state published) runs even after a listener broke.
    expect(afterBatch).toHaveBeenCalledTimes(1);
    expect(logger.errors).toHaveLength(2);
    expect(logger.errors[1]).toContain('***');
    expect(logger.errors[1]).not.toContain('secret-token');
  });

  it('counts newly stored messages an hour per shop, for the cost projection', async () => {
    const { pipeline } = await setup();
    await pipeline.ingest(SHOP, answer(['1', '2', '3'], [], 1), T0);
    await pipeline.ingest(SHOP, answer(['4'], [], 10), T0 + HOUR / 2);
    expect(pipeline.ratePerHour(SHOP, T0 + HOUR / 2)).toBe(4);
    expect(pipeline.ratePerHour(SHOP, T0 + 2 * HOUR)).toBe(4 / 24);
    expect(pipeline.ratePerHour('other', T0)).toBe(0);
  });

  it('keeps at most a day of per-minute counts, however many messages arrive', async () => {
    const { pipeline, inbox } = await setup();
    // Two days of batches of 10, one every 5 minutes: 5,760 messages.
    const every = 5 * 60_000;
    let id = 1;
    for (let i = 0; i < 576; i++, id += 10) {
      const tids = Array.from({ length: 10 }, (_, k) => String(id + k));
      await pipeline.ingest(SHOP, answer(tids, [], id), T0 + i * every);
    }
    const minutes = (pipeline as unknown as { arrivals: Map<string, Map<number, number>> }).arrivals.get(SHOP)!;
    expect(minutes.size).toBeLessThanOrEqual(24 * 12 + 1);
    expect(pipeline.ratePerHour(SHOP, T0 + 575 * every)).toBe(120);
    await inbox.close();
  }, 60_000);
});
