/**
 * Time comes in through this interface so that the poller, the rate budget and the notification
 * policy run the same on the wall clock, on vitest's fake timers, and on the benchmark's virtual day.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * Runs `task` every `everyMs` until `signal` aborts; a failed run is reported and the next one
 * comes at its time. Resolves once aborted.
 */
export async function runEvery(
  clock: Clock,
  everyMs: number,
  signal: AbortSignal,
  task: () => Promise<void>,
  onError: (e: unknown) => void,
): Promise<void> {
  while (!signal.aborted) {
    try {
      await clock.sleep(everyMs, signal);
      await task();
    } catch (e) {
      if (signal.aborted) return;
      onError(e);
    }
  }
}

// China time lives in src/shared/time.ts (the renderer needs it too); re-exported for main-side code.
export { CHINA_OFFSET_MS, chinaDay, formatChinaTime, parseChinaTime } from '../../shared/time';
