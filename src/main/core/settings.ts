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
import { appError } from '../../shared/errors';
import { completeSettingsSchema, secretValueSchema } from '../../shared/ipc';
import { isShopId } from '../../shared/memo';
import { err, ok, type Result } from '../../shared/result';
import type { PublicSettings, Settings, ShopSettings } from '../../shared/settings';
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
  message: string;
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
    if (!checked.success) return err(appError('validation', describeIssue(checked.error.issues[0]!, next)));
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
      return err(
        appError('validation', '密钥格式无效：不能为空或包含空格 (the secret must be non-empty, without spaces)'),
      );
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

/** The first problem, in words the settings page can show. */
function describeIssue(issue: Issue, s: Settings): string {
  const [field, index] = issue.path;
  if (field === 'shops' && typeof index === 'number' && issue.path[2] === 'id') {
    const id = s.shops[index]?.id;
    return isShopId(id)
      ? `店铺重复：${id} (duplicate shop)`
      : `店铺 ID 无效：${String(id)} (shop ids are letters, digits, - or _)`;
  }
  if (field === 'polling' && issue.path[1] === 'customCeilingMs')
    return '自定义轮询间隔须在 1 秒到 1 小时之间 (custom ceiling: 1 s to 1 h)';
  if (field === 'gatewayBaseUrl' || field === 'topBaseUrl')
    return `地址无效：${s[field]} (URLs must start with http:// or https://)`;
  if (field === 'team' && index === 'url')
    return '团队服务器地址无效：应为 redis:// 或 rediss:// 开头 (the team server URL must start with redis:// or rediss://)';
  if (field === 'team' && index === 'seat')
    return '座位名称无效：最多 32 个字符 (seat names have at most 32 characters, no control characters)';
  return `设置无效 (invalid setting) ${issue.path.map(String).join('.')}: ${issue.message}`;
}
