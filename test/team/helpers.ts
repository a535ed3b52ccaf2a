/** Shared by the team-mode tests: a seat's connection to a test server, a clock that can jump. */
import { systemClock, type Clock } from '../../src/main/core/clock';
import { silentLogger } from '../../src/main/core/ports';
import { TeamConnection, type ServerState } from '../../src/main/core/team/connection';

export function openConnection(url: string, onState: (s: ServerState) => void = () => undefined): TeamConnection {
  const conn = new TeamConnection({ url, commandTimeoutMs: 1_000, logger: silentLogger, onState });
  conn.open();
  return conn;
}

/** The wall clock, plus whatever a test adds to it (a pause the process did not notice). */
export class JumpClock implements Clock {
  offset = 0;
  /** Added once, right after the next reading: a pause that strikes just after that moment. */
  pauseAfterNextRead = 0;
  now(): number {
    const v = systemClock.now() + this.offset;
    if (this.pauseAfterNextRead > 0) {
      this.offset += this.pauseAfterNextRead;
      this.pauseAfterNextRead = 0;
    }
    return v;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms, signal);
  }
}

export async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
