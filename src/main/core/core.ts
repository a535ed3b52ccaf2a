/**
 * The one service object every face drives: it wires the gateway client, the scheduler, the
 * decoder, the inbox and the notification policy, and owns demo mode (the local gateway when no
 * token is set). It never imports electron.
 */
import { EventEmitter } from 'node:events';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
import { CostMeter } from './gateway/cost';
import { GatewayClient } from './gateway/client';
import type { HttpTimeouts } from './gateway/http';
import type { RateBudgets } from './gateway/rate';
import type { ConsumeOk, Gateway } from './gateway/types';
import { Inbox } from './inbox/inbox';
import type { AppendIo } from './inbox/journal';
import type { RetentionPolicy } from './inbox/types';
import { decodeBatch } from './intake/decoder';
import { NotifyPolicy } from './intake/notify';
import { projectDailyCost, recentRatePerHour } from './intake/projection';
import { readHeld, removeHeld, writeHeld } from './intake/rescue';
import { Rhythm } from './intake/rhythm';
import { appScheduler, type Scheduler } from './intake/scheduler';
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
  /** The inbox journal's appends (tests fail them like a full disk). */
  appendIo?: AppendIo;
}

const COST_FILE = 'cost.json';
const COST_SAVE_EVERY_MS = 5_000;
const COMPACT_EVERY_MS = 3_600_000;
const ARRIVALS_KEPT_MS = 86_400_000;
const HOUR_MS = 3_600_000;

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
  /** Each shop's messages by hour of the week: balanced mode polls its dead hours less. */
  private readonly rhythm = new Rhythm();
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
    this.scheduler = appScheduler({
      gateway,
      clock: this.clock,
      random: opts.random,
      quantity: opts.quantity,
      polling: this.settings.polling,
      quietHours: () => this.settings.notify.quietHours,
      rhythm: this.rhythm,
      onBatch: (shop, answer, receivedAt) => this.ingest(shop, answer, receivedAt),
      onError: (shop, error) => this.onCallError(shop, error),
      onStateChange: () => this.emitState(),
    });
    for (const o of inbox.query({}).orders) for (const e of o.events) this.rhythm.add(o.shop, e.at);
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
    await mkdir(opts.dataDir, { recursive: true });
    const clock = opts.clock ?? systemClock;
    const inbox = await Inbox.open(join(opts.dataDir, 'inbox'), {
      clock,
      retention: opts.retention,
      logger: opts.logger,
      appendIo: opts.appendIo,
    });
    const meter = CostMeter.from(await readJsonFile(join(opts.dataDir, COST_FILE)), clock);
    return new Core(opts, inbox, meter);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.connect();
    await this.takeBackHeld();
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
    await this.putAwayHeld();
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
        this.rhythm.add(shop, m.pubTime);
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

  /** The CLI's --once: the scheduler's drain mode (Scheduler.drain) over every enabled shop. */
  async drain(): Promise<void> {
    await this.connect();
    await this.takeBackHeld();
    await this.scheduler.drain();
    this.policy.flush();
    await this.saveCost(true);
  }

  /** Batches a stop could not store last time: held by the scheduler, stored before their shop
   * calls again, their files removed once stored. */
  private async takeBackHeld(): Promise<void> {
    const { batches, unreadable } = await readHeld(this.opts.dataDir);
    for (const file of unreadable) this.logger.error('a file of held messages cannot be read; left in place', { file });
    for (const b of batches) {
      this.logger.warn('taking back messages held at the last stop', { shop: b.shop, file: b.file });
      this.scheduler.hold({
        shop: b.shop,
        answer: b.answer,
        receivedAt: b.receivedAt,
        onStored: () => removeHeld(b.file),
      });
    }
  }

  /** What the scheduler still holds at stop goes to disk wherever it can (rescue.ts), for the next
   * start to take back. */
  private async putAwayHeld(): Promise<void> {
    const held = this.scheduler.takeHeld().filter((b) => !b.onStored);
    if (held.length === 0) return;
    const messages = held.reduce((n, b) => n + b.answer.messages.length + b.answer.malformed.length, 0);
    const { files, error } = await writeHeld(this.opts.dataDir, held);
    const where = [...new Set(files.filter((f) => f !== undefined).map((f) => dirname(f)))];
    const lost = files.filter((f) => f === undefined).length;
    this.logger.error('messages not stored at stop', { messages, files, error: error && String(error) });
    const text =
      lost === 0
        ? `退出时仍有 ${messages} 条消息未能存入收件箱，已另存到 ${where.join('、')}，下次启动时自动导入 (${messages} messages could not be stored before stopping; written to ${where.join(', ')} and taken back at the next start)`
        : `退出时仍有 ${messages} 条消息未能保存，其中 ${lost} 批无处可写，已丢失 (${messages} messages could not be stored before stopping; ${lost} batches could be written nowhere and are lost): ${String(error)}`;
    for (const shop of new Set(held.map((b) => b.shop)))
      this.emit('error', { shop, error: appError('storage', text, { retryable: false }) });
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
      ceilings: shops.map((s) =>
        Array.from({ length: 24 }, (_, h) => this.scheduler.ceilingFor(s, now + h * HOUR_MS).ceilingMs),
      ),
      pointsPerCall: observed,
      quantity: this.opts.quantity,
    });
    const ceilings = shops.map((s) => this.scheduler.ceilingFor(s, now));
    const polling = ceilings.reduce<(typeof ceilings)[number] | undefined>(
      (a, b) => (!a || b.ceilingMs < a.ceilingMs ? b : a),
      undefined,
    );
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
      ...(polling && { polling: { everyMs: polling.ceilingMs, reason: polling.reason } }),
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
