import { describe, expect, it } from 'vitest';
import { idString, parseJsonLossless } from '../../../src/main/core/json';

describe('parseJsonLossless', () => {
  it('keeps a 19-digit tid digit for digit where JSON.parse rounds it', () => {
    const text = '{"tid":1588826713157361977,"oid":1588821237361977,"payment":"48.00","n":3}';
    expect((JSON.parse(text) as { tid: number }).tid).not.toBe(1588826713157361977n.toString());
    const v = parseJsonLossless(text) as Record<string, unknown>;
    expect(v.tid).toBe('1588826713157361977');
    expect(idString(v.oid)).toBe('1588821237361977');
    expect(v.payment).toBe('48.00');
    expect(v.n).toBe(3);
  });
  it('throws on invalid JSON', () => {
    expect(() => parseJsonLossless('<html>502</html>')).toThrow();
  });
});
