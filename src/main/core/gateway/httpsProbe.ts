/**
 * vv-tool documents only `http://api.vv-tool.com`, so the access token crosses the network in
 * clear. This check tells whether the same host serves the gateway over HTTPS, at no cost to the
 * seller: every gateway call is billed to the account its token names, and the check sends no
 * token, so there is no account to bill.
 *
 * It passes when both hold:
 * 1. a TLS connection to the host is set up with a certificate valid for that host name (the
 *    trusted roots Node ships; a self-signed, expired or other host's certificate fails it), and
 * 2. a POST to the consume path, without a token or any field, is answered with the gateway's
 *    envelope (a JSON object with a numeric `code`; a 401 is the expected one): the API is
 *    there, not just a web site or a CDN's default page.
 */
import type { Dispatcher } from 'undici';
import { FormData } from 'undici';
import { readEnvelope } from './client';
import { excerpt, HttpSender, type HttpTimeouts } from './http';
import { ENDPOINT_PATHS } from './types';

/** Short: the check runs at start-up and must not hold anything up. */
const PROBE_TIMEOUTS: HttpTimeouts = { connectMs: 5_000, headersMs: 8_000, bodyMs: 8_000 };
/** An envelope is a few hundred bytes; a web page in its place is not read whole. */
const PROBE_MAX_BODY = 64 * 1024;

/** `reason` is for the log. */
export type HttpsProbe = { ok: true; url: string } | { ok: false; url: string; reason: string };

/** The https:// form of an http:// base URL; undefined for anything else. */
export function httpsUrlOf(baseUrl: string): string | undefined {
  const url = URL.parse(baseUrl);
  if (url?.protocol !== 'http:' || url.port !== '') return undefined;
  url.protocol = 'https:';
  return url.href.replace(/\/+$/, '');
}

export interface HttpsProbeOptions {
  /** For tests: a dispatcher trusting a test certificate. */
  dispatcher?: Dispatcher;
  timeouts?: HttpTimeouts;
  signal?: AbortSignal;
}

/** Checks `httpsUrl` as the module comment says. Never throws. */
export async function probeHttps(httpsUrl: string, opts: HttpsProbeOptions = {}): Promise<HttpsProbe> {
  const http = new HttpSender({
    dispatcher: opts.dispatcher,
    timeouts: opts.timeouts ?? PROBE_TIMEOUTS,
    maxBodyBytes: PROBE_MAX_BODY,
  });
  try {
    const answer = await http.post({
      url: httpsUrl.replace(/\/+$/, '') + ENDPOINT_PATHS.consume,
      // No Authorization header: nothing here names an account.
      headers: { accept: 'application/json' },
      body: new FormData(),
      endpoint: 'https-probe',
      signal: opts.signal,
    });
    if (!answer.ok)
      return { ok: false, url: httpsUrl, reason: `${answer.error.code} ${JSON.stringify(answer.error.params)}` };
    if (readEnvelope(answer.value.text) === undefined)
      return {
        ok: false,
        url: httpsUrl,
        reason: `HTTP ${answer.value.status}, not the gateway's answer: ${excerpt(answer.value.text, 80) || '(empty)'}`,
      };
    return { ok: true, url: httpsUrl };
  } finally {
    await http.close();
  }
}
