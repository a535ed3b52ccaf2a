/**
 * How the core comes up and goes down, in the one order that loses nothing. Start: the gateway in
 * use, then the team seat (a batch held at the last stop goes to the stream like any other), then
 * those held batches, then polling and the hourly compaction. Stop: polling first, what it still
 * holds written away, then the seat (the answers in flight were handed to it), and only then the
 * notifications, the meter, the connection and the store. The CLI's --once is the scheduler's
 * drain between the same two ends.
 */
import type { ShopId } from '../../shared/domain';
import type { AppError } from '../../shared/errors';
import { runEvery, type Clock } from './clock';
import type { CoreEventHub } from './events';
import type { Connection } from './gateway/connection';
import type { CostStore } from './gateway/costStore';
import type { Inbox } from './inbox/inbox';
import type { NotifyPolicy } from './intake/notify';
import { putAwayHeld, takeBackHeld } from './intake/rescue';
import type { Scheduler } from './intake/scheduler';
import type { Logger } from './ports';
import type { TeamMode } from './team/mode';

const COMPACT_EVERY_MS = 3_600_000;

export interface LifecycleDeps {
  dataDir: string;
  clock: Clock;
  logger: Logger;
  events: Pick<CoreEventHub, 'publishState'>;
  connection: Pick<Connection, 'connect' | 'close'>;
  team: Pick<TeamMode, 'applyShops' | 'sync' | 'close'>;
  scheduler: Pick<Scheduler, 'start' | 'stop' | 'drain' | 'hold' | 'takeHeld'>;
  notifications: Pick<NotifyPolicy, 'flush' | 'dispose'>;
  cost: Pick<CostStore, 'save'>;
  inbox: Pick<Inbox, 'compact' | 'close'>;
  reportCallError(shop: ShopId, error: AppError): void;
}

export class Lifecycle {
  private started = false;
  private stopped = false;
  private readonly background = new AbortController();
  private compaction?: Promise<void>;

  constructor(private readonly deps: LifecycleDeps) {}

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { dataDir, clock, logger, team, scheduler, inbox, events } = this.deps;
    await this.connect();
    await team.sync(true);
    await takeBackHeld(dataDir, scheduler, logger);
    scheduler.start();
    this.compaction = runEvery(
      clock,
      COMPACT_EVERY_MS,
      this.background.signal,
      () => inbox.compact(),
      (e) => logger.warn('compaction failed', { error: String(e) }),
    );
    events.publishState();
  }

  /** Stops polling, flushes pending notifications, saves, closes the store. Final. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.started = false;
    this.background.abort();
    const { dataDir, logger, scheduler, team, notifications, cost, connection, inbox } = this.deps;
    await scheduler.stop();
    await putAwayHeld(dataDir, scheduler.takeHeld(), logger, this.deps.reportCallError);
    await team.close();
    notifications.flush();
    notifications.dispose();
    await this.compaction?.catch(() => undefined);
    await cost.save(true);
    await connection.close();
    await inbox.close();
  }

  /** The CLI's --once: the scheduler's drain mode (Scheduler.drain) over every enabled shop. */
  async drain(): Promise<void> {
    const { dataDir, logger, scheduler, notifications, cost } = this.deps;
    await this.connect();
    await takeBackHeld(dataDir, scheduler, logger);
    await scheduler.drain();
    notifications.flush();
    await cost.save(true);
  }

  /** After the token or the gateway's address changed: the gateway in use again, once running. */
  async reconnect(): Promise<void> {
    if (this.started) await this.connect();
  }

  /** Points at the gateway in use (real or demo) and polls the shops it serves. */
  private async connect(): Promise<void> {
    await this.deps.connection.connect();
    this.deps.team.applyShops();
  }
}
