/**
 * What the seller wrote or paid for is not lost to a second process, a newer version's journal,
 * a wrong clock or a hostile answer, and the data stays theirs: the CLI run as its own processes,
 * as a user runs it (issue 11).
 */
import { readdir, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_TEXT_MAX } from '../../src/main/core/bounded';
import { JOURNAL_FILE } from '../../src/main/core/inbox/inbox';
import { encodeLines } from '../../src/main/core/inbox/journal';
import { startSimulator, type Simulator } from '../../src/simulator';
import { messagesFor } from '../../src/shared/i18n';
import { json, startServer } from '../main/core/gateway/testServer';
import { pick, readJournal, sleep, spawnCli, tempDir, waitFor } from './helpers';

const TOKEN = 'tok-safety';
const SHOPS = ['shop1', 'shop2'];
const DAY = 86_400_000;
const REMARKS = pick(3, 10);
/** What the runs did, printed at the end for docs/reliability.md. */
const figures: Record<string, unknown> = {};

async function simulator(): Promise<Simulator> {
  return startSimulator({ tokens: [TOKEN], shops: SHOPS, seed: 7, serviceTimeMs: 20, echoDelayMs: 50 });
}

function baseArgs(sim: { url: string }, data: string): string[] {
  return ['--base-url', sim.url, ...SHOPS.flatMap((s) => ['--shop', s]), '--data', data];
}

/** Every file under the folder and its bytes. */
async function image(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const d of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (d.isFile()) out[join(d.parentPath, d.name)] = (await readFile(join(d.parentPath, d.name))).toString('base64');
  return out;
}

describe('one writer per data folder', () => {
  it(`a second watch exits 1 naming the folder and the holder's pid; ${REMARKS} remarks run beside the watch; nothing is lost`, async () => {
    const sim = await simulator();
    const data = await tempDir('writer');
    const base = baseArgs(sim, data);
    const env = { TRADEBELL_TOKEN: TOKEN };
    const generated = new Set<string>();
    const generate = (shop: string, orders: number) => {
      for (const m of sim.generate(shop, orders)) generated.add(m.id);
    };
    try {
      for (const shop of SHOPS) generate(shop, 40);
      const watch = spawnCli(['watch', ...base, '--mode', 'realtime'], env);
      let tick = 0;
      const feeder = setInterval(() => generate(SHOPS[tick++ % 2]!, 1), 100);
      expect(await waitFor(() => watch.lines.some((l) => l.type === 'message'), 20_000)).toBe(true);

      const second = spawnCli(['watch', ...base, '--mode', 'realtime'], env);
      const secondExit = await second.exited;
      expect(secondExit).toEqual({ code: 1, signal: null });
      expect(second.stderr()).toContain(join(data, 'inbox'));
      expect(second.stderr()).toContain(`（进程 ${watch.child.pid}）`);
      expect(second.lines).toEqual([]);

      // remark beside the watch: each sets memo and flag on an order the watch stored.
      const tids = [
        ...new Set(watch.lines.filter((l) => l.type === 'message' && l.tid).map((l) => String(l.tid))),
      ].slice(0, REMARKS);
      for (const [i, tid] of tids.entries()) {
        const shop = String(watch.lines.find((l) => l.tid === tid)!.shop);
        const remark = spawnCli(
          [
            'remark',
            '--base-url',
            sim.url,
            '--shop',
            shop,
            '--data',
            data,
            '--tid',
            tid,
            '--flag',
            '2',
            '--memo',
            `备注 ${i}`,
          ],
          env,
        );
        expect(await remark.exited, remark.stderr()).toEqual({ code: 0, signal: null });
        expect(sim.remarkOf(tid)).toMatchObject({ memo: `备注 ${i}`, flag: 2 });
      }
      clearInterval(feeder);
      await sleep(500);
      watch.child.kill('SIGINT');
      expect(await watch.exited).toEqual({ code: 0, signal: null });
      const drain = spawnCli(['watch', ...base, '--once'], env);
      expect(await drain.exited).toEqual({ code: 0, signal: null });

      // No kill, so no loss: every message the gateway sent is on disk once, every generated one
      // among them, and the remarks' echoes came back through the watch.
      const journal = await readJournal(data);
      const stored = new Set(journal.messageIds);
      const sent = new Set(sim.answers.flatMap((a) => a.ids));
      for (const shop of SHOPS) expect(sim.queueLength(shop)).toBe(0);
      expect(stored.size).toBe(journal.messageIds.length);
      expect(stored).toEqual(sent);
      expect([...generated].filter((id) => !stored.has(id))).toEqual([]);
      expect(stored.size - generated.size).toBe(tids.length);
      expect(journal.badLines).toBe(0);
      figures.writer = { generated: generated.size, stored: stored.size, remarks: tids.length };
    } finally {
      await sim.close();
    }
  }, 120_000);
});

describe('a journal written by a newer TradeBell', () => {
  it('watch refuses it with a clear error and changes nothing', async () => {
    const sim = await simulator();
    const data = await tempDir('newer');
    try {
      await mkdir(join(data, 'inbox'), { recursive: true });
      await writeFile(
        join(data, 'inbox', JOURNAL_FILE),
        Buffer.concat([
          encodeLines([
            { format: 'tradebell-journal', major: 2, minor: 0 },
            { k: 'message2', m: {} },
          ]),
          Buffer.from('0123abcd {"k":'),
        ]),
      );
      const before = await image(join(data, 'inbox'));
      sim.generate('shop1', 5);
      const run = spawnCli(['watch', ...baseArgs(sim, data), '--once'], { TRADEBELL_TOKEN: TOKEN });
      expect(await run.exited).toEqual({ code: 1, signal: null });
      expect(run.stderr()).toMatch(/由更新版本的 TradeBell 写入（格式 2\.0）.*文件未作任何改动/);
      expect(await image(join(data, 'inbox'))).toEqual(before);
      expect(sim.calls).toEqual([]);
    } finally {
      await sim.close();
    }
  }, 60_000);
});

describe('a wrong clock', () => {
  it('a computer 31 days ahead keeps every stored message: opening and compacting drop nothing', async () => {
    const sim = await simulator();
    const data = await tempDir('clock');
    const base = baseArgs(sim, data);
    const env = { TRADEBELL_TOKEN: TOKEN };
    const ahead = { ...env, TRADEBELL_CLOCK_SHIFT_MS: String(31 * DAY) };
    const shifted = ['--import', './test/support/shiftClock.ts'];
    try {
      const generated = new Set(sim.generate('shop1', 20).map((m) => m.id));
      expect((await spawnCli(['watch', ...base, '--once'], env).exited).code).toBe(0);
      const first = (await readJournal(data)).messageIds.length;
      expect(first).toBe(generated.size);
      // The date jumps a month ahead: the next open (and its compaction) must keep all of it,
      // and so must the runs after new messages arrived, dated by Taobao's clock.
      for (let run = 0; run < 2; run++) {
        for (const m of sim.generate('shop2', 5)) generated.add(m.id);
        const r = spawnCli(['watch', ...base, '--once'], ahead, shifted);
        expect(await r.exited, r.stderr()).toEqual({ code: 0, signal: null });
      }
      const after = (await readJournal(data)).messageIds.length;
      expect(after).toBe(generated.size);
      figures.clock = { before: first, after };
    } finally {
      await sim.close();
    }
  }, 60_000);
});

describe('text from outside and the data folder', () => {
  it('a 200,000-character gateway msg comes out of the CLI bounded; files are private; --token warns', async () => {
    const server = await startServer();
    const data = join(await tempDir('bounded'), 'new-folder');
    try {
      server.handle((_q, res) => json(res, JSON.stringify({ code: 401, msg: `凭证无效${'长'.repeat(200_000)}` })));
      const run = spawnCli([
        'watch',
        '--base-url',
        server.url,
        '--shop',
        'shop1',
        '--data',
        data,
        '--once',
        '--token',
        TOKEN,
      ]);
      expect(await run.exited).toEqual({ code: 1, signal: null });
      const error = run.lines.find((l) => l.type === 'error')!;
      expect(error).toMatchObject({ kind: 'auth', code: 'gateway_code', params: { gatewayCode: 401 } });
      expect(String((error.params as { msg: string }).msg).length).toBeLessThanOrEqual(ERROR_TEXT_MAX + 1);
      expect(String(error.message).length).toBeLessThan(ERROR_TEXT_MAX + 200);
      expect(run.stdout().length).toBeLessThan(2_000);
      expect(run.stderr()).toContain(messagesFor('zh-CN').cli.tokenArgWarning);
      if (process.platform !== 'win32') {
        for (const dir of [data, join(data, 'inbox')]) expect(((await stat(dir)).mode & 0o777).toString(8)).toBe('700');
        expect(((await stat(join(data, 'inbox', JOURNAL_FILE))).mode & 0o777).toString(8)).toBe('600');
      }
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('figures', () => {
  it('prints what the runs above did', () => {
    console.log(`issue 11 safety figures: ${JSON.stringify(figures)}`);
    expect(Object.keys(figures).length).toBeGreaterThan(0);
  });
});
