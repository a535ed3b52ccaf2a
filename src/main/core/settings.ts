/**
 * The settings the core runs on: loaded from the host's store at start, changed only here, each
 * change checked against the IPC contract's schema before it is saved, so the window's payloads
 * and the saved whole obey one set of rules. Secrets stay in the store and come out only to be
 * used or scrubbed from text.
 *
 * Each secret is kept for the host it was entered for (`secretHosts`): the token for the
 * gateway's host, the TOP secret and session for the router's, the team password for the team
 * server's. While a URL points at another host, its secrets are not handed out (the app acts as if
 * they were not set), so a changed URL never carries them to a host the user did not enter them
 * for; pointing back makes them usable again. A secret stored before this rule existed is bound to
 * the host in use when it is first seen.
 */
import type { SecretName } from '../../shared/api';
import { appError, type AppError } from '../../shared/errors';
import { completeSettingsSchema, secretValueSchema } from '../../shared/ipc';
import { MAX_CUSTOM_CEILING_MS, MIN_CUSTOM_CEILING_MS } from '../../shared/limits';
import { isShopId } from '../../shared/memo';
import { err, ok, type Result } from '../../shared/result';
import { TEAM_SEAT_MAX, type PublicSettings, type Settings, type ShopSettings } from '../../shared/settings';
import { hostOf } from './hostChange';
import type { SettingsStore } from './ports';
import { redactSecrets } from './redact';

const SECRET_NAMES: readonly SecretName[] = ['token', 'topSecret', 'topSession', 'teamPassword'];

export interface SettingsChange {
  before: Settings;
  after: Settings;
}

interface Issue {
  path: readonly PropertyKey[];
  code?: string;
}

export class LiveSettings {
  private settings: Settings;

  constructor(private readonly store: SettingsStore) {
    this.settings = store.load();
    for (const name of SECRET_NAMES) if (store.getSecret(name) !== null) this.secret(name);
  }

  get current(): Settings {
    return this.settings;
  }

  /** The settings a patch would make, checked whole; nothing is saved. Which host a secret
   * belongs to is not the window's to change: such a field in a patch is ignored. */
  preview(patch: Partial<Settings>): Result<Settings> {
    const changes: Partial<Settings> = structuredClone(patch);
    delete changes.secretHosts;
    const next: Settings = { ...this.settings, ...changes };
    const checked = completeSettingsSchema.safeParse(next);
    if (!checked.success) return err(settingError(checked.error.issues[0]!, next));
    return ok(next);
  }

  /** Merges the patch into the current settings, checks the whole, saves it. */
  update(patch: Partial<Settings>): Result<SettingsChange> {
    const next = this.preview(patch);
    if (!next.ok) return next;
    const before = this.settings;
    this.save(next.value);
    return ok({ before, after: next.value });
  }

  /** The secret, while its service points at the host it was entered for; null otherwise. */
  secret(name: SecretName): string | null {
    const value = this.store.getSecret(name);
    if (value === null) return null;
    const host = hostOf(this.urlFor(name));
    const bound = this.settings.secretHosts?.[name];
    if (bound === undefined && host !== undefined) this.bind(name, host);
    return bound === undefined || bound === host ? value : null;
  }

  /** The host a secret was entered for, when it is set. */
  secretHost(name: SecretName): string | undefined {
    return this.store.getSecret(name) === null ? undefined : this.settings.secretHosts?.[name];
  }

  /** Stores a secret (null clears it), for the host its service points at now; surrounding
   * blanks are dropped. */
  setSecret(name: SecretName, value: string | null): Result<void> {
    const v = value?.trim() ?? null;
    if (!secretValueSchema.safeParse(v).success) {
      return err(appError('validation', 'bad_secret', {}));
    }
    this.store.setSecret(name, v);
    const host = v === null ? undefined : hostOf(this.urlFor(name));
    this.bind(name, host);
    return ok(undefined);
  }

  /** The text with every stored secret replaced, for whichever host it is kept: for logs. */
  redact(text: string): string {
    return redactSecrets(
      text,
      SECRET_NAMES.map((name) => this.store.getSecret(name)),
    );
  }

  private urlFor(name: SecretName): string {
    if (name === 'token') return this.settings.gatewayBaseUrl;
    if (name === 'teamPassword') return this.settings.team.url;
    return this.settings.topBaseUrl;
  }

  /** Keeps the secret for `host`; undefined forgets the binding (the secret was cleared). */
  private bind(name: SecretName, host: string | undefined): void {
    const secretHosts = { ...this.settings.secretHosts };
    if (host === undefined) delete secretHosts[name];
    else secretHosts[name] = host;
    this.save({ ...this.settings, secretHosts });
  }

  private save(next: Settings): void {
    this.settings = next;
    this.store.save(next);
  }

  /** What the window may see: the settings, and of the secrets only whether they are set (for
   * the host in use), and for which host. */
  publicView(shops: readonly ShopSettings[], demo: boolean, gatewayInUse?: string): PublicSettings {
    return {
      ...structuredClone(this.settings),
      shops: structuredClone([...shops]),
      tokenSet: this.secret('token') !== null,
      topSecretSet: this.secret('topSecret') !== null,
      topSessionSet: this.secret('topSession') !== null,
      demo,
      secretsPersisted: this.store.secretsPersisted ?? true,
      teamPasswordSet: this.secret('teamPassword') !== null,
      ...(gatewayInUse !== undefined && { gatewayInUse }),
    };
  }
}

/** The first problem, as the settings page can word it. */
function settingError(issue: Issue, s: Settings): AppError {
  const [field, index] = issue.path;
  if (field === 'shops' && typeof index === 'number' && issue.path[2] === 'id') {
    const id = s.shops[index]?.id;
    return isShopId(id)
      ? appError('validation', 'duplicate_shop', { id })
      : appError('validation', 'bad_shop_id', { id: String(id) });
  }
  if (field === 'polling' && issue.path[1] === 'customCeilingMs')
    return appError('validation', 'bad_custom_ceiling', {
      minSeconds: MIN_CUSTOM_CEILING_MS / 1000,
      maxSeconds: MAX_CUSTOM_CEILING_MS / 1000,
    });
  if (field === 'gatewayBaseUrl' || field === 'topBaseUrl')
    return appError('validation', 'bad_address', { setting: field, url: String(s[field]) });
  if (field === 'team' && index === 'url')
    return appError('validation', 'bad_team_url', {
      problem: s.team.url === '' || issue.code === 'too_big' ? 'empty_or_long' : 'scheme',
    });
  if (field === 'team' && index === 'seat') return appError('validation', 'bad_seat_name', { max: TEAM_SEAT_MAX });
  return appError('validation', 'bad_setting', { path: issue.path.map(String).join('.') });
}
