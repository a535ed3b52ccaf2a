/**
 * The settings the core runs on: loaded from the host's store at start, changed only here, each
 * change checked against the IPC contract's schema before it is saved, so the window's payloads
 * and the saved whole obey one set of rules. Secrets stay in the store and come out only to be
 * used or scrubbed from text.
 */
import type { SecretName } from '../../shared/api';
import { appError } from '../../shared/errors';
import { completeSettingsSchema, secretValueSchema } from '../../shared/ipc';
import { isShopId } from '../../shared/memo';
import { err, ok, type Result } from '../../shared/result';
import type { PublicSettings, Settings, ShopSettings } from '../../shared/settings';
import type { SettingsStore } from './ports';
import { redactSecrets } from './redact';

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
  }

  get current(): Settings {
    return this.settings;
  }

  /** Merges the patch into the current settings, checks the whole, saves it. */
  update(patch: Partial<Settings>): Result<SettingsChange> {
    const next: Settings = { ...this.settings, ...structuredClone(patch) };
    const checked = completeSettingsSchema.safeParse(next);
    if (!checked.success) return err(appError('validation', describeIssue(checked.error.issues[0]!, next)));
    const before = this.settings;
    this.settings = next;
    this.store.save(next);
    return ok({ before, after: next });
  }

  secret(name: SecretName): string | null {
    return this.store.getSecret(name);
  }

  /** Stores a secret (null clears it); surrounding blanks are dropped. */
  setSecret(name: SecretName, value: string | null): Result<void> {
    const v = value?.trim() ?? null;
    if (!secretValueSchema.safeParse(v).success) {
      return err(
        appError('validation', '密钥格式无效：不能为空或包含空格 (the secret must be non-empty, without spaces)'),
      );
    }
    this.store.setSecret(name, v);
    return ok(undefined);
  }

  /** The text with every secret in use replaced: for logs. */
  redact(text: string): string {
    return redactSecrets(text, [this.secret('token'), this.secret('topSecret'), this.secret('topSession')]);
  }

  /** What the window may see: the settings, and of the secrets only whether they are set. */
  publicView(shops: readonly ShopSettings[], demo: boolean): PublicSettings {
    return {
      ...structuredClone(this.settings),
      shops: structuredClone([...shops]),
      tokenSet: this.secret('token') !== null,
      topSecretSet: this.secret('topSecret') !== null,
      topSessionSet: this.secret('topSession') !== null,
      demo,
      secretsPersisted: this.store.secretsPersisted ?? true,
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
  return `设置无效 (invalid setting) ${issue.path.map(String).join('.')}: ${issue.message}`;
}
