import type { ShopId } from './domain';

export type PollMode = 'realtime' | 'balanced' | 'saver' | 'custom';

/** Ceiling of the idle pause per policy, milliseconds. */
export const POLL_CEILINGS_MS: Record<Exclude<PollMode, 'custom'>, number> = {
  realtime: 2_000,
  balanced: 10_000,
  saver: 60_000,
};

export interface ShopSettings {
  id: ShopId;
  name: string;
  /** CSS colour for the shop's marker. */
  colour: string;
  enabled: boolean;
}

export interface TopicRule {
  enabled: boolean;
  /** Only notify at or above this amount, yuan, e.g. "100.00". */
  minAmount?: string;
}

export interface NotifySettings {
  /** Keyed by short topic name, e.g. `TradeBuyerPay`, `RefundCreated`. */
  rules: Record<string, TopicRule>;
  /** Shops whose notifications are off (polling still runs). */
  mutedShops: ShopId[];
  quietHours: { enabled: boolean; start: string; end: string; allowRefunds: boolean };
  sound: boolean;
}

export type Language = 'zh-CN' | 'en';
export type VvType = 1 | 2 | 3;

/** Team mode (several seats on the same shops, one team server): off unless enabled. */
export interface TeamSettings {
  enabled: boolean;
  /** redis:// or rediss:// without the password (that is the `teamPassword` secret). */
  url: string;
  /** This seat's name as the other seats see it; the computer's name when empty. */
  seat: string;
}

export interface Settings {
  shops: ShopSettings[];
  polling: { mode: PollMode; customCeilingMs?: number };
  notify: NotifySettings;
  language: Language;
  startAtLogin: boolean;
  vvtype: VvType;
  gatewayBaseUrl: string;
  /** When the gateway's base URL is http:// and the same host answers over HTTPS (a check that
   * bills nothing, gateway/httpsProbe.ts), call it over HTTPS. Off: plain http as configured. */
  preferHttps?: boolean;
  topBaseUrl: string;
  topAppKey: string;
  topSignMethod: 'md5' | 'hmac' | 'hmac-sha256';
  memoTemplates: string[];
  team: TeamSettings;
  /** Where updates come from: '' for the release feed, or a mirror folder's https URL. */
  updateMirrorUrl: string;
  /** The host each secret was entered for (token: the gateway's; TOP secret and session: the
   * router's; team password: the team server's). A secret is used only while its service points
   * at that host, so a changed URL never carries it elsewhere. Kept by the core: the window cannot
   * change it. */
  secretHosts?: Partial<Record<'token' | 'topSecret' | 'topSession' | 'teamPassword', string>>;
}

/** Settings as the renderer sees them: secrets only as "set" or "not set". */
export interface PublicSettings extends Settings {
  tokenSet: boolean;
  topSecretSet: boolean;
  topSessionSet: boolean;
  demo: boolean;
  /** False when the OS offers no encryption: secrets live in memory for this run only. */
  secretsPersisted?: boolean;
  teamPasswordSet?: boolean;
  /** Start at login in this run: unsupported on Linux and from `npm start`; macOS may wait for approval. */
  loginItem?: { supported: boolean; status?: 'not-registered' | 'enabled' | 'requires-approval' | 'not-found' };
  /** The gateway URL calls go to now (https when preferred and available; the local one in demo mode). */
  gatewayInUse?: string;
}

export const DEFAULT_GATEWAY_URL = 'http://api.vv-tool.com';
export const DEFAULT_TOP_URL = 'https://eco.taobao.com/router/rest';

export const DEFAULT_NOTIFY: NotifySettings = {
  rules: {
    TradeBuyerPay: { enabled: true },
    RefundCreated: { enabled: true },
  },
  mutedShops: [],
  quietHours: { enabled: false, start: '23:00', end: '08:00', allowRefunds: true },
  sound: true,
};

export const DEFAULT_SETTINGS: Settings = {
  shops: [],
  polling: { mode: 'balanced' },
  notify: DEFAULT_NOTIFY,
  language: 'zh-CN',
  startAtLogin: false,
  vvtype: 1,
  gatewayBaseUrl: DEFAULT_GATEWAY_URL,
  preferHttps: true,
  topBaseUrl: DEFAULT_TOP_URL,
  topAppKey: '',
  topSignMethod: 'hmac-sha256',
  // Memos are written to Taobao for Chinese shop staff, whatever the window's language: data, not words.
  // eslint-disable-next-line tradebell/words
  memoTemplates: ['已核对地址，请尽快发货', '买家要求改地址', '赠品已备注', '加急'],
  team: { enabled: false, url: '', seat: '' },
  updateMirrorUrl: '',
};

export const TEAM_SEAT_MAX = 32;

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A seat name as the other seats see it: up to TEAM_SEAT_MAX characters, no control characters
 * (empty means the computer's name). */
export function isSeatName(text: string): boolean {
  return text.length <= TEAM_SEAT_MAX && !CONTROL.test(text);
}

/** The language at first start, from the OS's preferred languages: English for an English
 * system, Simplified Chinese otherwise (the users are Chinese sellers). */
export function languageForLocales(locales: readonly string[]): Language {
  const first = locales[0]?.toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}
