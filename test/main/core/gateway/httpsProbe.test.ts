import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpAgent } from '../../../../src/main/core/gateway/http';
import { httpsUrlOf, probeHttps } from '../../../../src/main/core/gateway/httpsProbe';

/** Throw-away self-signed certificates made for these tests only (openssl, 100 years). */
const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/tls/${name}`, import.meta.url));
const LOOPBACK = { cert: fixture('loopback.crt'), key: fixture('loopback.key') };
const OTHER = { cert: fixture('other.crt'), key: fixture('other.key') };
const TIMEOUTS = { connectMs: 1_000, headersMs: 1_000, bodyMs: 1_000 };

interface Seen {
  method?: string;
  path?: string;
  authorization?: string;
  body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function httpsServer(tls: { cert: Buffer; key: Buffer }, status: number, body: string, seen: Seen[] = []) {
  const server = createHttpsServer(tls, (req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, path: req.url, authorization: req.headers.authorization, body: text });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An agent that trusts the test certificate, as a real one trusts the public roots. */
const trusting = () => createHttpAgent(TIMEOUTS, { ca: LOOPBACK.cert });

describe('probeHttps', () => {
  it('passes when the host answers the consume path with the gateway envelope, and sends no token', async () => {
    const seen: Seen[] = [];
    const url = await httpsServer(LOOPBACK, 200, '{"code":401,"msg":"token无效"}', seen);
    const agent = trusting();
    expect(await probeHttps(url, { dispatcher: agent })).toEqual({ ok: true, url });
    await agent.close();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/tool/erps/tbconsume', authorization: undefined });
    expect(seen[0]!.body).not.toMatch(/shop_id|quantity|token/);
  });

  it('fails on a certificate it cannot trust, or one for another host', async () => {
    const selfSigned = await httpsServer(LOOPBACK, 200, '{"code":401}');
    const plain = createHttpAgent(TIMEOUTS);
    const untrusted = await probeHttps(selfSigned, { dispatcher: plain });
    await plain.close();
    expect(untrusted).toMatchObject({ ok: false, reason: expect.stringMatching(/certificate|self.signed/i) });

    const otherHost = await httpsServer(OTHER, 200, '{"code":401}');
    const agent = createHttpAgent(TIMEOUTS, { ca: OTHER.cert });
    const wrongName = await probeHttps(otherHost, { dispatcher: agent });
    await agent.close();
    expect(wrongName).toMatchObject({ ok: false, reason: expect.stringMatching(/altnames|does not match|IP/i) });
  });

  it('fails when the https site is not the gateway (a web page, a CDN default)', async () => {
    const url = await httpsServer(LOOPBACK, 404, '<html><body>Not Found</body></html>');
    const agent = trusting();
    const r = await probeHttps(url, { dispatcher: agent });
    await agent.close();
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('HTTP 404, not the gateway') });
  });

  it('fails when nothing listens on 443 (an http-only host)', async () => {
    const url = await httpsServer(LOOPBACK, 200, '{"code":401}');
    await new Promise((r) => servers.pop()!.close(r));
    const agent = trusting();
    expect(await probeHttps(url, { dispatcher: agent })).toMatchObject({ ok: false });
    await agent.close();
  });
});

describe('httpsUrlOf', () => {
  it('turns an http base URL without a port into its https form, and nothing else', () => {
    expect(httpsUrlOf('http://api.vv-tool.com')).toBe('https://api.vv-tool.com');
    expect(httpsUrlOf('http://api.vv-tool.com/')).toBe('https://api.vv-tool.com');
    expect(httpsUrlOf('https://api.vv-tool.com')).toBeUndefined();
    expect(httpsUrlOf('http://127.0.0.1:8787')).toBeUndefined();
    expect(httpsUrlOf('not a url')).toBeUndefined();
  });
});
