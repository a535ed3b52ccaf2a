/** AppState, what the tray and the status bar show, read from the parts that hold each piece. */
import type { AppState } from '../../shared/api';
import type { Connection } from './gateway/connection';
import type { CostMeter } from './gateway/cost';
import type { InboxStore } from './inbox/types';
import type { NotifyPolicy } from './intake/notify';
import type { Pipeline } from './intake/pipeline';
import { projectDailyCost } from './intake/projection';
import type { Scheduler } from './intake/scheduler';
import type { TeamMode } from './team/mode';

const HOUR_MS = 3_600_000;

export interface StateSources {
  scheduler: Pick<Scheduler, 'polling' | 'paused' | 'statuses' | 'globalError' | 'ceilingFor'>;
  connection: Pick<Connection, 'demo' | 'enabledShopIds'>;
  pipeline: Pick<Pipeline, 'ratePerHour'>;
  notifications: Pick<NotifyPolicy, 'mutedUntil'>;
  inbox: Pick<InboxStore, 'query'>;
  /** Team mode: the shops another seat consumes, and the team's own state. */
  team?: Pick<TeamMode, 'status' | 'shops'>;
  meter: CostMeter;
  /** Messages per consume call, for the projection. */
  quantity?: number;
}

export function appState(s: StateSources, now: number): AppState {
  const report = s.meter.summary();
  const team = s.team?.status();
  const { today, total } = report;
  const shops = s.connection.enabledShopIds();
  const projection = projectDailyCost({
    polling: s.scheduler.polling,
    messagesPerHour: shops.map((shop) => s.pipeline.ratePerHour(shop, now)),
    ceilings: shops.map((shop) =>
      Array.from({ length: 24 }, (_, h) => s.scheduler.ceilingFor(shop, now + h * HOUR_MS).ceilingMs),
    ),
    pointsPerCall: total.all.calls > 0 ? total.all.points / total.all.calls : 1,
    quantity: s.quantity,
  });
  // The most frequent polling over the enabled shops, for "at this hour we poll about every N s".
  const polling = shops
    .map((shop) => s.scheduler.ceilingFor(shop, now))
    .reduce<ReturnType<StateSources['scheduler']['ceilingFor']> | undefined>(
      (a, b) => (!a || b.ceilingMs < a.ceilingMs ? b : a),
      undefined,
    );
  return {
    demo: s.connection.demo,
    paused: s.scheduler.paused,
    mutedUntil: s.notifications.mutedUntil,
    unread: s.inbox.query({ limit: 0 }).unread,
    shops: polled(s),
    cost: {
      today: { calls: today.all.calls, points: today.all.points },
      total: { calls: total.all.calls, points: total.all.points },
      projectedDailyPoints: projection.pointsPerDay,
    },
    globalError: s.scheduler.globalError,
    ...(team !== undefined && { team }),
    ...(polling && { polling: { everyMs: polling.ceilingMs, reason: polling.reason } }),
  };
}

function polled(s: StateSources): AppState['shops'] {
  const shops = s.scheduler.statuses().map(({ shop, state, error, lastCallAt, lastMessageAt }) => ({
    shop,
    state,
    error,
    lastCallAt,
    lastMessageAt,
  }));
  return s.team ? s.team.shops(shops) : shops;
}
