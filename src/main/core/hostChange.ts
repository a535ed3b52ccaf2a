/**
 * Which base URL changes the user must confirm before they are saved. A call from the window can
 * point the gateway or the TOP router anywhere (a compromised page, a mistyped address): the new
 * host is named in a dialog the window cannot answer (ConfirmHostChange). Exempt: a loopback host
 * (the local gateway of demo mode and tests: nothing leaves the computer), and the same host
 * reached at least as safely (http → https). Whatever is confirmed, a secret still goes only to
 * the host it was entered for (settings.ts).
 */
import type { Settings } from '../../shared/settings';
import type { HostChangeQuestion } from './ports';

const URL_SETTINGS = ['gatewayBaseUrl', 'topBaseUrl'] as const;

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
  for (const setting of URL_SETTINGS) {
    if (before[setting] === after[setting]) continue;
    const from = URL.parse(before[setting]);
    const to = URL.parse(after[setting]);
    if (!to || isLoopbackHost(to.hostname)) continue;
    const sameHost = from !== null && from.host.toLowerCase() === to.host.toLowerCase();
    const downgrade = from?.protocol === 'https:' && to.protocol === 'http:';
    if (sameHost && !downgrade) continue;
    questions.push({ setting, url: after[setting], host: to.host.toLowerCase(), plainHttp: to.protocol === 'http:' });
  }
  return questions;
}
