/**
 * Serves the built renderer to Chromium from a worker thread, with the production CSP header.
 *
 * Electron reads the window's file:// files off main's JavaScript thread. The harness runs the
 * core, the local gateway and the IPC bridge on one Node event loop, and a server on that loop
 * would hand Chromium the page's script only between the early reads' answers. In a worker of its
 * own, the files arrive as they do in the app, whatever the core is doing meanwhile.
 *
 * Every request reads the file again, as the app's scheme handler and Electron's file:// loader do,
 * and goes out with the content type the app's scheme gives it (APP_FILE_TYPES).
 * What Chromium may keep between loads follows how the window is served (`keep`):
 * - `'code'`, the app (src/main/electron/appScheme.ts): the tradebell:// scheme lets V8 cache the
 *   scripts' compiled code (`codeCache`). Chromium keeps compiled code over http only for a
 *   response it has cached, so files go out with `no-cache` and an ETag of their bytes, and a
 *   revalidation that matches gets a 304: Chromium reuses the cached bytes and their compiled
 *   code, and still asks each time. What it skips that the app does not is the bytes' transfer
 *   (bench/b4Window.ts reports the script's fetch time for each window, to show what that is).
 * - `'nothing'`, a window from file:// (the B4 baseline): `no-store`, so no code is kept, as
 *   Chromium keeps none for file:// pages.
 */
import { Worker } from 'node:worker_threads';
import { APP_FILE_TYPES } from '../../src/main/electron/appUrl';

/** The worker's code: plain CommonJS, so it runs the same under tsx, vitest and a baseline tree. */
const WORKER = `
const { createServer } = require('node:http');
const { readFile } = require('node:fs/promises');
const { createHash } = require('node:crypto');
const { extname, join, normalize } = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const { dir, csp, keep, types } = workerData;
const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/favicon.ico') return void res.writeHead(204).end();
  const file = normalize(join(dir, path === '/' ? 'index.html' : decodeURIComponent(path)));
  if (!file.startsWith(dir)) return void res.writeHead(403).end();
  try {
    const body = await readFile(file);
    const headers = {
      'content-type': types[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-security-policy': csp,
      'cache-control': keep === 'code' ? 'no-cache' : 'no-store',
    };
    if (keep === 'code') {
      headers.etag = '"' + createHash('sha256').update(body).digest('base64url') + '"';
      if (req.headers['if-none-match'] === headers.etag) return void res.writeHead(304, headers).end();
    }
    res.writeHead(200, headers);
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'close') server.close(() => process.exit(0));
});
`;

export interface StaticServer {
  url: string;
  /** Callback style, as node:http's Server.close, so that a harness's `server.close(cb)` works. */
  close(done: () => void): void;
}

/** What Chromium may keep of the served files between loads (see above). */
export type Keep = 'code' | 'nothing';

export function serveOffThread(dir: string, csp: string, keep: Keep): Promise<{ server: StaticServer; url: string }> {
  const worker = new Worker(WORKER, { eval: true, workerData: { dir, csp, keep, types: APP_FILE_TYPES } });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', ({ port }: { port: number }) => {
      const url = `http://127.0.0.1:${port}/`;
      resolve({
        url,
        server: {
          url,
          close(done) {
            worker.once('exit', () => done());
            worker.postMessage('close');
          },
        },
      });
    });
  });
}
