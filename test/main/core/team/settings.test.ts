/**
 * Team settings through the core: a pasted URL's password goes to the secrets (never to the
 * settings, the window or the log), team mode needs a URL, and demo mode never starts a seat.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../../../../src/main/core/core';
import { MemorySettingsStore } from '../../../../src/main/core/ports';
import { DEFAULT_SETTINGS } from '../../../../src/shared/settings';

async function core() {
  const store = new MemorySettingsStore(structuredClone(DEFAULT_SETTINGS));
  const c = await Core.create({
    dataDir: await mkdtemp(join(tmpdir(), 'tradebell-teamset-')),
    settings: store,
    demo: false,
  });
  return { c, store };
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

  it('refuses team mode without a server, and a URL that is not redis', async () => {
    const { c } = await core();
    const none = await c.updateSettings({ team: { enabled: true, url: '', seat: '' } });
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.error.message).toMatch(/团队服务器/);
    const http = await c.updateSettings({ team: { enabled: true, url: 'http://h:6379', seat: '' } });
    expect(http.ok).toBe(false);
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
