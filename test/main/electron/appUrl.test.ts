import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAppUrl, rendererSource } from '../../../src/main/electron/appUrl';

const indexHtml = '/opt/TradeBell/resources/app.asar/out/renderer/index.html';

describe('rendererSource', () => {
  it('uses the built file when packaged, whatever the environment says', () => {
    const source = rendererSource({ indexHtml, devUrl: 'http://localhost:5173', isPackaged: true, platform: 'linux' });
    expect(source).toEqual({
      kind: 'file',
      path: indexHtml,
      href: pathToFileURL(indexHtml).href,
      caseInsensitive: false,
    });
  });

  it('uses the dev server in development, only on loopback http', () => {
    expect(
      rendererSource({ indexHtml, devUrl: 'http://localhost:5173/', isPackaged: false, platform: 'linux' }),
    ).toEqual({
      kind: 'dev',
      url: 'http://localhost:5173/',
      origin: 'http://localhost:5173',
    });
    expect(
      rendererSource({ indexHtml, devUrl: 'https://evil.example/', isPackaged: false, platform: 'linux' }).kind,
    ).toBe('file');
    expect(rendererSource({ indexHtml, isPackaged: false, platform: 'linux' }).kind).toBe('file');
  });
});

describe('isAppUrl', () => {
  const file = rendererSource({ indexHtml, isPackaged: true, platform: 'linux' });
  const dev = rendererSource({ indexHtml, devUrl: 'http://localhost:5173', isPackaged: false, platform: 'linux' });

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

describe('isAppUrl on Windows', () => {
  // What Node's pathToFileURL makes of c:\\Program Files\\TradeBell\\...\\index.html on Windows.
  const source = {
    kind: 'file' as const,
    path: 'c:\\Program Files\\TradeBell\\resources\\app.asar\\out\\renderer\\index.html',
    href: 'file:///c:/Program%20Files/TradeBell/resources/app.asar/out/renderer/index.html',
    caseInsensitive: true,
  };

  it('admits the page as Chromium reports it: drive letter upper-cased, any case, encoded alike', () => {
    expect(isAppUrl('file:///C:/Program%20Files/TradeBell/resources/app.asar/out/renderer/index.html', source)).toBe(
      true,
    );
    expect(isAppUrl('file:///C:/program files/tradebell/resources/app.asar/out/renderer/index.html#/x', source)).toBe(
      true,
    );
  });

  it('still refuses another file, and compares exactly where paths are case-sensitive', () => {
    expect(isAppUrl('file:///C:/Program%20Files/TradeBell/resources/app.asar/out/renderer/other.html', source)).toBe(
      false,
    );
    expect(
      isAppUrl('file://host/C:/Program%20Files/TradeBell/resources/app.asar/out/renderer/index.html', source),
    ).toBe(false);
    expect(
      isAppUrl('file:///C:/Program%20Files/TradeBell/resources/app.asar/out/renderer/index.html', {
        ...source,
        caseInsensitive: false,
      }),
    ).toBe(false);
  });
});
