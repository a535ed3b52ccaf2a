import react from '@vitejs/plugin-react';
import { configDefaults, defineConfig } from 'vitest/config';

const TEAM = 'test/team/**';

export default defineConfig({
  plugins: [react()],
  test: {
    globals: true,
    environment: 'node',
    // The renderer's component tests pick happy-dom through a file comment.
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    server: { deps: { inline: ['electron-store', 'conf'] } },
    env: { ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent' },
    // Printed by CI (`--coverage.enabled`); a report, not a gate.
    coverage: { provider: 'v8', include: ['src/**'], reporter: ['text-summary'], reportOnFailure: true },
    // Team mode's tests run real Redis servers and several seat processes: they come after the rest,
    // one file at a time, so their load does not land on the suite's timing-sensitive tests.
    projects: [
      {
        extends: true,
        test: {
          name: 'app',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: [...configDefaults.exclude, TEAM],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'team', include: [`${TEAM}/*.test.ts`], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
