/**
 * Secrets never reach a log line: every known secret value, any `Bearer …` credential and any
 * token-like query or form field is replaced by `***` before a line is written. Pure, so the core,
 * the CLI and the Electron log hook share it.
 */
import type { AppError } from '../../shared/errors';
import { boundError, mapErrorText } from './bounded';

export const REDACTED = '***';

/** Secret values as the settings store hands them out: unset ones are null. */
export type SecretValues = readonly (string | null | undefined)[];

const BEARER = /\b(Bearer\s+)[^\s"',;]+/gi;
const SECRET_FIELDS =
  /\b(access_token|token|session|top_session|app_secret|secret|sign)(["']?\s*[=:]\s*["']?)[^\s"'&,;}]+/gi;

/** Replaces the secrets in one string. */
export function redactSecrets(text: string, secrets: SecretValues = []): string {
  let out = text;
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
  // Longest first, so a secret that contains another is replaced whole.
  for (const secret of known.sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
  return out.replace(BEARER, `$1${REDACTED}`).replace(SECRET_FIELDS, `$1$2${REDACTED}`);
}

/** An error whose text came from the wire may quote the request back: scrub it where it is made,
 * so no face (UI, CLI, log) ever holds the secret. */
export function redactError(e: AppError, secrets: SecretValues): AppError {
  const scrubbed = mapErrorText(e, (text) => redactSecrets(text, secrets));
  const authUrl = e.authUrl === undefined ? undefined : redactSecrets(e.authUrl, secrets);
  return authUrl === e.authUrl ? scrubbed : { ...scrubbed, authUrl };
}

/** An error as a client hands it out: the secrets it was called with scrubbed, then the text it
 * quotes bounded (in that order: a secret cut in half would no longer be recognised). */
export function clientError(e: AppError, secrets: SecretValues): AppError {
  return boundError(redactError(e, secrets));
}

/** Redacts every string inside a log argument (objects, arrays, errors), leaving the original alone. */
export function redactDeep(value: unknown, secrets: SecretValues = [], depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value, secrets);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) {
    const copy = new Error(redactSecrets(value.message, secrets));
    copy.name = value.name;
    copy.stack = value.stack === undefined ? undefined : redactSecrets(value.stack, secrets);
    return copy;
  }
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, secrets, depth + 1);
  return out;
}
