/**
 * Saving a memo and flag: checked before any call (a refused call costs nothing), sent through the
 * gateway in use, then recorded in the inbox so the orders view and the next edit know it. The
 * gateway echoes the change back as a TradeMemoModified message, which must not ring as news.
 *
 * The bcro call replaces the order's memo and flag on Taobao. A new order's messages carry no memo,
 * so TradeBell often does not know the one a seller or a colleague wrote in Qianniu: sending an
 * empty memo then would erase it unseen. These rules live here, so no face can break them:
 * - a request that leaves the memo or the flag out keeps it: the one TradeBell knows is sent, and
 *   when it knows none the request is refused (bcro has no "keep");
 * - an empty memo for an order whose memo is unknown is refused unless the request says the user
 *   confirmed clearing it; a memo the user typed replaces the unknown one, as they asked;
 * - the flag is the same: gray for an order whose flag is unknown needs the user's word, and a
 *   colour the user chose replaces the unknown one.
 */
import type { RemarkRequest, RemarkResult } from '../../shared/api';
import { appError, errorFields } from '../../shared/errors';
import { partsToSend, validateRemark } from '../../shared/memo';
import { err, ok, type Result } from '../../shared/result';
import type { Clock } from './clock';
import type { CoreEventHub } from './events';
import type { CostStore } from './gateway/costStore';
import type { Gateway } from './gateway/types';
import type { InboxStore } from './inbox/types';
import type { NotifyPolicy } from './intake/notify';
import type { Logger } from './ports';

export interface RemarksDeps {
  gateway: Pick<Gateway, 'remark'>;
  inbox: Pick<InboxStore, 'recordRemark' | 'getOrder'>;
  notifications: Pick<NotifyPolicy, 'expectEcho'>;
  cost: Pick<CostStore, 'save'>;
  events: Pick<CoreEventHub, 'emit'>;
  clock: Clock;
  logger: Logger;
}

export class Remarks {
  constructor(private readonly deps: RemarksDeps) {}

  async save(req: RemarkRequest): Promise<Result<RemarkResult>> {
    const { gateway, inbox, notifications, cost, events, clock, logger } = this.deps;
    const known = inbox.getOrder(req.shop, req.tid);
    const { memo, flag } = partsToSend(req, known);
    // A part to keep that is not known passes here as valid, and is refused just below.
    const invalid = validateRemark({ shop: req.shop, tid: req.tid, memo: memo ?? '', flag: flag ?? 0 });
    if (invalid) return err({ ...invalid, endpoint: 'remark' });
    if (memo === undefined) return err(keepUnknown('memo'));
    if (flag === undefined) return err(keepUnknown('flag'));
    if (memo === '' && !req.clearUnknownMemo && known?.memo === undefined) return err(memoUnknown());
    if (flag === 0 && !req.clearUnknownFlag && known?.flag === undefined) return err(flagUnknown());
    // Registered before the call: the echo may be consumed before this call's answer is read.
    notifications.expectEcho(req.shop, req.tid, memo, flag);
    const r = await gateway.remark(req.shop, { tid: req.tid, memo, flag });
    await cost.save();
    if (!r.ok) {
      logger.warn('remark failed', { shop: req.shop, tid: req.tid, ...errorFields(r.error) });
      return r;
    }
    await inbox.recordRemark(req.shop, req.tid, memo, flag, clock.now());
    events.emit('orders', [req.tid]);
    return ok({ tid: r.value.tid || req.tid, modified: r.value.modified });
  }
}

function memoUnknown() {
  return appError('validation', 'memo_unknown', {}, { endpoint: 'remark' });
}

function keepUnknown(field: 'memo' | 'flag') {
  return appError('validation', 'keep_unknown', { field }, { endpoint: 'remark' });
}

function flagUnknown() {
  return appError('validation', 'flag_unknown', {}, { endpoint: 'remark' });
}
