import type { NotifySettings, TopicRule } from '../../shared/settings';
import { useT } from '../i18n';
import { TOPIC_SECTIONS } from '../topics';

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
      {TOPIC_SECTIONS.map((g) => (
        <fieldset key={g.group} className="topic-rules">
          <legend>{t.groupName(g)}</legend>
          {g.topics.map((topic) => {
            const rule = notify.rules[topic.name];
            const name = t.topicName(topic);
            return (
              <div key={topic.name} className="rule">
                <label className="check">
                  <input
                    type="checkbox"
                    aria-label={t.notifyTopic(name)}
                    checked={rule?.enabled ?? false}
                    onChange={(e) => setRule(topic.name, { enabled: e.target.checked })}
                  />
                  {name}
                </label>
                {g.group !== 'item' && (
                  <input
                    type="text"
                    inputMode="decimal"
                    className="amount-input"
                    aria-label={t.minAmount(name)}
                    placeholder={t.minAmountPlaceholder}
                    value={rule?.minAmount ?? ''}
                    onChange={(e) => setRule(topic.name, { minAmount: e.target.value.trim() })}
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
