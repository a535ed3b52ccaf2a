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

  it.each([
    ['', 'empty_or_long'],
    ['http://host:6379', 'scheme'],
    ['host:6379', 'scheme'],
    ['redis://', 'no_host'],
    ['redis://h:1/db', 'database'],
    ['redis://h:1/?x=1', 'query'],
    ['redis://h#f', 'query'],
  ] as const)('refuses %j, saying why (%s)', (text, problem) => {
    expect(parseTeamUrl(text)).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: 'validation', code: 'bad_team_url', params: { problem } }),
    });
  });

  it('never shows a password', () => {
    expect(redactTeamUrl('rediss://:secret@h:6380')).not.toContain('secret');
    expect(redactTeamUrl('not a url')).toBe('(invalid URL)');
  });
});
