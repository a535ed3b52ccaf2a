import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../src/main/core/clock';
import type { TopTarget } from '../../../../src/main/core/gateway/connection';
import { Subscriptions } from '../../../../src/main/core/top/subscriptions';
import { startSimulator, type Simulator } from '../../../../src/simulator';
import { DEMO_TOP_APP_KEY, DEMO_TOP_SECRET, DEMO_TOP_SESSION } from '../../../../src/shared/demo';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function withRouter(): Promise<{ sim: Simulator; subscriptions: Subscriptions }> {
  const sim = await startSimulator({ seed: 1 });
  cleanups.push(() => sim.close());
  const target: TopTarget = {
    baseUrl: `${sim.url}/router/rest`,
    appKey: DEMO_TOP_APP_KEY,
    secret: () => DEMO_TOP_SECRET,
    session: () => DEMO_TOP_SESSION,
  };
  const subscriptions = new Subscriptions({
    target: () => target,
    signMethod: () => 'hmac-sha256',
    clock: systemClock,
  });
  return { sim, subscriptions };
}

describe('Subscriptions', () => {
  it('reads the subscribed topics through the permit call, grouped', async () => {
    const { sim, subscriptions } = await withRouter();
    const r = await subscriptions.get();
    expect(r.ok).toBe(true);
    const held = Object.entries(sim.subscriptions()).filter(([, topics]) => topics.length > 0);
    if (r.ok) expect(r.value.subscribed).toEqual(Object.fromEntries(held));
    expect(sim.calls.filter((c) => c.endpoint === 'top')).toHaveLength(1);
  });

  it('opens and stops topics, and sends only the groups TOP knows', async () => {
    const { sim, subscriptions } = await withRouter();
    const r = await subscriptions.change({ open: { refund: ['RefundSuccess'], nonsense: ['X'] }, stop: {} });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.subscribed.refund).toContain('RefundSuccess');
    expect(Object.keys(sim.subscriptions())).not.toContain('nonsense');
    const stopped = await subscriptions.change({ open: {}, stop: { refund: ['RefundSuccess'] } });
    expect(stopped.ok && stopped.value.subscribed.refund?.includes('RefundSuccess')).toBe(false);
  });

  it('without credentials, says what to fill in and calls nothing', async () => {
    const subscriptions = new Subscriptions({ target: () => undefined, signMethod: () => 'md5', clock: systemClock });
    const r = await subscriptions.get();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({
        kind: 'validation',
        code: 'top_credentials_missing',
        params: { missing: ['appKey', 'appSecret', 'session'] },
      });
    }
  });
});
