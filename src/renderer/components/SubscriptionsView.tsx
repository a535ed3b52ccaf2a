import { useCallback, useEffect, useState } from 'react';
import type { SubscriptionState } from '../../shared/api';
import type { AppError } from '../../shared/errors';
import type { PublicSettings } from '../../shared/settings';
import { TOP_TOPICS, TOPIC_GROUPS } from '../../shared/topics';
import { useApi } from '../api';
import { useT } from '../i18n';
import { countTopics, subscriptionDiff } from '../subscriptionDiff';
import { StatusWords } from './ErrorMessage';

type Status =
  | { kind: 'loading' }
  | { kind: 'idle' }
  | { kind: 'applying' }
  | { kind: 'applied' }
  | { kind: 'error'; error: AppError };

/** The TOP message subscriptions, switched with one permit call carrying only the difference. */
export function SubscriptionsView({ settings }: { settings: PublicSettings }) {
  const t = useT();
  const api = useApi();
  const [current, setCurrent] = useState<SubscriptionState | null>(null);
  const [wanted, setWanted] = useState<Record<string, string[]>>({});
  const [status, setStatus] = useState<Status>({ kind: 'loading' });

  const adopt = (s: SubscriptionState) => {
    setCurrent(s);
    setWanted(s.subscribed);
  };

  const fetchState = useCallback(
    () =>
      api.getSubscriptions().then((r) => {
        if (r.ok) adopt(r.value);
        setStatus(r.ok ? { kind: 'idle' } : { kind: 'error', error: r.error });
      }),
    [api],
  );

  useEffect(() => {
    void fetchState();
  }, [fetchState]);

  const load = () => {
    setStatus({ kind: 'loading' });
    void fetchState();
  };

  const change = subscriptionDiff(current?.subscribed ?? {}, wanted);
  const opens = countTopics(change.open);
  const stops = countTopics(change.stop);
  const busy = status.kind === 'loading' || status.kind === 'applying';

  async function apply() {
    setStatus({ kind: 'applying' });
    const r = await api.changeSubscriptions(change);
    if (r.ok) adopt(r.value);
    setStatus(r.ok ? { kind: 'applied' } : { kind: 'error', error: r.error });
  }

  function toggle(group: string, topic: string, on: boolean) {
    const list = (wanted[group] ?? []).filter((x) => x !== topic);
    setWanted({ ...wanted, [group]: on ? [...list, topic] : list });
    if (status.kind === 'applied') setStatus({ kind: 'idle' });
  }

  const credentialsMissing = !settings.topAppKey || !settings.topSecretSet || !settings.topSessionSet;
  return (
    <section className="subscriptions" aria-label={t.subsTitle}>
      <div className="section-head">
        <h2>{t.subsTitle}</h2>
        <button type="button" className="small" disabled={busy} onClick={load}>
          {t.subsReload}
        </button>
      </div>
      {credentialsMissing && <p className="warning">{t.subsNeedCredentials}</p>}
      {current?.status && <p className="muted">{t.subsStatus(current.status)}</p>}
      {current &&
        TOPIC_GROUPS.map((group) => {
          // Topics the account has that this list does not name are shown too, so none is stopped unseen.
          const known: readonly string[] = TOP_TOPICS[group];
          const extra = (current.subscribed[group] ?? []).filter((n) => !known.includes(n));
          return (
            <fieldset key={group} className="topic-group">
              <legend>{t.topicGroups[group]}</legend>
              {[...known, ...extra].map((topic) => (
                <label key={topic} className="check">
                  <input
                    type="checkbox"
                    checked={(wanted[group] ?? []).includes(topic)}
                    disabled={busy}
                    onChange={(e) => toggle(group, topic, e.target.checked)}
                  />
                  {t.topicName(topic)}
                  <code className="topic-code">{topic}</code>
                </label>
              ))}
            </fieldset>
          );
        })}
      <div className="settings-actions">
        <button type="button" className="primary" disabled={busy || opens + stops === 0} onClick={() => void apply()}>
          {t.subsApply}
        </button>
        <div role="status" className="result">
          <StatusWords
            status={status}
            words={{
              loading: t.subsLoading,
              applying: t.subsApplying,
              applied: t.subsApplied,
              idle: opens + stops > 0 && t.subsPending(opens, stops),
            }}
          />
        </div>
      </div>
    </section>
  );
}
