/**
 * The one service object every face drives: it wires the gateway client, the scheduler, the
 * decoder, the inbox and the notification policy, and owns demo mode (the local gateway when no
 * token is set). It never imports electron.
 */
import { EventEmitter } from 'node:events';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dispatcher } from 'undici';
import type {
  AppState,
  OrderPage,
  OrderQuery,
  RemarkRequest,
  RemarkResult,
  SecretName,
  SettingsPatch,
  SubscriptionChange,
  SubscriptionState,
  Unsubscribe,
} from '../../shared/api';
import type { ShopId, Tid, TmcMessage, UndecodedMessage } from '../../shared/domain';
import { appError, type AppError } from '../../shared/errors';
import { isShopId, validateRemark } from '../../shared/memo';
import { err, ok, type Result } from '../../shared/result';
import type { PublicSettings, Settings, ShopSettings } from '../../shared/settings';
import { systemClock, type Clock } from './clock';
import { makePrivateDir } from './files';
import { CostMeter } from './gateway/cost';
import { GatewayClient } from './gateway/client';
import type { HttpTimeouts } from './gateway/http';
import type { RateBudgets } from './gateway/rate';
import type { ConsumeOk, Gateway } from './gateway/types';
import { Inbox } from './inbox/inbox';
import type { RetentionPolicy } from './inbox/types';
import { decodeBatch } from './intake/decoder';
import { NotifyPolicy } from './intake/notify';
import { planForError } from './intake/policy';
import { projectDailyCost, recentRatePerHour } from './intake/projection';
import { Scheduler } from './intake/scheduler';
import { silentLogger, type Logger, type SettingsStore } from './ports';
import { redactSecrets } from './redact';
import type { CoreEvents, TradebellCore } from './service';
// eslint-disable-next-line tradebell/layers -- demo mode starts the local gateway here until it is injected (issue 13)
import {
  DEMO_SHOPS,
  DEMO_TOKEN,
  DEMO_TOP_APP_KEY,
  DEMO_TOP_SECRET,
  startSimulator,
  type Simulator,
} from '../../simulator';
import { TopClient } from './top/client';
import { TOPIC_GROUPS } from '../../shared/topics';

export interface DemoOptions {
  seed?: number;
  ordersPerMinute?: number;
  serviceTimeMs?: number;
}

export interface CoreOptions {
  /** Where the inbox journal and the cost meter live. */
  dataDir: string;
  settings: SettingsStore;
  logger?: Logger;
  clock?: Clock;
  random?: () => number;
  /** Start the local gateway when no token is set (default on). `false`: no token, no polling. */
  demo?: false | DemoOptions;
  dispatcher?: Dispatcher;
  budgets?: RateBudgets;
  timeouts?: Partial<HttpTimeouts>;
  retention?: RetentionPolicy;
  /** How long notifications are held to coalesce a burst (NotifyPolicy's window). */
  notifyWindowMs?: number;
  /** Messages per consume call, 10..200. */
  quantity?: number;
  /** Read the inbox beside the folder's writer instead of taking its lock (`cli remark`). */
  readOnly?: boolean;
}

const COST_FILE = 'cost.json';
const COST_SAVE_EVERY_MS = 5_000;
const COMPACT_EVERY_MS = 3_600_000;
const ARRIVALS_KEPT_MS = 86_400_000;
/** Bounds --once: a queue that never empties stops here rather than bill forever. */
const DRAIN_MAX_CALLS = 10_000;
const DRAIN_MAX_ATTEMPTS = 5;

const DEMO_SHOP_SETTINGS: ShopSettings[] = DEMO_SHOPS.map((id, i) => ({
  id,
  name: i === 0 ? '演示店铺·服饰' : '演示店铺·数码',
  colour: i === 0 ? '#ff7a45' : '#597ef7',
  enabled: true,
}));

type Listener<K extends keyof CoreEvents> = (payload: CoreEvents[K]) => void;

export class Core implements TradebellCore {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly events = new EventEmitter();
  private settings: Settings;
  private readonly scheduler: Scheduler;
  private readonly policy: NotifyPolicy;
  private gateway: GatewayClient;
  private simulator?: Simulator;
  private demoActive = false;
  private started = false;
  private stopped = false;
  private readonly arrivals = new Map<ShopId, number[]>();
  private costSavedAt = Number.NEGATIVE_INFINITY;
  private readonly background = new AbortController();
  private compaction?: Promise<void>;

  private constructor(
    private readonly opts: CoreOptions,
    private readonly inbox: Inbox,
    private readonly meter: CostMeter,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
    this.settings = opts.settings.load();
    this.gateway = this.makeGateway(this.settings.gatewayBaseUrl);
    // The scheduler calls through this indirection, so switching demo ↔ real needs no new scheduler.
    const gateway: Gateway = {
      consume: (shop, req, o) => this.gateway.consume(shop, req, o),
      remark: (shop, req, o) => this.gateway.remark(shop, req, o),
    };
    this.scheduler = new Scheduler({
      gateway,
      clock: this.clock,
      random: opts.random,
      quantity: opts.quantity,
      polling: this.settings.polling,
      onBatch: (shop, answer, receivedAt) => this.ingest(shop, answer, receivedAt),
      onError: (shop, error) => this.onCallError(shop, error),
      onStateChange: () => this.emitState(),
    });
    this.policy = new NotifyPolicy({
      clock: this.clock,
      settings: () => this.settings.notify,
      emit: (n) => this.emit('notify', n),
      language: () => this.settings.language,
      shopName: (shop) => this.shopsInUse().find((s) => s.id === shop)?.name,
      windowMs: opts.notifyWindowMs,
    });
  }

  static async create(opts: CoreOptions): Promise<Core> {
    await makePrivateDir(opts.dataDir);
    const clock = opts.clock ?? systemClock;
    const inboxOptions = { clock, retention: opts.retention, logger: opts.logger };
    const inboxDir = join(opts.dataDir, 'inbox');
    const inbox = await (opts.readOnly ? Inbox.openReadOnly : Inbox.open)(inboxDir, inboxOptions);
    const meter = CostMeter.from(await readJsonFile(join(opts.dataDir, COST_FILE)), clock);
    return new Core(opts, inbox, meter);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.connect();
    this.scheduler.start();
    this.compaction = this.compactLoop();
    this.emitState();
  }

  /** Stops polling, flushes pending notifications, saves, closes the store. Final. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.started = false;
    this.background.abort();
    await this.scheduler.stop();
    this.policy.flush();
    this.policy.dispose();
    await this.compaction?.catch(() => undefined);
    await this.saveCost(true);
    await this.simulator?.close();
    this.simulator = undefined;
    await this.gateway.close();
    await this.inbox.close();
  }

  /** The local gateway of demo mode, when it runs (tests and the e2e harness use it). */
  get demoSimulator(): Simulator | undefined {
    return this.simulator;
  }

  // ---- the pipeline: consume answer → decode → store (flushed) → notify ----

  private async ingest(shop: ShopId, answer: ConsumeOk, receivedAt: number): Promise<void> {
    const batch = decodeBatch(shop, answer.messages, answer.malformed, receivedAt);
    const stored = await this.inbox.append(batch.messages, batch.undecoded);
    // The batch is safe on disk: nothing after this point may stop the shop (a rejection here
    // would read as "could not store").
    try {
      this.afterStore(shop, batch.undecoded, stored.added, receivedAt);
    } catch (e) {
      this.logger.error('after storing a batch', {
        shop,
        error: this.redact(e instanceof Error ? e.message : String(e)),
      });
    }
    await this.saveCost(false);
    this.emitState();
  }

  /** Reports and notifies what a stored batch brought. */
  private afterStore(shop: ShopId, undecoded: UndecodedMessage[], added: TmcMessage[], receivedAt: number): void {
    for (const u of undecoded) {
      this.logger.warn('undecodable message kept raw', { shop, rowId: u.rowId, reason: u.reason });
      this.emit('undecoded', u);
    }
    if (added.length > 0) {
      const times = this.arrivals.get(shop) ?? [];
      for (const m of added) {
        times.push(receivedAt);
        this.emit('message', m);
      }
      const cutoff = receivedAt - ARRIVALS_KEPT_MS;
      while (times.length > 0 && times[0]! < cutoff) times.shift();
      this.arrivals.set(shop, times);
      this.policy.offer(added, (s, t) => this.inbox.getOrder(s, t));
      this.emit('orders', unique(added.map((m) => m.tid).filter((t): t is string => t !== undefined)));
    }
  }

  private onCallError(shop: ShopId, error: AppError): void {
    this.logger.warn('gateway call failed', {
      shop,
      kind: error.kind,
      code: error.code,
      message: this.redact(error.message),
    });
    this.emit('error', { shop, error });
    void this.saveCost(false);
  }

  /**
   * The CLI's --once: consume every enabled shop until an empty answer. Bounded: transient errors
   * are retried with the scheduler's back-off a few times, stopping errors end that shop at once.
   */
  async drain(): Promise<void> {
    await this.connect();
    for (const shop of this.enabledShopIds()) {
      let attempt = 0;
      for (let calls = 0; calls < DRAIN_MAX_CALLS; calls++) {
        const r = await this.gateway.consume(
          shop,
          { quantity: this.opts.quantity ?? 100 },
          { signal: this.background.signal },
        );
        if (!r.ok) {
          this.onCallError(shop, r.error);
          const plan = planForError(r.error, ++attempt, this.opts.random ?? Math.random);
          if (plan.action === 'stop' || attempt >= DRAIN_MAX_ATTEMPTS) break;
          await this.clock.sleep(plan.delayMs, this.background.signal);
          continue;
        }
        attempt = 0;
        await this.ingest(shop, r.value, this.clock.now());
        if (r.value.messages.length === 0 && r.value.malformed.length === 0) break;
      }
    }
    this.policy.flush();
    await this.saveCost(true);
  }

  // ---- demo mode and the gateway in use ----

  private token(): string | null {
    return this.opts.settings.getSecret('token');
  }

  /** Points the client at the real gateway when a token is set, at the local one otherwise. */
  private async connect(): Promise<void> {
    const token = this.token();
    const wantDemo = !token && this.opts.demo !== false;
    if (wantDemo && !this.simulator) {
      const d = this.opts.demo || {};
      this.simulator = await startSimulator({
        seed: d.seed,
        traffic: { ordersPerMinute: d.ordersPerMinute ?? 4 },
        serviceTimeMs: d.serviceTimeMs ?? 300,
        shops: DEMO_SHOPS,
      });
      this.logger.info('demo mode: local gateway started', { url: this.simulator.url });
    }
    if (!wantDemo && this.simulator) {
      await this.simulator.close();
      this.simulator = undefined;
      this.logger.info('token set: demo mode ended');
    }
    this.demoActive = wantDemo;
    const baseUrl = wantDemo ? this.simulator!.url : this.settings.gatewayBaseUrl;
    await this.gateway.close();
    this.gateway = this.makeGateway(baseUrl);
    this.scheduler.setShops(this.enabledShopIds());
  }

  private makeGateway(baseUrl: string): GatewayClient {
    return new GatewayClient({
      baseUrl,
      token: () => (this.demoActive ? DEMO_TOKEN : this.token()),
      vvtype: () => this.settings.vvtype,
      meter: this.meter,
      clock: this.clock,
      dispatcher: this.opts.dispatcher,
      budgets: this.opts.budgets,
      timeouts: this.opts.timeouts,
    });
  }

  /** The shops polled: the user's, or in demo mode with none configured, the demo shops. */
  private shopsInUse(): ShopSettings[] {
    if (this.demoActive && this.settings.shops.length === 0) return DEMO_SHOP_SETTINGS;
    return this.settings.shops;
  }

  private enabledShopIds(): ShopId[] {
    return this.shopsInUse()
      .filter((s) => s.enabled)
      .map((s) => s.id);
  }

  // ---- what the faces ask ----

  getState(): AppState {
    const now = this.clock.now();
    const report = this.meter.summary();
    const shops = this.enabledShopIds();
    const observed = report.total.all.calls > 0 ? report.total.all.points / report.total.all.calls : 1;
    const projection = projectDailyCost({
      polling: this.scheduler.polling,
      messagesPerHour: shops.map((s) => recentRatePerHour(this.arrivals.get(s) ?? [], now)),
      pointsPerCall: observed,
      quantity: this.opts.quantity,
    });
    return {
      demo: this.demoActive,
      paused: this.scheduler.paused,
      mutedUntil: this.policy.mutedUntil,
      unread: this.inbox.query({ limit: 0 }).unread,
      shops: this.scheduler.statuses().map(({ shop, state, error, lastCallAt, lastMessageAt }) => ({
        shop,
        state,
        error,
        lastCallAt,
        lastMessageAt,
      })),
      cost: {
        today: { calls: report.today.all.calls, points: report.today.all.points },
        total: { calls: report.total.all.calls, points: report.total.all.points },
        projectedDailyPoints: projection.pointsPerDay,
      },
      globalError: this.scheduler.globalError,
    };
  }

  listOrders(query: OrderQuery): OrderPage {
    return this.inbox.query(query);
  }

  async markSeen(tids: Tid[]): Promise<void> {
    await this.inbox.markSeen(tids);
    this.emit('orders', tids);
    this.emitState();
  }

  async remark(req: RemarkRequest): Promise<Result<RemarkResult>> {
    const invalid = validateRemark(req);
    if (invalid) return err(appError('validation', invalid, { endpoint: 'remark' }));
    // Registered before the call: the echo may be consumed before this call's answer is read.
    this.policy.expectEcho(req.shop, req.tid, req.memo, req.flag);
    const r = await this.gateway.remark(req.shop, { tid: req.tid, memo: req.memo, flag: req.flag });
    await this.saveCost(false);
    if (!r.ok) {
      this.logger.warn('remark failed', { shop: req.shop, tid: req.tid, kind: r.error.kind, code: r.error.code });
      return r;
    }
    await this.inbox.recordRemark(req.shop, req.tid, req.memo, req.flag, this.clock.now());
    this.emit('orders', [req.tid]);
    this.emitState();
    return ok({ tid: r.value.tid || req.tid, modified: r.value.modified });
  }

  getSettings(): PublicSettings {
    const s = this.opts.settings;
    return {
      ...structuredClone(this.settings),
      shops:
        this.settings.shops.length === 0 && this.demoActive
          ? structuredClone(DEMO_SHOP_SETTINGS)
          : structuredClone(this.settings.shops),
      tokenSet: s.getSecret('token') !== null,
      topSecretSet: s.getSecret('topSecret') !== null,
      topSessionSet: s.getSecret('topSession') !== null,
      demo: this.demoActive,
      secretsPersisted: s.secretsPersisted ?? true,
    };
  }

  async updateSettings(patch: SettingsPatch): Promise<Result<PublicSettings>> {
    const next: Settings = { ...this.settings, ...structuredClone(patch) };
    const invalid = checkSettings(next);
    if (invalid) return err(appError('validation', invalid));
    const before = this.settings;
    this.settings = next;
    this.opts.settings.save(next);
    if (before.polling.mode !== next.polling.mode || before.polling.customCeilingMs !== next.polling.customCeilingMs) {
      this.scheduler.setMode(next.polling.mode, next.polling.customCeilingMs);
    }
    if (before.gatewayBaseUrl !== next.gatewayBaseUrl && !this.demoActive) await this.reconnect();
    else this.scheduler.setShops(this.enabledShopIds());
    this.emitState();
    return ok(this.getSettings());
  }

  async setSecret(name: SecretName, value: string | null): Promise<Result<PublicSettings>> {
    const v = value?.trim() ?? null;
    if (v !== null && (v.length === 0 || v.length > 4096 || /\s/.test(v))) {
      return err(
        appError('validation', '密钥格式无效：不能为空或包含空格 (the secret must be non-empty, without spaces)'),
      );
    }
    this.opts.settings.setSecret(name, v);
    if (name === 'token') {
      await this.reconnect();
      this.scheduler.tokenChanged();
    }
    this.emitState();
    return ok(this.getSettings());
  }

  private async reconnect(): Promise<void> {
    if (this.started) await this.connect();
  }

  pause(shop?: string): AppState {
    this.scheduler.pause(shop);
    return this.getState();
  }

  resume(shop?: string): AppState {
    this.scheduler.resume(shop);
    return this.getState();
  }

  mute(minutes: number): AppState {
    if (minutes <= 0) this.policy.unmute();
    else this.policy.muteFor(minutes);
    this.emitState();
    return this.getState();
  }

  suspend(): void {
    this.scheduler.suspend();
  }

  wake(): void {
    this.scheduler.wake();
  }

  // ---- subscriptions (TOP) ----

  private topClient(): Result<TopClient> {
    if (this.demoActive && this.simulator) {
      return ok(
        new TopClient({
          baseUrl: `${this.simulator.url}/router/rest`,
          appKey: DEMO_TOP_APP_KEY,
          secret: () => DEMO_TOP_SECRET,
          session: () => 'demo-session',
          signMethod: this.settings.topSignMethod,
          clock: this.clock,
          dispatcher: this.opts.dispatcher,
        }),
      );
    }
    const s = this.opts.settings;
    if (!this.settings.topAppKey || s.getSecret('topSecret') === null || s.getSecret('topSession') === null) {
      return err(
        appError(
          'validation',
          '请先在设置中填写淘宝开放平台的 App Key、App Secret 和 SessionKey (set the TOP app key, secret and session key first)',
        ),
      );
    }
    return ok(
      new TopClient({
        baseUrl: this.settings.topBaseUrl,
        appKey: this.settings.topAppKey,
        secret: () => s.getSecret('topSecret'),
        session: () => s.getSecret('topSession'),
        signMethod: this.settings.topSignMethod,
        clock: this.clock,
        dispatcher: this.opts.dispatcher,
      }),
    );
  }

  getSubscriptions(): Promise<Result<SubscriptionState>> {
    return this.permit({});
  }

  changeSubscriptions(change: SubscriptionChange): Promise<Result<SubscriptionState>> {
    const open = pickGroups(change.open);
    const stop = pickGroups(change.stop);
    const topics = unique([...Object.keys(open), ...Object.keys(stop)]);
    return this.permit({ topics, openSubInfo: open, stopSubInfo: stop });
  }

  private async permit(params: Parameters<TopClient['permit']>[0]): Promise<Result<SubscriptionState>> {
    const client = this.topClient();
    if (!client.ok) return client;
    try {
      const r = await client.value.permit(params);
      if (!r.ok) return r;
      const subscribed: Record<string, string[]> = {};
      for (const { topic, status } of r.value.subscriptions) (subscribed[topic] ??= []).push(status);
      return ok({ subscribed, status: r.value.status, updatedAt: this.clock.now() });
    } finally {
      await client.value.close();
    }
  }

  // ---- events ----

  on<K extends keyof CoreEvents>(event: K, listener: Listener<K>): Unsubscribe {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  private emit<K extends keyof CoreEvents>(event: K, payload: CoreEvents[K]): void {
    this.events.emit(event, payload);
  }

  private emitState(): void {
    if (this.events.listenerCount('state') > 0) this.emit('state', this.getState());
  }

  private redact(text: string): string {
    const s = this.opts.settings;
    return redactSecrets(text, [s.getSecret('token'), s.getSecret('topSecret'), s.getSecret('topSession')]);
  }

  // ---- housekeeping ----

  private async saveCost(force: boolean): Promise<void> {
    const now = this.clock.now();
    if (!force && now - this.costSavedAt < COST_SAVE_EVERY_MS) return;
    this.costSavedAt = now;
    try {
      await writeJsonAtomic(join(this.opts.dataDir, COST_FILE), this.meter.toJSON());
    } catch (e) {
      this.logger.warn('could not save the cost meter', { error: String(e) });
    }
  }

  private async compactLoop(): Promise<void> {
    const signal = this.background.signal;
    while (!signal.aborted) {
      try {
        await this.clock.sleep(COMPACT_EVERY_MS, signal);
        await this.inbox.compact();
      } catch (e) {
        if (signal.aborted) return;
        this.logger.warn('compaction failed', { error: String(e) });
      }
    }
  }
}

export async function createCore(opts: CoreOptions): Promise<Core> {
  return Core.create(opts);
}

function checkSettings(s: Settings): string | null {
  const ids = new Set<string>();
  for (const shop of s.shops) {
    if (!isShopId(shop.id)) return `店铺 ID 无效：${shop.id} (shop ids are letters, digits, - or _)`;
    if (ids.has(shop.id)) return `店铺重复：${shop.id} (duplicate shop)`;
    ids.add(shop.id);
  }
  if (s.polling.mode === 'custom') {
    const c = s.polling.customCeilingMs;
    if (c === undefined || !Number.isFinite(c) || c < 1000 || c > 3_600_000)
      return '自定义轮询间隔须在 1 秒到 1 小时之间 (custom ceiling: 1 s to 1 h)';
  }
  for (const url of [s.gatewayBaseUrl, s.topBaseUrl]) {
    if (!/^https?:\/\/[^\s/]+/.test(url)) return `地址无效：${url} (URLs must start with http:// or https://)`;
  }
  return null;
}

function pickGroups(info: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const g of TOPIC_GROUPS) if (info[g]?.length) out[g] = [...info[g]];
  return out;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

async function readJsonFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, JSON.stringify(value));
  await rename(tmp, path);
}
