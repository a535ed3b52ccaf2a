/**
 * Text from outside quoted in an error (a gateway `msg`, a TOP `sub_msg`, an error page, a
 * parser's words about wire content) is bounded where the error is made: enough to say what went
 * wrong, and a 200,000-character answer cannot fill the window, the log, the CLI's output, the
 * journal or memory.
 */
import type { AppError } from '../../shared/errors';

/** The longest outside text an error (or a reason) quotes, in characters. */
export const ERROR_TEXT_MAX = 300;
/** An authorisation link longer than this is no link to show: it is dropped, never cut. */
export const LINK_MAX = 2_048;
/** A code from the wire (a TOP sub_code, the `code` parameter) is a short name. */
export const CODE_MAX = 100;

/** At most `max` characters, a surrogate pair never split, `…` where it was cut. */
export function boundText(text: string, max = ERROR_TEXT_MAX): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

/**
 * The error with `f` applied to each text it quotes (its string parameters, also inside lists);
 * the same object when nothing changed.
 */
export function mapErrorText(e: AppError, f: (text: string, param: string) => string): AppError {
  let changed = false;
  const map = (text: string, param: string) => {
    const out = f(text, param);
    if (out !== text) changed = true;
    return out;
  };
  const params = Object.fromEntries(
    Object.entries(e.params).map(([k, v]) => [
      k,
      typeof v === 'string' ? map(v, k) : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? map(x, k) : x)) : v,
    ]),
  );
  return changed ? ({ ...e, params } as AppError) : e;
}

/**
 * An error as a client hands it out: the text it quotes bounded, an overlong link dropped. Apply
 * after redaction (redactError): a secret cut in half would no longer be recognised.
 */
export function boundError(e: AppError): AppError {
  const bounded = mapErrorText(e, (text, param) => boundText(text, param === 'code' ? CODE_MAX : ERROR_TEXT_MAX));
  if (bounded.authUrl === undefined || bounded.authUrl.length <= LINK_MAX) return bounded;
  const { authUrl: _dropped, ...rest } = bounded;
  return rest as AppError;
}
