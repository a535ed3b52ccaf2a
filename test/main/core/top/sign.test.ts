import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildTopRequest } from '../../../../src/main/core/top/client';
import { signTop, topSignBase, verifyTopSignature, type TopParams } from '../../../../src/main/core/top/sign';

/** The example published with the TOP signing documentation. */
const VECTOR: TopParams = {
  app_key: '12345678',
  fields: 'num_iid,title,nick,price,num',
  format: 'json',
  method: 'taobao.item.seller.get',
  num_iid: '11223344',
  session: 'test',
  sign_method: 'md5',
  timestamp: '2016-01-01 12:00:00',
  v: '2.0',
};
const VECTOR_BASE =
  'app_key12345678fieldsnum_iid,title,nick,price,numformatjsonmethodtaobao.item.seller.getnum_iid11223344sessiontestsign_methodmd5timestamp2016-01-01 12:00:00v2.0';

describe('signTop', () => {
  it('passes the published md5 vector', () => {
    expect(signTop(VECTOR, 'helloworld', 'md5')).toBe('66987CB115214E59E6EC978214934FB8');
  });

  it('joins name and value pairs in byte order', () => {
    expect(topSignBase(VECTOR)).toBe(VECTOR_BASE);
    // Upper case sorts before lower case; a prefix before its extensions.
    expect(topSignBase({ b: '2', a: '1', ab: '3', Z: '0' })).toBe('Z0a1ab3b2');
    // UTF-8 byte order, not UTF-16 order: U+FF21 (EF BC A1) before U+1F600 (F0 9F 98 80).
    expect(topSignBase({ '\u{1F600}': 'x', '\uFF21': 'y' })).toBe('\uFF21y\u{1F600}x');
  });

  it('leaves out sign and empty values', () => {
    expect(topSignBase({ ...VECTOR, sign: 'ABC', empty: '', missing: undefined })).toBe(VECTOR_BASE);
    expect(signTop({ ...VECTOR, sign: 'ABC', empty: '' }, 'helloworld', 'md5')).toBe(
      '66987CB115214E59E6EC978214934FB8',
    );
  });

  it('signs HMAC-MD5 and HMAC-SHA256 over the same string, keyed by the secret', () => {
    expect(signTop(VECTOR, 'helloworld', 'hmac')).toBe(
      createHmac('md5', 'helloworld').update(VECTOR_BASE).digest('hex').toUpperCase(),
    );
    expect(signTop(VECTOR, 'helloworld', 'hmac-sha256')).toBe(
      createHmac('sha256', 'helloworld').update(VECTOR_BASE).digest('hex').toUpperCase(),
    );
    expect(signTop(VECTOR, 'helloworld', 'hmac-sha256')).toMatch(/^[0-9A-F]{64}$/);
  });

  it('hashes raw UTF-8, not URL-encoded text', () => {
    const params = { app_key: '1', client_info: '卖家 工作台&x=1' };
    const expected = createHash('md5')
      .update(Buffer.from('s' + 'app_key1client_info卖家 工作台&x=1' + 's', 'utf8'))
      .digest('hex')
      .toUpperCase();
    expect(signTop(params, 's', 'md5')).toBe(expected);
  });
});

describe('verifyTopSignature', () => {
  const signed = (method: 'md5' | 'hmac' | 'hmac-sha256') => {
    const p = { ...VECTOR, sign_method: method };
    return { ...p, sign: signTop(p, 'helloworld', method) };
  };

  it('accepts a request signed by any of the three methods', () => {
    for (const m of ['md5', 'hmac', 'hmac-sha256'] as const)
      expect(verifyTopSignature(signed(m), 'helloworld')).toBe(true);
  });

  it('accepts lower-case hex and assumes md5 when sign_method is absent', () => {
    const { sign_method: _unused, ...rest } = VECTOR;
    const sign = signTop(rest, 'k', 'md5').toLowerCase();
    expect(verifyTopSignature({ ...rest, sign }, 'k')).toBe(true);
  });

  it('refuses a changed field, a wrong secret, a missing sign and an unknown method', () => {
    const good = signed('hmac-sha256');
    expect(verifyTopSignature({ ...good, num_iid: '11223345' }, 'helloworld')).toBe(false);
    expect(verifyTopSignature({ ...good, extra: 'x' }, 'helloworld')).toBe(false);
    expect(verifyTopSignature(good, 'helloworld2')).toBe(false);
    expect(verifyTopSignature({ ...good, sign: undefined }, 'helloworld')).toBe(false);
    expect(verifyTopSignature({ ...good, sign: 'ABC' }, 'helloworld')).toBe(false);
    expect(verifyTopSignature({ ...good, sign_method: 'sha1' }, 'helloworld')).toBe(false);
  });
});

describe('timestamp', () => {
  it('is China wall time whatever the machine zone (here New York)', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      // 2026-01-15 04:30:00 UTC: 23:30 the day before in New York, 12:30 in China.
      const instant = Date.UTC(2026, 0, 15, 4, 30, 0);
      expect(new Date(instant).getHours()).toBe(23);
      const form = buildTopRequest({
        method: 'm',
        appKey: 'k',
        secret: 's',
        session: 'x',
        signMethod: 'md5',
        now: instant,
        params: {},
      });
      expect(form.timestamp).toBe('2026-01-15 12:30:00');
      expect(verifyTopSignature(form, 's')).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
