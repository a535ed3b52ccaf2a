import { useCallback, useEffect, useRef, useState } from 'react';
import type { OrderQuery } from '../shared/api';
import { orderKey, type Order } from '../shared/domain';
import type { AppError } from '../shared/errors';
import { useApi } from './api';

/** Rows fetched at a time; the list asks for more as it scrolls near the end. */
export const PAGE_SIZE = 200;

export interface OrdersView {
  orders: Order[];
  total: number;
  unread: number;
  loaded: boolean;
  error: AppError | null;
  refresh: () => void;
  loadMore: () => void;
}

interface Snapshot {
  orders: Order[];
  total: number;
  unread: number;
  loaded: boolean;
  error: AppError | null;
}

const EMPTY: Snapshot = { orders: [], total: 0, unread: 0, loaded: false, error: null };

/**
 * The inbox rows for a query, re-queried when the core says orders changed. Requests run one at a
 * time; a burst of change events while one is in flight folds into a single re-query, and an
 * answer to a query the user has since changed is dropped.
 */
export function useOrders(query: OrderQuery): OrdersView {
  const api = useApi();
  const [snap, setSnap] = useState<Snapshot>(EMPTY);
  const snapRef = useRef(snap);
  const queryRef = useRef(query);
  const generation = useRef(0);
  const wanted = useRef(PAGE_SIZE);
  const busy = useRef(false);
  const pending = useRef({ refresh: false, more: false });

  const publish = useCallback((next: Snapshot) => {
    snapRef.current = next;
    setSnap(next);
  }, []);

  const pump = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    try {
      while (pending.current.refresh || pending.current.more) {
        const gen = generation.current;
        const q = queryRef.current;
        if (pending.current.refresh) {
          pending.current.refresh = false;
          const r = await api.listOrders({ ...q, offset: 0, limit: wanted.current });
          if (gen !== generation.current) continue;
          publish(
            r.ok ? { ...r.value, loaded: true, error: null } : { ...snapRef.current, loaded: true, error: r.error },
          );
        } else {
          pending.current.more = false;
          const cur = snapRef.current;
          if (cur.orders.length >= cur.total) continue;
          const r = await api.listOrders({ ...q, offset: cur.orders.length, limit: PAGE_SIZE });
          if (gen !== generation.current) continue;
          if (!r.ok) {
            publish({ ...snapRef.current, error: r.error });
            continue;
          }
          // New orders arriving at the top shift offsets: drop rows already shown.
          const seen = new Set(snapRef.current.orders.map(orderKey));
          const orders = [...snapRef.current.orders, ...r.value.orders.filter((o) => !seen.has(orderKey(o)))];
          wanted.current = Math.max(PAGE_SIZE, orders.length);
          publish({ orders, total: r.value.total, unread: r.value.unread, loaded: true, error: null });
        }
      }
    } finally {
      busy.current = false;
    }
  }, [api, publish]);

  const refresh = useCallback(() => {
    pending.current.refresh = true;
    void pump();
  }, [pump]);

  const loadMore = useCallback(() => {
    pending.current.more = true;
    void pump();
  }, [pump]);

  const queryJson = JSON.stringify(query);
  useEffect(() => {
    queryRef.current = JSON.parse(queryJson) as OrderQuery;
    generation.current += 1;
    wanted.current = PAGE_SIZE;
    pending.current.more = false;
    refresh();
  }, [queryJson, refresh]);

  useEffect(() => api.onOrdersChanged(() => refresh()), [api, refresh]);

  return { ...snap, refresh, loadMore };
}
