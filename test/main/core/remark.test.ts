import { describe, expect, it } from 'vitest';
import { Remarks } from '../../../src/main/core/remark';
import type { Gateway, RemarkCall } from '../../../src/main/core/gateway/types';
import { OrdersView } from '../../../src/main/core/inbox/orders';
import { silentLogger } from '../../../src/main/core/ports';
import type { RemarkRequest } from '../../../src/shared/api';
import type { TmcMessage } from '../../../src/shared/domain';
import { ok } from '../../../src/shared/result';
import { trade } from './inbox/helpers';

const TID = '1588826713157361977';

/** Remarks over a real orders view, a gateway that records its calls, and no-op rest. */
function setup(messages: TmcMessage[] = []) {
  const view = new OrdersView();
  for (const m of messages) view.applyMessage(m);
  const sent: RemarkCall[] = [];
  const gateway: Pick<Gateway, 'remark'> = {
    remark: async (_shop, req) => {
      sent.push(req);
      return ok({ tid: req.tid, cost: 1 });
    },
  };
  const remarks = new Remarks({
    gateway,
    inbox: {
      getOrder: (shop, tid) => view.get(shop, tid),
      recordRemark: async (shop, tid, memo, flag, at) => view.applyRemark(shop, tid, memo, flag, at),
    },
    notifications: { expectEcho: () => undefined },
    cost: { save: async () => undefined },
    events: { emit: () => undefined },
    clock: { now: () => 1, sleep: async () => undefined },
    logger: silentLogger,
  });
  const save = (over: Partial<RemarkRequest>) => remarks.save({ shop: 'shop1', tid: TID, memo: '', flag: 1, ...over });
  return { save, sent, view, remarks };
}

describe('Remarks: an unknown memo is not an empty memo', () => {
  it('refuses an empty memo for an order whose memo it never saw, without a call', async () => {
    for (const messages of [[], [trade(TID, 'TradeBuyerPay', 0, { status: 'WAIT_SELLER_SEND_GOODS' })]]) {
      const { save, sent } = setup(messages);
      const r = await save({ memo: '' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ kind: 'validation', code: 'memo_unknown', endpoint: 'remark' });
      expect(sent).toEqual([]);
    }
  });

  it('sends it once the user confirmed clearing, and then knows the memo is empty', async () => {
    const { save, sent, view } = setup();
    expect((await save({ memo: '', clearUnknownMemo: true })).ok).toBe(true);
    expect(sent).toEqual([{ tid: TID, memo: '', flag: 1 }]);
    expect(view.get('shop1', TID)?.memo).toBe('');
    expect((await save({ memo: '', flag: 3 })).ok).toBe(true);
    expect(sent).toHaveLength(2);
  });

  it('sends a memo the user typed: it replaces the unknown one, as asked', async () => {
    const { save, sent } = setup();
    expect((await save({ memo: '加急' })).ok).toBe(true);
    expect(sent).toEqual([{ tid: TID, memo: '加急', flag: 1 }]);
  });

  it('takes an empty memo learned from TradeMemoModified as known', async () => {
    const { save, sent } = setup([trade(TID, 'TradeMemoModified', 0, { seller_memo: '', seller_flag: 2 })]);
    expect((await save({ memo: '' })).ok).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it('does not take a TradeMemoModified that carried only the flag as knowing the memo', async () => {
    const { save, sent } = setup([trade(TID, 'TradeMemoModified', 0, { seller_flag: 2 })]);
    const r = await save({ memo: '' });
    expect(!r.ok && r.error.code).toBe('memo_unknown');
    expect(sent).toEqual([]);
  });
});

describe('Remarks: an unknown flag is not gray', () => {
  it('refuses gray for an order whose flag it never saw, without a call (bcro would clear a Qianniu colour)', async () => {
    for (const messages of [[], [trade(TID, 'TradeBuyerPay', 0, { status: 'WAIT_SELLER_SEND_GOODS' })]]) {
      const { save, sent } = setup(messages);
      const r = await save({ memo: '加急', flag: 0 });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ kind: 'validation', code: 'flag_unknown', endpoint: 'remark' });
      expect(sent).toEqual([]);
    }
  });

  it('sends gray once the user chose it, and a colour at once; then the flag is known', async () => {
    const { save, sent, view } = setup();
    expect((await save({ memo: '加急', flag: 0, clearUnknownFlag: true })).ok).toBe(true);
    expect(view.get('shop1', TID)?.flag).toBe(0);
    expect((await save({ memo: '加急', flag: 0 })).ok).toBe(true);
    const other = setup();
    expect((await other.save({ memo: '加急', flag: 4 })).ok).toBe(true);
    expect(sent).toHaveLength(2);
    expect(other.sent).toEqual([{ tid: TID, memo: '加急', flag: 4 }]);
  });

  it('takes gray learned from TradeMemoModified as known', async () => {
    const { save, sent } = setup([trade(TID, 'TradeMemoModified', 0, { seller_memo: 'x', seller_flag: 0 })]);
    expect((await save({ memo: 'x', flag: 0 })).ok).toBe(true);
    expect(sent).toHaveLength(1);
  });
});

describe('Remarks: a part left out is kept', () => {
  const memoAndFlag = () => [trade(TID, 'TradeMemoModified', 0, { seller_memo: '买家要发票', seller_flag: 2 })];

  it('sends the memo it knows with a new flag, and the flag it knows with a new memo', async () => {
    const { remarks, sent, view } = setup(memoAndFlag());
    const flagOnly = await remarks.save({ shop: 'shop1', tid: TID, flag: 3 });
    expect(flagOnly).toMatchObject({ ok: true, value: { tid: TID } });
    const memoOnly = await remarks.save({ shop: 'shop1', tid: TID, memo: '' });
    expect(memoOnly.ok).toBe(true);
    expect(sent).toEqual([
      { tid: TID, memo: '买家要发票', flag: 3 },
      { tid: TID, memo: '', flag: 3 },
    ]);
    expect(view.get('shop1', TID)).toMatchObject({ memo: '', flag: 3 });
  });

  it('refuses to keep a memo or flag it does not know, without a call (bcro would replace it)', async () => {
    const flagKnown = [trade(TID, 'TradeMemoModified', 0, { seller_flag: 2 })];
    for (const [messages, req, field] of [
      [[], { flag: 3 }, 'memo'],
      [flagKnown, { flag: 3 }, 'memo'],
      [flagKnown, {}, 'memo'],
      [[], { memo: 'x' }, 'flag'],
    ] as const) {
      const { remarks, sent } = setup([...messages]);
      const r = await remarks.save({ shop: 'shop1', tid: TID, ...req });
      expect(r.ok || r.error, JSON.stringify(req)).toMatchObject({
        kind: 'validation',
        code: 'keep_unknown',
        params: { field },
        endpoint: 'remark',
      });
      expect(sent).toEqual([]);
    }
  });

  it('left out with clearing confirmed: keeps the memo it knows when the call is made, clears one it does not', async () => {
    const known = setup(memoAndFlag());
    const kept = await known.remarks.save({ shop: 'shop1', tid: TID, flag: 3, clearUnknownMemo: true });
    expect(kept.ok).toBe(true);
    // A memo learned after the window read its copy is the one sent.
    known.view.applyMessage(trade(TID, 'TradeMemoModified', 1, { seller_memo: '改地址了', seller_flag: 3 }));
    expect((await known.remarks.save({ shop: 'shop1', tid: TID, flag: 4, clearUnknownMemo: true })).ok).toBe(true);
    expect(known.sent).toEqual([
      { tid: TID, memo: '买家要发票', flag: 3 },
      { tid: TID, memo: '改地址了', flag: 4 },
    ]);

    const unknown = setup();
    expect((await unknown.remarks.save({ shop: 'shop1', tid: TID, flag: 3, clearUnknownMemo: true })).ok).toBe(true);
    expect(unknown.sent).toEqual([{ tid: TID, memo: '', flag: 3 }]);
    expect(unknown.view.get('shop1', TID)?.memo).toBe('');
  });

  it('a bad order number is refused as such, whatever is kept', async () => {
    const { remarks, sent } = setup(memoAndFlag());
    const r = await remarks.save({ shop: 'shop1', tid: '12ab', flag: 3 });
    expect(r.ok || r.error.code).toBe('bad_tid');
    expect(sent).toEqual([]);
  });
});
