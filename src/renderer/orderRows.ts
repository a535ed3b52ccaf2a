/**
 * The inbox list's rows, patched in place: when orders change, only their rows are asked for again
 * and moved to where the list's order puts them, so every other row (and the scroll position and
 * selection that refer to it) stays as it was.
 */
import type { OrderCursor } from '../shared/api';
import { compareNewestFirst, orderKey, type OrderSummary, type Tid } from '../shared/domain';

export function compareRows(a: OrderSummary, b: OrderSummary): number {
  return compareNewestFirst(a.updatedAt, orderKey(a), b.updatedAt, orderKey(b));
}

/** Where the next page starts: after this row. */
export function cursorOf(row: OrderSummary): OrderCursor {
  return { shop: row.shop, tid: row.tid, updatedAt: row.updatedAt };
}

/**
 * The list after the orders of `changed` tids changed: their old rows out, their `fresh` rows (the
 * ones the filter still matches, as the core sees them now) in at their place. The list holds the
 * first rows of the filter's whole list; a fresh row that sorts after its last row is left to the
 * next page, unless the list is `complete` (it held every row).
 */
export function patchRows(
  rows: readonly OrderSummary[],
  changed: ReadonlySet<Tid>,
  fresh: readonly OrderSummary[],
  complete: boolean,
): OrderSummary[] {
  const kept = rows.filter((r) => !changed.has(r.tid));
  const last = kept.at(-1);
  const admitted = [...fresh]
    .sort(compareRows)
    .filter((r) => complete || (last !== undefined && compareRows(r, last) < 0));
  if (admitted.length === 0) return kept;
  const out: OrderSummary[] = [];
  let i = 0;
  for (const row of admitted) {
    while (i < kept.length && compareRows(kept[i]!, row) < 0) out.push(kept[i++]!);
    out.push(row);
  }
  while (i < kept.length) out.push(kept[i++]!);
  return out;
}

/** The list with the next page after it (rows it already holds are not repeated). */
export function appendRows(rows: readonly OrderSummary[], page: readonly OrderSummary[]): OrderSummary[] {
  const held = new Set(rows.map(orderKey));
  return [...rows, ...page.filter((r) => !held.has(orderKey(r)))];
}
