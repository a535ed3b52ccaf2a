// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { getApi } from '../../src/renderer/api';
import { FakeApi } from './fakeApi';

describe('getApi', () => {
  afterEach(() => {
    delete (window as unknown as { tradebell?: unknown }).tradebell;
  });

  it('reads window.tradebell, which the preload exposes', () => {
    const api = new FakeApi();
    (window as unknown as { tradebell: unknown }).tradebell = api;
    expect(getApi()).toBe(api);
  });

  it('says so when the preload did not run', () => {
    expect(() => getApi()).toThrow(/preload/);
  });
});
