/** The machine a benchmark ran on, for the report: figures mean little without it. */
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started: other work on the machine moves the figures. */
  loadAverage: number;
  date: string;
}

/** The distribution's own name (Linux), else the kernel's. */
function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    if (pretty) return `${pretty} (${os.type()} ${os.release()}, ${os.arch()})`;
  } catch {
    // Not Linux, or no os-release: the kernel's name will do.
  }
  return `${os.type()} ${os.release()} (${os.arch()})`;
}

export function describeMachine(now = new Date()): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: osName(),
    loadAverage: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    date: now.toISOString(),
  };
}
