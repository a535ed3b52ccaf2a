/**
 * The team server's address. Users paste what their cloud console shows
 * (`redis://:password@host:6379/0`, `rediss://user:password@host:6380`); the password is split off
 * and kept as a secret (encrypted at rest like the token), the rest is a plain setting that may be
 * shown and logged.
 */
import { err, ok, type Result } from '../../../shared/result';

export interface TeamAddress {
  /** The URL without its password: safe to show and to log. */
  url: string;
  /** The password the pasted URL carried, if any. */
  password?: string;
}

const MAX_URL = 2048;

/** Checks a redis:// or rediss:// URL and splits its password off. */
export function parseTeamUrl(text: string): Result<TeamAddress, string> {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_URL)
    return err('团队服务器地址无效 (the team server URL is empty or too long)');
  let u: URL;
  try {
    u = new URL(trimmed);
  } catch {
    return err('团队服务器地址无效：应为 redis:// 或 rediss:// 开头 (the URL must start with redis:// or rediss://)');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    return err('团队服务器地址无效：应为 redis:// 或 rediss:// 开头 (the URL must start with redis:// or rediss://)');
  if (u.hostname === '') return err('团队服务器地址缺少主机名 (the URL has no host)');
  if (u.search !== '' || u.hash !== '') return err('团队服务器地址不能带 ? 或 # 参数 (no query or fragment)');
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db))
    return err('团队服务器地址的数据库编号无效 (the database number must be 0..99)');
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
