/**
 * The one service object every face drives (TradebellCore in service.ts is this class as the faces
 * see it): it hands each call to the part that owns it (assemble.ts builds and wires them) and
 * holds no rule of its own. It never imports electron.
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
import type { Result } from '../../shared/result';
import type { PublicSettings } from '../../shared/settings';
import { assembleCore, type CoreOptions, type CoreParts } from './assemble';
import type { CoreEvents } from './events';

export type { CoreOptions } from './assemble';
export type { DemoOptions } from './gateway/connection';

export class Core {
  private constructor(private readonly parts: CoreParts) {}

  static async create(opts: CoreOptions): Promise<Core> {
    return new Core(await assembleCore(opts));
  }

  start(): Promise<void> {
    return this.parts.lifecycle.start();
  }

  /** Stops polling, flushes pending notifications, saves, closes the store. Final. */
  stop(): Promise<void> {
    return this.parts.lifecycle.stop();
  }

  /** The CLI's --once: every enabled shop drained once (Lifecycle.drain). */
  drain(): Promise<void> {
    return this.parts.lifecycle.drain();
  }

  getState(): AppState {
    return this.parts.state();
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
    return this.parts.settingsUpdates.view();
  }

  updateSettings(patch: SettingsPatch): Promise<Result<PublicSettings>> {
    return this.parts.settingsUpdates.update(patch);
  }

  setSecret(name: SecretName, value: string | null): Promise<Result<PublicSettings>> {
    return this.parts.settingsUpdates.setSecret(name, value);
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

  /** The system is going to sleep / the screen locked: stop calling. */
  suspend(): void {
    this.parts.scheduler.suspend();
    this.parts.team.suspend();
  }

  /** Woke up / unlocked: resume and catch up at once. */
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
}

export async function createCore(opts: CoreOptions): Promise<Core> {
  return Core.create(opts);
}
