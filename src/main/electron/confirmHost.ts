/**
 * The Electron side of the core's ConfirmHostChange port: a native message box in the main
 * process, which the window cannot answer or dismiss for the user. Cancel is the first button and
 * the default, so Enter, Esc or closing the box keep the old address, also where Windows has been
 * reported to focus the first button whatever `defaultId` says (electron/electron#18258).
 * A parent window makes the box modal to it and, on macOS, keeps it from blocking the main
 * process (a box without a parent runs synchronously there).
 */
import type { BaseWindow, Dialog, MessageBoxOptions } from 'electron';
import { messagesFor } from '../../shared/i18n';
import type { Language } from '../../shared/settings';
import type { ConfirmHostChange, HostChangeQuestion } from '../core/ports';

export const CANCEL = 0;
export const CHANGE = 1;

/** The box that asks about one change, in the user's language. */
export function hostChangeBox(q: HostChangeQuestion, language: Language): MessageBoxOptions {
  const m = messagesFor(language);
  const d = m.dialogs;
  return {
    type: 'warning',
    title: 'TradeBell',
    message: d.hostChangeMessage(m.addresses[q.setting], q.host),
    detail: d.hostChangeDetail(q.url, q.host) + (q.plainHttp ? `\n\n${d.hostChangePlainHttp}` : ''),
    buttons: [d.cancel, d.change(q.host)],
    defaultId: CANCEL,
    cancelId: CANCEL,
    noLink: true,
  };
}

export function confirmHostChangeWith(
  dialog: Pick<Dialog, 'showMessageBox'>,
  parent: () => BaseWindow | null | undefined,
  language: () => Language,
): ConfirmHostChange {
  return async (q) => {
    const options = hostChangeBox(q, language());
    const window = parent();
    const { response } = await (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options));
    return response === CHANGE;
  };
}
