import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  APP_SCHEME_PRIVILEGES,
  appFileHandler,
  appFilePath,
  registerAppScheme,
} from '../../../src/main/electron/appScheme';
import { CONTENT_SECURITY_POLICY } from '../../../src/main/electron/window';

describe('registerAppScheme', () => {
  it('registers tradebell: as a standard, secure scheme whose scripts V8 may cache', () => {
    const registerSchemesAsPrivileged = vi.fn();
    registerAppScheme({ registerSchemesAsPrivileged });
    expect(registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'tradebell', privileges: APP_SCHEME_PRIVILEGES },
    ]);
    // Electron ignores codeCache without standard.
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true, codeCache: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
  });
});

describe('appFileHandler', () => {
  let root: string;
  let dir: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tradebell-scheme-'));
    dir = join(root, 'renderer');
    await mkdir(join(dir, 'assets', 'folder.js'), { recursive: true });
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>x</title>');
    await writeFile(join(dir, 'assets', 'index-abc.js'), 'export const x = 1;');
    await writeFile(join(dir, 'assets', 'index-abc.css'), 'body{}');
    await writeFile(join(dir, 'assets', 'notes.txt'), 'not served');
    await writeFile(join(root, 'secret.js'), 'secret');
  });

  const get = (url: string, method = 'GET') => appFileHandler(dir)(new Request(url, { method }));

  it('serves the page and its files with their types, the CSP and nosniff', async () => {
    for (const url of ['tradebell://app/index.html', 'tradebell://app/', 'tradebell://app/index.html#/x?y=1']) {
      const page = await get(url);
      expect(page.status, url).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await page.text()).toContain('<title>x</title>');
    }
    const script = await get('tradebell://app/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('export const x = 1;');
    expect((await get('tradebell://app/assets/index-abc.css')).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
    const head = await get('tradebell://app/assets/index-abc.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('serves nothing outside the built renderer, of another type, of another host, or missing', async () => {
    for (const url of [
      'tradebell://app/../secret.js',
      'tradebell://app/%2e%2e/secret.js',
      'tradebell://app/assets/..%2f..%2fsecret.js',
      'tradebell://app/assets/%2e%2e%5c%2e%2e%5csecret.js',
      'tradebell://app/%00.js',
      'tradebell://app/%E0%A4%A.js',
      'tradebell://app/assets/notes.txt',
      'tradebell://app/assets/missing.js',
      'tradebell://app/assets/folder.js',
      'tradebell://other/index.html',
      'file:///etc/passwd',
    ])
      expect((await get(url)).status, url).toBe(404);
    expect((await get('tradebell://app/index.html', 'POST')).status).toBe(405);
  });

  it("names only files inside the folder, on this platform's paths", () => {
    expect(appFilePath(dir, 'tradebell://app/assets/index-abc.js')).toBe(join(dir, 'assets', 'index-abc.js'));
    // The URL parser takes dot segments out, encoded ones too: this one names a file inside.
    expect(appFilePath(dir, 'tradebell://app/%2e%2e/secret.js')).toBe(join(dir, 'secret.js'));
    // Encoded slashes survive it, and are decoded after: caught here.
    expect(appFilePath(dir, 'tradebell://app/assets/..%2f..%2fsecret.js')).toBeUndefined();
    expect(appFilePath(dir, 'tradebell://user@app/index.html')).toBeUndefined();
    expect(appFilePath(dir, 'tradebell://app/assets/x.JS')).toBe(join(dir, 'assets', 'x.JS'));
  });

  it('a file that cannot be read is a 500, reported; the next request is served', async () => {
    const onError = vi.fn();
    let fail = true;
    const serve = appFileHandler(dir, {
      onError,
      readFile: async (file) => {
        if (fail) throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' });
        return new TextEncoder().encode(file);
      },
    });
    expect((await serve(new Request('tradebell://app/index.html'))).status).toBe(500);
    expect(onError).toHaveBeenCalledWith(join(dir, 'index.html'), expect.objectContaining({ code: 'EBUSY' }));
    fail = false;
    expect((await serve(new Request('tradebell://app/index.html'))).status).toBe(200);
  });
});
