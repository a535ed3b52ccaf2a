// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { getApi, setApiForTests } from '../../src/renderer/api';
import { FakeApi } from './fakeApi';

describe('getApi', () => {
  afterEach(() => {
    setApiForTests(undefined);
    delete (window as unknown as { tradebell?: unknown }).tradebell;
  });

  it('reads window.tradebell, which the preload exposes', () => {
    const api = new FakeApi();
    (window as unknown as { tradebell: unknown }).tradebell = api;
    expect(getApi()).toBe(api);
  });

  it('prefers the API set for tests (the loopback bridge)', () => {
    (window as unknown as { tradebell: unknown }).tradebell = new FakeApi();
    const bridge = new FakeApi();
    setApiForTests(bridge);
    expect(getApi()).toBe(bridge);
  });

  it('says so when the preload did not run', () => {
    expect(() => getApi()).toThrow(/preload/);
  });
});
