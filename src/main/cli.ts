/**
 * The headless face: the same core as the app, printing JSON lines. For an always-on shop PC,
 * scripts, and the reliability tests.
 *
 *   watch   --base-url URL --shop ID [--shop ID...] [--data DIR] [--mode M] [--once] [--duration S]
 *           [--team redis://... --seat NAME]
 *   remark  --base-url URL --shop ID --tid TID [--flag 0..5] [--memo TEXT] [--data DIR]
 *   simulator --port P
 *
 * Errors (usage errors included), warnings and notifications are worded in Simplified Chinese, or
 * English with `--lang en` (or TRADEBELL_LANG=en), from the catalogue (src/shared/i18n); each JSON
 * line also carries them as data (an error's kind, code and params).
 *
 * The token comes from TRADEBELL_TOKEN (or --token, which other local users can read in the
 * process list); the team server's password from TRADEBELL_TEAM_PASSWORD (or the --team URL, with
 * the same warning). One `watch` per data folder: a second one exits 1 naming the process holding it.
 * `remark` only reads the folder, so it runs beside a `watch` on the same one; what it was billed
 * is left in cost.pending/ for the folder's writer to count (costStore.ts).
 *
 * Exit codes: 0 success, 1 gateway or validation error (one line on stderr), 2 usage error.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { TmcMessage } from '../shared/domain';
import { AppFailure, type AppError } from '../shared/errors';
import { messagesFor, type Catalogue } from '../shared/i18n';
import { isFlag, type Flag } from '../shared/flag';
import {
  DEFAULT_SETTINGS,
  POLL_CEILINGS_MS,
  TEAM_SEAT_MAX,
  isSeatName,
  type Language,
  type PollMode,
  type Settings,
} from '../shared/settings';
import type { AppState } from '../shared/api';
import { Core } from './core/core';
import { MemorySettingsStore } from './core/ports';
import { parseTeamUrl } from './core/team/url';
import { runSimulatorCli } from '../simulator';

/** The commands and their options, the same in every language (the catalogue words the rest). */
export const SYNOPSIS = `  cli watch --base-url URL --shop ID [--shop ID...] [--data DIR] [--mode realtime|balanced|saver] [--once] [--duration SECONDS] [--lang zh-CN|en]
            [--team redis[s]://HOST:PORT --seat NAME]
  cli remark --base-url URL --shop ID --tid TID [--flag 0..5] [--memo TEXT] [--data DIR] [--lang zh-CN|en]
  cli simulator --port P`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
  /** Resolves when the user interrupts (Ctrl+C). */
  interrupted: Promise<void>;
}

type CliWords = Catalogue['cli'];

/** A command line that cannot run: exit 2 with the usage. Worded once the language is known. */
class UsageError extends Error {
  constructor(readonly say: (w: CliWords) => string) {
    super('usage error');
  }
}

const COMMON = {
  'base-url': { type: 'string' },
  token: { type: 'string' },
  shop: { type: 'string', multiple: true },
  data: { type: 'string' },
  lang: { type: 'string' },
} as const;

/** The language of the words printed: --lang, else TRADEBELL_LANG, else Simplified Chinese. Read
 * from the raw arguments, so a failure before they are parsed (a usage error, the data folder in
 * use) is worded in it too. */
export function cliLanguage(argv: readonly string[], env: CliIo['env']): Language {
  const at = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const given = at < 0 ? env.TRADEBELL_LANG : argv[at]!.startsWith('--lang=') ? argv[at]!.slice(7) : argv[at + 1];
  return given === 'en' ? 'en' : 'zh-CN';
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const words = messagesFor(cliLanguage(argv, io.env));
  try {
    switch (command) {
      case 'watch':
        return await watch(rest, io);
      case 'remark':
        return await remark(rest, io);
      case 'simulator':
        await runSimulatorCli(rest);
        return 0;
      default:
        throw new UsageError((w) => (command ? w.unknownCommand(command) : w.noCommand));
    }
  } catch (e) {
    const usage =
      e instanceof UsageError
        ? e.say(words.cli)
        : (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
          ? words.cli.badArgs((e as Error).message)
          : undefined;
    if (usage !== undefined) {
      io.err(words.cli.error(usage));
      io.err(words.cli.usage(SYNOPSIS));
      return 2;
    }
    io.err(words.cli.error(e instanceof AppFailure ? words.errorText(e.error) : (e as Error).message));
    return 1;
  }
}

interface Connection {
  baseUrl: string;
  token: string;
  shops: string[];
  dataDir: string;
  team?: { url: string; seat: string; password?: string };
}

function connection(
  values: { 'base-url'?: string; token?: string; shop?: string[]; data?: string; lang?: string },
  io: CliIo,
  words: Catalogue,
): Connection {
  if (values.lang !== undefined && values.lang !== 'zh-CN' && values.lang !== 'en')
    throw new UsageError((w) => w.badLang);
  const baseUrl = values['base-url'];
  if (!baseUrl) throw new UsageError((w) => w.needBaseUrl);
  if (values.token !== undefined) io.err(words.cli.tokenArgWarning);
  const token = values.token ?? io.env.TRADEBELL_TOKEN;
  if (!token) throw new UsageError((w) => w.needToken);
  const shops = values.shop ?? [];
  if (shops.length === 0) throw new UsageError((w) => w.needShop);
  return { baseUrl, token, shops, dataDir: values.data ?? join(homedir(), '.tradebell-cli') };
}

async function openCore(c: Connection, mode: PollMode = 'balanced', readOnly = false): Promise<Core> {
  const settings: Settings = {
    ...structuredClone(DEFAULT_SETTINGS),
    gatewayBaseUrl: c.baseUrl,
    polling: { mode },
    shops: c.shops.map((id) => ({ id, name: id, colour: '#888888', enabled: true })),
    ...(c.team && { team: { enabled: true, url: c.team.url, seat: c.team.seat } }),
  };
  const store = new MemorySettingsStore(settings);
  store.setSecret('token', c.token);
  if (c.team?.password) store.setSecret('teamPassword', c.team.password);
  return Core.create({ dataDir: c.dataDir, settings: store, demo: false, readOnly });
}

function teamConnection(values: { team?: string; seat?: string }, io: CliIo, words: Catalogue): Connection['team'] {
  if (values.team === undefined) {
    if (values.seat !== undefined) throw new UsageError((w) => w.seatWithoutTeam);
    return undefined;
  }
  const address = parseTeamUrl(values.team);
  if (!address.ok) throw new UsageError((w) => w.badTeam(words.errorText(address.error)));
  const seat = values.seat?.trim() ?? '';
  if (seat === '' || !isSeatName(seat)) throw new UsageError((w) => w.needSeat(TEAM_SEAT_MAX));
  if (address.value.password !== undefined) io.err(words.cli.teamPasswordArgWarning);
  const password = address.value.password ?? io.env.TRADEBELL_TEAM_PASSWORD;
  return { url: address.value.url, seat, ...(password ? { password } : {}) };
}

/** One line per change of who consumes what, of the server's state, or of what was missed. */
function teamLine(team: NonNullable<AppState['team']>) {
  return {
    type: 'team',
    seat: team.seat,
    server: team.server,
    ...(team.error !== undefined && { error: team.error }),
    shops: team.shops.map((s) => ({
      shop: s.shop,
      consumer: s.consumer ?? null,
      self: s.self,
      ...(s.missed > 0 && { missed: s.missed }),
      ...(s.reset && { reset: true }),
      ...(s.backlog > 0 && { backlog: s.backlog }),
    })),
  };
}

async function watch(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...COMMON,
      mode: { type: 'string' },
      once: { type: 'boolean' },
      duration: { type: 'string' },
      team: { type: 'string' },
      seat: { type: 'string' },
    },
  });
  const words = messagesFor(cliLanguage(argv, io.env));
  const c = connection(values, io, words);
  c.team = teamConnection(values, io, words);
  if (c.team && values.once) throw new UsageError((w) => w.onceWithTeam);
  const mode = values.mode ?? 'balanced';
  if (!(mode in POLL_CEILINGS_MS)) throw new UsageError((w) => w.badMode(mode));
  const duration = values.duration === undefined ? undefined : Number(values.duration);
  if (duration !== undefined && !(Number.isFinite(duration) && duration > 0))
    throw new UsageError((w) => w.badDuration);

  const core = await openCore(c, mode as PollMode);
  let failed = false;
  core.on('message', (m) => io.out(JSON.stringify(messageLine(m))));
  core.on('notify', (n) => io.out(JSON.stringify({ type: 'notify', ...words.notification(n), tids: n.tids })));
  core.on('error', ({ shop, error }) => {
    if (!error.retryable) failed = true;
    io.out(JSON.stringify(errorLine(error, words, shop)));
  });
  let lastTeam = '';
  core.on('state', (state) => {
    if (!state.team) return;
    const line = teamLine(state.team);
    const text = JSON.stringify(line);
    if (text === lastTeam) return;
    lastTeam = text;
    io.out(text);
  });
  core.on('undecoded', (u) =>
    io.out(
      JSON.stringify(
        errorLine(
          { kind: 'bad_answer', code: 'undecodable', params: { reason: u.reason }, retryable: true },
          words,
          u.shop,
        ),
      ),
    ),
  );

  try {
    if (values.once) {
      await core.drain();
    } else {
      await core.start();
      const waits: Promise<void>[] = [io.interrupted];
      if (duration !== undefined) waits.push(new Promise((r) => setTimeout(r, duration * 1000)));
      await Promise.race(waits);
    }
  } finally {
    await core.stop();
    const { total } = core.getState().cost;
    io.out(JSON.stringify({ type: 'stats', calls: total.calls, points: total.points }));
  }
  return failed ? 1 : 0;
}

async function remark(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { ...COMMON, tid: { type: 'string' }, flag: { type: 'string' }, memo: { type: 'string' } },
  });
  const words = messagesFor(cliLanguage(argv, io.env));
  const c = connection(values, io, words);
  if (c.shops.length !== 1) throw new UsageError((w) => w.oneShop);
  const tid = values.tid;
  if (!tid) throw new UsageError((w) => w.needTid);
  if (values.flag === undefined && values.memo === undefined) throw new UsageError((w) => w.needMemoOrFlag);
  const flag = values.flag === undefined ? undefined : Number(values.flag);
  if (flag !== undefined && (!/^\d$/.test(values.flag!) || !isFlag(flag))) throw new UsageError((w) => w.badFlag);

  // Read-only: a `watch` on the same folder stays its one writer.
  const core = await openCore(c, 'balanced', true);
  const shop = c.shops[0]!;
  try {
    // A --memo or --flag given, even an empty memo or gray, is the user's explicit choice; one left
    // out is kept as the core knows it (it refuses when it knows none).
    const r = await core.remark({
      shop,
      tid,
      ...(values.memo !== undefined && { memo: values.memo, clearUnknownMemo: true }),
      ...(flag !== undefined && { flag: flag as Flag, clearUnknownFlag: true }),
    });
    if (!r.ok) {
      io.out(JSON.stringify({ ...errorLine(r.error, words, shop), type: 'remark', ok: false }));
      io.err(words.cli.error(words.describe(r.error)));
      if (r.error.code === 'keep_unknown') io.err(words.cli.keepUnknownHint);
      return 1;
    }
    // What was saved, kept parts included: the order as the core recorded it.
    const saved = core.listOrders({ shop, tids: [tid], limit: 1 }).orders[0];
    io.out(
      JSON.stringify({
        type: 'remark',
        ok: true,
        shop,
        tid: r.value.tid,
        memo: saved?.memo,
        flag: saved?.flag,
        modified: r.value.modified,
      }),
    );
    return 0;
  } finally {
    await core.stop();
  }
}

function messageLine(m: TmcMessage) {
  return {
    type: 'message',
    shop: m.shop,
    id: m.id,
    topic: m.topic,
    tid: m.tid,
    status: m.status,
    payment: m.payment,
    buyer_nick: m.buyerNick,
  };
}

/** An error as data (kind, code, params) for scripts, and in words (`message`) for people. */
function errorLine(e: AppError, words: Catalogue, shop?: string) {
  return {
    type: 'error',
    shop,
    kind: e.kind,
    code: e.code,
    params: e.params,
    message: words.describe(e),
    ...(e.authUrl ? { auth_url: e.authUrl } : {}),
  };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const interrupted = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    interrupted,
  };
  const argv = process.argv.slice(2);
  runCli(argv, io).then(
    (code) => process.exit(code),
    (e: unknown) => {
      io.err(messagesFor(cliLanguage(argv, io.env)).cli.error(String(e)));
      process.exit(1);
    },
  );
}
