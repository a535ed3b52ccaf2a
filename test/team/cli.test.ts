/**
 * `cli watch --team URL --seat NAME` against a real redis-server that wants a password: taken from
 * TRADEBELL_TEAM_PASSWORD or from the URL (with a warning that the URL shows in the process list).
 * With a wrong one the server is unreachable, the seat says so and consumes nothing: a seat that
 * cannot reach the team server never starts consuming on its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/main/cli';
import { messagesFor } from '../../src/shared/i18n';
import { startSimulator, type Simulator } from '../../src/simulator';
import { RedisServer, redisAvailable, SKIP_REASON } from './redisServer';

const available = redisAvailable();
if (!available) console.warn(`team CLI tests skipped: ${SKIP_REASON}`);

const PASSWORD = 'team-pw-7';
const SHOP = 'shop1';

interface Run {
  code: number;
  lines: Record<string, unknown>[];
  stderr: string[];
}

async function cli(argv: string[], env: Record<string, string>): Promise<Run> {
  const out: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => stderr.push(l), env, interrupted: new Promise(() => {}) };
  const code = await runCli(argv, io);
  return { code, lines: out.map((l) => JSON.parse(l) as Record<string, unknown>), stderr };
}

type TeamLine = { server: string; error?: string; shops: { shop: string; consumer: string | null; self: boolean }[] };
const teamLines = (r: Run) => r.lines.filter((l) => l.type === 'team') as unknown as TeamLine[];

describe.skipIf(!available)('cli watch --team', () => {
  let redis: RedisServer;
  let sim: Simulator;
  let dir: string;
  beforeAll(async () => {
    redis = await RedisServer.start([], { password: PASSWORD });
    sim = await startSimulator({ tokens: ['tok-1'], shops: [SHOP], seed: 5 });
    dir = await mkdtemp(join(tmpdir(), 'tradebell-teamcli-'));
  });
  afterAll(async () => {
    await sim?.close();
    await redis?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const watch = (seat: string, team: string) => [
    ...['watch', '--base-url', sim.url, '--shop', SHOP, '--data', join(dir, seat), '--mode', 'realtime'],
    ...['--team', team, '--seat', seat, '--duration', '4'],
  ];
  const consumeCalls = () => sim.calls.filter((c) => c.endpoint === 'consume').length;

  it('with a wrong password: the server unreachable, said why, and nothing consumed', async () => {
    sim.generate(SHOP, 5);
    const queued = sim.queueLength(SHOP);
    const run = await cli(watch('A', redis.url), { TRADEBELL_TOKEN: 'tok-1', TRADEBELL_TEAM_PASSWORD: 'wrong' });
    expect(run.code).toBe(0);
    const last = teamLines(run).at(-1)!;
    expect(last).toMatchObject({ server: 'unreachable', shops: [{ shop: SHOP, self: false }] });
    expect(last.error).toMatch(/WRONGPASS|invalid username-password/i);
    expect(JSON.stringify(run.lines)).not.toContain('wrong');
    expect(run.lines.filter((l) => l.type === 'message')).toEqual([]);
    expect(consumeCalls()).toBe(0);
    expect(sim.queueLength(SHOP)).toBe(queued);
  }, 30_000);

  it('with the password from the environment, or from the URL with a warning: consumes and says so', async () => {
    const fromEnv = await cli(watch('A', redis.url), { TRADEBELL_TOKEN: 'tok-1', TRADEBELL_TEAM_PASSWORD: PASSWORD });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stderr).toEqual([]);
    expect(teamLines(fromEnv).at(-1)).toMatchObject({
      server: 'connected',
      shops: [{ shop: SHOP, consumer: 'A', self: true }],
    });
    expect(fromEnv.lines.filter((l) => l.type === 'message').length).toBeGreaterThan(0);
    expect(sim.queueLength(SHOP)).toBe(0);

    const inUrl = `redis://:${PASSWORD}@127.0.0.1:${redis.port}`;
    const fromUrl = await cli(watch('B', inUrl), { TRADEBELL_TOKEN: 'tok-1' });
    expect(fromUrl.code).toBe(0);
    expect(fromUrl.stderr).toEqual([messagesFor('zh-CN').cli.teamPasswordArgWarning]);
    expect(teamLines(fromUrl).at(-1)).toMatchObject({
      server: 'connected',
      shops: [{ shop: SHOP, consumer: 'B', self: true }],
    });
    // B caught up from the stream: what A consumed before it ever ran.
    expect(fromUrl.lines.filter((l) => l.type === 'message').length).toBe(
      fromEnv.lines.filter((l) => l.type === 'message').length,
    );
    expect(JSON.stringify(fromUrl.lines)).not.toContain(PASSWORD);
  }, 30_000);
});
