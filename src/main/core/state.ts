/** AppState, what the tray and the status bar show, read from the parts that hold each piece. */
import type { AppState } from '../../shared/api';
import type { Connection } from './gateway/connection';
import type { CostMeter } from './gateway/cost';
import type { InboxStore } from './inbox/types';
import type { NotifyPolicy } from './intake/notify';
import type { Pipeline } from './intake/pipeline';
import { projectDailyCost } from './intake/projection';
import type { Scheduler } from './intake/scheduler';

export interface StateSources {
  scheduler: Pick<Scheduler, 'polling' | 'paused' | 'statuses' | 'globalError'>;
  connection: Pick<Connection, 'demo' | 'enabledShopIds'>;
  pipeline: Pick<Pipeline, 'ratePerHour'>;
  notifications: Pick<NotifyPolicy, 'mutedUntil'>;
  inbox: Pick<InboxStore, 'query'>;
  meter: CostMeter;
  /** Messages per consume call, for the projection. */
  quantity?: number;
}

export function appState(s: StateSources, now: number): AppState {
  const report = s.meter.summary();
  const { today, total } = report;
  const projection = projectDailyCost({
    polling: s.scheduler.polling,
    messagesPerHour: s.connection.enabledShopIds().map((shop) => s.pipeline.ratePerHour(shop, now)),
    pointsPerCall: total.all.calls > 0 ? total.all.points / total.all.calls : 1,
    quantity: s.quantity,
  });
  return {
    demo: s.connection.demo,
    paused: s.scheduler.paused,
    mutedUntil: s.notifications.mutedUntil,
    unread: s.inbox.query({ limit: 0 }).unread,
    shops: s.scheduler.statuses().map(({ shop, state, error, lastCallAt, lastMessageAt }) => ({
      shop,
      state,
      error,
      lastCallAt,
      lastMessageAt,
    })),
    cost: {
      today: { calls: today.all.calls, points: today.all.points },
      total: { calls: total.all.calls, points: total.all.points },
      projectedDailyPoints: projection.pointsPerDay,
    },
    globalError: s.scheduler.globalError,
  };
}
