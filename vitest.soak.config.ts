import { defineConfig } from 'vitest/config';

/**
 * `npm run soak`: the reliability suite's long variants (100+ kills, 60 s of faults, a week on the
 * virtual clock, 10,000 fuzz runs, 10,000 random payloads on every IPC channel, team mode's kill and
 * pause rounds repeated with more traffic). The tests read TRADEBELL_SOAK to pick them; `npm test` runs
 * the same files in their short form.
 */
export default defineConfig({
  test: {
    globals: true,
    include: ['test/reliability/**/*.test.ts', 'test/main/electron/ipc.test.ts', 'test/team/seats.test.ts'],
    environment: 'node',
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 300_000,
    // One file at a time: the crash test's kill timings and the real-HTTP windows should not
    // share two cores with a fuzzer.
    fileParallelism: false,
    env: { TRADEBELL_SOAK: '1', IPC_FUZZ_RUNS: '10000', ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent' },
    server: { deps: { inline: ['electron-store', 'conf'] } },
  },
});
