/**
 * Crash safety: the headless `watch` runs as its own process under heavy traffic from the local
 * gateway and is killed with SIGKILL at seeded random moments, then started again on the same
 * data folder. Afterwards the journal on disk must hold every message at most once, no
 * notification may have been shown twice, and the only messages missing may be those of answers
 * that were in flight at a kill (the gateway logs every answer with the ids it sent).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../src/main/core/core';
import { RateBudgets } from '../../src/main/core/gateway/rate';
import { Inbox } from '../../src/main/core/inbox/inbox';
import { MAX_IN_FLIGHT } from '../../src/main/core/intake/scheduler';
import { MemorySettingsStore } from '../../src/main/core/ports';
import { createRng, startSimulator, type SimMessage, type Simulator } from '../../src/simulator';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { pick, readJournal, sleep, spawnCli, tempDir, waitFor } from './helpers';

const KILLS = pick(15, 100);
const SEED = Number(process.env.TRADEBELL_CRASH_SEED ?? 20240601);
const SHOPS = ['shop1', 'shop2'];
const TOKEN = 'tok-crash';
/**
 * One shop's batches are stored in the order their answers arrived, so an answer sent clearly
 * after a lost one cannot have been stored by the same run. On loopback, arrival order is send
 * order to far better than this.
 */
const REORDER_SLACK_MS = 1_000;
/** Notification titles name the news; a summary's title holds the same words. */
const NEWS_LABELS = ['新付款订单', '新退款申请'];

interface RunRecord {
  index: number;
  /** This run's consume answers: sim.answers[from, to). */
  answers: { from: number; to: number };
  called: boolean;
  /** Message lines in the journal once the process was gone. */
  journalLength: number;
  exit: { code: number | null; signal: NodeJS.Signals | null };
  stderr: string;
  notifies: { title: string; tids: string[] }[];
}

interface Answer {
  at: number;
  shop: string;
  ids: string[];
  run: number;
}

interface KillLoss {
  kill: number;
  answers: number;
  messages: number;
}

function notifiesOf(lines: Record<string, unknown>[]): RunRecord['notifies'] {
  return lines
    .filter((l) => l.type === 'notify')
    .map((l) => ({ title: String(l.title), tids: (l.tids as string[]) ?? [] }));
}

/**
 * Waits until the gateway has answered every consume call it received: a call sent just before a
 * kill is still answered (into a closed socket), and its answer belongs to the killed run, so
 * the next run may start only once it is logged.
 */
async function settled(sim: Simulator): Promise<boolean> {
  await sleep(50);
  return waitFor(() => sim.calls.filter((c) => c.endpoint === 'consume').length === sim.answers.length, 5_000);
}

describe('crash safety: watch killed with SIGKILL and restarted', () => {
  it(
    `survives ${KILLS} kills under heavy traffic: nothing stored twice, nothing notified twice, only in-flight answers lost`,
    async () => {
      const rng = createRng(SEED);
      // Its own stream: the feeder runs on a timer, the kill plan must not depend on its timing.
      const feedRng = createRng(SEED ^ 0x9e3779b9);
      const sim: Simulator = await startSimulator({
        tokens: [TOKEN],
        shops: SHOPS,
        seed: SEED,
        serviceTimeMs: 30,
        rateLimitPerSecond: 20,
      });
      const data = await tempDir('crash');
      const base = ['--base-url', sim.url, ...SHOPS.flatMap((s) => ['--shop', s]), '--data', data];
      const runs: RunRecord[] = [];
      let generated = 0;
      try {
        for (let i = 0; i < KILLS; i++) {
          for (const shop of SHOPS) generated += sim.generate(shop, rng.int(10, 60)).length;
          const callsBefore = sim.calls.length;
          const answersBefore = sim.answers.length;
          const run = spawnCli(['watch', ...base, '--mode', 'realtime'], { TRADEBELL_TOKEN: TOKEN });
          const feeder = setInterval(() => {
            generated += sim.generate(feedRng.pick(SHOPS), feedRng.int(1, 4)).length;
          }, 100);
          const r = rng.next();
          if (r < 0.2) {
            // While it starts: loading modules, opening and repairing the journal.
            await sleep(rng.int(0, 500));
          } else {
            await waitFor(() => sim.calls.length > callsBefore, 10_000);
            // Mostly mid-drain; now and then past the 2 s that notifications are held, so some come out.
            await sleep(r < 0.85 ? rng.int(0, 1_000) : rng.int(2_100, 2_800));
          }
          run.child.kill('SIGKILL');
          const exit = await run.exited;
          clearInterval(feeder);
          expect(await settled(sim)).toBe(true);
          runs.push({
            index: i,
            answers: { from: answersBefore, to: sim.answers.length },
            called: sim.calls.length > callsBefore,
            journalLength: (await readJournal(data)).messageIds.length,
            exit,
            stderr: run.stderr(),
            notifies: notifiesOf(run.lines),
          });
        }

        // A last, clean run drains what is left.
        const finalAnswersBefore = sim.answers.length;
        const final = spawnCli(['watch', ...base, '--once'], { TRADEBELL_TOKEN: TOKEN });
        const finalExit = await final.exited;
        runs.push({
          index: KILLS,
          answers: { from: finalAnswersBefore, to: sim.answers.length },
          called: true,
          journalLength: (await readJournal(data)).messageIds.length,
          exit: finalExit,
          stderr: final.stderr(),
          notifies: notifiesOf(final.lines),
        });
        expect(finalExit, final.stderr()).toEqual({ code: 0, signal: null });
        for (const shop of SHOPS) expect(sim.queueLength(shop)).toBe(0);
      } finally {
        await sim.close();
      }

      // Every start opened the store: none ended by itself before its kill, none complained.
      for (const r of runs.slice(0, KILLS)) {
        expect(r.exit, `run ${r.index}`).toEqual({ code: null, signal: 'SIGKILL' });
        expect(r.stderr, `run ${r.index}`).toBe('');
      }

      // The journal, read from disk: each id once, every line whole.
      const journal = await readJournal(data);
      const counts = new Map<string, number>();
      for (const id of journal.messageIds) counts.set(id, (counts.get(id) ?? 0) + 1);
      const duplicates = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
      expect(duplicates).toEqual([]);
      expect(journal.badLines).toBe(0);
      const inbox = await Inbox.open(join(data, 'inbox'));
      const storedCount = inbox.messageCount();
      await inbox.close();
      expect(storedCount).toBe(counts.size);

      // What each run stored: the journal lines it added.
      const storedBy = runs.map(
        (r, i) => new Set(journal.messageIds.slice(i === 0 ? 0 : runs[i - 1]!.journalLength, r.journalLength)),
      );
      const answers: Answer[] = runs.flatMap((r) =>
        sim.answers
          .slice(r.answers.from, r.answers.to)
          .filter((a) => a.code === 0 && a.ids.length > 0)
          .map((a) => ({ at: a.at, shop: a.shop, ids: a.ids, run: r.index })),
      );
      expect(answers.length).toBe(sim.answers.filter((a) => a.code === 0 && a.ids.length > 0).length);
      const sent = new Set(answers.flatMap((a) => a.ids));
      const stored = new Set(counts.keys());
      expect([...stored].filter((id) => !sent.has(id))).toEqual([]);
      const lost = new Set([...sent].filter((id) => !stored.has(id)));

      // Each lost message went out in an answer that was in flight at a kill: its run was killed,
      // and that run stored nothing of the shop's answers sent clearly after it.
      const lossPerKill = new Map<number, KillLoss>();
      const violations: string[] = [];
      for (const a of answers) {
        if (!a.ids.some((id) => lost.has(id))) continue;
        if (a.run === KILLS) {
          violations.push(`answer at ${a.at} of the clean final run lost ${a.ids.length} messages`);
          continue;
        }
        const laterStored = answers.filter(
          (b) =>
            b.run === a.run &&
            b.shop === a.shop &&
            b.at > a.at + REORDER_SLACK_MS &&
            b.ids.some((id) => storedBy[a.run]!.has(id)),
        );
        if (laterStored.length > 0)
          violations.push(
            `run ${a.run}: answer at ${a.at} (${a.shop}) lost while ${laterStored.length} later answers were stored`,
          );
        const loss = lossPerKill.get(a.run) ?? { kill: a.run, answers: 0, messages: 0 };
        loss.answers++;
        loss.messages += a.ids.filter((id) => lost.has(id)).length;
        lossPerKill.set(a.run, loss);
      }
      expect(violations).toEqual([]);
      // At most the scheduler's cap on calls in flight over all shops can be lost to one kill.
      for (const loss of lossPerKill.values()) expect(loss.answers).toBeLessThanOrEqual(MAX_IN_FLIGHT);

      // No notification twice, across all runs: a notification lost to a kill is fine, a repeat is not.
      const notified = new Map<string, number>();
      const repeats: string[] = [];
      let notifications = 0;
      for (const r of runs) {
        for (const n of r.notifies) {
          notifications++;
          const label = NEWS_LABELS.find((l) => n.title.includes(l)) ?? n.title;
          for (const tid of n.tids) {
            const key = `${tid}|${label}`;
            const first = notified.get(key);
            if (first !== undefined) repeats.push(`${key}: run ${first} and run ${r.index}`);
            else notified.set(key, r.index);
          }
        }
      }
      expect(repeats).toEqual([]);

      const redelivered = answers.flatMap((a) => a.ids).length - sent.size;
      const figures = {
        seed: SEED,
        kills: KILLS,
        killsAfterFirstCall: runs.slice(0, KILLS).filter((r) => r.called).length,
        messagesGenerated: generated,
        consumeAnswers: answers.length,
        messagesSent: sent.size,
        redeliveredIds: redelivered,
        messagesStored: stored.size,
        messagesLost: lost.size,
        killsWithLoss: lossPerKill.size,
        duplicatesInJournal: duplicates.length,
        notifications,
        repeatedNotifications: repeats.length,
      };
      console.log(`crash figures ${JSON.stringify(figures)}`);
      console.log(
        `loss per kill (kill: answers/messages) ${[...lossPerKill.values()].map((l) => `${l.kill}: ${l.answers}/${l.messages}`).join(', ') || 'none'}`,
      );
      expect(figures.killsAfterFirstCall).toBeGreaterThan(KILLS / 2);
      expect(stored.size).toBeGreaterThan(0);
    },
    pick(180_000, 1_800_000),
  );
});

describe('notifications across a restart', () => {
  const tid = '1588826713157361977';
  const paid = (id: string, oid: string): SimMessage => ({
    id,
    topic: 'taobao_trade_TradeBuyerPay',
    tid,
    pubTime: '2024-06-01 10:00:00',
    content: { tid, oid, status: 'WAIT_SELLER_SEND_GOODS', payment: '96.00', buyer_nick: '买家甲' },
  });

  it("a second sub-order's message of an order already notified does not notify it again after a restart", async () => {
    // TMC sends one TradeBuyerPay per sub-order; a kill between the two batches must not make the
    // seller hear "new paid order" twice for the same order.
    const sim = await startSimulator({ tokens: [TOKEN], shops: ['shop1'], seed: 3 });
    const dataDir = await tempDir('renotify');
    const run = async (message: SimMessage) => {
      sim.enqueue('shop1', [message]);
      const store = new MemorySettingsStore({
        ...structuredClone(DEFAULT_SETTINGS),
        gatewayBaseUrl: sim.url,
        shops: [{ id: 'shop1', name: 'shop1', colour: '#888', enabled: true }],
      });
      store.setSecret('token', TOKEN);
      const core = await Core.create({
        dataDir,
        settings: store,
        demo: false,
        notifyWindowMs: 10,
        budgets: new RateBudgets(),
      });
      const titles: string[] = [];
      core.on('notify', (n) =>
        titles.push(...n.tids.map((t) => `${t} ${n.topic} ${n.kind === 'order' && n.amountFen}`)),
      );
      await core.drain();
      await core.stop();
      return titles;
    };
    try {
      expect(await run(paid('1000000000000000001', '1588826713157361901'))).toEqual([
        `${tid} taobao_trade_TradeBuyerPay 9600`,
      ]);
      expect(await run(paid('1000000000000000002', '1588826713157361902'))).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});
