/**
 * Team mode in the core: the seat (seat.ts) opened and closed as the settings say, and the few
 * places where the rest of the core meets it:
 * - the scheduler's gateway checks the lease before each consume (guard(), gateway.ts);
 * - the scheduler's batches go to the stream instead of the pipeline (onBatch);
 * - what the stream brings (or this seat kept through an outage) goes through the pipeline, the one
 *   path of decode → store → notify, one published batch at a time with the time its consumer
 *   received it;
 * - the scheduler polls only the shops this seat holds the lease for (applyShops), and a shop the
 *   user pauses here, or a machine going to sleep, gives its lease up.
 * Off (or in demo mode, where each seat has its own local gateway) it passes everything through.
 */
import type { ShopStatus, TeamStatus } from '../../../shared/api';
import type { ShopId } from '../../../shared/domain';
import { appError } from '../../../shared/errors';
import { secretValueSchema } from '../../../shared/ipc';
import { err, ok, type Result } from '../../../shared/result';
import type { Settings } from '../../../shared/settings';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../clock';
import type { CostStore } from '../gateway/costStore';
import type { ConsumeOk } from '../gateway/types';
import type { Pipeline } from '../intake/pipeline';
import type { Scheduler } from '../intake/scheduler';
import type { Logger } from '../ports';
import type { LiveSettings } from '../settings';
import { decodeEntries } from './entry';
import type { LeaseGuard } from './gateway';
import type { TeamTimings } from './keys';
import type { EntryGroup } from './reader';
import type { Seat } from './seat';
import { parseTeamUrl } from './url';

export interface TeamOptions {
  timings?: Partial<TeamTimings>;
  retentionEntries?: number;
}

export interface TeamModeDeps {
  dataDir: string;
  settings: LiveSettings;
  /** Whether demo mode is on, and the shops enabled. */
  shops: { readonly demo: boolean; enabledShopIds(): ShopId[] };
  pipeline: Pick<Pipeline, 'ingest'>;
  cost: Pick<CostStore, 'save'>;
  /** Something the window shows changed. */
  changed: () => void;
  clock: Clock;
  logger: Logger;
  options?: TeamOptions;
}

export class TeamMode {
  private seat?: Seat;
  /** What the open seat was opened with: a change of any of it opens a new one. */
  private key = '';
  private scheduler?: Pick<Scheduler, 'setShops' | 'paused'>;
  /** Shops the user paused one by one here. */
  private readonly pausedShops = new Set<ShopId>();
  private active = false;

  constructor(private readonly deps: TeamModeDeps) {}

  /** The scheduler is built after this (its gateway and onBatch come from here). */
  attach(scheduler: Pick<Scheduler, 'setShops' | 'paused'>): void {
    this.scheduler = scheduler;
  }

  /** The lease check for the scheduler's gateway; undefined when team mode is off. */
  guard(): LeaseGuard | undefined {
    return this.seat;
  }

  /** The scheduler's onBatch: to the stream in team mode, to the pipeline otherwise. */
  async onBatch(shop: ShopId, answer: ConsumeOk, receivedAt: number): Promise<void> {
    const seat = this.seat;
    if (!seat) return this.deps.pipeline.ingest(shop, answer, receivedAt);
    await seat.consumed(shop, answer, receivedAt);
    await this.deps.cost.save();
  }

  /** Splits a pasted team URL's password off (the core keeps it as the teamPassword secret once
   * the URL is saved); refuses a URL that is not one. */
  preparePatch(patch: Partial<Settings>): Result<{ patch: Partial<Settings>; password?: string }> {
    if (!patch.team || patch.team.url === '') return ok({ patch });
    const address = parseTeamUrl(patch.team.url);
    if (!address.ok) return address;
    const { url, password } = address.value;
    if (password !== undefined && !secretValueSchema.safeParse(password).success)
      return err(appError('validation', 'bad_team_password', {}));
    return ok({ patch: { ...patch, team: { ...patch.team, url } }, ...(password !== undefined && { password }) });
  }

  /** Opens, closes or reopens the seat to match the settings; `running`: the core has started. */
  async sync(running = this.active): Promise<void> {
    this.active = running;
    const key = this.configKey();
    if (key !== this.key) {
      await this.closeSeat();
      if (key !== '') await this.openSeat(key);
    }
    this.applyShops();
  }

  /** The scheduler's shops (all enabled ones, or in team mode those this seat holds the lease
   * for) and the seat's (all enabled read; those not paused here may be consumed). */
  applyShops(): void {
    const enabled = this.deps.shops.enabledShopIds();
    const seat = this.seat;
    if (seat) {
      const wanted = this.scheduler?.paused ? [] : enabled.filter((s) => !this.pausedShops.has(s));
      seat.setShops(enabled, wanted);
      const consuming = new Set(seat.consumingShops());
      this.scheduler?.setShops(enabled.filter((s) => consuming.has(s)));
    } else this.scheduler?.setShops(enabled);
  }

  paused(shop?: ShopId): void {
    if (shop !== undefined) this.pausedShops.add(shop);
    this.applyShops();
  }

  resumed(shop?: ShopId): void {
    if (shop === undefined) this.pausedShops.clear();
    else this.pausedShops.delete(shop);
    this.applyShops();
  }

  suspend(): void {
    this.seat?.suspend();
  }

  wake(): void {
    this.seat?.wake();
  }

  status(): TeamStatus | undefined {
    return this.seat?.status();
  }

  /** Every enabled shop's status: a shop another seat consumes is listened to through the stream. */
  shops(polled: ShopStatus[]): ShopStatus[] {
    if (!this.seat) return polled;
    const byShop = new Map(polled.map((s) => [s.shop, s]));
    return this.deps.shops.enabledShopIds().map(
      (shop): ShopStatus =>
        byShop.get(shop) ?? {
          shop,
          state: this.scheduler?.paused || this.pausedShops.has(shop) ? 'paused' : 'listening',
        },
    );
  }

  async close(): Promise<void> {
    this.active = false;
    await this.closeSeat();
  }

  private seatName(): string {
    return this.deps.settings.current.team.seat.trim() || hostname();
  }

  private configKey(): string {
    const t = this.deps.settings.current.team;
    if (!this.active || !t.enabled || t.url === '' || this.deps.shops.demo) return '';
    return JSON.stringify([t.url, this.seatName(), this.deps.settings.secret('teamPassword')]);
  }

  private async openSeat(key: string): Promise<void> {
    const { settings, clock, logger, options, dataDir } = this.deps;
    // Loaded only when team mode is on: the Redis client is no cost to a start without it.
    const { Seat } = await import('./seat');
    const seat = await Seat.open({
      url: settings.current.team.url,
      password: settings.secret('teamPassword'),
      seatName: this.seatName(),
      dataDir,
      inboxDir: join(dataDir, 'inbox'),
      clock,
      logger,
      timings: options?.timings,
      retentionEntries: options?.retentionEntries,
      hooks: {
        consumingChanged: () => {
          if (this.seat === seat) this.applyShops();
        },
        store: (shop, groups) => this.store(shop, groups),
        changed: () => this.deps.changed(),
      },
    });
    this.seat = seat;
    this.key = key;
    this.applyShops();
    await seat.start();
    logger.info('team mode on', { seat: this.seatName() });
  }

  /** One published batch at a time, with the time its consumer received it. */
  private async store(shop: ShopId, groups: EntryGroup[]): Promise<void> {
    for (const g of groups) {
      const { messages, malformed } = decodeEntries(g.entries);
      await this.deps.pipeline.ingest(shop, { messages, malformed, cost: 0 }, g.receivedAt);
    }
  }

  private async closeSeat(): Promise<void> {
    const seat = this.seat;
    if (!seat) return;
    this.seat = undefined;
    this.key = '';
    this.applyShops();
    await seat.close();
    this.deps.logger.info('team mode off');
  }
}
