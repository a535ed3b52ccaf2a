/** Shared by the reliability suite: the soak switch, temp folders, the CLI as a child process,
 * the inbox journal read straight from disk, and a logger that keeps every line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { JOURNAL_FILE } from '../../src/main/core/inbox/inbox';
import type { Logger } from '../../src/main/core/ports';

/** `npm run soak` sets this: the long variants (more kills, more runs, longer windows). */
export const SOAK = process.env.TRADEBELL_SOAK === '1';

/** Short variant or soak variant of a figure. */
export const pick = <T>(short: T, soak: T): T => (SOAK ? soak : short);

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `tradebell-${prefix}-`));
}

export interface JournalScan {
  /** Message ids in the order their lines were written, repeats included. */
  messageIds: string[];
  /** Complete lines with a good checksum. */
  goodLines: number;
  /** Complete lines whose checksum or JSON failed. */
  badLines: number;
}

/**
 * The inbox journal as the bytes on disk say, read independently of the Journal class: complete
 * lines only (a line cut by a kill has no newline yet), each checked against its CRC-32.
 */
export async function readJournal(dataDir: string): Promise<JournalScan> {
  let buf: Buffer;
  try {
    buf = await readFile(join(dataDir, 'inbox', JOURNAL_FILE));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { messageIds: [], goodLines: 0, badLines: 0 };
    throw e;
  }
  const out: JournalScan = { messageIds: [], goodLines: 0, badLines: 0 };
  let pos = 0;
  for (let nl = buf.indexOf(0x0a, pos); nl !== -1; nl = buf.indexOf(0x0a, pos)) {
    const line = buf.subarray(pos, nl);
    pos = nl + 1;
    if (line.length === 0) continue;
    const json = line.subarray(9);
    const crc = Number.parseInt(line.subarray(0, 8).toString('latin1'), 16);
    if (line[8] !== 0x20 || crc32(json) !== crc) {
      out.badLines++;
      continue;
    }
    try {
      const record = JSON.parse(json.toString('utf8')) as { k?: string; m?: { id?: unknown } };
      out.goodLines++;
      if (record.k === 'message' && typeof record.m?.id === 'string') out.messageIds.push(record.m.id);
    } catch {
      out.badLines++;
    }
  }
  return out;
}

export interface CliChild {
  child: ChildProcess;
  /** Complete stdout lines parsed as JSON (a line cut by a kill is left out). */
  lines: Record<string, unknown>[];
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The headless CLI as its own process, exactly as a user runs it (`nodeArgs`: more for node). */
export function spawnCli(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): CliChild {
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, 'src/main/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const lines: Record<string, unknown>[] = [];
  let pending = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    out += chunk;
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.trim() !== '') lines.push(parseLine(line));
    }
  });
  child.stderr!.on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, lines, stdout: () => out, stderr: () => err, exited };
}

function parseLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    // Every stdout line must be JSON: a test that meets this type fails on it.
    return { type: 'not-json', text: line };
  }
}

export interface CapturingLogger extends Logger {
  /** Every call, as `level message {data}` text. */
  readonly lines: string[];
}

export function capturingLogger(): CapturingLogger {
  const lines: string[] = [];
  const at = (level: string) => (message: string, data?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${data === undefined ? '' : JSON.stringify(data)}`);
  };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `cond` every 10 ms; false when `ms` passes first. */
export async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await sleep(10);
  }
  return true;
}
