import { useId, useState } from 'react';
import type { SecretName } from '../../shared/api';
import type { AppError } from '../../shared/errors';
import type { PublicSettings } from '../../shared/settings';
import { useApi } from '../api';
import { useT } from '../i18n';
import { ErrorMessage } from './ErrorMessage';

/** A secret is written or cleared, never read back: the field shows only whether one is set. */
export function SecretField({
  name,
  label,
  isSet,
  onSettings,
}: {
  name: SecretName;
  label: string;
  isSet: boolean;
  onSettings: (s: PublicSettings) => void;
}) {
  const t = useT();
  const api = useApi();
  const id = useId();
  const [value, setValue] = useState('');
  const [result, setResult] = useState<{ ok: string } | { error: AppError } | null>(null);

  async function write(next: string | null) {
    const r = await api.setSecret(name, next);
    if (r.ok) {
      setValue('');
      onSettings(r.value);
      setResult({ ok: next === null ? t.secretCleared : t.secretSaved });
    } else setResult({ error: r.error });
  }

  return (
    <div className="secret-field">
      <div className="field-head">
        <label htmlFor={id}>{label}</label>
        <span className={isSet ? 'secret-state set' : 'secret-state'}>{isSet ? t.isSet : t.notSet}</span>
      </div>
      <div className="field-row">
        <input
          id={id}
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={t.secretPlaceholder}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={(e) => {
            // Enter sets this secret rather than submitting the settings form around it.
            if (e.key !== 'Enter') return;
            e.preventDefault();
            if (value.trim() !== '') void write(value.trim());
          }}
        />
        <button
          type="button"
          aria-label={t.saveSecretOf(label)}
          disabled={value.trim() === ''}
          onClick={() => void write(value.trim())}
        >
          {t.setSecret}
        </button>
        <button type="button" aria-label={t.clearSecretOf(label)} disabled={!isSet} onClick={() => void write(null)}>
          {t.clearSecret}
        </button>
      </div>
      <div role="status" className="result">
        {result && ('ok' in result ? result.ok : <ErrorMessage error={result.error} />)}
      </div>
    </div>
  );
}
