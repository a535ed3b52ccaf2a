/**
 * The team server's address. Users paste what their cloud console shows
 * (`redis://:password@host:6379/0`, `rediss://user:password@host:6380`); the password is split off
 * and kept as a secret (encrypted at rest like the token), the rest is a plain setting that may be
 * shown and logged.
 */
import { appError, type AppErrorOf, type TeamUrlProblem } from '../../../shared/errors';
import { err, ok, type Result } from '../../../shared/result';

export interface TeamAddress {
  /** The URL without its password: safe to show and to log. */
  url: string;
  /** The password the pasted URL carried, if any. */
  password?: string;
}

const MAX_URL = 2048;

/** Checks a redis:// or rediss:// URL and splits its password off. */
export function parseTeamUrl(text: string): Result<TeamAddress, AppErrorOf<'bad_team_url'>> {
  const refused = (problem: TeamUrlProblem) => err(appError('validation', 'bad_team_url', { problem }));
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_URL) return refused('empty_or_long');
  const u = URL.parse(trimmed);
  if (!u || (u.protocol !== 'redis:' && u.protocol !== 'rediss:')) return refused('scheme');
  if (u.hostname === '') return refused('no_host');
  if (u.search !== '' || u.hash !== '') return refused('query');
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) return refused('database');
  const password = u.password === '' ? undefined : decodeURIComponent(u.password);
  u.password = '';
  // URL keeps a bare "user@" when the password goes; without a user it keeps nothing.
  return ok({ url: u.toString().replace(/\/$/, ''), ...(password !== undefined && { password }) });
}

/** The URL as it may appear in a log or on screen, whatever it holds. */
export function redactTeamUrl(text: string): string {
  try {
    const u = new URL(text);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}
