import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { rendererSource } from '../../../src/main/electron/appUrl';
import {
  coreHandlers,
  isTrustedSender,
  registerIpc,
  type InvokeEvent,
  type IpcServices,
} from '../../../src/main/electron/ipc';
import { AppFailure, appError } from '../../../src/shared/errors';
import { isFlag } from '../../../src/shared/flag';
import { INVOKE, INVOKE_METHODS, type InvokeMethod } from '../../../src/shared/ipc';
import { isShopId, isTid } from '../../../src/shared/memo';
import { ok, type Result } from '../../../src/shared/result';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import { FakeIpcMain, MUTATING_CORE_METHODS, fakeCore, fakePublicSettings, type FakeCore } from './fakes';

/** Random payloads per channel; the reliability suite raises it (IPC_FUZZ_RUNS=10000). */
const IPC_FUZZ_RUNS = Number(process.env.IPC_FUZZ_RUNS ?? 1_000);

const indexHtml = '/app/out/renderer/index.html';
const source = rendererSource({ indexHtml, isPackaged: true });
const appHref = 'tradebell://app/index.html';
const ownContents = { id: 1 };

const trustedEvent = (): InvokeEvent => ({
  sender: ownContents,
  senderFrame: { url: `${appHref}#/inbox`, parent: null },
});

function setup() {
  const { core } = fakeCore();
  const services = {
    openExternal: vi.fn(async (_url: string) => ok(undefined)),
    copyText: vi.fn(),
    settingsChanged: vi.fn(),
  } satisfies IpcServices;
  const ipcMain = new FakeIpcMain();
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const unregister = registerIpc(
    ipcMain,
    coreHandlers(core, services),
    (event) => isTrustedSender(event, source, (c) => c === ownContents),
    logger,
  );
  const call = (method: InvokeMethod, event: InvokeEvent, ...args: unknown[]) =>
    ipcMain.invoke(INVOKE[method].channel, event, ...args) as Promise<Result<unknown>>;
  return { core, services, ipcMain, logger, unregister, call };
}

/** Nothing that changes state was reached: the core's mutators and the side services. */
function expectNothingChanged(core: FakeCore, services: IpcServices & Record<string, unknown>): void {
  for (const m of MUTATING_CORE_METHODS) expect(core[m], m).not.toHaveBeenCalled();
  expect(services.openExternal).not.toHaveBeenCalled();
  expect(services.copyText).not.toHaveBeenCalled();
  expect(services.settingsChanged).not.toHaveBeenCalled();
}

const VALID_ARGS: Record<InvokeMethod, unknown[]> = {
  getState: [],
  listOrders: [{ shop: 'shop1', limit: 20 }],
  changedOrders: [{ shop: 'shop1' }, ['1588826713157361977']],
  orderHistory: ['shop1', '1588826713157361977'],
  markSeen: [['1588826713157361977']],
  remark: [{ shop: 'shop1', tid: '1588826713157361977', memo: '已核对地址', flag: 1 }],
  getSettings: [],
  updateSettings: [{ language: 'en' }],
  setSecret: ['token', 'tk_abc123'],
  pause: ['shop1'],
  resume: [],
  mute: [60],
  getSubscriptions: [],
  changeSubscriptions: [{ open: { trade: ['TradeBuyerPay'] }, stop: {} }],
  openExternal: ['https://trade.taobao.com/trade/detail/trade_item_detail.htm?bizOrderId=1'],
  copyText: ['1588826713157361977'],
};

describe('registerIpc', () => {
  it('registers one handler per channel and removes them all', () => {
    const { ipcMain, unregister } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(INVOKE_METHODS.map((m) => INVOKE[m].channel).sort());
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('passes valid calls from the app window to the core', async () => {
    const { core, services, call } = setup();
    expect(await call('getState', trustedEvent())).toEqual(ok(core.getState()));
    expect(await call('remark', trustedEvent(), ...VALID_ARGS.remark)).toEqual(ok({ tid: '1588826713157361977' }));
    expect(core.remark).toHaveBeenCalledWith(VALID_ARGS.remark[0]);
    await call('pause', trustedEvent());
    expect(core.pause).toHaveBeenCalledWith(undefined);
    await call('mute', trustedEvent(), 0);
    expect(core.mute).toHaveBeenCalledWith(0);
    await call('updateSettings', trustedEvent(), { language: 'en' });
    expect(services.settingsChanged).toHaveBeenCalledWith(fakePublicSettings());
    await call('copyText', trustedEvent(), 'abc');
    expect(services.copyText).toHaveBeenCalledWith('abc');
    await call('openExternal', trustedEvent(), VALID_ARGS.openExternal[0]);
    expect(services.openExternal).toHaveBeenCalledWith(VALID_ARGS.openExternal[0]);
  });

  it('hands the core the validated copy, not the caller’s object', async () => {
    const { core, call } = setup();
    const query = { shop: 'shop1' };
    await call('listOrders', trustedEvent(), query);
    const passed = core.listOrders.mock.calls[0] as unknown[];
    expect(passed[0]).toEqual(query);
    expect(passed[0]).not.toBe(query);
  });

  it('does not tell the tray about settings the core refused', async () => {
    const { core, services, call } = setup();
    core.updateSettings.mockResolvedValueOnce({
      ok: false,
      error: { kind: 'validation', message: 'no', retryable: false },
    } as never);
    await call('updateSettings', trustedEvent(), { language: 'en' });
    expect(services.settingsChanged).not.toHaveBeenCalled();
  });

  it('answers an internal error, not a rejection, when the core throws', async () => {
    const { core, call, logger } = setup();
    core.listOrders.mockImplementationOnce(() => {
      throw new Error('disk on fire');
    });
    const answer = await call('listOrders', trustedEvent(), {});
    expect(answer).toMatchObject({
      ok: false,
      error: { kind: 'internal', code: 'internal', params: { detail: 'disk on fire' } },
    });
    expect(logger.error).toHaveBeenCalled();
  });

  it('answers a failure the core describes as data with its own code', async () => {
    const { core, call } = setup();
    core.listOrders.mockImplementationOnce(() => {
      throw new AppFailure(appError('internal', 'inbox_read_only', {}), 'read-only');
    });
    expect(await call('listOrders', trustedEvent(), {})).toMatchObject({
      ok: false,
      error: { kind: 'internal', code: 'inbox_read_only' },
    });
  });

  describe('refuses foreign senders on every channel, changing nothing', () => {
    const foreign: Record<string, InvokeEvent> = {
      'another webContents': { sender: { id: 2 }, senderFrame: { url: appHref, parent: null } },
      'a foreign page': { sender: ownContents, senderFrame: { url: 'https://evil.example/', parent: null } },
      'a local file': { sender: ownContents, senderFrame: { url: `file://${indexHtml}`, parent: null } },
      'another file of the scheme': {
        sender: ownContents,
        senderFrame: { url: 'tradebell://app/other.html', parent: null },
      },
      'a subframe': { sender: ownContents, senderFrame: { url: appHref, parent: {} } },
      'a destroyed frame': { sender: ownContents, senderFrame: null },
    };
    it.each(Object.entries(foreign))('%s', async (_name, event) => {
      const { core, services, call, logger } = setup();
      for (const method of INVOKE_METHODS) {
        const answer = await call(method, event, ...VALID_ARGS[method]);
        expect(answer, method).toMatchObject({ ok: false, error: { kind: 'ipc' } });
      }
      expectNothingChanged(core, services);
      expect(core.getState).not.toHaveBeenCalled();
      expect(core.listOrders).not.toHaveBeenCalled();
      expect(logger.warn).toHaveBeenCalledTimes(INVOKE_METHODS.length);
    });
  });

  it('does not echo a refused payload (it may hold a secret)', async () => {
    const { call, logger } = setup();
    const answer = await call('setSecret', trustedEvent(), 'token', 'has space SECRET-VALUE');
    expect(answer).toMatchObject({ ok: false, error: { kind: 'ipc' } });
    expect(JSON.stringify(answer)).not.toContain('SECRET-VALUE');
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain('SECRET-VALUE');
  });
});

// ---- fuzzing ------------------------------------------------------------------------------

/** Mostly well-formed values with a steady share of broken ones, so both paths run often. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>): fc.Arbitrary<T | U> =>
  fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: invalid, weight: 1 });
const tidish = mostly(
  fc.stringMatching(/^[1-9]\d{0,19}$/),
  fc.oneof(
    fc.string(),
    fc.integer(),
    fc.constantFrom('1e5', '0', '-1', ' 1', '1 ', '１２３', '12345678901234567890123'),
  ),
);
const shopish = mostly(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
  fc.oneof(fc.string(), fc.constantFrom('', 'a b', '../x', 'x'.repeat(65))),
);
const flagish = mostly(
  fc.integer({ min: 0, max: 5 }),
  fc.oneof(fc.integer({ min: -2, max: 7 }), fc.double(), fc.constantFrom('1', null, true)),
);
const textish = mostly(
  fc.string({ maxLength: 50 }),
  fc.oneof(fc.string({ minLength: 990, maxLength: 1010 }), fc.integer(), fc.constant(null)),
);

const topicMapish = fc.dictionary(
  mostly(fc.constantFrom('trade', 'refund', 'item'), fc.constantFrom('orders', '__proto__', 'constructor')),
  fc.array(mostly(fc.constantFrom('TradeBuyerPay', 'RefundCreated', 'ItemAdd'), fc.string({ maxLength: 20 })), {
    maxLength: 3,
  }),
  { maxKeys: 3 },
);

/** Near-valid payloads: the right shape with some fields wrong, so validation is really exercised. */
const NEAR_VALID: Record<InvokeMethod, fc.Arbitrary<unknown[]>> = {
  getState: fc.array(fc.anything(), { maxLength: 2 }),
  getSettings: fc.array(fc.anything(), { maxLength: 2 }),
  getSubscriptions: fc.array(fc.anything(), { maxLength: 2 }),
  listOrders: fc.tuple(
    fc.record(
      {
        shop: shopish,
        flag: flagish,
        tids: fc.array(tidish, { maxLength: 3 }),
        limit: fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double()),
        search: textish,
      },
      { requiredKeys: [] },
    ),
  ),
  changedOrders: fc.tuple(
    fc.record(
      {
        shop: shopish,
        after: fc.record({ shop: shopish, tid: tidish, updatedAt: fc.oneof(fc.integer(), fc.double()) }),
      },
      { requiredKeys: [] },
    ),
    fc.oneof(fc.array(tidish, { maxLength: 4 }), fc.anything()),
  ),
  orderHistory: fc.tuple(shopish, tidish),
  markSeen: fc.tuple(fc.oneof(fc.array(tidish, { maxLength: 4 }), fc.anything())),
  remark: fc.tuple(
    fc.record(
      { shop: shopish, tid: tidish, memo: textish, flag: flagish, extra: fc.anything() },
      { requiredKeys: ['shop', 'tid', 'memo', 'flag'] },
    ),
  ),
  updateSettings: fc.tuple(
    mostly(
      fc.record(
        {
          language: mostly(fc.constantFrom('zh-CN', 'en'), fc.constantFrom('fr', 1, null)),
          vvtype: mostly(fc.integer({ min: 1, max: 3 }), fc.integer({ min: -1, max: 5 })),
          gatewayBaseUrl: mostly(
            fc.webUrl(),
            fc.oneof(fc.string(), fc.constantFrom('javascript:alert(1)', 'file:///etc/passwd', 'https://u:p@x.com')),
          ),
          memoTemplates: fc.array(textish, { maxLength: 3 }),
          polling: fc.record(
            {
              mode: mostly(fc.constantFrom('realtime', 'balanced', 'saver'), fc.constantFrom('custom', 'turbo')),
              customCeilingMs: fc.integer({ min: 0, max: 4_000_000 }),
            },
            { requiredKeys: ['mode'] },
          ),
        },
        { requiredKeys: [] },
      ),
      fc.record({ token: fc.string(), tokenSet: fc.boolean(), extra: fc.anything() }, { requiredKeys: [] }),
    ),
  ),
  setSecret: fc.tuple(
    fc.constantFrom('token', 'topSecret', 'topSession', 'password', 1),
    fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constant(null),
      fc.integer(),
      fc.string({ minLength: 4090, maxLength: 4100 }),
    ),
  ),
  pause: fc.oneof(fc.constant<unknown[]>([]), fc.tuple(shopish), fc.tuple(shopish, shopish)),
  resume: fc.oneof(fc.constant<unknown[]>([]), fc.tuple(shopish), fc.tuple(fc.anything())),
  mute: fc.tuple(fc.oneof(fc.integer({ min: -10, max: 1500 }), fc.double(), fc.string())),
  changeSubscriptions: fc.tuple(
    fc.record({ open: topicMapish, stop: mostly(topicMapish, fc.anything()) }, { requiredKeys: ['open'] }),
  ),
  openExternal: fc.tuple(fc.oneof(fc.webUrl(), fc.string(), fc.integer())),
  copyText: fc.tuple(fc.oneof(fc.string(), fc.string({ minLength: 9_990, maxLength: 10_010 }), fc.integer())),
};

/** Whatever reached the core must be well-formed by the domain's own predicates, independent of the zod schemas. */
function checkCoreArguments(
  core: FakeCore,
  services: { openExternal: { mock: { calls: unknown[][] } }; copyText: { mock: { calls: unknown[][] } } },
): void {
  for (const [tids] of core.markSeen.mock.calls as unknown as [unknown][])
    expect(Array.isArray(tids) && tids.every(isTid)).toBe(true);
  for (const [req] of core.remark.mock.calls as unknown as [Record<string, unknown>][]) {
    expect(isShopId(req.shop) && isTid(req.tid) && isFlag(req.flag) && typeof req.memo === 'string').toBe(true);
    expect(Object.keys(req).sort()).toEqual(['flag', 'memo', 'shop', 'tid']);
  }
  for (const [shop] of [...core.pause.mock.calls, ...core.resume.mock.calls] as unknown as [unknown][])
    expect(shop === undefined || isShopId(shop)).toBe(true);
  for (const [minutes] of core.mute.mock.calls as unknown as [unknown][])
    expect(Number.isInteger(minutes) && (minutes as number) >= 0 && (minutes as number) <= 1440).toBe(true);
  for (const [name, value] of core.setSecret.mock.calls as unknown as [unknown, unknown][]) {
    expect(['token', 'topSecret', 'topSession']).toContain(name);
    expect(value === null || (typeof value === 'string' && /^[\x21-\x7e]+$/.test(value))).toBe(true);
  }
  for (const [patch] of core.updateSettings.mock.calls as unknown as [Record<string, unknown>][]) {
    for (const key of Object.keys(patch)) expect(Object.keys(DEFAULT_SETTINGS)).toContain(key);
  }
  for (const [url] of services.openExternal.mock.calls) expect(typeof url).toBe('string');
  for (const [text] of services.copyText.mock.calls)
    expect(typeof text === 'string' && text.length <= 10_000).toBe(true);
}

function clearSpies({ core, services }: ReturnType<typeof setup>): void {
  for (const spy of [...Object.values(core), ...Object.values(services)]) spy.mockClear();
}

describe(`fuzzing every channel (${IPC_FUZZ_RUNS} payloads each)`, () => {
  let ctx: ReturnType<typeof setup>;
  beforeEach(() => {
    ctx = setup();
  });

  it.each(INVOKE_METHODS)('%s: any payload answers a Result; an invalid one changes nothing', async (method) => {
    const schema = INVOKE[method].args;
    let valid = 0;
    const run = async (args: unknown[]) => {
      clearSpies(ctx);
      const answer = await ctx.call(method, trustedEvent(), ...args);
      expect(typeof answer === 'object' && answer !== null && typeof answer.ok === 'boolean').toBe(true);
      if (schema.safeParse(args).success) valid += 1;
      else {
        expect(answer).toMatchObject({ ok: false, error: { kind: 'ipc' } });
        expectNothingChanged(ctx.core, ctx.services);
      }
      checkCoreArguments(ctx.core, ctx.services);
    };
    const payloads = fc.oneof(
      fc.array(fc.anything({ withNullPrototype: true, withObjectString: true }), { maxLength: 4 }),
      NEAR_VALID[method],
    );
    await fc.assert(fc.asyncProperty(payloads, run), { numRuns: IPC_FUZZ_RUNS });
    // Some payloads were valid, so the path that reaches the core was exercised too.
    expect(valid).toBeGreaterThan(0);
  });

  it('from a foreign sender, even valid payloads change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...INVOKE_METHODS), fc.webUrl(), async (method, url) => {
        clearSpies(ctx);
        const answer = await ctx.call(
          method,
          { sender: { id: 9 }, senderFrame: { url, parent: null } },
          ...VALID_ARGS[method],
        );
        expect(answer).toMatchObject({ ok: false, error: { kind: 'ipc' } });
        expectNothingChanged(ctx.core, ctx.services);
      }),
      { numRuns: IPC_FUZZ_RUNS },
    );
  });
});
