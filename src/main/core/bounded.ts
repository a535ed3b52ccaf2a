/**
 * Text from outside quoted in an error (a gateway `msg`, a TOP `sub_msg`, an error page, a
 * parser's words about wire content) is bounded where the error is made: enough to say what went
 * wrong, and a 200,000-character answer cannot fill the window, the log, the CLI's output, the
 * journal or memory.
 */
import type { AppError } from '../../shared/errors';

/** The longest error message (or reason), in characters, once outside text is in it. */
export const ERROR_TEXT_MAX = 300;
/** An authorisation link longer than this is no link to show: it is dropped, never cut. */
export const LINK_MAX = 2_048;
/** A code from the wire (a TOP sub_code) is a short name. */
export const CODE_MAX = 100;

/** At most `max` characters, a surrogate pair never split, `…` where it was cut. */
export function boundText(text: string, max = ERROR_TEXT_MAX): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

/**
 * An error as a client hands it out: its message bounded, an overlong link dropped. Apply after
 * redaction (redactError): a secret cut in half would no longer be recognised.
 */
export function boundError(e: AppError): AppError {
  const message = boundText(e.message);
  const code = typeof e.code === 'string' ? boundText(e.code, CODE_MAX) : e.code;
  const dropLink = e.authUrl !== undefined && e.authUrl.length > LINK_MAX;
  if (message === e.message && code === e.code && !dropLink) return e;
  const { authUrl, ...rest } = e;
  return {
    ...rest,
    message,
    ...(code !== undefined && { code }),
    ...(authUrl !== undefined && !dropLink && { authUrl }),
  };
}
