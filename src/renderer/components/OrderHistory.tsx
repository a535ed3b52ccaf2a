import { useEffect, useState } from 'react';
import type { OrderEvent, OrderSummary } from '../../shared/domain';
import type { AppError } from '../../shared/errors';
import { formatChinaDateTime } from '../../shared/time';
import { useApi } from '../api';
import { useT } from '../i18n';
import { useNow } from '../useNow';
import { ErrorMessage } from './ErrorMessage';

type Loaded = { key: string; events: OrderEvent[] } | { key: string; error: AppError };

/**
 * The messages that made an order what it is, newest first. The list's rows carry no history, so
 * the panel asks for it, again whenever the order changes.
 */
export function OrderHistory({ order }: { order: OrderSummary }) {
  const t = useT();
  const api = useApi();
  const now = useNow();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const { shop, tid, updatedAt } = order;
  const key = `${shop}:${tid}:${updatedAt}`;

  useEffect(() => {
    let live = true;
    void api.orderHistory(shop, tid).then((r) => {
      if (live) setLoaded(r.ok ? { key, events: r.value } : { key, error: r.error });
    });
    return () => {
      live = false;
    };
  }, [api, shop, tid, key]);

  // An answer for another order (or an older state of this one) is not shown.
  const current = loaded?.key === key ? loaded : null;
  return (
    <section className="history" aria-label={t.historyTitle}>
      <h3>{t.historyTitle}</h3>
      {current === null && <p className="muted">{t.loading}</p>}
      {current !== null && 'error' in current && <ErrorMessage error={current.error} />}
      {current !== null && 'events' in current && current.events.length === 0 && (
        <p className="muted">{t.historyEmpty}</p>
      )}
      {current !== null && 'events' in current && current.events.length > 0 && (
        <ol>
          {[...current.events].reverse().map((e) => (
            <li key={e.msgId}>
              <span className="time">{formatChinaDateTime(e.at, { now, word: t.today })}</span>
              <span className="topic">{t.topicName(e.topic)}</span>
              {e.status !== undefined && <span className="status">{t.statusWord(e.status)}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
