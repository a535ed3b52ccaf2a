import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { metaContentSecurityPolicy } from './src/main/electron/window';

/**
 * The production page carries its CSP in a meta tag (file:// may get no headers). Only the
 * build gets it: in development the dev server's page lives under the dev policy alone, which a
 * meta tag would intersect with and so block the hot-reload socket and Vite's <style> elements.
 */
function cspMeta(): Plugin {
  return {
    name: 'tradebell:csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: metaContentSecurityPolicy() },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: { index: resolve('src/main/electron/main.ts') },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require nothing but 'electron' (and a few built-ins): bundle zod.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // A sandboxed renderer can only load a CommonJS preload.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      rolldownOptions: {
        input: { index: resolve('src/renderer/index.html') },
      },
    },
    plugins: [react(), cspMeta()],
  },
});
