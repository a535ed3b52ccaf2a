/**
 * The IPC contract between the window and the main process: for each `TradebellApi` method a
 * channel and a validator of its arguments, for each `on*` subscription an event channel.
 * Main validates every call against it (the renderer is untrusted), the preload takes its channel
 * names from it, and the mapped types below make the compiler refuse a method without a channel.
 */
import { z } from 'zod';
import type { TradebellApi } from './api';
import { MAX_CUSTOM_CEILING_MS, MIN_CUSTOM_CEILING_MS } from './limits';
import { MEMO_MAX_BYTES, isShopId, isTid, utf8Length } from './memo';
import type { Flag } from './flag';
import type { Result } from './result';
import { isSeatName, TEAM_SEAT_MAX, type Settings } from './settings';
import { TOPIC_GROUPS } from './topics';

// ---- the shape of the API -------------------------------------------------------------------

/** Methods answered by a handler in main; the rest are `on*` event subscriptions. */
export type InvokeMethod = { [K in keyof TradebellApi]: K extends `on${string}` ? never : K }[keyof TradebellApi];
export type EventMethod = Exclude<keyof TradebellApi, InvokeMethod>;
/** `onOrdersChanged` → `ordersChanged`. */
export type EventName = EventMethod extends `on${infer N}` ? Uncapitalize<N> : never;

export type InvokeArgs<M extends InvokeMethod> = Parameters<TradebellApi[M]>;
export type InvokeAnswer<M extends InvokeMethod> = Awaited<ReturnType<TradebellApi[M]>>;
export type EventPayload<E extends EventName> = Parameters<Parameters<TradebellApi[`on${Capitalize<E>}`]>[0]>[0];

/**
 * What travels back over the wire: always a Result, so a refused call (bad sender, bad payload)
 * is a typed error even for methods whose API answer is a plain value. The preload unwraps those
 * (`plain`), and passes the Result of the others (`result`) through unchanged.
 */
type AnswerShape<A> = A extends Result<unknown> ? 'result' : 'plain';
export type WireAnswer<M extends InvokeMethod> =
  InvokeAnswer<M> extends Result<unknown> ? InvokeAnswer<M> : Result<InvokeAnswer<M>>;

interface InvokeSpec<M extends InvokeMethod> {
  channel: `tradebell:${M}`;
  args: z.ZodType<InvokeArgs<M>>;
  answer: AnswerShape<InvokeAnswer<M>>;
}

/** Exhaustive: a method of TradebellApi without a channel, or a validator of the wrong type, does not compile. */
export type InvokeContract = { [M in InvokeMethod]: InvokeSpec<M> };

// ---- validators ---------------------------------------------------------------------------

export const shopIdSchema = z.string().refine(isShopId, 'shop id: letters, digits, _ or -, at most 64');
export const tidSchema = z.string().refine(isTid, 'tid: digits only');
export const flagSchema: z.ZodType<Flag> = z.literal([0, 1, 2, 3, 4, 5]);
/** Every valid memo has at most MEMO_MAX_BYTES UTF-16 units; the exact byte count is the core's
 * check (validateRemark), which answers with the words the user needs. */
export const memoSchema = z.string().max(MEMO_MAX_BYTES);

const HTTP_URL = /^https?:\/\/[^\s/?#]+/i;
const httpUrlSchema = z
  .string()
  .max(2048)
  .regex(HTTP_URL, 'must be an http(s) URL')
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials');

/** The team server without its password (the core splits a pasted one off into the secret). */
const teamUrlSchema = z
  .string()
  .max(2048)
  .refine((s) => {
    if (s === '') return true;
    try {
      const u = new URL(s);
      return (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be a redis:// or rediss:// URL');
/** An update mirror: https, or plain http on this machine only (a local mirror, the tests). */
const updateMirrorSchema = z.union([
  z.literal(''),
  httpUrlSchema.refine((s) => {
    const u = new URL(s);
    return u.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  }, 'update mirror: an https URL'),
]);

const hhmmSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time: HH:mm');
const shortTopicSchema = z.string().regex(/^[A-Z][A-Za-z]{0,63}$/, 'topic: a short TMC topic name');
const amountSchema = z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, 'amount: yuan, e.g. 100.00');
const colourSchema = z.string().regex(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'colour: #rgb or #rrggbb');

export const MAX_SHOPS = 200;
export const MAX_MEMO_TEMPLATES = 50;

const shopSettingsSchema = z.strictObject({
  id: shopIdSchema,
  name: z.string().max(100),
  colour: colourSchema,
  enabled: z.boolean(),
});

const notifySchema = z.strictObject({
  rules: z.record(shortTopicSchema, z.strictObject({ enabled: z.boolean(), minAmount: amountSchema.optional() })),
  mutedShops: z.array(shopIdSchema).max(MAX_SHOPS),
  quietHours: z.strictObject({ enabled: z.boolean(), start: hhmmSchema, end: hhmmSchema, allowRefunds: z.boolean() }),
  sound: z.boolean(),
});

/** Each shop once: the second of two equal ids is the one refused. */
const shopListSchema = z
  .array(shopSettingsSchema)
  .max(MAX_SHOPS)
  .superRefine((shops, ctx) => {
    const ids = new Set<string>();
    shops.forEach((shop, i) => {
      if (ids.has(shop.id)) ctx.addIssue({ code: 'custom', message: 'shop id: each shop once', path: [i, 'id'] });
      ids.add(shop.id);
    });
  });

/** All settings, strictly: unknown keys are refused at every level. electron-store's JSON schema
 * is generated from this one (z.toJSONSchema), so the file and the wire agree. */
export const settingsSchema = z.strictObject({
  shops: shopListSchema,
  polling: z.strictObject({
    mode: z.enum(['realtime', 'balanced', 'saver', 'custom']),
    customCeilingMs: z.int().min(MIN_CUSTOM_CEILING_MS).max(MAX_CUSTOM_CEILING_MS).optional(),
  }),
  notify: notifySchema,
  language: z.enum(['zh-CN', 'en']),
  startAtLogin: z.boolean(),
  vvtype: z.literal([1, 2, 3]),
  gatewayBaseUrl: httpUrlSchema,
  preferHttps: z.boolean().optional(),
  topBaseUrl: httpUrlSchema,
  topAppKey: z.string().regex(/^[A-Za-z0-9]{0,64}$/, 'app key: letters and digits'),
  topSignMethod: z.enum(['md5', 'hmac', 'hmac-sha256']),
  memoTemplates: z
    .array(
      z
        .string()
        .max(MEMO_MAX_BYTES)
        .refine((t) => utf8Length(t) <= MEMO_MAX_BYTES, `template: at most ${MEMO_MAX_BYTES} bytes`),
    )
    .max(MAX_MEMO_TEMPLATES),
  team: z.strictObject({
    enabled: z.boolean(),
    url: teamUrlSchema,
    seat: z.string().max(TEAM_SEAT_MAX).refine(isSeatName, 'seat name: no control characters'),
  }),
  updateMirrorUrl: updateMirrorSchema,
  secretHosts: z
    .strictObject({
      token: z.string().max(300).optional(),
      topSecret: z.string().max(300).optional(),
      topSession: z.string().max(300).optional(),
      teamPassword: z.string().max(300).optional(),
    })
    .optional(),
}) satisfies z.ZodType<Settings>;

/** What the window may change: not which host a secret belongs to (the core keeps that). */
export const settingsPatchSchema = settingsSchema.omit({ secretHosts: true }).partial();

/** The whole settings the core saves (a patch merged into the current ones). A patch may choose
 * `custom` before its ceiling is typed in; the merged whole may not be saved without one. Team
 * mode, likewise, may be switched on before its server is typed in, but not saved so. */
export const completeSettingsSchema = settingsSchema
  .refine((s) => s.polling.mode !== 'custom' || s.polling.customCeilingMs !== undefined, {
    message: 'custom polling needs its ceiling',
    path: ['polling', 'customCeilingMs'],
  })
  .refine((s) => !s.team.enabled || s.team.url !== '', {
    message: 'team mode needs the team server URL',
    path: ['team', 'url'],
  });

export const secretNameSchema = z.enum(['token', 'topSecret', 'topSession', 'teamPassword']);
/** Secrets go into HTTP headers and signatures: printable ASCII only, no spaces or line breaks. */
export const secretValueSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,4096}$/, 'secret: 1..4096 printable ASCII characters')
  .nullable();

export const MUTE_MAX_MINUTES = 1440;
/** Minutes to mute notifications; 0 unmutes. */
export const muteMinutesSchema = z.int().min(0).max(MUTE_MAX_MINUTES);

export const COPY_TEXT_MAX = 10_000;
const MAX_TIDS = 5_000;

const orderQuerySchema = z.strictObject({
  shop: shopIdSchema.optional(),
  status: z
    .string()
    .regex(/^[A-Z_]{1,64}$/)
    .optional(),
  flag: flagSchema.optional(),
  unflaggedOnly: z.boolean().optional(),
  search: z.string().max(200).optional(),
  tids: z.array(tidSchema).max(MAX_TIDS).optional(),
  limit: z.int().min(1).max(1_000).optional(),
  offset: z.int().min(0).max(10_000_000).optional(),
  after: z
    .strictObject({ shop: shopIdSchema, tid: tidSchema, updatedAt: z.number().refine(Number.isFinite, 'a time') })
    .optional(),
});

const topicMapSchema = z.record(
  z.string().refine((g) => (TOPIC_GROUPS as readonly string[]).includes(g), 'topic group'),
  z.array(shortTopicSchema).max(64),
);

// ---- channels -----------------------------------------------------------------------------

export const INVOKE = {
  getState: { channel: 'tradebell:getState', args: z.tuple([]), answer: 'plain' },
  listOrders: { channel: 'tradebell:listOrders', args: z.tuple([orderQuerySchema]), answer: 'result' },
  changedOrders: {
    channel: 'tradebell:changedOrders',
    args: z.tuple([orderQuerySchema, z.array(tidSchema).max(MAX_TIDS)]),
    answer: 'result',
  },
  orderHistory: { channel: 'tradebell:orderHistory', args: z.tuple([shopIdSchema, tidSchema]), answer: 'result' },
  markSeen: { channel: 'tradebell:markSeen', args: z.tuple([z.array(tidSchema).max(MAX_TIDS)]), answer: 'result' },
  remark: {
    channel: 'tradebell:remark',
    args: z.tuple([
      z.strictObject({
        shop: shopIdSchema,
        tid: tidSchema,
        memo: memoSchema.optional(),
        flag: flagSchema.optional(),
        clearUnknownMemo: z.boolean().optional(),
        clearUnknownFlag: z.boolean().optional(),
      }),
    ]),
    answer: 'result',
  },
  getSettings: { channel: 'tradebell:getSettings', args: z.tuple([]), answer: 'plain' },
  updateSettings: { channel: 'tradebell:updateSettings', args: z.tuple([settingsPatchSchema]), answer: 'result' },
  setSecret: { channel: 'tradebell:setSecret', args: z.tuple([secretNameSchema, secretValueSchema]), answer: 'result' },
  pause: { channel: 'tradebell:pause', args: z.tuple([shopIdSchema.optional()]), answer: 'result' },
  resume: { channel: 'tradebell:resume', args: z.tuple([shopIdSchema.optional()]), answer: 'result' },
  mute: { channel: 'tradebell:mute', args: z.tuple([muteMinutesSchema]), answer: 'result' },
  getSubscriptions: { channel: 'tradebell:getSubscriptions', args: z.tuple([]), answer: 'result' },
  changeSubscriptions: {
    channel: 'tradebell:changeSubscriptions',
    args: z.tuple([z.strictObject({ open: topicMapSchema, stop: topicMapSchema })]),
    answer: 'result',
  },
  openExternal: { channel: 'tradebell:openExternal', args: z.tuple([z.string().max(2048)]), answer: 'result' },
  copyText: { channel: 'tradebell:copyText', args: z.tuple([z.string().max(COPY_TEXT_MAX)]), answer: 'result' },
} as const satisfies InvokeContract;

export const EVENTS = {
  state: 'tradebell:event:state',
  ordersChanged: 'tradebell:event:ordersChanged',
  navigate: 'tradebell:event:navigate',
} as const satisfies Record<EventName, `tradebell:event:${string}`>;

export const INVOKE_METHODS = Object.keys(INVOKE) as InvokeMethod[];
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

/** `onState` for `state`: the preload's subscription name of an event. */
export function subscriptionName<E extends EventName>(event: E): `on${Capitalize<E>}` {
  return `on${event[0]!.toUpperCase()}${event.slice(1)}` as `on${Capitalize<E>}`;
}

/** What main registers: one handler per method, arguments already validated. */
export type InvokeHandlers = { [M in InvokeMethod]: (...args: InvokeArgs<M>) => Promise<WireAnswer<M>> };
