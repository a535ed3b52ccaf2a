/** The team server's URL: redis:// or rediss:// only, its password split off, never shown. */
import { describe, expect, it } from 'vitest';
import { parseTeamUrl, redactTeamUrl } from '../../../../src/main/core/team/url';

describe('team server URL', () => {
  it('splits the password off what a cloud console shows', () => {
    expect(parseTeamUrl('rediss://:p%40ss@r-bp1.redis.rds.aliyuncs.com:6380')).toEqual({
      ok: true,
      value: { url: 'rediss://r-bp1.redis.rds.aliyuncs.com:6380', password: 'p@ss' },
    });
    expect(parseTeamUrl(' redis://user:pw@10.0.0.5:6379/2 ')).toEqual({
      ok: true,
      value: { url: 'redis://user@10.0.0.5:6379/2', password: 'pw' },
    });
    expect(parseTeamUrl('redis://127.0.0.1:6379')).toEqual({ ok: true, value: { url: 'redis://127.0.0.1:6379' } });
  });

  it.each(['', 'http://host:6379', 'host:6379', 'redis://', 'redis://h:1/db', 'redis://h:1/?x=1', 'redis://h#f'])(
    'refuses %j with a message',
    (text) => {
      const r = parseTeamUrl(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/团队服务器/);
    },
  );

  it('never shows a password', () => {
    expect(redactTeamUrl('rediss://:secret@h:6380')).not.toContain('secret');
    expect(redactTeamUrl('not a url')).toBe('(invalid URL)');
  });
});
