/** What the inbox holds in memory: everything the journal's records fold into. */
import { OrdersView } from './orders';
import type { InboxRecord } from './records';
import { notePubTime } from './retention';

export class InboxState {
  constructor(
    /** Every stored message id: dedupe, also across restarts. */
    readonly ids = new Set<string>(),
    readonly view = new OrdersView(),
    public undecoded = 0,
    /** The oldest retention time among stored entries (see retention.ts). */
    public oldestAt = Infinity,
    /** Lines a compaction would shrink: seen marks, remarks, corrupt lines. */
    public staleLines = 0,
    /** The newest pubTime folded in so far, in file order: an undecoded entry is at least this recent. */
    public newestPub = -Infinity,
    /** The newest few pubTimes, newest first: Taobao's clock, for retention (retention.ts). */
    readonly newestPubs: number[] = [],
  ) {}

  apply(r: InboxRecord): void {
    switch (r.k) {
      case 'message': {
        // One lookup, not has() then add(): replaying 100,000 ids, the set is most of the work.
        const known = this.ids.size;
        if (this.ids.add(r.m.id).size === known) return;
        this.view.applyMessage(r.m);
        const pub = r.m.pubTime;
        this.oldestAt = Math.min(this.oldestAt, pub);
        if (pub > this.newestPub) this.newestPub = pub;
        notePubTime(this.newestPubs, pub);
        return;
      }
      case 'undecoded':
        this.undecoded++;
        this.oldestAt = Math.min(this.oldestAt, Math.max(r.u.receivedAt, this.newestPub));
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
