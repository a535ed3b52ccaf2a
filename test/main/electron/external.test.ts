import { describe, expect, it, vi } from 'vitest';
import { openAllowedExternal } from '../../../src/main/electron/external';
import { orderPageUrl } from '../../../src/shared/links';

describe('openAllowedExternal', () => {
  it('opens an allowlisted https link', async () => {
    const shell = { openExternal: vi.fn(async () => undefined) };
    expect(await openAllowedExternal(shell, orderPageUrl('42'))).toEqual({ ok: true, value: undefined });
    expect(shell.openExternal).toHaveBeenCalledWith(orderPageUrl('42'));
  });

  it('hands the browser the parsed URL, not the raw text', async () => {
    const shell = { openExternal: vi.fn(async () => undefined) };
    await openAllowedExternal(shell, 'https://TRADE.taobao.com/a b');
    expect(shell.openExternal).toHaveBeenCalledWith('https://trade.taobao.com/a%20b');
  });

  it.each([
    'http://trade.taobao.com/',
    'javascript:alert(1)',
    'file:///C:/Windows/System32/calc.exe',
    'https://taobao.com.evil.com/',
    'https://x@trade.taobao.com/',
    'smb://evil/share',
  ])('refuses %s without calling the shell', async (url) => {
    const shell = { openExternal: vi.fn(async () => undefined) };
    expect(await openAllowedExternal(shell, url)).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  it('answers an error when the shell fails', async () => {
    const shell = { openExternal: vi.fn(async () => Promise.reject(new Error('no browser'))) };
    expect(await openAllowedExternal(shell, orderPageUrl('42'))).toMatchObject({
      ok: false,
      error: { kind: 'internal' },
    });
  });
});
