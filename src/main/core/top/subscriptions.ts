/**
 * The seller's TOP message subscriptions: which topics the gateway's queue receives. Reading and
 * changing both go through the one permit call. The router and the credentials follow demo mode
 * and the settings, so each call makes its own client from what is in use at that moment.
 */
import type { Dispatcher } from 'undici';
import type { SubscriptionChange, SubscriptionState } from '../../../shared/api';
import { appError } from '../../../shared/errors';
import { err, ok, type Result } from '../../../shared/result';
import { TOPIC_GROUPS } from '../../../shared/topics';
import type { Clock } from '../clock';
import type { TopTarget } from '../gateway/connection';
import { TopClient, type PermitParams } from './client';
import type { TopSignMethod } from './sign';

export interface SubscriptionsDeps {
  /** The router and credentials in use; undefined until the user has entered them. */
  target: () => TopTarget | undefined;
  signMethod: () => TopSignMethod;
  clock: Clock;
  dispatcher?: Dispatcher;
}

export class Subscriptions {
  constructor(private readonly deps: SubscriptionsDeps) {}

  get(): Promise<Result<SubscriptionState>> {
    return this.permit({});
  }

  change(change: SubscriptionChange): Promise<Result<SubscriptionState>> {
    const open = knownGroups(change.open);
    const stop = knownGroups(change.stop);
    const topics = [...new Set([...Object.keys(open), ...Object.keys(stop)])];
    return this.permit({ topics, openSubInfo: open, stopSubInfo: stop });
  }

  private async permit(params: PermitParams): Promise<Result<SubscriptionState>> {
    const target = this.deps.target();
    if (!target) {
      return err(appError('validation', 'top_credentials_missing', { missing: ['appKey', 'appSecret', 'session'] }));
    }
    const client = new TopClient({
      ...target,
      signMethod: this.deps.signMethod(),
      clock: this.deps.clock,
      dispatcher: this.deps.dispatcher,
    });
    try {
      const r = await client.permit(params);
      if (!r.ok) return r;
      const subscribed: Record<string, string[]> = {};
      for (const { topic, status } of r.value.subscriptions) (subscribed[topic] ??= []).push(status);
      return ok({ subscribed, status: r.value.status, updatedAt: this.deps.clock.now() });
    } finally {
      await client.close();
    }
  }
}

/** The groups TOP knows, each with its own copy of the statuses. */
function knownGroups(info: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const g of TOPIC_GROUPS) if (info[g]?.length) out[g] = [...info[g]];
  return out;
}
