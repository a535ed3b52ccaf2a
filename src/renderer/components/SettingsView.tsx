import { useState, type FormEvent } from 'react';
import type { AppState, SettingsPatch } from '../../shared/api';
import type { AppError } from '../../shared/errors';
import {
  TEAM_SEAT_MAX,
  type Language,
  type PollMode,
  type PublicSettings,
  type Settings,
  type VvType,
} from '../../shared/settings';
import { useApi } from '../api';
import { formatCount, pointsToYuan } from '../format';
import { useT } from '../i18n';
import { StatusWords } from './ErrorMessage';
import { Check, Choice, NumberField, SelectField, TextInput } from './Fields';
import { NotifyEditor } from './NotifyEditor';
import { SecretField } from './SecretField';
import { ShopsEditor } from './ShopsEditor';

/** The settings this form edits; templates are saved by the panel and secrets by their own fields. */
const EDITABLE = [
  'shops',
  'polling',
  'notify',
  'language',
  'startAtLogin',
  'vvtype',
  'gatewayBaseUrl',
  'preferHttps',
  'topAppKey',
  'team',
  'updateMirrorUrl',
] as const;
type Draft = Pick<Settings, (typeof EDITABLE)[number]>;

const draftOf = (s: Settings): Draft => ({
  shops: s.shops,
  polling: s.polling,
  notify: s.notify,
  language: s.language,
  startAtLogin: s.startAtLogin,
  vvtype: s.vvtype,
  gatewayBaseUrl: s.gatewayBaseUrl,
  preferHttps: s.preferHttps ?? true,
  topAppKey: s.topAppKey,
  team: s.team,
  updateMirrorUrl: s.updateMirrorUrl,
});

/** Only what changed is sent, so a save never overwrites a value changed elsewhere meanwhile. */
export function settingsPatch(draft: Draft, saved: Settings): SettingsPatch {
  const patch: Record<string, unknown> = {};
  for (const key of EDITABLE) if (JSON.stringify(draft[key]) !== JSON.stringify(saved[key])) patch[key] = draft[key];
  return patch as SettingsPatch;
}

const POLL_MODES: PollMode[] = ['realtime', 'balanced', 'saver', 'custom'];
const VVTYPES: VvType[] = [1, 2, 3];
const LANGUAGES: Language[] = ['zh-CN', 'en'];

type SaveResult = { kind: 'saved' } | { kind: 'unchanged' } | { kind: 'error'; error: AppError } | null;

export function SettingsView({
  settings,
  state,
  onSettings,
}: {
  settings: PublicSettings;
  state: AppState | null;
  onSettings: (s: PublicSettings) => void;
}) {
  const t = useT();
  const api = useApi();
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [result, setResult] = useState<SaveResult>(null);
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setResult(null);
  };
  /** A control's value and change, for one setting of the draft. */
  const bind = <K extends keyof Draft>(key: K) => ({
    value: draft[key],
    onChange: (value: Draft[K]) => set({ [key]: value } as Pick<Draft, K>),
  });

  async function save(e: FormEvent) {
    e.preventDefault();
    const patch = settingsPatch(draft, settings);
    if (Object.keys(patch).length === 0) return setResult({ kind: 'unchanged' });
    setSaving(true);
    const r = await api.updateSettings(patch);
    setSaving(false);
    if (!r.ok) return setResult({ kind: 'error', error: r.error });
    onSettings(r.value);
    setDraft(draftOf(r.value));
    setResult({ kind: 'saved' });
  }

  const projected = state?.cost.projectedDailyPoints;
  const ceilingMs = draft.polling.customCeilingMs;
  return (
    <form className="settings" aria-label={t.tabSettings} onSubmit={(e) => void save(e)}>
      <section>
        <h2>{t.secToken}</h2>
        <SecretField name="token" label={t.tokenLabel} isSet={settings.tokenSet} onSettings={onSettings} />
        <p className="muted">{t.tokenNote}</p>
        {settings.secretsPersisted === false && (
          <p className="warning" role="note">
            {t.secretsInMemory}
          </p>
        )}
      </section>

      <section>
        <h2>{t.secShops}</h2>
        <ShopsEditor
          shops={draft.shops}
          mutedShops={draft.notify.mutedShops}
          onChange={(shops, mutedShops) => set({ shops, notify: { ...draft.notify, mutedShops } })}
        />
      </section>

      <section>
        <h2>{t.secGateway}</h2>
        <SelectField label={t.vvtypeLabel} options={VVTYPES} optionLabel={(v) => t.vvtypes[v]} {...bind('vvtype')} />
        <TextInput label={t.gatewayUrl} type="url" spellCheck={false} trim {...bind('gatewayBaseUrl')} />
        <Check checked={draft.preferHttps ?? true} onChange={(preferHttps) => set({ preferHttps })}>
          {t.preferHttps}
        </Check>
        <GatewayTransport settings={settings} />
      </section>

      <section>
        <h2>{t.secPolling}</h2>
        <Choice
          name="poll-mode"
          className="poll-modes"
          legend={t.secPolling}
          hideLegend
          options={POLL_MODES}
          optionLabel={(mode) => t.pollModes[mode]}
          value={draft.polling.mode}
          onChange={(mode) => set({ polling: { ...draft.polling, mode } })}
        />
        {draft.polling.mode === 'custom' && (
          <NumberField
            label={t.customSeconds}
            min={1}
            step={1}
            value={ceilingMs !== undefined ? ceilingMs / 1000 : undefined}
            onChange={(seconds) =>
              set({
                polling: {
                  ...draft.polling,
                  customCeilingMs: seconds !== undefined ? Math.round(seconds * 1000) : undefined,
                },
              })
            }
          />
        )}
        {projected !== undefined && (
          <p className="cost-projection">{t.projected(formatCount(projected), pointsToYuan(projected))}</p>
        )}
        {state?.polling && (
          <p className="muted">
            {t.pollingNow(formatCount(Math.round(state.polling.everyMs / 1000)), state.polling.reason)}
          </p>
        )}
        <p className="muted">{t.costNote}</p>
      </section>

      <section>
        <h2>{t.secNotify}</h2>
        <NotifyEditor notify={draft.notify} onChange={(notify) => set({ notify })} />
      </section>

      <section>
        <h2>{t.secTop}</h2>
        <TextInput label={t.topAppKey} spellCheck={false} trim {...bind('topAppKey')} />
        <SecretField name="topSecret" label={t.topSecret} isSet={settings.topSecretSet} onSettings={onSettings} />
        <SecretField name="topSession" label={t.topSession} isSet={settings.topSessionSet} onSettings={onSettings} />
      </section>

      <section>
        <h2>{t.secTeam}</h2>
        <Check checked={draft.team.enabled} onChange={(enabled) => set({ team: { ...draft.team, enabled } })}>
          {t.teamEnabled}
        </Check>
        <TextInput
          label={t.teamUrl}
          spellCheck={false}
          autoComplete="off"
          placeholder="rediss://host:6379"
          trim
          value={draft.team.url}
          onChange={(url) => set({ team: { ...draft.team, url } })}
        />
        <SecretField
          name="teamPassword"
          label={t.teamPassword}
          isSet={settings.teamPasswordSet ?? false}
          onSettings={onSettings}
        />
        <TeamTransport settings={settings} />
        <TextInput
          label={t.teamSeat}
          maxLength={TEAM_SEAT_MAX}
          value={draft.team.seat}
          onChange={(seat) => set({ team: { ...draft.team, seat } })}
        />
        <p className="muted">{t.teamNote}</p>
      </section>

      <section>
        <h2>{t.secGeneral}</h2>
        {settings.loginItem?.supported !== false && (
          <Check checked={draft.startAtLogin} onChange={(startAtLogin) => set({ startAtLogin })}>
            {t.startAtLogin}
          </Check>
        )}
        {settings.loginItem?.status === 'requires-approval' && (
          <p className="hint" role="note">
            {t.loginItemApproval}
          </p>
        )}
        <TextInput
          label={t.updateMirror}
          type="url"
          spellCheck={false}
          placeholder={t.updateMirrorPlaceholder}
          trim
          {...bind('updateMirrorUrl')}
        />
        <SelectField label={t.language} options={LANGUAGES} optionLabel={(l) => t.languages[l]} {...bind('language')} />
      </section>

      <div className="settings-actions">
        <button type="submit" className="primary" disabled={saving}>
          {t.saveSettings}
        </button>
        <div role="status" className="result">
          <StatusWords status={result} words={{ saved: t.settingsSaved, unchanged: t.noChanges }} />
        </div>
      </div>
    </form>
  );
}

/** The same for the team server (saved address): orders and password in clear over redis://, and
 * a password kept for another host. */
function TeamTransport({ settings }: { settings: PublicSettings }) {
  const t = useT();
  const url = settings.team.url === '' ? null : URL.parse(settings.team.url);
  const local = url !== null && /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(url.hostname);
  const passwordHost = settings.secretHosts?.teamPassword;
  return (
    <>
      {url?.protocol === 'redis:' && !local && (
        <p className="warning" role="note">
          {t.teamPlainWarning}
        </p>
      )}
      {!settings.teamPasswordSet &&
        passwordHost !== undefined &&
        url !== null &&
        passwordHost !== url.host.toLowerCase() && (
          <p className="warning" role="note">
            {t.teamPasswordForOtherHost(passwordHost)}
          </p>
        )}
    </>
  );
}

/** Says plainly whether the token crosses the network in clear, and where it is kept for. */
function GatewayTransport({ settings }: { settings: PublicSettings }) {
  const t = useT();
  const inUse = settings.demo ? undefined : (settings.gatewayInUse ?? settings.gatewayBaseUrl);
  const url = inUse === undefined ? null : URL.parse(inUse);
  const local = url !== null && /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(url.hostname);
  const tokenHost = settings.secretHosts?.token;
  const gatewayHost = URL.parse(settings.gatewayBaseUrl)?.host;
  return (
    <>
      {url?.protocol === 'http:' && !local && (
        <p className="warning" role="note">
          {t.plainHttpWarning}
        </p>
      )}
      {url?.protocol === 'https:' && settings.gatewayBaseUrl.startsWith('http:') && (
        <p className="muted">{t.httpsInUse(inUse!)}</p>
      )}
      {!settings.tokenSet && tokenHost !== undefined && tokenHost !== gatewayHost && (
        <p className="warning" role="note">
          {t.tokenForOtherHost(tokenHost)}
        </p>
      )}
    </>
  );
}
