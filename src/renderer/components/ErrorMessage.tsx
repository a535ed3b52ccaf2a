import type { ReactNode } from 'react';
import type { AppError } from '../../shared/errors';
import { isAllowedExternalUrl } from '../../shared/links';
import { useApi } from '../api';
import { useT } from '../i18n';

/**
 * What went wrong and what to do; a 302's authorisation link becomes a button, or plain text to
 * copy when main would refuse to open it.
 */
export function ErrorMessage({ error }: { error: AppError }) {
  const t = useT();
  const api = useApi();
  const authUrl = error.authUrl;
  return (
    <span className="error-message">
      <span className="error-text">{t.describe(error)}</span>
      {authUrl !== undefined &&
        (isAllowedExternalUrl(authUrl) ? (
          <button type="button" className="link-button" onClick={() => void api.openExternal(authUrl)}>
            {t.authorize}
          </button>
        ) : (
          <span className="auth-url">{authUrl}</span>
        ))}
    </span>
  );
}

/**
 * A status line's content: the words given for its kind, or the error's own words when it failed.
 * Nothing for no status, or a kind given no words.
 */
export function StatusWords<K extends string>({
  status,
  words,
}: {
  status: { kind: K } | { kind: 'error'; error: AppError } | null | undefined;
  words: Partial<Record<K, ReactNode>>;
}) {
  if (!status) return null;
  if ('error' in status) return <ErrorMessage error={status.error} />;
  return words[status.kind];
}
