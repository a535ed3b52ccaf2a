import { useCallback, useEffect, useRef, useState } from 'react';
import type { OrderPage, OrderQuery } from '../shared/api';
import type { OrderSummary, Tid } from '../shared/domain';
import type { AppError } from '../shared/errors';
import { FIRST_PAGE } from '../shared/limits';
import type { Result } from '../shared/result';
import { useApi } from './api';
import { appendRows, cursorOf, patchRows } from './orderRows';

/** Rows fetched at a time after the first. */
export const PAGE_SIZE = 200;
/** The most rows one call returns (the IPC contract's limit). */
const MAX_PAGE = 1_000;
/** Past this many changed tids at once (a compaction), the list is fetched again instead. */
export const MAX_PATCH = 1_000;

export interface OrdersView {
  orders: OrderSummary[];
  total: number;
  unread: number;
  loaded: boolean;
  error: AppError | null;
  loadMore: () => void;
}

interface Snapshot {
  orders: OrderSummary[];
  total: number;
  unread: number;
  loaded: boolean;
  error: AppError | null;
}

const EMPTY: Snapshot = { orders: [], total: 0, unread: 0, loaded: false, error: null };

/** The list after a first page's answer: its rows, or what was held and why that is all. */
const firstPageSnapshot = (held: Snapshot, r: Result<OrderPage>): Snapshot =>
  r.ok ? { ...r.value, loaded: true, error: null } : { ...held, loaded: true, error: r.error };

/** The empty query, as the query effect compares it. */
const NO_FILTER = JSON.stringify({});

/**
 * The inbox rows for a query. The first page is fetched when the query changes (`first`: the
 * empty query's, already read as the window started); after that, when
 * the core says orders changed, only their rows are fetched and patched into the list, and further
 * pages start after the last row held. Requests run one at a time: changes that arrive while one
 * is in flight are gathered into the next, and an answer to a query the user has since changed is
 * dropped.
 */
export function useOrders(query: OrderQuery, first?: Result<OrderPage>): OrdersView {
  const api = useApi();
  const [snap, setSnap] = useState<Snapshot>(() => (first ? firstPageSnapshot(EMPTY, first) : EMPTY));
  const snapRef = useRef(snap);
  /** The query whose first page the list was given, until the query changes. */
  const seeded = useRef(first ? NO_FILTER : null);
  const queryRef = useRef(query);
  const generation = useRef(0);
  const busy = useRef(false);
  const pending = useRef({ reload: false, more: false, changed: new Set<Tid>() });

  const publish = useCallback((next: Snapshot) => {
    snapRef.current = next;
    setSnap(next);
  }, []);

  const reload = useCallback(
    async (gen: number, q: OrderQuery) => {
      const work = pending.current;
      work.reload = false;
      // The fresh rows hold every change so far.
      work.changed.clear();
      const cur = snapRef.current;
      const limit = Math.min(MAX_PAGE, Math.max(FIRST_PAGE, cur.orders.length));
      const r = await api.listOrders({ ...q, limit });
      if (gen !== generation.current) return;
      publish(firstPageSnapshot(snapRef.current, r));
    },
    [api, publish],
  );

  const patch = useCallback(
    async (gen: number, q: OrderQuery) => {
      const work = pending.current;
      const changed = new Set(work.changed);
      work.changed.clear();
      if (changed.size > MAX_PATCH) {
        work.reload = true;
        return;
      }
      const r = await api.changedOrders(q, [...changed]);
      if (gen !== generation.current) return;
      if (!r.ok) {
        // The list may now be out of date: show why, and fetch it whole once.
        publish({ ...snapRef.current, error: r.error });
        work.reload = true;
        return;
      }
      const cur = snapRef.current;
      const orders = patchRows(cur.orders, changed, r.value.orders, cur.orders.length >= cur.total);
      publish({ orders, total: r.value.total, unread: r.value.unread, loaded: true, error: null });
      // Every row held changed and moved past the list: start again from the top.
      if (orders.length === 0 && r.value.total > 0) work.reload = true;
    },
    [api, publish],
  );

  const more = useCallback(
    async (gen: number, q: OrderQuery) => {
      pending.current.more = false;
      const cur = snapRef.current;
      if (cur.orders.length >= cur.total) return;
      const last = cur.orders.at(-1);
      const r = await api.listOrders({ ...q, limit: PAGE_SIZE, ...(last && { after: cursorOf(last) }) });
      if (gen !== generation.current) return;
      if (!r.ok) {
        publish({ ...snapRef.current, error: r.error });
        return;
      }
      const now = snapRef.current;
      publish({
        orders: appendRows(now.orders, r.value.orders),
        total: r.value.total,
        unread: r.value.unread,
        loaded: true,
        error: null,
      });
    },
    [api, publish],
  );

  const pump = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    try {
      const work = pending.current;
      while (work.reload || work.changed.size > 0 || work.more) {
        const gen = generation.current;
        const q = queryRef.current;
        if (work.reload || !snapRef.current.loaded) await reload(gen, q);
        else if (work.changed.size > 0) await patch(gen, q);
        else await more(gen, q);
      }
    } finally {
      busy.current = false;
    }
  }, [reload, patch, more]);

  const refresh = useCallback(() => {
    pending.current.reload = true;
    void pump();
  }, [pump]);

  const loadMore = useCallback(() => {
    pending.current.more = true;
    void pump();
  }, [pump]);

  const queryJson = JSON.stringify(query);
  useEffect(() => {
    queryRef.current = JSON.parse(queryJson) as OrderQuery;
    if (seeded.current === queryJson) return;
    seeded.current = null;
    generation.current += 1;
    pending.current.more = false;
    pending.current.changed.clear();
    snapRef.current = { ...snapRef.current, orders: [], total: 0, loaded: false };
    refresh();
  }, [queryJson, refresh]);

  useEffect(
    () =>
      api.onOrdersChanged((tids) => {
        for (const tid of tids) pending.current.changed.add(tid);
        void pump();
      }),
    [api, pump],
  );

  return { ...snap, loadMore };
}
