/**
 * The Electron side of the core's ConfirmHostChange port: a native message box in the main
 * process, which the window cannot answer or dismiss for the user. Cancel is the first button and
 * the default, so Enter, Esc or closing the box keep the old address, also where Windows has been
 * reported to focus the first button whatever `defaultId` says (electron/electron#18258).
 * A parent window makes the box modal to it and, on macOS, keeps it from blocking the main
 * process (a box without a parent runs synchronously there).
 */
import type { BaseWindow, Dialog, MessageBoxOptions } from 'electron';
import type { ConfirmHostChange, HostChangeQuestion } from '../core/ports';

const WHAT: Record<HostChangeQuestion['setting'], { zh: string; en: string }> = {
  gatewayBaseUrl: { zh: '网关地址', en: 'gateway address' },
  topBaseUrl: { zh: '淘宝开放平台地址', en: 'Taobao Open Platform address' },
  teamUrl: { zh: '团队服务器地址', en: 'team server address' },
};

export const CANCEL = 0;
export const CHANGE = 1;

/** The box that asks about one change. */
export function hostChangeBox(q: HostChangeQuestion): MessageBoxOptions {
  const what = WHAT[q.setting];
  const clear = q.plainHttp
    ? `\n\n这是不加密的地址（http:// 或 redis://）：发往它的内容以明文经过网络。\nThis address is not encrypted (http:// or redis://): what is sent to it crosses the network in clear.`
    : '';
  return {
    type: 'warning',
    title: 'TradeBell',
    message: `把${what.zh}改为 ${q.host}？\nChange the ${what.en} to ${q.host}?`,
    detail:
      `新地址：${q.url}\n只有您本人刚在设置里改了它，才选“改为 ${q.host}”。已填写的密钥不会发往新地址：需要时请为它重新填写。` +
      `\nNew address: ${q.url}\nChoose "Change" only if you just changed it in Settings yourself. Secrets already entered are not sent to the new address: enter them again for it if needed.` +
      clear,
    buttons: ['取消 Cancel', `改为 ${q.host} (Change)`],
    defaultId: CANCEL,
    cancelId: CANCEL,
    noLink: true,
  };
}

export function confirmHostChangeWith(
  dialog: Pick<Dialog, 'showMessageBox'>,
  parent: () => BaseWindow | null | undefined,
): ConfirmHostChange {
  return async (q) => {
    const options = hostChangeBox(q);
    const window = parent();
    const { response } = await (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options));
    return response === CHANGE;
  };
}
