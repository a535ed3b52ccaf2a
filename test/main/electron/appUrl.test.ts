import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAppUrl, rendererSource } from '../../../src/main/electron/appUrl';

const indexHtml = '/opt/TradeBell/resources/app.asar/out/renderer/index.html';

describe('rendererSource', () => {
  it('uses the built file when packaged, whatever the environment says', () => {
    const source = rendererSource({ indexHtml, devUrl: 'http://localhost:5173', isPackaged: true });
    expect(source).toEqual({ kind: 'file', path: indexHtml, href: pathToFileURL(indexHtml).href });
  });

  it('uses the dev server in development, only on loopback http', () => {
    expect(rendererSource({ indexHtml, devUrl: 'http://localhost:5173/', isPackaged: false })).toEqual({
      kind: 'dev',
      url: 'http://localhost:5173/',
      origin: 'http://localhost:5173',
    });
    expect(rendererSource({ indexHtml, devUrl: 'https://evil.example/', isPackaged: false }).kind).toBe('file');
    expect(rendererSource({ indexHtml, isPackaged: false }).kind).toBe('file');
  });
});

describe('isAppUrl', () => {
  const file = rendererSource({ indexHtml, isPackaged: true });
  const dev = rendererSource({ indexHtml, devUrl: 'http://localhost:5173', isPackaged: false });

  it('admits the app page with any hash or query', () => {
    const href = pathToFileURL(indexHtml).href;
    expect(isAppUrl(href, file)).toBe(true);
    expect(isAppUrl(`${href}#/order/1`, file)).toBe(true);
    expect(isAppUrl(`${href}?view=settings`, file)).toBe(true);
    expect(isAppUrl('http://localhost:5173/#/inbox', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5173/src/main.tsx', dev)).toBe(true);
  });

  it('refuses other files, hosts and schemes', () => {
    expect(isAppUrl('file:///etc/passwd', file)).toBe(false);
    expect(isAppUrl(pathToFileURL('/opt/TradeBell/resources/app.asar/out/renderer/other.html').href, file)).toBe(false);
    expect(isAppUrl(`file://evil-host${indexHtml}`, file)).toBe(false);
    expect(isAppUrl('https://trade.taobao.com/', file)).toBe(false);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isAppUrl('not a url', dev)).toBe(false);
    expect(isAppUrl(pathToFileURL(indexHtml).href, dev)).toBe(false);
  });
});
