/**
 * Taobao Open Platform request signing. The local simulator verifies with the same code that the
 * client signs with, so the two cannot drift apart.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Settings } from '../../../shared/settings';

export type TopSignMethod = Settings['topSignMethod'];

export const TOP_SIGN_METHODS: readonly TopSignMethod[] = ['md5', 'hmac', 'hmac-sha256'];

export type TopParams = Record<string, string | undefined>;

/** `k1v1k2v2…` over the non-empty fields but `sign`, names in byte order, raw UTF-8. */
export function topSignBase(params: TopParams): string {
  return Object.entries(params)
    .filter((e): e is [string, string] => e[0] !== 'sign' && e[1] !== undefined && e[1] !== '')
    .sort(([a], [b]) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))
    .map(([k, v]) => k + v)
    .join('');
}

/** Upper-case hex signature of `params` with `method`. */
export function signTop(params: TopParams, secret: string, method: TopSignMethod): string {
  const base = topSignBase(params);
  switch (method) {
    case 'md5':
      return createHash('md5')
        .update(secret + base + secret, 'utf8')
        .digest('hex')
        .toUpperCase();
    case 'hmac':
      return createHmac('md5', secret).update(base, 'utf8').digest('hex').toUpperCase();
    case 'hmac-sha256':
      return createHmac('sha256', secret).update(base, 'utf8').digest('hex').toUpperCase();
  }
}

/** True when `params.sign` is the signature of the other fields, by their own `sign_method`
 * (md5 when absent, as TOP assumes). */
export function verifyTopSignature(params: TopParams, secret: string): boolean {
  const method = params.sign_method ?? 'md5';
  const given = params.sign;
  if (!given || !isSignMethod(method)) return false;
  const expected = Buffer.from(signTop(params, secret, method), 'utf8');
  const actual = Buffer.from(given.toUpperCase(), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function isSignMethod(v: unknown): v is TopSignMethod {
  return TOP_SIGN_METHODS.includes(v as TopSignMethod);
}
