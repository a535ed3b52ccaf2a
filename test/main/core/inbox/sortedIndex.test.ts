import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedIndex } from '../../../../src/main/core/inbox/sortedIndex';

interface Item {
  at: number;
  id: number;
}

/** Newest first, then by id: distinct items never compare equal, as in the orders' index. */
const compare = (a: Item, b: Item) => b.at - a.at || a.id - b.id;

const ops = fc.array(
  fc.oneof(
    { arbitrary: fc.record({ k: fc.constant('insert' as const), at: fc.integer({ min: 0, max: 30 }) }), weight: 3 },
    fc.record({ k: fc.constant('delete' as const), pick: fc.nat() }),
    fc.record({ k: fc.constant('move' as const), pick: fc.nat(), at: fc.integer({ min: 0, max: 30 }) }),
  ),
  { maxLength: 300 },
);

describe('SortedIndex, against a sorted array', () => {
  it('keeps order, size, positions and ranks through any inserts, deletes and moves', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 4, 8),
        fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 60 }),
        ops,
        fc.nat(),
        fc.nat(),
        (load, initial, list, from, span) => {
          let nextId = 0;
          const naive: Item[] = initial.map((at) => ({ at, id: nextId++ })).sort(compare);
          const index = SortedIndex.fromSorted(naive, compare, load);
          for (const op of list) {
            if (op.k === 'insert') {
              const item = { at: op.at, id: nextId++ };
              index.insert(item);
              naive.push(item);
              naive.sort(compare);
            } else if (naive.length > 0) {
              const item = naive[op.pick % naive.length]!;
              expect(index.has(item)).toBe(true);
              expect(index.delete(item)).toBe(true);
              expect(index.has(item)).toBe(false);
              expect(index.delete(item)).toBe(false);
              naive.splice(naive.indexOf(item), 1);
              if (op.k === 'move') {
                item.at = op.at;
                index.insert(item);
                naive.push(item);
                naive.sort(compare);
              }
            }
            expect(index.size).toBe(naive.length);
          }
          expect([...index]).toEqual(naive);
          expect(index.toArray()).toEqual(naive);
          const start = naive.length === 0 ? 0 : from % (naive.length + 2);
          expect(index.slice(start, start + span)).toEqual(naive.slice(start, start + span));
          expect(index.slice(-3, 2)).toEqual(naive.slice(0, 2));
          for (let at = -1; at <= 31; at += 4) {
            const before = (x: Item) => x.at > at;
            expect(index.rank(before)).toBe(naive.filter(before).length);
          }
          expect(index.has({ at: 5, id: -1 })).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tells a sorted array from one that is not', () => {
    expect(
      SortedIndex.isSorted(
        [
          { at: 2, id: 0 },
          { at: 1, id: 1 },
        ],
        compare,
      ),
    ).toBe(true);
    expect(
      SortedIndex.isSorted(
        [
          { at: 1, id: 0 },
          { at: 2, id: 1 },
        ],
        compare,
      ),
    ).toBe(false);
    expect(SortedIndex.isSorted([], compare)).toBe(true);
  });
});
