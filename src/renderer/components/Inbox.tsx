import { useRef, useState } from 'react';
import type { OrderQuery } from '../../shared/api';
import { orderKey, type OrderSummary, type Tid } from '../../shared/domain';
import type { AppError } from '../../shared/errors';
import { orderPageUrl } from '../../shared/links';
import type { ShopSettings } from '../../shared/settings';
import { useApi } from '../api';
import { useT } from '../i18n';
import { useNow } from '../useNow';
import type { OrdersView } from '../useOrders';
import { ErrorMessage } from './ErrorMessage';
import { InboxFilters } from './InboxFilters';
import { OrderList } from './OrderList';

export interface InboxProps {
  view: OrdersView;
  query: OrderQuery;
  onQueryChange: (q: OrderQuery) => void;
  shops: ShopSettings[];
  selection: ReadonlySet<string>;
  onSelectionChange: (next: Set<string>) => void;
  onOpen: (order: OrderSummary) => void;
  onBatch: () => void;
  onMarkSeen: (tids: Tid[]) => void;
}

type Notice = { kind: 'copied'; tid: Tid } | { kind: 'error'; error: AppError } | null;

export function Inbox({
  view,
  query,
  onQueryChange,
  shops,
  selection,
  onSelectionChange,
  onOpen,
  onBatch,
  onMarkSeen,
}: InboxProps) {
  const t = useT();
  const now = useNow();
  const api = useApi();
  const [notice, setNotice] = useState<Notice>(null);
  /** The row last clicked, by key: rows patched in above it move it. */
  const lastClicked = useRef<string | null>(null);
  const { orders } = view;

  function select(index: number, checked: boolean, shiftKey: boolean) {
    const next = new Set(selection);
    const anchor =
      shiftKey && lastClicked.current !== null ? orders.findIndex((o) => orderKey(o) === lastClicked.current) : -1;
    const from = anchor >= 0 ? Math.min(anchor, index) : index;
    const to = anchor >= 0 ? Math.max(anchor, index) : index;
    for (const o of orders.slice(from, to + 1)) {
      if (checked) next.add(orderKey(o));
      else next.delete(orderKey(o));
    }
    const clicked = orders[index];
    lastClicked.current = clicked ? orderKey(clicked) : null;
    onSelectionChange(next);
  }

  async function copy(order: OrderSummary) {
    const r = await api.copyText(order.tid);
    setNotice(r.ok ? { kind: 'copied', tid: order.tid } : { kind: 'error', error: r.error });
  }

  async function openExternal(order: OrderSummary) {
    const r = await api.openExternal(orderPageUrl(order.tid));
    if (!r.ok) setNotice({ kind: 'error', error: r.error });
    else if (!order.seen) onMarkSeen([order.tid]);
  }

  const unseen = orders.filter((o) => !o.seen).map((o) => o.tid);
  return (
    <section className="inbox" aria-label={t.tabInbox}>
      <InboxFilters query={query} onChange={onQueryChange} shops={shops} />
      <div className="inbox-bar">
        <span className="summary">{t.summary(orders.length, view.total, view.unread)}</span>
        {unseen.length > 0 && (
          <button type="button" className="small" onClick={() => onMarkSeen(unseen)}>
            {t.markAllRead}
          </button>
        )}
      </div>
      {selection.size > 0 && (
        <div className="selection-bar">
          <span>{t.selected(selection.size)}</span>
          <button type="button" className="primary small" onClick={onBatch}>
            {t.batchEdit}
          </button>
          <button type="button" className="small" onClick={() => onSelectionChange(new Set())}>
            {t.clearSelection}
          </button>
        </div>
      )}
      <div role="status" className="notice">
        {notice?.kind === 'copied' && t.copied(notice.tid)}
        {notice?.kind === 'error' && <ErrorMessage error={notice.error} />}
        {view.error && <ErrorMessage error={view.error} />}
      </div>
      {view.loaded && orders.length === 0 ? (
        <p className="empty">{t.noOrders}</p>
      ) : (
        <OrderList
          orders={orders}
          total={view.total}
          shops={shops}
          selection={selection}
          now={now}
          onSelect={select}
          onOpen={onOpen}
          onCopy={(o) => void copy(o)}
          onOpenExternal={(o) => void openExternal(o)}
          onLoadMore={view.loadMore}
        />
      )}
    </section>
  );
}
