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
  it('names the host and the address, says the secrets stay, and warns about plain http', () => {
    const box = hostChangeBox(Q);
    expect(box.message).toContain('evil.example:8080');
    expect(box.detail).toContain('http://evil.example:8080/x');
    expect(box.detail).toMatch(/不会发往新地址.*not sent to the new address/s);
    expect(box.detail).toMatch(/明文.*in clear/s);
    expect(hostChangeBox({ ...Q, plainHttp: false }).detail).not.toMatch(/in clear/);
    expect(hostChangeBox({ ...Q, setting: 'topBaseUrl' }).message).toContain('淘宝开放平台地址');
  });

  it('has Cancel first, as the default and the Esc answer', () => {
    const box = hostChangeBox(Q);
    expect(box.buttons![CANCEL]).toMatch(/取消/);
    expect(box.buttons![CHANGE]).toContain('evil.example:8080');
    expect([box.defaultId, box.cancelId, box.noLink]).toEqual([CANCEL, CANCEL, true]);
  });

  it('is yes only for the Change button, modal to the focused window when there is one', async () => {
    const window = {} as BaseWindow;
    const yes = fakeDialog(CHANGE);
    expect(await confirmHostChangeWith(yes.dialog, () => window)(Q)).toBe(true);
    expect(yes.shown[0]!.parent).toBe(window);
    const no = fakeDialog(CANCEL);
    expect(await confirmHostChangeWith(no.dialog, () => null)(Q)).toBe(false);
    expect(no.shown[0]!.parent).toBeUndefined();
  });
});
