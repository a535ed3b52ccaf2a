/**
 * The electron-vite build, checked without the Electron binary: the sandboxed preload must be one
 * CommonJS file that requires nothing but 'electron' (a sandboxed renderer cannot load npm
 * modules or ESM), the main bundle must load its entry, and the page must carry the CSP.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/main/electron/window';

let out: string;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'tradebell-build-'));
  const r = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build', '--outDir', out], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stdout}\n${r.stderr}`);
}, 120_000);

describe('electron-vite build', () => {
  it('emits a CommonJS preload that requires only electron', () => {
    const preload = readFileSync(join(out, 'preload/index.cjs'), 'utf8');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preload).not.toMatch(/^\s*import\s/m);
    expect(preload).toContain('exposeInMainWorld');
  });

  it('keeps the validators out of the preload: it runs before every page load, and validating is main’s', () => {
    const preload = readFileSync(join(out, 'preload/index.cjs'), 'utf8');
    expect(preload).not.toMatch(/ZodError|_zod/);
    expect(preload).toContain('tradebell:event:ordersChanged');
  });

  it('emits the main entry the package points at', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string };
    expect(pkg.main).toBe('out/main/index.js');
    const main = readFileSync(join(out, 'main/index.js'), 'utf8');
    expect(main).toContain('preload/index.cjs');
  });

  it('the built page carries the same CSP as the response header, minus frame-ancestors', () => {
    const html = readFileSync(join(out, 'renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]?.replace(/&#39;/g, "'");
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
  });

  it('the source page has no CSP meta tag: in `npm start` the dev policy header is the only one', () => {
    expect(readFileSync('src/renderer/index.html', 'utf8')).not.toContain('Content-Security-Policy');
  });
});
