/** A scripted HTTP server on 127.0.0.1:0 for the gateway and TOP client tests. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Form fields, from multipart or urlencoded bodies. */
  fields: Record<string, string>;
}

export type Handler = (req: Received, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export interface TestServer {
  url: string;
  received: Received[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

async function readFields(req: IncomingMessage, body: Buffer): Promise<Record<string, string>> {
  const type = req.headers['content-type'] ?? '';
  if (!/multipart\/form-data|application\/x-www-form-urlencoded/.test(type)) return {};
  const form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) out[k] = typeof v === 'string' ? v : '[file]';
  return out;
}

export function json(res: ServerResponse, body: string, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(body);
}

export async function startServer(): Promise<TestServer> {
  const received: Received[] = [];
  let handler: Handler = (_req, res) => json(res, '{"code":0,"msg":"ok","data":{}}');
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rec: Received = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      fields: await readFields(req, Buffer.concat(chunks)),
    };
    received.push(rec);
    await handler(rec, res, req);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    handle(h) {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
