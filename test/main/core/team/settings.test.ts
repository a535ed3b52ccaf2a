/**
 * Team settings through the core: a pasted URL's password goes to the secrets (never to the
 * settings, the window or the log) and is kept for the server's host, a new team server host is
 * confirmed like a new gateway, team mode needs a URL, and it is off by default.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../../../src/main/core/core';
import { MemorySettingsStore, type HostChangeQuestion } from '../../../../src/main/core/ports';
import { DEFAULT_SETTINGS } from '../../../../src/shared/settings';

async function core(answer = true) {
  const store = new MemorySettingsStore(structuredClone(DEFAULT_SETTINGS));
  const questions: HostChangeQuestion[] = [];
  const c = await Core.create({
    dataDir: await mkdtemp(join(tmpdir(), 'tradebell-teamset-')),
    settings: store,
    demo: false,
    confirmHostChange: async (q) => {
      questions.push(q);
      return answer;
    },
  });
  return { c, store, questions };
}

describe('team settings', () => {
  it('keeps a pasted password as a secret, not in the settings', async () => {
    const { c, store } = await core();
    const r = await c.updateSettings({
      team: { enabled: false, url: 'rediss://:s3cr3t-pw@h.example:6380', seat: '前台' },
    });
    expect(r.ok).toBe(true);
    expect(JSON.stringify(store.load())).not.toContain('s3cr3t-pw');
    expect(store.getSecret('teamPassword')).toBe('s3cr3t-pw');
    const pub = c.getSettings();
    expect(pub.team.url).toBe('rediss://h.example:6380');
    expect(pub.teamPasswordSet).toBe(true);
    expect(JSON.stringify(pub)).not.toContain('s3cr3t-pw');
    await c.stop();
  });

  it('asks before a new team server host; refused, neither the URL nor its password is kept', async () => {
    const { c, store, questions } = await core(false);
    const r = await c.updateSettings({ team: { enabled: true, url: 'redis://:pw-1@evil.example:6379', seat: 'a' } });
    expect(!r.ok && r.error).toMatchObject({
      code: 'host_change_declined',
      params: { setting: 'teamUrl', host: 'evil.example:6379' },
    });
    expect(questions).toEqual([
      { setting: 'teamUrl', url: 'redis://evil.example:6379', host: 'evil.example:6379', plainHttp: true },
    ]);
    expect(c.getSettings().team).toEqual(DEFAULT_SETTINGS.team);
    expect(store.getSecret('teamPassword')).toBeNull();
    // A team server on this computer needs no yes.
    expect((await c.updateSettings({ team: { enabled: false, url: 'redis://127.0.0.1:6390', seat: '' } })).ok).toBe(
      true,
    );
    expect(questions).toHaveLength(1);
    await c.stop();
  });

  it('keeps the password for the host it came with: not handed to another server', async () => {
    const { c, store } = await core();
    await c.updateSettings({ team: { enabled: false, url: 'rediss://:pw-a@a.example:6380', seat: '' } });
    expect(c.getSettings()).toMatchObject({ teamPasswordSet: true, secretHosts: { teamPassword: 'a.example:6380' } });
    await c.updateSettings({ team: { enabled: false, url: 'rediss://b.example:6380', seat: '' } });
    expect(c.getSettings().teamPasswordSet).toBe(false);
    expect(store.getSecret('teamPassword')).toBe('pw-a');
    await c.updateSettings({ team: { enabled: false, url: 'rediss://a.example:6380', seat: '' } });
    expect(c.getSettings().teamPasswordSet).toBe(true);
    // Pasted with a new URL, the password is kept for that URL's host.
    await c.updateSettings({ team: { enabled: false, url: 'rediss://:pw-b@b.example:6380', seat: '' } });
    expect(c.getSettings()).toMatchObject({ teamPasswordSet: true, secretHosts: { teamPassword: 'b.example:6380' } });
    await c.stop();
  });

  it('refuses team mode without a server, and a URL that is not redis', async () => {
    const { c } = await core();
    const none = await c.updateSettings({ team: { enabled: true, url: '', seat: '' } });
    expect(none.ok).toBe(false);
    expect(!none.ok && none.error).toMatchObject({ code: 'bad_team_url', params: { problem: 'empty_or_long' } });
    const http = await c.updateSettings({ team: { enabled: true, url: 'http://h:6379', seat: '' } });
    expect(!http.ok && http.error).toMatchObject({ code: 'bad_team_url', params: { problem: 'scheme' } });
    expect(c.getSettings().team.enabled).toBe(false);
    await c.stop();
  });

  it('is off by default: no team in the state', async () => {
    const { c } = await core();
    expect(DEFAULT_SETTINGS.team.enabled).toBe(false);
    expect(c.getState().team).toBeUndefined();
    await c.stop();
  });
});
