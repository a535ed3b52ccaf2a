/**
 * Settings on disk through electron-store (a JSON file in the user data folder), validated by a
 * JSON schema generated from the IPC contract's settings schema, upgraded by versioned migrations.
 * Secrets are written only as safeStorage ciphertext (base64); when the OS offers no real
 * encryption they live in memory for this run only. Clear text never reaches the file.
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type Conf from 'conf';
import type { Options, Schema } from 'conf';
import { z } from 'zod';
import type { SecretName } from '../../shared/api';
import { secretNameSchema, settingsSchema } from '../../shared/ipc';
import { DEFAULT_SETTINGS, type Language, type Settings } from '../../shared/settings';
import { PRIVATE_FILE_MODE } from '../core/files';
import { silentLogger, type Logger, type SettingsStore } from '../core/ports';
import type { SecretValues } from '../core/redact';

/** What the file holds: the settings, and the secrets as base64 ciphertext. */
export type StoredSettings = { [K in keyof Settings]: Settings[K] } & { secrets: Partial<Record<SecretName, string>> };

export const SETTINGS_FILE = 'settings';

const SETTINGS_KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];
const SECRET_NAMES = secretNameSchema.options;

// A pattern rather than z.base64(): its JSON Schema `format` is one ajv-formats does not know.
const ciphertextSchema = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const storedSchema = settingsSchema.extend({
  secrets: z.strictObject(Object.fromEntries(SECRET_NAMES.map((n) => [n, ciphertextSchema.optional()]))),
});

/** One JSON schema per top-level key, as electron-store wants it; generated, never hand-kept. */
export const STORED_SCHEMA = (z.toJSONSchema(storedSchema) as { properties: Record<string, unknown> })
  .properties as Schema<StoredSettings>;

/**
 * 0.0.x kept the polling mode and the sound switch at the top level (`pollMode`, `sound`);
 * 0.1.0 moved them into `polling.mode` and `notify.sound`. Defaults are already merged in when
 * this runs, so it overrides them with the user's old choice.
 */
export function migrateTo010(data: Record<string, unknown>): Record<string, unknown> {
  const out = { ...data };
  const polling = (out.polling ?? DEFAULT_SETTINGS.polling) as Record<string, unknown>;
  const notify = (out.notify ?? DEFAULT_SETTINGS.notify) as Record<string, unknown>;
  if (typeof out.pollMode === 'string') out.polling = { ...polling, mode: out.pollMode };
  if (typeof out.sound === 'boolean') out.notify = { ...notify, sound: out.sound };
  delete out.pollMode;
  delete out.sound;
  return out;
}

export const SETTINGS_MIGRATIONS: Record<string, (store: Conf<StoredSettings>) => void> = {
  '0.1.0': (store) => {
    store.store = migrateTo010(store.store as unknown as Record<string, unknown>) as StoredSettings;
  },
};

/** electron-store's options; electron-store adds the app version, which decides the migrations.
 * `language` is the first start's default (from the OS); once written, the file's value holds. */
export function settingsStoreOptions(
  cwd: string,
  language: Language = DEFAULT_SETTINGS.language,
): Options<StoredSettings> & { name: string; cwd: string } {
  return {
    name: SETTINGS_FILE,
    cwd,
    defaults: { ...DEFAULT_SETTINGS, language, secrets: {} },
    schema: STORED_SCHEMA,
    migrations: SETTINGS_MIGRATIONS,
    // The secrets' ciphertext and the shops: the user's alone, like the data folder's files.
    configFileMode: PRIVATE_FILE_MODE,
  };
}

/**
 * Opens the store; a file that is not JSON or breaks the schema (hand-edited, from a newer
 * version) is moved aside, not deleted, and the app starts from defaults instead of crashing.
 */
export function openSettingsFile<S>(open: () => S, cwd: string, now: number, logger: Logger = silentLogger): S {
  try {
    return open();
  } catch (e) {
    const file = join(cwd, `${SETTINGS_FILE}.json`);
    if (!existsSync(file)) throw e;
    const aside = join(cwd, `${SETTINGS_FILE}.invalid-${now}.json`);
    renameSync(file, aside);
    logger.warn('settings file unreadable; moved aside, starting from defaults', {
      aside,
      error: e instanceof Error ? e.message : String(e),
    });
    return open();
  }
}

/** Electron's safeStorage, as far as it is used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux: `basic_text` means a fixed, public key: no protection at all. */
  getSelectedStorageBackend?(): string;
}

const WEAK_BACKENDS = new Set(['basic_text', 'unknown']);

export class ElectronSettingsStore implements SettingsStore {
  /** Decrypted secrets (and the only copy when they cannot be persisted). */
  private readonly memory = new Map<SecretName, string>();
  /** Ciphertexts that did not decrypt: tried once, not again (the log hook asks on every line). */
  private readonly unreadable = new Set<SecretName>();

  constructor(
    private readonly store: Conf<StoredSettings>,
    private readonly safe: SafeStorageLike,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** False when secrets live in memory only (no OS keychain): they must be entered again next run. */
  get secretsPersisted(): boolean {
    if (!this.safe.isEncryptionAvailable()) return false;
    const backend = this.safe.getSelectedStorageBackend?.();
    return backend === undefined || !WEAK_BACKENDS.has(backend);
  }

  load(): Settings {
    const data = this.store.store;
    return Object.fromEntries(
      SETTINGS_KEYS.map((key) => [key, structuredClone(data[key] ?? DEFAULT_SETTINGS[key])]),
    ) as unknown as Settings;
  }

  save(settings: Settings): void {
    const values = Object.fromEntries(SETTINGS_KEYS.map((key) => [key, settings[key]])) as Partial<StoredSettings>;
    this.store.set(values);
  }

  getSecret(name: SecretName): string | null {
    const known = this.memory.get(name);
    if (known !== undefined) return known;
    const stored = this.store.get('secrets')[name];
    if (stored === undefined || this.unreadable.has(name) || !this.secretsPersisted) return null;
    try {
      const plain = this.safe.decryptString(Buffer.from(stored, 'base64'));
      this.memory.set(name, plain);
      return plain;
    } catch (e) {
      // A file copied from another user or machine: the key is not ours. Treat as not set.
      this.unreadable.add(name);
      this.logger.warn('stored secret could not be decrypted', {
        name,
        error: e instanceof Error ? e.message : String(e),
      });
      return null;
    }
  }

  setSecret(name: SecretName, value: string | null): void {
    const secrets = { ...this.store.get('secrets') };
    delete secrets[name];
    this.memory.delete(name);
    this.unreadable.delete(name);
    if (value !== null) {
      this.memory.set(name, value);
      if (this.secretsPersisted) secrets[name] = this.safe.encryptString(value).toString('base64');
      else this.logger.warn('no OS encryption available: the secret is kept in memory for this run only', { name });
    }
    this.store.set('secrets', secrets);
  }

  /** Every secret value, for the log redaction hook. */
  secretValues(): SecretValues {
    return SECRET_NAMES.map((name) => this.getSecret(name));
  }
}
