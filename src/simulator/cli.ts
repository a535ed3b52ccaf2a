/** `tsx src/simulator/main.ts --port 8787 --seed 1 --traffic 30 --service-time 1000` */
import { err, ok, type Result } from '../shared/result';
import { DEMO_SHOPS, DEMO_TOKEN, DEMO_TOP_APP_KEY, DEMO_TOP_SECRET } from '../shared/demo';
import { startSimulator } from './server';
import type { SimulatorOptions } from './types';

export interface SimulatorCliConfig {
  options: SimulatorOptions;
  /** Order lifecycles enqueued for each shop at start, so a first consume finds something. */
  backlog: number;
}

export const SIMULATOR_USAGE = `Usage: simulator [options]
  --port N            port on 127.0.0.1 (default 8787; 0 = any free port)
  --host H            address to listen on (default 127.0.0.1)
  --seed N            seed of the generated traffic (default: the clock)
  --traffic N         orders a minute, generated on a timer (default 10; 0 = none)
  --backlog N         orders per shop waiting at start (default 3)
  --service-time MS   delay before each answer (default 0; the real gateway takes about 1000)
  --rate-limit N      calls a second per endpoint before code 202 (default 10)
  --echo-delay MS     delay of the TradeMemoModified echo after a bcro (default 1000)
  --token T           accepted access token (repeatable; default ${DEMO_TOKEN})
  --shop S            authorised shop id (repeatable; default ${DEMO_SHOPS.join(', ')})
  --top-app-key K     TOP app key (default ${DEMO_TOP_APP_KEY})
  --top-secret S      TOP app secret (default ${DEMO_TOP_SECRET})`;

type Setter = (config: SimulatorCliConfig, value: string) => string | undefined;

const count =
  (apply: (config: SimulatorCliConfig, n: number) => void, max = Number.MAX_SAFE_INTEGER): Setter =>
  (config, value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n > max) return `expected a whole number up to ${max}, got "${value}"`;
    apply(config, n);
    return undefined;
  };

const text =
  (apply: (config: SimulatorCliConfig, v: string) => void): Setter =>
  (config, value) => {
    if (value === '') return 'expected a value';
    apply(config, value);
    return undefined;
  };

const FLAGS: Record<string, Setter> = {
  port: count((c, n) => (c.options.port = n), 65535),
  host: text((c, v) => (c.options.host = v)),
  seed: count((c, n) => (c.options.seed = n), 0xffffffff),
  traffic: count((c, n) => (c.options.traffic = n > 0 ? { ordersPerMinute: n } : false), 10_000),
  backlog: count((c, n) => (c.backlog = n), 10_000),
  'service-time': count((c, n) => (c.options.serviceTimeMs = n), 600_000),
  'rate-limit': count((c, n) => (c.options.rateLimitPerSecond = n), 1_000_000),
  'echo-delay': count((c, n) => (c.options.echoDelayMs = n), 600_000),
  token: text((c, v) => (c.options.tokens = [...(c.options.tokens ?? []), v])),
  shop: text((c, v) => (c.options.shops = [...(c.options.shops ?? []), v])),
  'top-app-key': text((c, v) => (c.options.topAppKey = v)),
  'top-secret': text((c, v) => (c.options.topSecret = v)),
};

/** `--name value` or `--name=value`; an error in words for anything else. */
export function parseSimulatorArgs(argv: string[]): Result<SimulatorCliConfig, string> {
  const config: SimulatorCliConfig = { options: { port: 8787, traffic: { ordersPerMinute: 10 } }, backlog: 3 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const setter = m ? FLAGS[m[1] ?? ''] : undefined;
    if (!m || !setter) return err(`unknown argument "${arg}"`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) return err(`--${m[1]} needs a value`);
    const problem = setter(config, value);
    if (problem) return err(`--${m[1]}: ${problem}`);
  }
  return ok(config);
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  setExitCode(code: number): void;
  /** Stops the simulator; by default SIGINT or SIGTERM. */
  stop?: AbortSignal;
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return signal.aborted
    ? Promise.resolve()
    : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Runs the simulator until SIGINT (or `io.stop`); prints the URL and the demo token. Exit code 2 on bad arguments. */
export async function runSimulatorCli(argv: string[], io: CliIo = processIo): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(SIMULATOR_USAGE);
    return;
  }
  const parsed = parseSimulatorArgs(argv);
  if (!parsed.ok) {
    io.err(`${parsed.error}\n${SIMULATOR_USAGE}`);
    io.setExitCode(2);
    return;
  }
  const { backlog } = parsed.value;
  // A seed is always printed, so that any run can be reproduced.
  const options = { ...parsed.value.options, seed: parsed.value.options.seed ?? Date.now() % 0x7fffffff };
  let sim;
  try {
    sim = await startSimulator(options);
  } catch (e) {
    io.err(`cannot start the simulator: ${e instanceof Error ? e.message : String(e)}`);
    io.setExitCode(1);
    return;
  }
  const shops = options.shops ?? [...DEMO_SHOPS];
  for (const shop of shops) sim.generate(shop, backlog);
  const traffic = options.traffic ? `${options.traffic.ordersPerMinute} orders/minute` : 'off';
  io.out(`TradeBell gateway simulator listening on ${sim.url}`);
  io.out(`token: ${(options.tokens ?? [DEMO_TOKEN]).join(', ')}`);
  io.out(`shops: ${shops.join(', ')}`);
  io.out(`traffic: ${traffic}; seed: ${options.seed}`);
  io.out(
    `TOP router: ${sim.url}/router/rest app key ${options.topAppKey ?? DEMO_TOP_APP_KEY}, secret ${options.topSecret ?? DEMO_TOP_SECRET}`,
  );
  io.out('Ctrl+C stops it.');
  await (io.stop ? untilAborted(io.stop) : untilSignal());
  await sim.close();
}
