import { observeElementRect, useVirtualizer, type Rect, type Virtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { orderKey, type OrderSummary } from '../../shared/domain';
import type { ShopSettings } from '../../shared/settings';
import { cssVars } from '../cssVars';
import { useT } from '../i18n';
import { OrderRow } from './OrderRow';

/** Rows have a fixed height (see .order-row in styles.css), so nothing needs measuring. */
export const ROW_HEIGHT = 76;
/** Rows left to show before the next page is asked for. */
const LOAD_AHEAD = 40;
/** The viewport assumed until the list is laid out (and under happy-dom, which has no layout). */
const VIEWPORT_GUESS = { width: 420, height: 480 };

/** Ignores the 0×0 rect of an element that is not laid out, keeping the last real (or guessed) size. */
function observeLaidOutRect(instance: Virtualizer<HTMLDivElement, Element>, cb: (rect: Rect) => void) {
  return observeElementRect(instance, (rect) => {
    if (rect.height > 0) cb(rect);
  });
}

/** Rows rendered beyond the visible ones, for smooth scrolling. */
const OVERSCAN = 6;

/**
 * False until the list's first frame is painted. The first paint shows the visible rows only; the
 * overscan rows, which nobody sees before a scroll, follow in the next frame (B4 in
 * docs/benchmarks.md: each row is DOM to build, style and lay out before the window shows).
 */
function usePainted(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A task queued from an animation frame runs after that frame is painted.
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setPainted(true), 0)));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  return painted;
}

/** Rows after the top one looked for when it left the list: the next that stayed anchors the view. */
const ANCHOR_SEARCH = 20;

/**
 * Keeps the rows the user is looking at in view when rows are patched in or out above them (new
 * orders arrive at the top while the list is scrolled down). At the very top the list stays at
 * the top, so new orders show.
 */
function useKeepRowsInView(scrollRef: RefObject<HTMLDivElement | null>, orders: readonly OrderSummary[]) {
  const previous = useRef(orders);
  useLayoutEffect(() => {
    const before = previous.current;
    previous.current = orders;
    const el = scrollRef.current;
    if (!el || before === orders || el.scrollTop <= 0) return;
    const top = Math.floor(el.scrollTop / ROW_HEIGHT);
    const index = new Map<string, number>();
    orders.forEach((o, i) => index.set(orderKey(o), i));
    for (let i = top; i < Math.min(before.length, top + ANCHOR_SEARCH); i++) {
      const now = index.get(orderKey(before[i]!));
      if (now === undefined) continue;
      // The virtualizer follows the scroll event this raises.
      if (now !== i) el.scrollTop += (now - i) * ROW_HEIGHT;
      return;
    }
  }, [orders, scrollRef]);
}

export interface OrderListProps {
  orders: OrderSummary[];
  total: number;
  shops: ShopSettings[];
  selection: ReadonlySet<string>;
  now: number;
  onSelect: (index: number, checked: boolean, shiftKey: boolean) => void;
  onOpen: (order: OrderSummary) => void;
  onCopy: (order: OrderSummary) => void;
  onOpenExternal: (order: OrderSummary) => void;
  onLoadMore: () => void;
}

export function OrderList({
  orders,
  total,
  shops,
  selection,
  now,
  onSelect,
  onOpen,
  onCopy,
  onOpenExternal,
  onLoadMore,
}: OrderListProps) {
  const t = useT();
  const scrollRef = useRef<HTMLDivElement>(null);
  const painted = usePainted();
  const virtualizer = useVirtualizer({
    count: orders.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: painted ? OVERSCAN : 0,
    initialRect: VIEWPORT_GUESS,
    observeElementRect: observeLaidOutRect,
    getItemKey: (i) => (orders[i] ? orderKey(orders[i]) : i),
  });
  useKeepRowsInView(scrollRef, orders);
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (orders.length < total && lastIndex >= orders.length - LOAD_AHEAD) onLoadMore();
  }, [lastIndex, orders.length, total, onLoadMore]);

  const shopById = new Map(shops.map((s) => [s.id, s]));
  return (
    <div ref={scrollRef} className="order-scroll">
      <div
        role="list"
        aria-label={t.ordersLabel}
        className="order-canvas"
        style={cssVars({ '--canvas-height': `${virtualizer.getTotalSize()}px` })}
      >
        {items.map((item) => {
          const order = orders[item.index];
          if (!order) return null;
          return (
            <div
              key={item.key}
              role="listitem"
              aria-posinset={item.index + 1}
              aria-setsize={total}
              className="order-slot"
              style={cssVars({ '--row-y': `${item.start}px` })}
            >
              <OrderRow
                order={order}
                shop={shopById.get(order.shop)}
                selected={selection.has(orderKey(order))}
                now={now}
                onSelect={(checked, shift) => onSelect(item.index, checked, shift)}
                onOpen={() => onOpen(order)}
                onCopy={() => onCopy(order)}
                onOpenExternal={() => onOpenExternal(order)}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
