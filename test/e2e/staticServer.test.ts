import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_FILE_TYPES } from '../../src/main/electron/appUrl';
import { serveOffThread, type Keep } from './staticServer';

async function served(keep: Keep) {
  const dir = await mkdtemp(join(tmpdir(), 'tradebell-static-'));
  await writeFile(join(dir, 'index.js'), 'export const a = 1;');
  const { server, url } = await serveOffThread(dir, "default-src 'none'", keep);
  return { dir, url, close: () => new Promise<void>((r) => server.close(r)) };
}

describe('the harness serves the window', () => {
  it("as the app's scheme: read each time, revalidated, so Chromium may keep the compiled code", async () => {
    const s = await served('code');
    try {
      const first = await fetch(`${s.url}index.js`);
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('no-cache');
      expect(first.headers.get('content-security-policy')).toBe("default-src 'none'");
      // The content type the app's scheme gives the file.
      expect(first.headers.get('content-type')).toBe(APP_FILE_TYPES['.js']);
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^".+"$/);
      expect((await fetch(`${s.url}index.js`, { headers: { 'if-none-match': etag! } })).status).toBe(304);
      // The file is read again: changed bytes are a new answer.
      await writeFile(join(s.dir, 'index.js'), 'export const a = 2;');
      const changed = await fetch(`${s.url}index.js`, { headers: { 'if-none-match': etag! } });
      expect(changed.status).toBe(200);
      expect(await changed.text()).toBe('export const a = 2;');
    } finally {
      await s.close();
    }
  });

  it('as file:// (the B4 baseline): never stored, never revalidated', async () => {
    const s = await served('nothing');
    try {
      const first = await fetch(`${s.url}index.js`);
      expect(first.headers.get('cache-control')).toBe('no-store');
      expect(first.headers.get('etag')).toBeNull();
      expect((await fetch(`${s.url}index.js`, { headers: { 'if-none-match': '"x"' } })).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});
