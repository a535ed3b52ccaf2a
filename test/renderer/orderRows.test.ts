import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../src/shared/domain';
import { appendRows, compareRows, patchRows } from '../../src/renderer/orderRows';

const row = (tid: string, updatedAt: number): OrderSummary => ({
  shop: 'shop1',
  tid,
  items: [],
  createdAt: 0,
  updatedAt,
  seen: true,
});

const TIDS = Array.from({ length: 12 }, (_, i) => String(1000 + i));

describe('patchRows, against the whole list sorted from scratch', () => {
  it('gives a prefix of the new list that keeps every row held that did not change', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...TIDS), fc.integer({ min: 0, max: 9 })),
        fc.dictionary(fc.constantFrom(...TIDS), fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined })),
        fc.nat(12),
        (before, changes, held) => {
          const oldAll = Object.entries(before)
            .map(([tid, at]) => row(tid, at))
            .sort(compareRows);
          const rows = oldAll.slice(0, held);
          const after = { ...before };
          // A change: a new time, or (undefined) the order left the filter.
          for (const [tid, at] of Object.entries(changes)) {
            if (at === undefined) delete after[tid];
            else after[tid] = at;
          }
          const newAll = Object.entries(after)
            .map(([tid, at]) => row(tid, at))
            .sort(compareRows);
          const changed = new Set(Object.keys(changes));
          const fresh = newAll.filter((r) => changed.has(r.tid)).reverse();
          const complete = rows.length >= oldAll.length;
          const patched = patchRows(rows, changed, fresh, complete);
          expect(patched).toEqual(newAll.slice(0, patched.length));
          if (complete) expect(patched).toEqual(newAll);
          for (const r of rows) if (!changed.has(r.tid)) expect(patched).toContain(r);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('appends a page without repeating rows held', () => {
    const held = [row('1', 9), row('2', 8)];
    expect(appendRows(held, [row('2', 8), row('3', 7)]).map((r) => r.tid)).toEqual(['1', '2', '3']);
  });
});
