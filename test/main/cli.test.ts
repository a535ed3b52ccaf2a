import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli, type CliIo } from '../../src/main/cli';
import type { CostMeterState } from '../../src/main/core/gateway/cost';
import { COST_FILE } from '../../src/main/core/gateway/costStore';
import { messagesFor } from '../../src/shared/i18n';
import { startSimulator, type Simulator } from '../../src/simulator';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function sim(): Promise<Simulator> {
  const s = await startSimulator({ tokens: ['tok-1'], shops: ['shop1', 'shop2'], seed: 11, echoDelayMs: 10 });
  cleanups.push(() => s.close());
  return s;
}

interface Run {
  code: number;
  lines: Record<string, unknown>[];
  stderr: string[];
}

async function cli(argv: string[], env: Record<string, string> = {}): Promise<Run> {
  const out: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => stderr.push(l), env, interrupted: new Promise(() => {}) };
  const code = await runCli(argv, io);
  return { code, lines: out.map((l) => JSON.parse(l) as Record<string, unknown>), stderr };
}

const of = (run: Run, type: string) => run.lines.filter((l) => l.type === type);

const zh = messagesFor('zh-CN').cli;
const en = messagesFor('en').cli;

describe('cli watch --once', () => {
  it('finds every good message exactly once despite duplicates, a malformed message and a transient error; a rerun finds nothing', async () => {
    const s = await sim();
    const generated = s.generate('shop1', 15, { duplicateRate: 0.3 });
    s.generate('shop2', 5);
    s.injectFault({ type: 'code', code: 101 }, { endpoint: 'consume', shop: 'shop2', times: 1 });
    s.injectFault({ type: 'malformed', what: 'msg_data' }, { endpoint: 'consume', shop: 'shop1', times: 1 });
    const data = await mkdtemp(join(tmpdir(), 'tradebell-cli-'));
    const args = ['watch', '--base-url', s.url, '--shop', 'shop1', '--shop', 'shop2', '--data', data, '--once'];

    const run = await cli(args, { TRADEBELL_TOKEN: 'tok-1' });
    expect(run.code).toBe(0);
    const messages = of(run, 'message');
    const ids = messages.map((m) => m.id as string);
    expect(new Set(ids).size).toBe(ids.length);
    const undecodable = of(run, 'error').filter((e) => e.code === 'undecodable');
    expect(undecodable.length).toBe(1);
    const transient = of(run, 'error').find((e) => e.shop === 'shop2' && e.kind === 'transient');
    expect(transient).toMatchObject({ code: 'gateway_code', params: { gatewayCode: 101 } });
    // Words for people, in Chinese by default; the data above for scripts.
    expect(transient!.message).toMatch(/^网关返回 101/);
    // Every generated shop1 message arrived but the one the gateway sent broken.
    const shop1Ids = new Set(generated.map((m) => m.id));
    const got1 = new Set(messages.filter((m) => m.shop === 'shop1').map((m) => m.id as string));
    expect(shop1Ids.size - got1.size).toBe(1);
    for (const id of got1) expect(shop1Ids.has(id)).toBe(true);
    for (const m of messages) {
      expect(typeof m.id).toBe('string');
      if (m.tid !== undefined) expect(m.tid).toMatch(/^\d{19}$/);
    }
    expect(of(run, 'notify').length).toBeGreaterThan(0);
    const stats = of(run, 'stats')[0]!;
    // shop1: one answer that was not full ends its drain; shop2: the 101, then its answer.
    expect(stats.calls).toBeGreaterThanOrEqual(3);

    s.enqueue('shop1', generated);
    const rerun = await cli(args, { TRADEBELL_TOKEN: 'tok-1' });
    expect(rerun.code).toBe(0);
    // Only the message the gateway had sent broken is new; everything else is a duplicate.
    const missing = [...shop1Ids].filter((id) => !got1.has(id));
    expect(of(rerun, 'message').map((m) => m.id)).toEqual(missing);
    s.enqueue('shop1', generated);
    const third = await cli(args, { TRADEBELL_TOKEN: 'tok-1' });
    expect(of(third, 'message')).toEqual([]);
    expect(of(third, 'notify')).toEqual([]);
  }, 30_000);

  it('a 401 prints a typed error and exits 1', async () => {
    const s = await sim();
    const data = await mkdtemp(join(tmpdir(), 'tradebell-cli-'));
    const run = await cli([
      'watch',
      '--base-url',
      s.url,
      '--token',
      'wrong',
      '--shop',
      'shop1',
      '--data',
      data,
      '--once',
    ]);
    expect(run.code).toBe(1);
    expect(of(run, 'error')[0]).toMatchObject({
      type: 'error',
      shop: 'shop1',
      kind: 'auth',
      code: 'gateway_code',
      params: { gatewayCode: 401 },
    });
  });

  it('words errors and notifications in English with --lang en (or TRADEBELL_LANG=en), data unchanged', async () => {
    const s = await sim();
    s.generate('shop1', 2, { duplicateRate: 0, topics: ['TradeBuyerPay'] });
    const data = await mkdtemp(join(tmpdir(), 'tradebell-cli-'));
    const args = ['watch', '--base-url', s.url, '--shop', 'shop1', '--data', data, '--once'];
    const english = await cli([...args, '--lang', 'en'], { TRADEBELL_TOKEN: 'tok-1' });
    expect(english.code).toBe(0);
    const notified = of(english, 'notify');
    expect(notified.length).toBeGreaterThan(0);
    for (const n of notified) expect(String(n.title)).toMatch(/^New paid order/);

    const wrong = await cli(args, { TRADEBELL_TOKEN: 'wrong', TRADEBELL_LANG: 'en' });
    const error = of(wrong, 'error')[0]!;
    expect(error).toMatchObject({ kind: 'auth', code: 'gateway_code', params: { gatewayCode: 401 } });
    expect(error.message).toBe(
      'The gateway answered with code 401 — The access token is invalid: enter a new one in Settings.',
    );
    const chinese = await cli(args, { TRADEBELL_TOKEN: 'wrong' });
    expect(of(chinese, 'error')[0]!.message).toMatch(/^网关返回 401.* — 访问令牌无效/);
    expect((await cli([...args, '--lang', 'fr'], { TRADEBELL_TOKEN: 'tok-1' })).code).toBe(2);
  });

  it('usage errors exit 2 with what is wrong and the usage, in Chinese or (TRADEBELL_LANG=en) in English', async () => {
    for (const [argv, zhReason, enReason] of [
      [[], '没有给出命令', 'no command given'],
      [['nope'], '未知命令：nope', 'unknown command: nope'],
      [['watch', '--token', 't', '--shop', 's'], '必须给出 --base-url', '--base-url is required'],
      [['watch', '--base-url', 'http://x', '--shop', 's'], 'TRADEBELL_TOKEN', 'set TRADEBELL_TOKEN'],
      [['watch', '--bogus'], '命令行参数有误：', "Unknown option '--bogus'"],
      [['watch', '--base-url', 'http://x', '--token', 't', '--shop', 's', '--mode', 'fast'], '而不是 fast', 'not fast'],
      [
        ['remark', '--base-url', 'http://x', '--token', 't', '--shop', 's', '--tid', '1'],
        '--flag、--memo',
        '--flag, --memo',
      ],
    ] as const) {
      const chinese = await cli([...argv]);
      expect(chinese.code, zhReason).toBe(2);
      expect(chinese.stderr.at(-2), zhReason).toMatch(/^错误：/);
      expect(chinese.stderr.at(-2), zhReason).toContain(zhReason);
      expect(chinese.stderr.at(-1), zhReason).toMatch(/^用法：\n {2}cli watch/);
      expect(chinese.stderr.join('\n')).not.toMatch(/Usage|required|unknown/);

      const english = await cli([...argv], { TRADEBELL_LANG: 'en' });
      expect(english.code, enReason).toBe(2);
      expect(english.stderr.at(-2), enReason).toMatch(/^error: /);
      expect(english.stderr.at(-2), enReason).toContain(enReason);
      expect(english.stderr.at(-1), enReason).toMatch(/^Usage:\n {2}cli watch/);
    }
  });

  it('team mode: --team and --seat go together, --team is a redis URL, and --once does not go with it', async () => {
    const base = ['watch', '--base-url', 'http://127.0.0.1:1', '--shop', 's'];
    const env = { TRADEBELL_TOKEN: 't' };
    for (const [argv, reason] of [
      [['--seat', 'A'], '--seat 要和 --team 一起用'],
      [['--seat', 'A', '--lang', 'en'], '--seat goes with --team'],
      [['--team', 'redis://127.0.0.1:6379'], '必须给出 --seat 座席名'],
      [['--team', 'http://127.0.0.1:6379', '--seat', 'A'], '--team：'],
      [['--team', 'http://127.0.0.1:6379', '--seat', 'A'], 'redis:// 或 rediss://'],
      [['--team', 'http://127.0.0.1:6379', '--seat', 'A', '--lang', 'en'], 'must start with redis:// or rediss://'],
      [['--team', 'redis://127.0.0.1:6379', '--seat', 'A', '--once'], '--once 不能和 --team 一起用'],
      [['--team', 'redis://127.0.0.1:6379', '--seat', 'A', '--once', '--lang', 'en'], '--once does not go with --team'],
      [['--team', 'redis://127.0.0.1:6379', '--seat', 'x'.repeat(33), '--lang', 'en'], '--seat NAME is required'],
    ] as const) {
      const run = await cli([...base, ...argv], env);
      expect(run.code, reason).toBe(2);
      expect(run.stderr[0], reason).toContain(reason);
    }
    // A password in the URL is refused nothing, but named as visible in the process list.
    const withPassword = await cli([...base, '--team', 'redis://:pw-9@127.0.0.1:6379', '--seat', 'A', '--once'], env);
    expect(withPassword.stderr[0]).toBe(zh.teamPasswordArgWarning);
    expect(withPassword.stderr.join('\n')).not.toContain('pw-9');
  });
});

describe('cli remark', () => {
  it('sets memo and flag on the 19-digit tid; once watch stored the echo, a flag-only change keeps that memo', async () => {
    const s = await sim();
    const data = await mkdtemp(join(tmpdir(), 'tradebell-cli-'));
    const base = ['--base-url', s.url, '--token', 'tok-1', '--shop', 'shop1', '--data', data];
    const tid = '1588826713157361977';
    const first = await cli(['remark', ...base, '--tid', tid, '--flag', '1', '--memo', '加急']);
    expect(first.code).toBe(0);
    expect(first.lines[0]).toMatchObject({ type: 'remark', ok: true, tid, memo: '加急', flag: 1 });
    expect(s.remarkOf(tid)).toMatchObject({ memo: '加急', flag: 1 });

    // remark only reads the folder: the memo becomes known here once `watch` stores its echo.
    const unknown = await cli(['remark', ...base, '--tid', tid, '--flag', '3']);
    expect(unknown.code).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect((await cli(['watch', ...base, '--once'])).code).toBe(0);
    const second = await cli(['remark', ...base, '--tid', tid, '--flag', '3']);
    expect(second.code).toBe(0);
    expect(second.lines[0]).toMatchObject({ type: 'remark', ok: true, tid, memo: '加急', flag: 3 });
    expect(s.remarkOf(tid)).toMatchObject({ memo: '加急', flag: 3 });

    // And a memo-only change keeps the flag the folder knows.
    await new Promise((r) => setTimeout(r, 50));
    expect((await cli(['watch', ...base, '--once'])).code).toBe(0);
    // The folder's writer counted what each remark was billed, beside its own calls.
    const cost = JSON.parse(await readFile(join(data, COST_FILE), 'utf8')) as CostMeterState;
    expect(cost.total.byEndpoint.remark?.calls).toBe(2);
    expect(cost.total.byEndpoint.consume?.calls).toBeGreaterThan(0);
    const third = await cli(['remark', ...base, '--tid', tid, '--memo', '已发货']);
    expect(third.lines[0]).toMatchObject({ type: 'remark', ok: true, tid, memo: '已发货', flag: 3 });
    expect(s.remarkOf(tid)).toMatchObject({ memo: '已发货', flag: 3 });
  });

  it('refuses a flag-only change when the memo is unknown, so the gateway never erases it', async () => {
    const s = await sim();
    const data = await mkdtemp(join(tmpdir(), 'tradebell-cli-'));
    const run = await cli([
      'remark',
      '--base-url',
      s.url,
      '--token',
      'tok-1',
      '--shop',
      'shop1',
      '--data',
      data,
      '--tid',
      '1588826713157361978',
      '--flag',
      '2',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.join('\n')).toContain('--memo');
    expect(run.lines).toMatchObject([
      { type: 'remark', ok: false, kind: 'validation', code: 'keep_unknown', params: { field: 'memo' } },
    ]);
    expect(s.calls.filter((c) => c.endpoint === 'remark')).toEqual([]);
  });

  it('an empty --memo on the command line is an explicit choice: it clears a memo not known here', async () => {
    const s = await sim();
    const data = await mkdtemp(join(tmpdir(), 'tradebell-cli-'));
    const tid = '1588826713157361978';
    const base = ['--base-url', s.url, '--shop', 'shop1', '--data', data, '--tid', tid];
    const run = await cli(['remark', ...base, '--flag', '2', '--memo', ''], { TRADEBELL_TOKEN: 'tok-1' });
    expect(run.code).toBe(0);
    expect(s.remarkOf(tid)).toMatchObject({ memo: '', flag: 2 });
  });

  it('a memo over 1000 bytes exits 1 with the reason, without a call', async () => {
    const s = await sim();
    const data = await mkdtemp(join(tmpdir(), 'tradebell-cli-'));
    const run = await cli([
      'remark',
      '--base-url',
      s.url,
      '--token',
      'tok-1',
      '--shop',
      'shop1',
      '--data',
      data,
      '--tid',
      '123',
      '--flag',
      '1',
      '--memo',
      '备'.repeat(334),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.join('')).toContain('超出 2 字节');
    expect(s.calls.filter((c) => c.endpoint === 'remark')).toEqual([]);
  });

  it('a bad flag is a usage error', async () => {
    const run = await cli([
      'remark',
      '--base-url',
      'http://127.0.0.1:9',
      '--token',
      't',
      '--shop',
      's',
      '--tid',
      '1',
      '--flag',
      '7',
    ]);
    expect(run.code).toBe(2);
  });
});

describe('cli and its data folder', () => {
  it('a second watch on a held folder exits 1 naming the folder and the pid; remark beside it works', async () => {
    const s = await sim();
    s.generate('shop1', 5);
    const data = await mkdtemp(join(tmpdir(), 'tradebell-cli-'));
    const base = ['--base-url', s.url, '--shop', 'shop1', '--data', data];
    const env = { TRADEBELL_TOKEN: 'tok-1' };
    let stop!: () => void;
    const interrupted = new Promise<void>((r) => (stop = r));
    const out: string[] = [];
    const first = runCli(['watch', ...base, '--mode', 'realtime'], {
      out: (l) => out.push(l),
      err: () => undefined,
      env,
      interrupted,
    });
    await vi.waitFor(() => expect(out.some((l) => l.includes('"type":"message"'))).toBe(true), { timeout: 10_000 });

    const second = await cli(['watch', ...base, '--once'], env);
    expect(second.code).toBe(1);
    expect(second.stderr.join('\n')).toContain(join(data, 'inbox'));
    expect(second.stderr.join('\n')).toContain(`（进程 ${process.pid}）`);
    expect(second.lines).toEqual([]);

    const remark = await cli(['remark', ...base, '--tid', '1588826713157361977', '--flag', '1', '--memo', '加急'], env);
    expect(remark.code).toBe(0);
    stop();
    expect(await first).toBe(0);
    // Given up at exit: the next watch opens it.
    expect((await cli(['watch', ...base, '--once'], env)).code).toBe(0);
  }, 30_000);

  it('warns that --token shows in the process list, and says nothing with TRADEBELL_TOKEN', async () => {
    const s = await sim();
    const data = await mkdtemp(join(tmpdir(), 'tradebell-cli-'));
    const args = ['watch', '--base-url', s.url, '--shop', 'shop1', '--data', data, '--once'];
    const withArg = await cli([...args, '--token', 'tok-1']);
    expect(withArg.code).toBe(0);
    expect(withArg.stderr).toEqual([zh.tokenArgWarning]);
    expect(zh.tokenArgWarning).toMatch(/进程列表.*TRADEBELL_TOKEN/);
    expect((await cli([...args, '--token', 'tok-1', '--lang', 'en'])).stderr).toEqual([en.tokenArgWarning]);
    expect(en.tokenArgWarning).toMatch(/process list.*TRADEBELL_TOKEN/);
    const withEnv = await cli(args, { TRADEBELL_TOKEN: 'tok-1' });
    expect(withEnv.code).toBe(0);
    expect(withEnv.stderr).toEqual([]);
  });
});

describe('cli as a process', () => {
  it('exits 2 with the usage on stderr for an unknown command', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', 'bogus'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(2);
    expect(stderr).toContain(zh.unknownCommand('bogus'));
    expect(stderr).toContain('用法：');
  });
});
