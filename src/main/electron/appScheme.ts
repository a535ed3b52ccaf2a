/**
 * The window's page is served from the app's own scheme, tradebell://app/, and not from file://
 * (Electron's security checklist: "Avoid usage of the file:// protocol and prefer usage of custom
 * protocols"). The scheme serves the built renderer's files and nothing else: a page on it can
 * read no other file on disk, as a file:// page may. It is also what lets Chromium keep the
 * compiled code of the window's script between loads (`codeCache`, which needs `standard`): a page
 * from file:// is compiled from source every time it loads (B4 in docs/benchmarks.md).
 *
 * Electron: the scheme is registered as privileged before `ready` (registerAppScheme, in main.ts),
 * and handled once the app is ready, before any window loads (protocol.handle, runApp's servePage).
 */
import { readFile as nodeReadFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { APP_FILE_TYPES, APP_PAGE, APP_SCHEME, appSchemeUrl } from './appUrl';
import { CONTENT_SECURITY_POLICY } from './window';

/**
 * - standard: relative URLs resolve, the page has an origin of its own (tradebell://app), which
 *   `'self'` in the CSP names;
 * - secure: treated as https (no mixed-content downgrade);
 * - corsEnabled: the module script and its lazy chunks are fetched in CORS mode (Vite writes
 *   `crossorigin`); they are same-origin, and the handler answers no other origin's request with
 *   CORS headers, so nothing else may read them;
 * - codeCache: V8 may cache the scripts' compiled code (requires standard).
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, corsEnabled: true, codeCache: true } as const;

/** The part of Electron's `protocol` used here (main.ts hands appFileHandler to protocol.handle). */
export interface ProtocolLike {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: typeof APP_SCHEME_PRIVILEGES }[]): void;
}

/** Before the app is ready, once. */
export function registerAppScheme(protocol: ProtocolLike): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
}

export interface AppFileOptions {
  readFile?: (file: string) => Promise<Uint8Array>;
  /** A file that exists and could not be read (not one that is missing). */
  onError?: (file: string, error: unknown) => void;
}

const refuse = (status: number) => new Response(null, { status, headers: { 'content-type': 'text/plain' } });

/** The file under `dir` that a tradebell://app/ URL names, or undefined when it names none. */
export function appFilePath(dir: string, rawUrl: string): string | undefined {
  const url = appSchemeUrl(rawUrl);
  if (!url) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname === '/' ? APP_PAGE : url.pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || !(extname(path).toLowerCase() in APP_FILE_TYPES)) return undefined;
  const root = resolve(dir);
  const file = resolve(root, `.${path}`);
  const inside = relative(root, file);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? undefined : file;
}

/** protocol.handle's handler for the scheme: GET of the renderer's own files, each with the CSP. */
export function appFileHandler(dir: string, opts: AppFileOptions = {}): (request: Request) => Promise<Response> {
  const read = opts.readFile ?? nodeReadFile;
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    const file = appFilePath(dir, request.url);
    if (!file) return refuse(404);
    let body: Uint8Array;
    try {
      body = await read(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException | undefined)?.code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return refuse(404);
      opts.onError?.(file, e);
      return refuse(500);
    }
    const headers = {
      'content-type': APP_FILE_TYPES[extname(file).toLowerCase()]!,
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    };
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
  };
}
