/**
 * The IPC contract between the window and the main process: for each `TradebellApi` method a
 * channel (channels.ts) and a validator of its arguments, for each `on*` subscription an event
 * channel. Main validates every call against it (the renderer is untrusted), the preload takes its
 * channel names from channels.ts, and the mapped types make the compiler refuse a method without
 * a channel or a validator.
 */
import { z } from 'zod';
import {
  ANSWERS,
  channelOf,
  INVOKE_METHODS,
  type AnswerShape,
  type InvokeAnswer,
  type InvokeArgs,
  type InvokeMethod,
  type WireAnswer,
} from './channels';
import { MAX_CUSTOM_CEILING_MS, MIN_CUSTOM_CEILING_MS } from './limits';
import { MEMO_MAX_BYTES, isShopId, isTid, utf8Length } from './memo';
import type { Flag } from './flag';
import { isSeatName, TEAM_SEAT_MAX, type Settings } from './settings';
import { TOPIC_GROUPS } from './topics';

export {
  EVENTS,
  EVENT_NAMES,
  INVOKE_METHODS,
  subscriptionName,
  type EventMethod,
  type EventName,
  type EventPayload,
  type InvokeArgs,
  type InvokeAnswer,
  type InvokeMethod,
  type WireAnswer,
} from './channels';

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

/** Each method's argument validator. */
const ARGS: { [M in InvokeMethod]: z.ZodType<InvokeArgs<M>> } = {
  getState: z.tuple([]),
  listOrders: z.tuple([orderQuerySchema]),
  changedOrders: z.tuple([orderQuerySchema, z.array(tidSchema).max(MAX_TIDS)]),
  orderHistory: z.tuple([shopIdSchema, tidSchema]),
  markSeen: z.tuple([z.array(tidSchema).max(MAX_TIDS)]),
  remark: z.tuple([
    z.strictObject({
      shop: shopIdSchema,
      tid: tidSchema,
      memo: memoSchema.optional(),
      flag: flagSchema.optional(),
      clearUnknownMemo: z.boolean().optional(),
      clearUnknownFlag: z.boolean().optional(),
    }),
  ]),
  getSettings: z.tuple([]),
  updateSettings: z.tuple([settingsPatchSchema]),
  setSecret: z.tuple([secretNameSchema, secretValueSchema]),
  pause: z.tuple([shopIdSchema.optional()]),
  resume: z.tuple([shopIdSchema.optional()]),
  mute: z.tuple([muteMinutesSchema]),
  getSubscriptions: z.tuple([]),
  changeSubscriptions: z.tuple([z.strictObject({ open: topicMapSchema, stop: topicMapSchema })]),
  openExternal: z.tuple([z.string().max(2048)]),
  copyText: z.tuple([z.string().max(COPY_TEXT_MAX)]),
};

const specOf = <M extends InvokeMethod>(method: M): InvokeSpec<M> => ({
  channel: channelOf(method),
  args: ARGS[method],
  answer: ANSWERS[method],
});

export const INVOKE = Object.fromEntries(INVOKE_METHODS.map((m) => [m, specOf(m)])) as unknown as InvokeContract;

/** What main registers: one handler per method, arguments already validated. */
export type InvokeHandlers = { [M in InvokeMethod]: (...args: InvokeArgs<M>) => Promise<WireAnswer<M>> };
