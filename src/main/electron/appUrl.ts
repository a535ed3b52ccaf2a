/**
 * Where the window's page comes from, and whether a URL is that page. Packaged: the built
 * index.html on disk. Development: electron-vite's dev server, and only when not packaged, so an
 * environment variable can never point a packaged app's window (and its IPC) at another page.
 */
import { pathToFileURL } from 'node:url';

export type RendererSource =
  { kind: 'file'; path: string; href: string; caseInsensitive: boolean } | { kind: 'dev'; url: string; origin: string };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function rendererSource(opts: {
  indexHtml: string;
  devUrl?: string;
  isPackaged: boolean;
  platform: NodeJS.Platform;
}): RendererSource {
  if (!opts.isPackaged && opts.devUrl) {
    const url = new URL(opts.devUrl);
    if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
      return { kind: 'dev', url: url.href, origin: url.origin };
  }
  return {
    kind: 'file',
    path: opts.indexHtml,
    href: pathToFileURL(opts.indexHtml).href,
    // Windows paths ignore case, and Chromium writes the drive letter upper-case where Node
    // writes it as the path had it.
    caseInsensitive: opts.platform === 'win32',
  };
}

/** The decoded path of a local file URL, or undefined for anything else. */
function localFilePath(url: URL): string | undefined {
  if (url.protocol !== 'file:' || url.host !== '') return undefined;
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
}

/** The app's own page: the same file (any hash or query), or any page of the dev server's origin. */
export function isAppUrl(raw: string, source: RendererSource): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (source.kind === 'dev') return url.origin === source.origin;
  const path = localFilePath(url);
  const own = localFilePath(new URL(source.href));
  if (path === undefined || own === undefined) return false;
  return source.caseInsensitive ? path.toLowerCase() === own.toLowerCase() : path === own;
}
