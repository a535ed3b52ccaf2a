import { describe, expect, it } from 'vitest';
import { confirmHostChanges, hostChangesToConfirm, hostOf, isLoopbackHost } from '../../../src/main/core/hostChange';
import type { HostChangeQuestion } from '../../../src/main/core/ports';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/shared/settings';

const base: Settings = structuredClone(DEFAULT_SETTINGS);
const change = (over: Partial<Settings>, from: Partial<Settings> = {}) =>
  hostChangesToConfirm({ ...base, ...from }, { ...base, ...from, ...over });

describe("which base URL changes need the user's yes", () => {
  it('a new gateway or router host does, named with its port, saying whether it is plain http', () => {
    expect(change({ gatewayBaseUrl: 'http://evil.example:8080/x' })).toEqual([
      { setting: 'gatewayBaseUrl', url: 'http://evil.example:8080/x', host: 'evil.example:8080', plainHttp: true },
    ]);
    expect(change({ topBaseUrl: 'https://Router.Example/rest', gatewayBaseUrl: 'https://gw.example' })).toEqual([
      { setting: 'gatewayBaseUrl', url: 'https://gw.example', host: 'gw.example', plainHttp: false },
      { setting: 'topBaseUrl', url: 'https://Router.Example/rest', host: 'router.example', plainHttp: false },
    ]);
  });

  it('the loopback simulator does not, nor the same host reached as safely or more', () => {
    for (const url of ['http://127.0.0.1:8787', 'http://localhost:3000', 'http://[::1]:9', 'http://127.1.2.3'])
      expect(change({ gatewayBaseUrl: url })).toEqual([]);
    expect(change({ gatewayBaseUrl: 'https://api.vv-tool.com' })).toEqual([]);
    expect(change({ gatewayBaseUrl: 'http://api.vv-tool.com/other/path' })).toEqual([]);
    expect(change({ language: 'en' })).toEqual([]);
  });

  it('leaving loopback for a real host does, and so does https → http on the same host', () => {
    expect(
      change({ gatewayBaseUrl: 'http://api.vv-tool.com' }, { gatewayBaseUrl: 'http://127.0.0.1:8787' }),
    ).toHaveLength(1);
    expect(change({ topBaseUrl: 'http://eco.taobao.com/router/rest' })).toEqual([
      { setting: 'topBaseUrl', url: 'http://eco.taobao.com/router/rest', host: 'eco.taobao.com', plainHttp: true },
    ]);
  });

  it('a new team server host does, redis:// counted as clear text; loopback and redis → rediss do not', () => {
    const team = (url: string) => ({ team: { ...base.team, url } });
    expect(change(team('redis://Team.Example:6379'))).toEqual([
      { setting: 'teamUrl', url: 'redis://Team.Example:6379', host: 'team.example:6379', plainHttp: true },
    ]);
    expect(change(team('rediss://team.example:6380'))).toEqual([
      { setting: 'teamUrl', url: 'rediss://team.example:6380', host: 'team.example:6380', plainHttp: false },
    ]);
    expect(change(team('redis://127.0.0.1:6379'))).toEqual([]);
    expect(change(team(''), team('rediss://team.example:6380'))).toEqual([]);
    expect(change(team('rediss://team.example:6379'), team('redis://team.example:6379'))).toEqual([]);
    expect(change(team('redis://team.example:6379'), team('rediss://team.example:6379'))).toHaveLength(1);
  });

  it('knows loopback names and hosts', () => {
    expect(['localhost', '127.0.0.1', '[::1]', 'LOCALHOST'].every(isLoopbackHost)).toBe(true);
    expect(['127.0.0.1.evil.example', 'localhost.example', '10.0.0.1', '0.0.0.0'].some(isLoopbackHost)).toBe(false);
    expect([hostOf('https://A.example:443/x'), hostOf('http://a.example:81'), hostOf('nope')]).toEqual([
      'a.example',
      'a.example:81',
      undefined,
    ]);
  });
});

describe('confirmHostChanges', () => {
  const after = { ...base, gatewayBaseUrl: 'http://gw.example', topBaseUrl: 'https://router.example/rest' };

  it('asks about each new host in turn and passes when every one is confirmed', async () => {
    const asked: string[] = [];
    const yes = async (q: HostChangeQuestion) => (asked.push(q.host), true);
    expect(await confirmHostChanges(base, after, yes)).toEqual({ ok: true, value: undefined });
    expect(asked).toEqual(['gw.example', 'router.example']);
  });

  it('stops at the first no, naming that host; with no way to ask, refuses as unconfirmable', async () => {
    const asked: string[] = [];
    const no = async (q: HostChangeQuestion) => (asked.push(q.host), false);
    const declined = await confirmHostChanges(base, after, no);
    expect(declined.ok || declined.error).toMatchObject({
      kind: 'validation',
      code: 'host_change_declined',
      params: { setting: 'gatewayBaseUrl', host: 'gw.example' },
    });
    expect(asked).toEqual(['gw.example']);
    const unasked = await confirmHostChanges(base, after, undefined);
    expect(unasked.ok || unasked.error.code).toBe('host_change_unconfirmable');
    expect((await confirmHostChanges(base, { ...base, language: 'en' }, undefined)).ok).toBe(true);
  });
});
