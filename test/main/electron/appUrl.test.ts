import { describe, expect, it } from 'vitest';
import { appSchemeUrl, isAppUrl, rendererSource } from '../../../src/main/electron/appUrl';

const indexHtml = '/opt/TradeBell/resources/app.asar/out/renderer/index.html';

describe('rendererSource', () => {
  it("serves the built page from the app's scheme when packaged, whatever the environment says", () => {
    const source = rendererSource({ indexHtml, devUrl: 'http://localhost:5173', isPackaged: true });
    expect(source).toEqual({
      kind: 'app',
      url: 'tradebell://app/index.html',
      dir: '/opt/TradeBell/resources/app.asar/out/renderer',
    });
  });

  it('uses the dev server in development, only on loopback http', () => {
    expect(rendererSource({ indexHtml, devUrl: 'http://localhost:5173/', isPackaged: false })).toEqual({
      kind: 'dev',
      url: 'http://localhost:5173/',
      origin: 'http://localhost:5173',
    });
    expect(rendererSource({ indexHtml, devUrl: 'https://evil.example/', isPackaged: false }).kind).toBe('app');
    expect(rendererSource({ indexHtml, isPackaged: false }).kind).toBe('app');
  });
});

describe('isAppUrl', () => {
  const app = rendererSource({ indexHtml, isPackaged: true });
  const dev = rendererSource({ indexHtml, devUrl: 'http://localhost:5173', isPackaged: false });

  it('admits the app page with any hash or query', () => {
    expect(isAppUrl('tradebell://app/index.html', app)).toBe(true);
    expect(isAppUrl('tradebell://app/index.html#/order/1', app)).toBe(true);
    expect(isAppUrl('tradebell://app/index.html?view=settings', app)).toBe(true);
    expect(isAppUrl('http://localhost:5173/#/inbox', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5173/src/main.tsx', dev)).toBe(true);
  });

  it('refuses other pages, hosts, authorities and schemes, the built file on disk included', () => {
    for (const url of [
      `file://${indexHtml}`,
      'file:///etc/passwd',
      'tradebell://app/other.html',
      'tradebell://app/assets/index.js',
      'tradebell://evil/index.html',
      'tradebell://user@app/index.html',
      'tradebell://app:8080/index.html',
      'tradebellx://app/index.html',
      'https://app/index.html',
      'https://trade.taobao.com/',
      'not a url',
    ])
      expect(isAppUrl(url, app), url).toBe(false);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isAppUrl('not a url', dev)).toBe(false);
    expect(isAppUrl('tradebell://app/index.html', dev)).toBe(false);
  });

  it("knows the scheme's URLs by scheme and host alone", () => {
    expect(appSchemeUrl('tradebell://app/assets/x.js')?.pathname).toBe('/assets/x.js');
    expect(appSchemeUrl('tradebell://other/assets/x.js')).toBeUndefined();
    expect(appSchemeUrl('%%')).toBeUndefined();
  });
});
