import { describe, expect, it } from 'vitest';
import { CoreEventHub } from '../../../src/main/core/events';
import type { AppState } from '../../../src/shared/api';
import { appError } from '../../../src/shared/errors';

describe('CoreEventHub', () => {
  it('delivers events to their listeners until they unsubscribe', () => {
    const hub = new CoreEventHub(() => ({}) as AppState);
    const got: string[][] = [];
    const off = hub.on('orders', (tids) => got.push(tids));
    hub.emit('orders', ['1']);
    off();
    hub.emit('orders', ['2']);
    expect(got).toEqual([['1']]);
  });

  it('an error event with no listener is not thrown back at the part that reported it', () => {
    const hub = new CoreEventHub(() => ({}) as AppState);
    expect(() =>
      hub.emit('error', {
        shop: 's',
        error: appError('network', 'connection_failed', { cause: 'reset', sys: 'ECONNRESET' }),
      }),
    ).not.toThrow();
    const got: string[] = [];
    hub.on('error', ({ error }) => got.push(error.kind));
    hub.emit('error', {
      shop: 's',
      error: appError('network', 'connection_failed', { cause: 'reset', sys: 'ECONNRESET' }),
    });
    expect(got).toEqual(['network']);
  });

  it('assembles the state only when someone listens for it', () => {
    let built = 0;
    const hub = new CoreEventHub(() => {
      built++;
      return { unread: 3 } as AppState;
    });
    hub.publishState();
    expect(built).toBe(0);
    const states: AppState[] = [];
    hub.on('state', (s) => states.push(s));
    hub.publishState();
    expect([built, states[0]?.unread]).toEqual([1, 3]);
  });
});
