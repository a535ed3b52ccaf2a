/**
 * What the core needs from its host (the Electron face or the CLI), passed in through the
 * constructor so tests use plain fakes.
 */
import type { Settings } from '../../shared/settings';
import type { SecretName } from '../../shared/api';

/** Settings persistence. The Electron face backs it with electron-store and keeps secrets
 * encrypted with safeStorage; the CLI keeps them in memory. */
export interface SettingsStore {
  load(): Settings;
  save(settings: Settings): void;
  getSecret(name: SecretName): string | null;
  setSecret(name: SecretName, value: string | null): void;
  /** False when secrets cannot be kept encrypted on disk (memory only); absent means they are. */
  readonly secretsPersisted?: boolean;
}

/** A base URL change the user must confirm: the new host would receive what the app sends it. */
export interface HostChangeQuestion {
  setting: 'gatewayBaseUrl' | 'topBaseUrl' | 'teamUrl';
  /** The new URL, as saved. */
  url: string;
  /** Its host (and port), as the dialog names it. */
  host: string;
  /** The new URL is plain http:// or redis://: what goes there crosses the network in clear. */
  plainHttp: boolean;
}

/**
 * Asks the user outside the window (the Electron face: a native dialog in the main process), so a
 * page that was made to call updateSettings cannot answer for them. Resolves true only on an
 * explicit yes; a face without one (the CLI) cannot change these settings at all.
 */
export type ConfirmHostChange = (question: HostChangeQuestion) => Promise<boolean>;

/** A log sink that never sees secrets (the core redacts before it writes). */
export interface Logger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export class MemorySettingsStore implements SettingsStore {
  private secrets = new Map<SecretName, string>();
  constructor(private settings: Settings) {}
  load(): Settings {
    return structuredClone(this.settings);
  }
  save(settings: Settings): void {
    this.settings = structuredClone(settings);
  }
  getSecret(name: SecretName): string | null {
    return this.secrets.get(name) ?? null;
  }
  setSecret(name: SecretName, value: string | null): void {
    if (value === null) this.secrets.delete(name);
    else this.secrets.set(name, value);
  }
}
