/**
 * Where the window's page comes from, and whether a URL is that page. Packaged (and `npm run
 * preview`): the built renderer, served from the app's own scheme, tradebell://app/ (appScheme.ts),
 * never file://. Development: electron-vite's dev server, and only when not packaged, so an
 * environment variable can never point a packaged app's window (and its IPC) at another page.
 */
import { dirname } from 'node:path';

/** The app's own URL scheme and its one host: the built renderer's files, and nothing else. */
export const APP_SCHEME = 'tradebell';
export const APP_HOST = 'app';
export const APP_PAGE = '/index.html';

/** What the built renderer holds, with each type's content type; a file of any other type is not served. */
export const APP_FILE_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export type RendererSource =
  | { kind: 'app'; url: string; /** The built renderer's folder, which the scheme serves. */ dir: string }
  | { kind: 'dev'; url: string; origin: string };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function rendererSource(opts: { indexHtml: string; devUrl?: string; isPackaged: boolean }): RendererSource {
  if (!opts.isPackaged && opts.devUrl) {
    const url = new URL(opts.devUrl);
    if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
      return { kind: 'dev', url: url.href, origin: url.origin };
  }
  return { kind: 'app', url: `${APP_SCHEME}://${APP_HOST}${APP_PAGE}`, dir: dirname(opts.indexHtml) };
}

/** A URL of the app's scheme and host, with nothing else in its authority; undefined otherwise. */
export function appSchemeUrl(raw: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  const plain = url.username === '' && url.password === '' && url.port === '';
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && plain ? url : undefined;
}

/** The app's own page (any hash or query), or any page of the dev server's origin. */
export function isAppUrl(raw: string, source: RendererSource): boolean {
  if (source.kind === 'app') return appSchemeUrl(raw)?.pathname === APP_PAGE;
  try {
    return new URL(raw).origin === source.origin;
  } catch {
    return false;
  }
}
