/**
 * Which URL changes the user must confirm before they are saved. A call from the window can point
 * the gateway, the TOP router or the team server (which receives every order in team mode)
 * anywhere (a compromised page, a mistyped address): the new host is named in a dialog the window
 * cannot answer (ConfirmHostChange). Exempt: a loopback host (the local gateway of demo mode and
 * tests, a team server on this computer: nothing leaves it), and the same host reached at least as
 * safely (http → https, redis → rediss). Whatever is confirmed, a secret still goes only to the
 * host it was entered for (settings.ts).
 */
import { appError } from '../../shared/errors';
import { err, ok, type Result } from '../../shared/result';
import type { Settings } from '../../shared/settings';
import type { ConfirmHostChange, HostChangeQuestion } from './ports';

const URL_SETTINGS: readonly { setting: HostChangeQuestion['setting']; url: (s: Settings) => string }[] = [
  { setting: 'gatewayBaseUrl', url: (s) => s.gatewayBaseUrl },
  { setting: 'topBaseUrl', url: (s) => s.topBaseUrl },
  { setting: 'teamUrl', url: (s) => s.team.url },
];

/** The schemes whose traffic crosses the network in clear, and the encrypted form of each. */
const SECURED: Record<string, string> = { 'http:': 'https:', 'redis:': 'rediss:' };

/** Host and port of a URL, lower case; undefined when it is not one. */
export function hostOf(url: string): string | undefined {
  return URL.parse(url)?.host.toLowerCase() || undefined;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The changes between two settings that need the user's yes, in the order to ask them. */
export function hostChangesToConfirm(before: Settings, after: Settings): HostChangeQuestion[] {
  const questions: HostChangeQuestion[] = [];
  for (const { setting, url } of URL_SETTINGS) {
    if (url(before) === url(after)) continue;
    const from = URL.parse(url(before));
    const to = URL.parse(url(after));
    if (!to || to.host === '' || isLoopbackHost(to.hostname)) continue;
    const sameHost = from !== null && from.host.toLowerCase() === to.host.toLowerCase();
    const downgrade = from !== null && SECURED[to.protocol] === from.protocol;
    if (sameHost && !downgrade) continue;
    questions.push({ setting, url: url(after), host: to.host.toLowerCase(), plainHttp: to.protocol in SECURED });
  }
  return questions;
}

/** Asks about each change in turn, before anything is saved: the first one not confirmed (or with
 * no `confirm` to ask, as in the CLI) refuses the whole change. */
export async function confirmHostChanges(
  before: Settings,
  after: Settings,
  confirm: ConfirmHostChange | undefined,
): Promise<Result<void>> {
  for (const question of hostChangesToConfirm(before, after)) {
    if ((await confirm?.(question)) === true) continue;
    const { setting, host } = question;
    return err(
      appError('validation', confirm ? 'host_change_declined' : 'host_change_unconfirmable', { setting, host }),
    );
  }
  return ok(undefined);
}
