import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';

// electron-store asks Electron's app for the user data folder and the app version (which decides
// the migrations); vitest inlines electron-store, so this mock reaches it.
const electron = vi.hoisted(() => ({
  userData: '',
  version: '0.1.0',
}));
vi.mock('electron', () => {
  const api = {
    app: { getPath: () => electron.userData, getVersion: () => electron.version },
    ipcMain: { on: () => undefined },
    shell: {},
  };
  return { ...api, default: api };
});

const { default: Store } = await import('electron-store');
const { languageForLocales } = await import('../../../src/shared/settings');
const { ElectronSettingsStore, SETTINGS_FILE, migrateTo010, openSettingsFile, settingsStoreOptions } =
  await import('../../../src/main/electron/settingsStore');
type StoredSettings = import('../../../src/main/electron/settingsStore').StoredSettings;

const TOKEN = 'vvtool-ACCESS-TOKEN-0123456789abcdef';

/** Real encryption with a key of its own, as the OS keychain would hold it. */
function fakeSafeStorage(opts: { available?: boolean; backend?: string } = {}) {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => opts.available ?? true,
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
    encryptString: vi.fn((plain: string) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    }),
    decryptString: vi.fn((data: Buffer) => {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    }),
  };
}

let dir: string;
const file = () => join(dir, `${SETTINGS_FILE}.json`);
const openStore = () => new Store<StoredSettings>(settingsStoreOptions(dir));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradebell-settings-'));
  electron.userData = dir;
  electron.version = '0.1.0';
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('ElectronSettingsStore over electron-store', () => {
  it('starts from the defaults and keeps what is saved', () => {
    const settings = new ElectronSettingsStore(openStore(), fakeSafeStorage());
    expect(settings.load()).toEqual(DEFAULT_SETTINGS);
    const changed = {
      ...DEFAULT_SETTINGS,
      language: 'en' as const,
      shops: [{ id: 'shop1', name: '旗舰店', colour: '#ff7a45', enabled: true }],
    };
    settings.save(changed);
    expect(new ElectronSettingsStore(openStore(), fakeSafeStorage()).load()).toEqual(changed);
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toMatchObject({ language: 'en', shops: changed.shops });
    if (process.platform !== 'win32') expect(statSync(file()).mode & 0o777).toBe(0o600);
  });

  it('takes the language from the OS at first start only', () => {
    const first = new ElectronSettingsStore(
      new Store<StoredSettings>(settingsStoreOptions(dir, languageForLocales(['en-US', 'zh-CN']))),
      fakeSafeStorage(),
    );
    expect(first.load().language).toBe('en');
    const later = new ElectronSettingsStore(
      new Store<StoredSettings>(settingsStoreOptions(dir, languageForLocales(['zh-Hans-CN']))),
      fakeSafeStorage(),
    );
    expect(later.load().language).toBe('en');
    expect(languageForLocales(['zh-TW'])).toBe('zh-CN');
    expect(languageForLocales([])).toBe('zh-CN');
  });

  it('refuses to write settings that break the schema', () => {
    const settings = new ElectronSettingsStore(openStore(), fakeSafeStorage());
    expect(() => settings.save({ ...DEFAULT_SETTINGS, vvtype: 9 as never })).toThrow(/schema/);
    expect(() => settings.save({ ...DEFAULT_SETTINGS, gatewayBaseUrl: 'javascript:alert(1)' })).toThrow(/schema/);
    expect(settings.load().vvtype).toBe(1);
  });

  it('never writes the token in clear: only safeStorage ciphertext, and it reads back', () => {
    const safe = fakeSafeStorage();
    const settings = new ElectronSettingsStore(openStore(), safe);
    settings.setSecret('token', TOKEN);
    settings.setSecret('topSecret', 'top-secret-value-42');
    const text = readFileSync(file(), 'utf8');
    for (const secret of [TOKEN, 'top-secret-value-42']) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(secret).toString('base64'));
      expect(text).not.toContain(Buffer.from(secret).toString('hex'));
    }
    expect(JSON.parse(text).secrets.token).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(settings.secretsPersisted).toBe(true);
    expect(settings.getSecret('token')).toBe(TOKEN);
    // A new run reads it back through safeStorage.
    const again = new ElectronSettingsStore(openStore(), safe);
    expect(again.getSecret('token')).toBe(TOKEN);
    expect(safe.decryptString).toHaveBeenCalled();
    // Every secret, the team server's password included (unset here), goes to the log redaction.
    expect(again.secretValues()).toEqual([TOKEN, 'top-secret-value-42', null, null]);
  });

  it('clears a secret', () => {
    const settings = new ElectronSettingsStore(openStore(), fakeSafeStorage());
    settings.setSecret('token', TOKEN);
    settings.setSecret('token', null);
    expect(settings.getSecret('token')).toBeNull();
    expect(JSON.parse(readFileSync(file(), 'utf8')).secrets).toEqual({});
  });

  it.each([
    ['encryption is unavailable', { available: false }],
    ['Linux has only the basic_text backend', { backend: 'basic_text' }],
  ])('keeps the secret in memory only when %s', (_why, opts) => {
    const safe = fakeSafeStorage(opts);
    const warn = vi.fn();
    const settings = new ElectronSettingsStore(openStore(), safe, { info: vi.fn(), warn, error: vi.fn() });
    settings.setSecret('token', TOKEN);
    expect(settings.secretsPersisted).toBe(false);
    expect(settings.getSecret('token')).toBe(TOKEN);
    expect(safe.encryptString).not.toHaveBeenCalled();
    expect(readFileSync(file(), 'utf8')).not.toContain(TOKEN);
    expect(JSON.parse(readFileSync(file(), 'utf8')).secrets).toEqual({});
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('memory'), { name: 'token' });
    expect(new ElectronSettingsStore(openStore(), safe).getSecret('token')).toBeNull();
  });

  it('treats a ciphertext it cannot decrypt as not set, and says so once', () => {
    new ElectronSettingsStore(openStore(), fakeSafeStorage()).setSecret('token', TOKEN);
    const warn = vi.fn();
    const other = new ElectronSettingsStore(openStore(), fakeSafeStorage(), { info: vi.fn(), warn, error: vi.fn() });
    expect(other.getSecret('token')).toBeNull();
    expect(other.getSecret('token')).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('migrations', () => {
  it('0.1.0 moves the 0.0.x top-level pollMode and sound into polling and notify', () => {
    const migrated = migrateTo010({ ...DEFAULT_SETTINGS, pollMode: 'saver', sound: false });
    expect(migrated).toEqual({
      ...DEFAULT_SETTINGS,
      polling: { mode: 'saver' },
      notify: { ...DEFAULT_SETTINGS.notify, sound: false },
    });
    expect(migrateTo010({ ...DEFAULT_SETTINGS })).toEqual(DEFAULT_SETTINGS);
  });

  it('runs on a 0.0.1 file when 0.1.0 opens it', () => {
    writeFileSync(
      file(),
      JSON.stringify({
        __internal__: { migrations: { version: '0.0.1' } },
        pollMode: 'realtime',
        sound: false,
        language: 'en',
      }),
    );
    const settings = new ElectronSettingsStore(openStore(), fakeSafeStorage());
    const loaded = settings.load();
    expect(loaded.polling.mode).toBe('realtime');
    expect(loaded.notify.sound).toBe(false);
    expect(loaded.language).toBe('en');
    const onDisk = JSON.parse(readFileSync(file(), 'utf8'));
    expect(onDisk).not.toHaveProperty('pollMode');
    expect(onDisk).not.toHaveProperty('sound');
    expect(onDisk.__internal__.migrations.version).toBe('0.1.0');
  });

  it('does not run again on a file already at 0.1.0', () => {
    openStore();
    const raw = JSON.parse(readFileSync(file(), 'utf8'));
    writeFileSync(file(), JSON.stringify({ ...raw, polling: { mode: 'saver' } }));
    expect(new ElectronSettingsStore(openStore(), fakeSafeStorage()).load().polling.mode).toBe('saver');
  });
});

describe('openSettingsFile', () => {
  it('moves an unreadable file aside and starts from defaults', () => {
    writeFileSync(file(), '{ not json');
    const warn = vi.fn();
    const store = openSettingsFile(openStore, dir, 1234, { info: vi.fn(), warn, error: vi.fn() });
    expect(new ElectronSettingsStore(store, fakeSafeStorage()).load()).toEqual(DEFAULT_SETTINGS);
    expect(readFileSync(join(dir, `${SETTINGS_FILE}.invalid-1234.json`), 'utf8')).toBe('{ not json');
    expect(warn).toHaveBeenCalled();
  });

  it('moves aside a file that breaks the schema', () => {
    writeFileSync(file(), JSON.stringify({ vvtype: 'nine' }));
    openSettingsFile(openStore, dir, 99);
    expect(existsSync(join(dir, `${SETTINGS_FILE}.invalid-99.json`))).toBe(true);
  });

  it('leaves a good file alone', () => {
    openStore();
    openSettingsFile(openStore, dir, 5);
    expect(readdirSync(dir).filter((f) => f.includes('invalid'))).toEqual([]);
  });
});
