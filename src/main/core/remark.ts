/**
 * Saving a memo and flag: checked before any call (a refused call costs nothing), sent through the
 * gateway in use, then recorded in the inbox so the orders view and the next edit know it. The
 * gateway echoes the change back as a TradeMemoModified message, which must not ring as news.
 */
import type { RemarkRequest, RemarkResult } from '../../shared/api';
import { appError } from '../../shared/errors';
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
  inbox: Pick<InboxStore, 'recordRemark'>;
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
    if (invalid) return err(appError('validation', invalid, { endpoint: 'remark' }));
    // Registered before the call: the echo may be consumed before this call's answer is read.
    notifications.expectEcho(req.shop, req.tid, req.memo, req.flag);
    const r = await gateway.remark(req.shop, { tid: req.tid, memo: req.memo, flag: req.flag });
    await cost.save();
    if (!r.ok) {
      logger.warn('remark failed', { shop: req.shop, tid: req.tid, kind: r.error.kind, code: r.error.code });
      return r;
    }
    await inbox.recordRemark(req.shop, req.tid, req.memo, req.flag, clock.now());
    events.emit('orders', [req.tid]);
    return ok({ tid: r.value.tid || req.tid, modified: r.value.modified });
  }
}
