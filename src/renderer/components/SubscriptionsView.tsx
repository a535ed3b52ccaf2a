import { useCallback, useEffect, useState } from 'react';
import type { SubscriptionState } from '../../shared/api';
import type { AppError } from '../../shared/errors';
import type { PublicSettings } from '../../shared/settings';
import { useApi } from '../api';
import { useT } from '../i18n';
import { countTopics, subscriptionDiff } from '../subscriptionDiff';
import { TOPIC_SECTIONS, topicInfo } from '../topics';
import { ErrorMessage } from './ErrorMessage';

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
        TOPIC_SECTIONS.map((g) => {
          // Topics the account has that this list does not name are shown too, so none is stopped unseen.
          const known = new Set(g.topics.map((x) => x.name));
          const extra = (current.subscribed[g.group] ?? []).filter((n) => !known.has(n)).map(topicInfo);
          return (
            <fieldset key={g.group} className="topic-group">
              <legend>{t.groupName(g)}</legend>
              {[...g.topics, ...extra].map((topic) => (
                <label key={topic.name} className="check">
                  <input
                    type="checkbox"
                    checked={(wanted[g.group] ?? []).includes(topic.name)}
                    disabled={busy}
                    onChange={(e) => toggle(g.group, topic.name, e.target.checked)}
                  />
                  {t.topicName(topic)}
                  <code className="topic-code">{topic.name}</code>
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
          {status.kind === 'loading' && t.subsLoading}
          {status.kind === 'applying' && t.subsApplying}
          {status.kind === 'applied' && t.subsApplied}
          {status.kind === 'idle' && opens + stops > 0 && t.subsPending(opens, stops)}
          {status.kind === 'error' && <ErrorMessage error={status.error} />}
        </div>
      </div>
    </section>
  );
}
