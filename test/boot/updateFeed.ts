/**
 * Update feeds on loopback, laid out as electron-builder publishes a release and as a seller's
 * mirror copies it: per folder, `latest.yml` (Windows), `latest-mac.yml`, `latest-linux.yml` and
 * the files they name, each with its sha512 and size (electron-updater 6's UpdateInfo). Files are
 * sent in slices a moment apart, as a download over a real line arrives, so that electron-updater
 * has progress to report before the end.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dump } from 'js-yaml';

export interface FeedRelease {
  version: string;
  /** The Linux build's bytes (electron-updater runs it to install); the others are stand-ins. */
  appImage: Buffer;
}

export interface UpdateFeed {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Every request, path without its query (electron-updater adds ?noCache=...). */
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

const SLICES = 8;
const SLICE_GAP_MS = 300;

/** The file names electron-builder gives this project's artifacts (electron-builder.yml). */
function artifacts(version: string) {
  return {
    windows: [`TradeBell-Setup-${version}.exe`],
    mac: [`TradeBell-${version}-universal-mac.zip`, `TradeBell-${version}-universal.dmg`],
    linux: [`TradeBell-${version}.AppImage`],
  };
}

/** latest*.yml as electron-builder writes it: the files, then the first one again as path/sha512. */
function channelFile(version: string, files: { name: string; body: Buffer }[]): string {
  const described = files.map(({ name, body }) => ({
    url: name,
    sha512: createHash('sha512').update(body).digest('base64'),
    size: body.length,
  }));
  return dump({
    version,
    files: described,
    path: described[0]!.url,
    sha512: described[0]!.sha512,
    releaseDate: '2026-12-01T08:00:00.000Z',
  });
}

/** The linux channel file for this machine, as electron-updater names it (Provider.getChannelFilePrefix). */
export function linuxChannelFile(arch: string = process.arch): string {
  return `latest-linux${arch === 'x64' ? '' : `-${arch}`}.yml`;
}

/** Serves each release under /<folder>/. */
export async function startUpdateFeed(folders: Record<string, FeedRelease>): Promise<UpdateFeed> {
  const files = new Map<string, Buffer>();
  for (const [folder, { version, appImage }] of Object.entries(folders)) {
    const names = artifacts(version);
    const body = (name: string) =>
      name.endsWith('.AppImage') ? appImage : Buffer.from(`stand-in for ${name}\n`, 'utf8');
    const put = (name: string, content: Buffer) => files.set(`/${folder}/${name}`, content);
    const channel = (list: string[]) =>
      Buffer.from(
        channelFile(
          version,
          list.map((name) => ({ name, body: body(name) })),
        ),
      );
    for (const name of [...names.windows, ...names.mac, ...names.linux]) put(name, body(name));
    put('latest.yml', channel(names.windows));
    put('latest-mac.yml', channel(names.mac));
    put(linuxChannelFile(), channel(names.linux));
  }
  const requests: UpdateFeed['requests'] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push({ method: req.method ?? '', path });
    const content = req.method === 'GET' ? files.get(path) : undefined;
    if (!content) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const yml = path.endsWith('.yml');
    res.writeHead(200, {
      'content-type': yml ? 'text/yaml' : 'application/octet-stream',
      'content-length': content.length,
    });
    if (yml) return void res.end(content);
    const slice = Math.ceil(content.length / SLICES);
    const send = (i: number) => {
      const last = (i + 1) * slice >= content.length;
      const chunk = content.subarray(i * slice, (i + 1) * slice);
      if (last) return void res.end(chunk);
      res.write(chunk);
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(i + 1);
      }, SLICE_GAP_MS);
      timers.add(timer);
    };
    send(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
