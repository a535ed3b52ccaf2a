import { describe, expect, it } from 'vitest';
import type { BaseWindow, MessageBoxOptions } from 'electron';
import { CANCEL, CHANGE, confirmHostChangeWith, hostChangeBox } from '../../../src/main/electron/confirmHost';
import type { HostChangeQuestion } from '../../../src/main/core/ports';

const Q: HostChangeQuestion = {
  setting: 'gatewayBaseUrl',
  url: 'http://evil.example:8080/x',
  host: 'evil.example:8080',
  plainHttp: true,
};

/** A dialog that answers `response` and keeps what it was shown. */
function fakeDialog(response: number) {
  const shown: { parent?: BaseWindow; options: MessageBoxOptions }[] = [];
  const showMessageBox = (async (a: BaseWindow | MessageBoxOptions, b?: MessageBoxOptions) => {
    shown.push(b ? { parent: a as BaseWindow, options: b } : { options: a as MessageBoxOptions });
    return { response, checkboxChecked: false };
  }) as never;
  return { shown, dialog: { showMessageBox } };
}

describe('the host change dialog', () => {
  it('names the host and the address, says the secrets stay, and warns about plain http, in Chinese by default', () => {
    const box = hostChangeBox(Q, 'zh-CN');
    expect(box.message).toBe('把网关地址改为 evil.example:8080？');
    expect(box.detail).toContain('http://evil.example:8080/x');
    expect(box.detail).toContain('已填写的密钥不会发往新地址');
    expect(box.detail).toContain('明文');
    expect(hostChangeBox({ ...Q, plainHttp: false }, 'zh-CN').detail).not.toContain('明文');
    expect(hostChangeBox({ ...Q, setting: 'topBaseUrl' }, 'zh-CN').message).toContain('淘宝开放平台地址');
  });

  it("speaks only the user's language", () => {
    const en = hostChangeBox(Q, 'en');
    expect(en.message).toBe('Change the gateway address to evil.example:8080?');
    expect(en.detail).toMatch(/not sent to the new address.*in clear/s);
    expect(en.buttons).toEqual(['Cancel', 'Change to evil.example:8080']);
    for (const text of [en.message, en.detail, ...en.buttons!]) expect(text).not.toMatch(/[\u4e00-\u9fff]/);
    const zh = hostChangeBox(Q, 'zh-CN');
    for (const text of [zh.message, zh.detail, ...zh.buttons!]) expect(text).not.toMatch(/\b(Change|Cancel|clear)\b/);
  });

  it('names the team server, and warns about redis:// in clear, in either language', () => {
    const team: HostChangeQuestion = {
      setting: 'teamUrl',
      url: 'redis://team.example:6379',
      host: 'team.example:6379',
      plainHttp: true,
    };
    const zh = hostChangeBox(team, 'zh-CN');
    expect(zh.message).toBe('把团队服务器地址改为 team.example:6379？');
    expect(zh.detail).toMatch(/redis:\/\/.*明文/s);
    const en = hostChangeBox(team, 'en');
    expect(en.message).toBe('Change the team server address to team.example:6379?');
    expect(en.detail).toMatch(/not encrypted \(http:\/\/ or redis:\/\/\).*in clear/s);
  });

  it('has Cancel first, as the default and the Esc answer', () => {
    const box = hostChangeBox(Q, 'zh-CN');
    expect(box.buttons![CANCEL]).toBe('取消');
    expect(box.buttons![CHANGE]).toContain('evil.example:8080');
    expect([box.defaultId, box.cancelId, box.noLink]).toEqual([CANCEL, CANCEL, true]);
  });

  it('is yes only for the Change button, modal to the focused window when there is one, in the language of the moment', async () => {
    const window = {} as BaseWindow;
    const yes = fakeDialog(CHANGE);
    expect(
      await confirmHostChangeWith(
        yes.dialog,
        () => window,
        () => 'en',
      )(Q),
    ).toBe(true);
    expect(yes.shown[0]!.parent).toBe(window);
    expect(yes.shown[0]!.options.buttons![CANCEL]).toBe('Cancel');
    const no = fakeDialog(CANCEL);
    expect(
      await confirmHostChangeWith(
        no.dialog,
        () => null,
        () => 'zh-CN',
      )(Q),
    ).toBe(false);
    expect(no.shown[0]!.parent).toBeUndefined();
  });
});
