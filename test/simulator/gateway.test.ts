import { describe, expect, it } from 'vitest';
import { parseJsonLossless } from '../../src/main/core/json';
import { GatewayModel, type Outcome } from '../../src/simulator/gateway';
import { ManualClock } from '../main/core/gateway/timeHelpers';

const T0 = Date.UTC(2026, 10, 22, 4, 0, 0);
const BEARER = 'Bearer demo-token';

function body(outcome: Outcome): Record<string, unknown> {
  if ('reset' in outcome) throw new Error('the connection was reset');
  return parseJsonLossless(outcome.answer.body) as Record<string, unknown>;
}

describe('the gateway model, with no HTTP', () => {
  it('answers a consume from the shop queue, and takes the messages off it', async () => {
    const model = new GatewayModel({ seed: 3, clock: new ManualClock(T0) });
    const generated = model.generate('demo-shop-1', 2);
    const answer = body(await model.gateway('consume', BEARER, { shop_id: 'demo-shop-1' }, T0));
    expect(answer.code).toBe(0);
    expect((answer.data as { msg: unknown[] }).msg).toHaveLength(generated.length);
    expect(model.queueLength('demo-shop-1')).toBe(0);
    expect(model.answers.map((a) => a.ids.length)).toEqual([generated.length]);
  });

  it('refuses an unknown token with 401 and a shop it does not serve with 302, taking nothing', async () => {
    const model = new GatewayModel({ seed: 3, clock: new ManualClock(T0) });
    model.generate('demo-shop-1', 1);
    expect(body(await model.gateway('consume', 'Bearer nope', { shop_id: 'demo-shop-1' }, T0)).code).toBe(401);
    const other = body(await model.gateway('consume', BEARER, { shop_id: 'elsewhere' }, T0));
    expect(other.code).toBe(302);
    expect(model.queueLength('demo-shop-1')).toBeGreaterThan(0);
  });

  it('tells the transport what a fault asks of it: a reset, or an answer sent slowly', async () => {
    const model = new GatewayModel({ seed: 3, clock: new ManualClock(T0) });
    model.injectFault({ type: 'reset' });
    expect(await model.gateway('consume', BEARER, { shop_id: 'demo-shop-1' }, T0)).toEqual({ reset: true });
    model.injectFault({ type: 'drip', bytesPerSecond: 10 });
    const slow = await model.gateway('consume', BEARER, { shop_id: 'demo-shop-1' }, T0);
    expect('drip' in slow && slow.drip).toEqual({ bytesPerSecond: 10 });
  });

  it('answers an 11th call within one second with 202', async () => {
    const model = new GatewayModel({ seed: 3, clock: new ManualClock(T0) });
    const codes: unknown[] = [];
    for (let i = 0; i < 11; i++)
      codes.push(body(await model.gateway('consume', BEARER, { shop_id: 'demo-shop-1' }, T0 + i)).code);
    expect(codes.filter((c) => c === 202)).toHaveLength(1);
    expect(body(await model.gateway('consume', BEARER, { shop_id: 'demo-shop-1' }, T0 + 1_000)).code).toBe(0);
  });
});
