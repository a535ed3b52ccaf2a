import { describe, expect, it } from 'vitest';
import { REDACTED, redactDeep, redactSecrets } from '../../../src/main/core/redact';

const TOKEN = 'tk_9f8e7d6c5b4a3210';

describe('redactSecrets', () => {
  it('replaces every known secret value', () => {
    expect(redactSecrets(`token ${TOKEN} and again${TOKEN}`, [TOKEN])).toBe(`token ${REDACTED} and again${REDACTED}`);
  });

  it('ignores unset secrets and replaces the longest first', () => {
    expect(redactSecrets('abcdef', [null, undefined, '', 'abc', 'abcdef'])).toBe(REDACTED);
  });

  it('replaces Bearer credentials it does not know', () => {
    expect(redactSecrets('Authorization: Bearer abc.def-123 sent')).toBe(`Authorization: Bearer ${REDACTED} sent`);
    expect(redactSecrets('authorization: bearer xyz')).toBe(`authorization: bearer ${REDACTED}`);
  });

  it('replaces token-like fields in query strings, forms and JSON', () => {
    expect(redactSecrets('GET /x?access_token=abc123&shop=1')).toBe(`GET /x?access_token=${REDACTED}&shop=1`);
    expect(redactSecrets('session=s3cr3t&app_key=1')).toBe(`session=${REDACTED}&app_key=1`);
    expect(redactSecrets('{"token":"abc","x":1}')).toBe(`{"token":"${REDACTED}","x":1}`);
  });

  it('leaves ordinary text alone', () => {
    const text = 'design: tokenSet is false; 3 new orders';
    expect(redactSecrets(text, ['zzz'])).toBe(text);
  });
});

describe('redactDeep', () => {
  it('redacts strings inside objects, arrays and errors without changing the original', () => {
    const original = { url: `https://x/?access_token=${TOKEN}`, nested: [{ header: `Bearer ${TOKEN}` }], n: 1 };
    const out = redactDeep(original, [TOKEN]);
    expect(JSON.stringify(out)).not.toContain(TOKEN);
    expect((out as { n: number }).n).toBe(1);
    expect(original.url).toContain(TOKEN);
    const error = redactDeep(new Error(`failed with ${TOKEN}`), [TOKEN]) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe(`failed with ${REDACTED}`);
    expect(error.stack).not.toContain(TOKEN);
  });
});
