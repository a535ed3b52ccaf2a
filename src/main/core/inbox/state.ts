/** What the inbox holds in memory: everything the journal's records fold into. */
import { OrdersView } from './orders';
import type { InboxRecord } from './records';

export class InboxState {
  constructor(
    /** Every stored message id: dedupe, also across restarts. */
    readonly ids = new Set<string>(),
    readonly view = new OrdersView(),
    public undecoded = 0,
    /** receivedAt of the oldest message or undecoded entry. */
    public oldestAt = Infinity,
    /** Lines a compaction would shrink: seen marks, remarks, corrupt lines. */
    public staleLines = 0,
  ) {}

  apply(r: InboxRecord): void {
    switch (r.k) {
      case 'message': {
        // One lookup, not has() then add(): replaying 100,000 ids, the set is most of the work.
        const known = this.ids.size;
        if (this.ids.add(r.m.id).size === known) return;
        this.view.applyMessage(r.m);
        this.oldestAt = Math.min(this.oldestAt, r.m.receivedAt);
        return;
      }
      case 'undecoded':
        this.undecoded++;
        this.oldestAt = Math.min(this.oldestAt, r.u.receivedAt);
        return;
      case 'seen':
        this.view.applySeen(r.tids);
        this.staleLines++;
        return;
      case 'remark':
        this.view.applyRemark(r.shop, r.tid, r.memo, r.flag, r.at);
        this.staleLines++;
        return;
    }
  }
}
