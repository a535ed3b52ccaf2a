import { describe, expect, it } from 'vitest';
import { parseSimulatorArgs, runSimulatorCli, type CliIo } from '../../src/simulator';
import { consume, envelopeOf } from './http';

describe('simulator CLI arguments', () => {
  it('parses the documented flags', () => {
    const parsed = parseSimulatorArgs(['--port', '8787', '--seed', '1', '--traffic', '30', '--service-time', '1000']);
    expect(parsed).toEqual({
      ok: true,
      value: { options: { port: 8787, seed: 1, traffic: { ordersPerMinute: 30 }, serviceTimeMs: 1000 }, backlog: 3 },
    });
  });

  it('takes --name=value, repeats --token and --shop, and turns traffic off with 0', () => {
    const parsed = parseSimulatorArgs([
      '--port=0',
      '--traffic=0',
      '--token',
      'a',
      '--token=b',
      '--shop',
      's1',
      '--backlog',
      '0',
      '--rate-limit',
      '5',
      '--echo-delay',
      '10',
      '--host',
      '127.0.0.1',
    ]);
    expect(parsed.ok && parsed.value).toEqual({
      options: {
        port: 0,
        traffic: false,
        tokens: ['a', 'b'],
        shops: ['s1'],
        rateLimitPerSecond: 5,
        echoDelayMs: 10,
        host: '127.0.0.1',
      },
      backlog: 0,
    });
  });

  it('has defaults for a demo: port 8787, ten orders a minute', () => {
    expect(parseSimulatorArgs([])).toEqual({
      ok: true,
      value: { options: { port: 8787, traffic: { ordersPerMinute: 10 } }, backlog: 3 },
    });
  });

  it.each([
    [['--port', 'x'], '--port'],
    [['--port', '70000'], '--port'],
    [['--seed'], '--seed needs a value'],
    [['--what', '1'], 'unknown argument'],
    [['8787'], 'unknown argument'],
    [['--service-time', '-1'], '--service-time'],
  ])('refuses %j', (argv, message) => {
    const parsed = parseSimulatorArgs(argv);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });
});

function fakeIo(stop?: AbortSignal): CliIo & { lines: string[]; errors: string[]; exitCode?: number } {
  const io = {
    lines: [] as string[],
    errors: [] as string[],
    exitCode: undefined as number | undefined,
    out: (line: string) => io.lines.push(line),
    err: (line: string) => io.errors.push(line),
    setExitCode: (code: number) => {
      io.exitCode = code;
    },
    stop,
  };
  return io;
}

describe('runSimulatorCli', () => {
  it('prints the URL and the demo token, serves a backlog, and stops when told', async () => {
    const stop = new AbortController();
    const io = fakeIo(stop.signal);
    const running = runSimulatorCli(['--port', '0', '--seed', '5', '--traffic', '0', '--backlog', '2'], io);
    await expect.poll(() => io.lines.length).toBeGreaterThan(2);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(io.lines.join('\n'))?.[1];
    expect(url).toBeDefined();
    expect(io.lines.join('\n')).toContain('token: demo-token');
    const env = envelopeOf((await consume(url as string, { shop_id: 'demo-shop-2', quantity: '200' })).text);
    expect(env.code).toBe(0);
    expect(env.data.msg?.length).toBeGreaterThanOrEqual(2);
    stop.abort();
    await running;
    await expect(consume(url as string, { shop_id: 'demo-shop-1' })).rejects.toThrow();
    expect(io.exitCode).toBeUndefined();
  });

  it('exits with code 2 and the usage on bad arguments', async () => {
    const io = fakeIo();
    await runSimulatorCli(['--bogus'], io);
    expect(io.exitCode).toBe(2);
    expect(io.errors.join('\n')).toContain('Usage: simulator');
  });
});
