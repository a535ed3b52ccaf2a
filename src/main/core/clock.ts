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

// China time lives in src/shared/time.ts (the renderer needs it too); re-exported for main-side code.
export { CHINA_OFFSET_MS, chinaDay, formatChinaTime, parseChinaTime } from '../../shared/time';
