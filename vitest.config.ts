import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  test: {
    globals: true,
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    // The renderer's component tests pick happy-dom through a file comment.
    setupFiles: ['test/setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    server: { deps: { inline: ['electron-store', 'conf'] } },
    env: { ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent' },
    // Printed by CI (`--coverage.enabled`); a report, not a gate.
    coverage: { provider: 'v8', include: ['src/**'], reporter: ['text-summary'], reportOnFailure: true },
  },
});
