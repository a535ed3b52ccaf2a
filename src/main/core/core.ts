/**
 * The one service object every face drives (TradebellCore in service.ts): it hands each call to
 * the part that owns it (assemble.ts builds and wires them) and holds no rule of its own. It never
 * imports electron.
 */
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
import type { OrderEvent, ShopId, Tid } from '../../shared/domain';
import { appError } from '../../shared/errors';
import { err, ok, type Result } from '../../shared/result';
import type { PublicSettings } from '../../shared/settings';
import { assembleCore, type CoreOptions, type CoreParts } from './assemble';
import { runEvery } from './clock';
import { hostChangesToConfirm } from './hostChange';
import type { HostChangeQuestion } from './ports';
import { putAwayHeld, takeBackHeld } from './intake/rescue';
import type { CoreEvents, TradebellCore } from './service';
import { appState } from './state';

export type { CoreOptions } from './assemble';
export type { DemoOptions } from './gateway/connection';

const COMPACT_EVERY_MS = 3_600_000;

export class Core implements TradebellCore {
  private started = false;
  private stopped = false;
  private readonly background = new AbortController();
  private compaction?: Promise<void>;

  private constructor(
    private readonly opts: CoreOptions,
    private readonly parts: CoreParts,
  ) {}

  static async create(opts: CoreOptions): Promise<Core> {
    return new Core(opts, await assembleCore(opts));
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { inbox, logger } = this.parts;
    await this.connect();
    await this.parts.team.sync(true);
    // After the seat is open: in team mode a held batch goes to the stream like any other.
    await takeBackHeld(this.opts.dataDir, this.parts.scheduler, logger);
    this.parts.scheduler.start();
    this.compaction = runEvery(
      this.parts.clock,
      COMPACT_EVERY_MS,
      this.background.signal,
      () => inbox.compact(),
      (e) => logger.warn('compaction failed', { error: String(e) }),
    );
    this.parts.events.publishState();
  }

  /** Stops polling, flushes pending notifications, saves, closes the store. Final. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.started = false;
    this.background.abort();
    const { scheduler, notifications, cost, connection, inbox, logger } = this.parts;
    await scheduler.stop();
    await putAwayHeld(this.opts.dataDir, scheduler.takeHeld(), logger, this.parts.reportCallError);
    // After the scheduler: the answers still in flight were handed to the stream (or kept).
    await this.parts.team.close();
    notifications.flush();
    notifications.dispose();
    await this.compaction?.catch(() => undefined);
    await cost.save(true);
    await connection.close();
    await inbox.close();
  }

  /** The CLI's --once: the scheduler's drain mode (Scheduler.drain) over every enabled shop. */
  async drain(): Promise<void> {
    const { scheduler, notifications, cost, logger } = this.parts;
    await this.connect();
    await takeBackHeld(this.opts.dataDir, scheduler, logger);
    await scheduler.drain();
    notifications.flush();
    await cost.save(true);
  }

  getState(): AppState {
    const { cost, clock } = this.parts;
    return appState({ ...this.parts, meter: cost.meter, quantity: this.opts.quantity }, clock.now());
  }

  listOrders(query: OrderQuery): OrderPage {
    return this.parts.inbox.query(query);
  }

  changedOrders(query: OrderQuery, tids: Tid[]): OrderPage {
    return this.parts.inbox.changed(query, tids);
  }

  orderHistory(shop: ShopId, tid: Tid): OrderEvent[] {
    return this.parts.inbox.getOrder(shop, tid)?.events ?? [];
  }

  async markSeen(tids: Tid[]): Promise<void> {
    await this.parts.inbox.markSeen(tids);
    this.parts.events.emit('orders', tids);
    this.parts.events.publishState();
  }

  async remark(req: RemarkRequest): Promise<Result<RemarkResult>> {
    const r = await this.parts.remarks.save(req);
    if (r.ok) this.parts.events.publishState();
    return r;
  }

  getSettings(): PublicSettings {
    const { settings, connection } = this.parts;
    return settings.publicView(connection.shopsInUse(), connection.demo, connection.gatewayUrl);
  }

  async updateSettings(patch: SettingsPatch): Promise<Result<PublicSettings>> {
    const { settings, scheduler, connection, events, team } = this.parts;
    const prepared = team.preparePatch(patch);
    if (!prepared.ok) return prepared;
    const next = settings.preview(prepared.value.patch);
    if (!next.ok) return next;
    // A new host is named in a dialog the window cannot answer, before anything is saved.
    for (const question of hostChangesToConfirm(settings.current, next.value)) {
      const confirmed = (await this.opts.confirmHostChange?.(question)) === true;
      if (!confirmed) return err(hostChangeRefused(question, this.opts.confirmHostChange !== undefined));
    }
    const changed = settings.update(prepared.value.patch);
    if (!changed.ok) return changed;
    const { before, after } = changed.value;
    if (before.polling.mode !== after.polling.mode || before.polling.customCeilingMs !== after.polling.customCeilingMs)
      scheduler.setMode(after.polling.mode, after.polling.customCeilingMs);
    // The pasted URL's password, once the URL it goes with is saved: it is kept for that host.
    if (prepared.value.password !== undefined) {
      const stored = settings.setSecret('teamPassword', prepared.value.password);
      if (!stored.ok) return stored;
    }
    if (
      (before.gatewayBaseUrl !== after.gatewayBaseUrl || before.preferHttps !== after.preferHttps) &&
      !connection.demo
    )
      await this.reconnect();
    else team.applyShops();
    await team.sync();
    events.publishState();
    return ok(this.getSettings());
  }

  async setSecret(name: SecretName, value: string | null): Promise<Result<PublicSettings>> {
    const stored = this.parts.settings.setSecret(name, value);
    if (!stored.ok) return stored;
    if (name === 'token') {
      await this.reconnect();
      this.parts.scheduler.tokenChanged();
    }
    if (name === 'token' || name === 'teamPassword') await this.parts.team.sync();
    this.parts.events.publishState();
    return ok(this.getSettings());
  }

  pause(shop?: string): AppState {
    this.parts.scheduler.pause(shop);
    this.parts.team.paused(shop);
    return this.getState();
  }

  resume(shop?: string): AppState {
    this.parts.scheduler.resume(shop);
    this.parts.team.resumed(shop);
    return this.getState();
  }

  mute(minutes: number): AppState {
    if (minutes <= 0) this.parts.notifications.unmute();
    else this.parts.notifications.muteFor(minutes);
    this.parts.events.publishState();
    return this.getState();
  }

  suspend(): void {
    this.parts.scheduler.suspend();
    this.parts.team.suspend();
  }

  wake(): void {
    this.parts.scheduler.wake();
    this.parts.team.wake();
  }

  getSubscriptions(): Promise<Result<SubscriptionState>> {
    return this.parts.subscriptions.get();
  }

  changeSubscriptions(change: SubscriptionChange): Promise<Result<SubscriptionState>> {
    return this.parts.subscriptions.change(change);
  }

  on<K extends keyof CoreEvents>(event: K, listener: (payload: CoreEvents[K]) => void): Unsubscribe {
    return this.parts.events.on(event, listener);
  }

  /** Points at the gateway in use (real or demo) and polls the shops it serves. */
  private async connect(): Promise<void> {
    await this.parts.connection.connect();
    this.parts.team.applyShops();
  }

  private async reconnect(): Promise<void> {
    if (this.started) await this.connect();
  }
}

function hostChangeRefused({ setting, host }: HostChangeQuestion, asked: boolean) {
  return appError('validation', asked ? 'host_change_declined' : 'host_change_unconfirmable', { setting, host });
}

export async function createCore(opts: CoreOptions): Promise<Core> {
  return Core.create(opts);
}
