/** A benchmark's target and whether this run met it, with the figures that decide it. */
export type Verdict = 'MET' | 'MISSED' | 'NOT RUN';

export interface Target {
  bench: string;
  statement: string;
  verdict: Verdict;
  /** The figures behind the verdict, or why it was not run. */
  reason: string;
}

export function check(bench: string, statement: string, met: boolean, reason: string): Target {
  return { bench, statement, verdict: met ? 'MET' : 'MISSED', reason };
}
