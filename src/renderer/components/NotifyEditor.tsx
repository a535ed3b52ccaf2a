import type { NotifySettings, TopicRule } from '../../shared/settings';
import { TOP_TOPICS, TOPIC_GROUPS } from '../../shared/topics';
import { useT } from '../i18n';
import { Check, TextInput } from './Fields';

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
                <Check
                  aria-label={t.notifyTopic(name)}
                  checked={rule?.enabled ?? false}
                  onChange={(enabled) => setRule(topic, { enabled })}
                >
                  {name}
                </Check>
                {group !== 'item' && (
                  <TextInput
                    inputMode="decimal"
                    className="amount-input"
                    aria-label={t.minAmount(name)}
                    placeholder={t.minAmountPlaceholder}
                    trim
                    value={rule?.minAmount ?? ''}
                    onChange={(minAmount) => setRule(topic, { minAmount })}
                  />
                )}
              </div>
            );
          })}
        </fieldset>
      ))}
      <fieldset className="quiet-hours">
        <legend>{t.quietHours}</legend>
        <Check checked={quiet.enabled} onChange={(enabled) => setQuiet({ enabled })}>
          {t.quietEnabled}
        </Check>
        {(['start', 'end'] as const).map((edge) => (
          <TextInput
            key={edge}
            label={edge === 'start' ? t.quietStart : t.quietEnd}
            inline
            type="time"
            disabled={!quiet.enabled}
            value={quiet[edge]}
            onChange={(time) => setQuiet({ [edge]: time })}
          />
        ))}
        <Check
          checked={quiet.allowRefunds}
          disabled={!quiet.enabled}
          onChange={(allowRefunds) => setQuiet({ allowRefunds })}
        >
          {t.allowRefunds}
        </Check>
      </fieldset>
      <Check checked={notify.sound} onChange={(sound) => onChange({ ...notify, sound })}>
        {t.sound}
      </Check>
    </div>
  );
}
