/**
 * The lease check in front of the scheduler's consume calls. The scheduler knows nothing of teams:
 * it calls this as its gateway, and a call for a shop this seat may not consume never reaches the
 * gateway. It answers as an empty batch would (nothing consumed, nothing billed); the lost lease
 * has already taken the shop out of the scheduler's set, so no further call is planned.
 */
import { ok } from '../../../shared/result';
import type { ShopId } from '../../../shared/domain';
import type { Gateway } from '../gateway/types';

export function leaseGuarded(inner: Gateway, admit: (shop: ShopId) => Promise<boolean>): Gateway {
  return {
    async consume(shop, req, opts) {
      if (!(await admit(shop))) return ok({ messages: [], malformed: [], cost: 0 });
      return inner.consume(shop, req, opts);
    },
    remark: (shop, req, opts) => inner.remark(shop, req, opts),
  };
}
