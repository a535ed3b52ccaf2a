import type { NotifySettings, TopicRule } from '../../shared/settings';
import { TOP_TOPICS, TOPIC_GROUPS } from '../../shared/topics';
import { useT } from '../i18n';

/** Per-topic rules (item topics carry no amount, so no minimum) and quiet hours. */
export function NotifyEditor({ notify, onChange }: { notify: NotifySettings; onChange: (n: NotifySettings) => void }) {
  const t = useT();
  const setRule = (topic: string, patch: Partial<TopicRule>) => {
    const rule: TopicRule = { enabled: false, ...notify.rules[topic], ...patch };
    if (rule.minAmount === '') delete rule.minAmount;
    onChange({ ...notify, rules: { ...notify.rules, [topic]: rule } });
  };
  const quiet = notify.quietHours;
  const setQuiet = (patch: Partial<NotifySettings['quietHours']>) =>
    onChange({ ...notify, quietHours: { ...quiet, ...patch } });

  return (
    <div className="notify-editor">
      {TOPIC_GROUPS.map((group) => (
        <fieldset key={group} className="topic-rules">
          <legend>{t.topicGroups[group]}</legend>
          {TOP_TOPICS[group].map((topic) => {
            const rule = notify.rules[topic];
            const name = t.topicName(topic);
            return (
              <div key={topic} className="rule">
                <label className="check">
                  <input
                    type="checkbox"
                    aria-label={t.notifyTopic(name)}
                    checked={rule?.enabled ?? false}
                    onChange={(e) => setRule(topic, { enabled: e.target.checked })}
                  />
                  {name}
                </label>
                {group !== 'item' && (
                  <input
                    type="text"
                    inputMode="decimal"
                    className="amount-input"
                    aria-label={t.minAmount(name)}
                    placeholder={t.minAmountPlaceholder}
                    value={rule?.minAmount ?? ''}
                    onChange={(e) => setRule(topic, { minAmount: e.target.value.trim() })}
                  />
                )}
              </div>
            );
          })}
        </fieldset>
      ))}
      <fieldset className="quiet-hours">
        <legend>{t.quietHours}</legend>
        <label className="check">
          <input type="checkbox" checked={quiet.enabled} onChange={(e) => setQuiet({ enabled: e.target.checked })} />
          {t.quietEnabled}
        </label>
        <label>
          {t.quietStart}
          <input
            type="time"
            value={quiet.start}
            disabled={!quiet.enabled}
            onChange={(e) => setQuiet({ start: e.target.value })}
          />
        </label>
        <label>
          {t.quietEnd}
          <input
            type="time"
            value={quiet.end}
            disabled={!quiet.enabled}
            onChange={(e) => setQuiet({ end: e.target.value })}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={quiet.allowRefunds}
            disabled={!quiet.enabled}
            onChange={(e) => setQuiet({ allowRefunds: e.target.checked })}
          />
          {t.allowRefunds}
        </label>
      </fieldset>
      <label className="check">
        <input
          type="checkbox"
          checked={notify.sound}
          onChange={(e) => onChange({ ...notify, sound: e.target.checked })}
        />
        {t.sound}
      </label>
    </div>
  );
}
