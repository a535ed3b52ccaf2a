/**
 * Saving a memo and flag: checked before any call (a refused call costs nothing), sent through the
 * gateway in use, then recorded in the inbox so the orders view and the next edit know it. The
 * gateway echoes the change back as a TradeMemoModified message, which must not ring as news.
 *
 * The bcro call replaces the order's memo on Taobao. A new order's messages carry no memo, so
 * TradeBell often does not know the one a seller or a colleague wrote in Qianniu: sending an empty
 * memo then would erase it unseen. That rule lives here, so no face can break it: an empty memo
 * for an order whose memo is unknown is refused unless the request says the user confirmed
 * clearing it. A memo the user typed replaces the unknown one, as they asked. The flag is the same:
 * bcro sets the one it is sent, so gray for an order whose flag is unknown needs the user's word,
 * and a colour the user chose replaces the unknown one.
 */
import type { RemarkRequest, RemarkResult } from '../../shared/api';
import { appError, errorFields } from '../../shared/errors';
import { validateRemark } from '../../shared/memo';
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
    const invalid = validateRemark(req);
    if (invalid) return err({ ...invalid, endpoint: 'remark' });
    const known = inbox.getOrder(req.shop, req.tid);
    if (req.memo === '' && !req.clearUnknownMemo && known?.memo === undefined) return err(memoUnknown());
    if (req.flag === 0 && !req.clearUnknownFlag && known?.flag === undefined) return err(flagUnknown());
    // Registered before the call: the echo may be consumed before this call's answer is read.
    notifications.expectEcho(req.shop, req.tid, req.memo, req.flag);
    const r = await gateway.remark(req.shop, { tid: req.tid, memo: req.memo, flag: req.flag });
    await cost.save();
    if (!r.ok) {
      logger.warn('remark failed', { shop: req.shop, tid: req.tid, ...errorFields(r.error) });
      return r;
    }
    await inbox.recordRemark(req.shop, req.tid, req.memo, req.flag, clock.now());
    events.emit('orders', [req.tid]);
    return ok({ tid: r.value.tid || req.tid, modified: r.value.modified });
  }
}

function memoUnknown() {
  return appError('validation', 'memo_unknown', {}, { endpoint: 'remark' });
}

function flagUnknown() {
  return appError('validation', 'flag_unknown', {}, { endpoint: 'remark' });
}
