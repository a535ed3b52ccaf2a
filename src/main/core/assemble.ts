/**
 * The core's composition root: every part is built once here and wired to the others, so which
 * part calls which is decided in one place. core.ts only hands the faces' calls to these parts.
 */
import { join } from 'node:path';
import type { Dispatcher } from 'undici';
import type { AppState } from '../../shared/api';
import type { ShopId, Tid } from '../../shared/domain';
import { errorFields, type AppError } from '../../shared/errors';
import { mapErrorText } from './bounded';
import { systemClock, type Clock } from './clock';
import { CoreEventHub } from './events';
import { makePrivateDir } from './files';
import { Connection, type ConnectionOptions, type DemoOptions } from './gateway/connection';
import { CostStore } from './gateway/costStore';
import type { HttpTimeouts } from './gateway/http';
import type { RateBudgets } from './gateway/rate';
import { Inbox } from './inbox/inbox';
import type { AppendIo } from './inbox/journal';
import type { RetentionPolicy } from './inbox/types';
import { NotifyPolicy } from './intake/notify';
import { Pipeline } from './intake/pipeline';
import { Rhythm } from './intake/rhythm';
import { appScheduler, type Scheduler } from './intake/scheduler';
import { silentLogger, type ConfirmHostChange, type Logger, type SettingsStore } from './ports';
import { Remarks } from './remark';
import { Lifecycle } from './lifecycle';
import { LiveSettings } from './settings';
import { SettingsUpdates } from './settingsUpdates';
import { appState } from './state';
import { Subscriptions } from './top/subscriptions';
import { leaseGuarded } from './team/gateway';
import { TeamMode, type TeamOptions } from './team/mode';

export interface CoreOptions {
  /** Where the inbox journal and the cost meter live. */
  dataDir: string;
  settings: SettingsStore;
  logger?: Logger;
  clock?: Clock;
  random?: () => number;
  /** Demo mode: the local gateway, started by the face's factory, when no token is set. Without
   * it (or `false`), no token means no polling. */
  demo?: false | DemoOptions;
  dispatcher?: Dispatcher;
  budgets?: RateBudgets;
  timeouts?: Partial<HttpTimeouts>;
  retention?: RetentionPolicy;
  /** How long notifications are held to coalesce a burst (NotifyPolicy's window). */
  notifyWindowMs?: number;
  /** Messages per consume call, 10..200. */
  quantity?: number;
  /** Team mode's timings and stream retention (tests shorten them; the app uses the defaults). */
  team?: TeamOptions;
  /** The inbox journal's appends (tests fail them like a full disk). */
  appendIo?: AppendIo;
  /** Read the inbox beside the folder's writer instead of taking its lock (`cli remark`). */
  readOnly?: boolean;
  /** Asks the user to confirm a new gateway or TOP host (hostChange.ts); without it, such a
   * change is refused. */
  confirmHostChange?: ConfirmHostChange;
  /** Checks whether the gateway's host answers over HTTPS (tests pass a fake). */
  probeHttps?: ConnectionOptions['probeHttps'];
}

export interface CoreParts {
  clock: Clock;
  logger: Logger;
  events: CoreEventHub;
  /** What the tray and the status bar show, read from the parts now. */
  state(): AppState;
  lifecycle: Lifecycle;
  /** The faces' changes to the settings and secrets, and what they see of them. */
  settingsUpdates: SettingsUpdates;
  settings: LiveSettings;
  connection: Connection;
  scheduler: Scheduler;
  pipeline: Pipeline;
  notifications: NotifyPolicy;
  remarks: Remarks;
  subscriptions: Subscriptions;
  inbox: Inbox;
  cost: CostStore;
  team: TeamMode;
  /** Logs a failed gateway call (secrets scrubbed), tells the faces, saves the meter. */
  reportCallError(shop: ShopId, error: AppError): void;
}

export async function assembleCore(opts: CoreOptions): Promise<CoreParts> {
  await makePrivateDir(opts.dataDir);
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger;
  // The parts the state reads are made below; it is only read once the core runs.
  const state = (): AppState =>
    appState(
      { scheduler, connection, pipeline, notifications, inbox, team, meter: cost.meter, quantity: opts.quantity },
      clock.now(),
    );
  const events = new CoreEventHub(state);
  const inboxOptions = {
    clock,
    retention: opts.retention,
    logger,
    appendIo: opts.appendIo,
    onOrdersChanged: (tids: Tid[]) => events.emit('orders', tids),
  };
  const inboxDir = join(opts.dataDir, 'inbox');
  const inbox = await (opts.readOnly ? Inbox.openReadOnly : Inbox.open)(inboxDir, inboxOptions);
  // Each shop's messages by hour of the week: from what the inbox holds, then from every message
  // stored (the 'message' event below).
  const rhythm = new Rhythm();
  inbox.forEachEvent((shop, e) => rhythm.add(shop, e.at));
  const cost = await CostStore.open(opts.dataDir, { clock, logger, readOnly: opts.readOnly });
  const settings = new LiveSettings(opts.settings);
  const connection = new Connection({
    settings,
    meter: cost.meter,
    clock,
    logger,
    demo: opts.demo,
    dispatcher: opts.dispatcher,
    budgets: opts.budgets,
    timeouts: opts.timeouts,
    probeHttps: opts.probeHttps,
  });
  const notifications = new NotifyPolicy({
    clock,
    settings: () => settings.current.notify,
    emit: (n) => events.emit('notify', n),
    shopName: (shop) => connection.shopsInUse().find((s) => s.id === shop)?.name,
    windowMs: opts.notifyWindowMs,
  });
  const pipeline = new Pipeline({
    inbox,
    notifications,
    events,
    logger,
    redact: (text) => settings.redact(text),
    afterBatch: async () => {
      await cost.save();
      events.publishState();
    },
  });
  const reportCallError = (shop: ShopId, error: AppError): void => {
    // What the error quotes may hold any stored secret (a TOP answer echoing the gateway token): the log gets none.
    logger.warn('gateway call failed', { shop, ...errorFields(mapErrorText(error, (text) => settings.redact(text))) });
    events.emit('error', { shop, error });
    void cost.save();
  };
  const team = new TeamMode({
    dataDir: opts.dataDir,
    settings,
    shops: connection,
    pipeline,
    cost,
    changed: () => events.publishState(),
    clock,
    logger,
    options: opts.team,
  });
  events.on('message', (m) => rhythm.add(m.shop, m.pubTime));
  const scheduler: Scheduler = appScheduler({
    // In team mode each consume waits for the lease check; off, calls go straight through.
    gateway: leaseGuarded(connection, () => team.guard(), clock),
    clock,
    random: opts.random,
    quantity: opts.quantity,
    polling: settings.current.polling,
    quietHours: () => settings.current.notify.quietHours,
    rhythm,
    // In team mode a consumed batch goes to the stream first; off, straight to the pipeline.
    onBatch: (shop, answer, receivedAt) => team.onBatch(shop, answer, receivedAt),
    onError: reportCallError,
    onStateChange: () => events.publishState(),
  });
  team.attach(scheduler);
  const remarks = new Remarks({ gateway: connection, inbox, notifications, cost, events, clock, logger });
  const subscriptions = new Subscriptions({
    target: () => connection.top(),
    signMethod: () => settings.current.topSignMethod,
    clock,
    dispatcher: opts.dispatcher,
  });
  const lifecycle = new Lifecycle({
    dataDir: opts.dataDir,
    clock,
    logger,
    events,
    connection,
    team,
    scheduler,
    notifications,
    cost,
    inbox,
    reportCallError,
  });
  const settingsUpdates = new SettingsUpdates({
    settings,
    connection,
    scheduler,
    team,
    events,
    reconnect: () => lifecycle.reconnect(),
    confirmHostChange: opts.confirmHostChange,
  });
  return {
    ...{ clock, logger, events, state, lifecycle, settingsUpdates, settings, connection, scheduler, pipeline },
    ...{ notifications, remarks, subscriptions, inbox, cost, team, reportCallError },
  };
}
