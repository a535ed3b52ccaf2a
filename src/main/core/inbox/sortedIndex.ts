/**
 * A list kept sorted as items come and go, that also answers "the items at positions i..j" and
 * "how many items sort before this one": the orders list's index. Items live in buckets of a few
 * hundred, each sorted and each wholly before the next, so an insert or a removal moves one
 * bucket's slots instead of the whole list's, and a position is found by walking the bucket sizes.
 *
 * Items are found by the comparator, which must tell any two distinct items apart, and an item's
 * sort key must not change while it is in the index: remove it, change it, insert it again.
 */

/** Buckets split past twice this size and merge with a neighbour below a quarter of it. */
const DEFAULT_LOAD = 512;

export class SortedIndex<T> {
  private buckets: T[][] = [];
  private count = 0;

  constructor(
    private readonly compare: (a: T, b: T) => number,
    /** The bucket size aimed at; small ones let tests reach splits and merges. */
    private readonly load = DEFAULT_LOAD,
  ) {}

  /** An index of items already in the comparator's order (not checked: see isSorted). */
  static fromSorted<T>(items: readonly T[], compare: (a: T, b: T) => number, load = DEFAULT_LOAD): SortedIndex<T> {
    const index = new SortedIndex(compare, load);
    for (let i = 0; i < items.length; i += load) index.buckets.push(items.slice(i, i + load));
    index.count = items.length;
    return index;
  }

  static isSorted<T>(items: readonly T[], compare: (a: T, b: T) => number): boolean {
    for (let i = 1; i < items.length; i++) if (compare(items[i - 1]!, items[i]!) >= 0) return false;
    return true;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Where the first item for which `before` is false is, or would be inserted: the bucket and the
   * slot in it, and the items in the buckets before it. `before` must be true for a prefix of the
   * list and false for the rest.
   */
  private locate(before: (item: T) => boolean): { b: number; i: number; skipped: number } {
    const buckets = this.buckets;
    let lo = 0;
    let hi = buckets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const bucket = buckets[mid]!;
      if (before(bucket[bucket.length - 1]!)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === buckets.length) {
      // After every item: the end of the last bucket.
      const last = buckets.length - 1;
      return last < 0
        ? { b: 0, i: 0, skipped: 0 }
        : { b: last, i: buckets[last]!.length, skipped: this.count - buckets[last]!.length };
    }
    const bucket = buckets[lo]!;
    let i = 0;
    let j = bucket.length - 1;
    while (i < j) {
      const mid = (i + j) >>> 1;
      if (before(bucket[mid]!)) i = mid + 1;
      else j = mid;
    }
    let skipped = 0;
    for (let k = 0; k < lo; k++) skipped += buckets[k]!.length;
    return { b: lo, i, skipped };
  }

  insert(item: T): void {
    const { b, i } = this.locate((x) => this.compare(x, item) < 0);
    if (this.buckets.length === 0) this.buckets.push([]);
    const bucket = this.buckets[b]!;
    bucket.splice(i, 0, item);
    this.count++;
    if (bucket.length > 2 * this.load) this.buckets.splice(b + 1, 0, bucket.splice(this.load));
  }

  /** Removes the item (the same object); false when it is not in the index. */
  delete(item: T): boolean {
    if (this.count === 0) return false;
    const { b, i } = this.locate((x) => this.compare(x, item) < 0);
    const bucket = this.buckets[b]!;
    if (bucket[i] !== item) return false;
    bucket.splice(i, 1);
    this.count--;
    if (bucket.length === 0) this.buckets.splice(b, 1);
    else if (bucket.length < this.load / 4 && this.buckets.length > 1)
      this.mergeAt(b === this.buckets.length - 1 ? b - 1 : b);
    return true;
  }

  /** Joins bucket `b` and the next one, split again when that makes one too large. */
  private mergeAt(b: number): void {
    const joined = this.buckets[b]!.concat(this.buckets[b + 1]!);
    if (joined.length > 2 * this.load) this.buckets.splice(b, 2, joined.slice(0, this.load), joined.slice(this.load));
    else this.buckets.splice(b, 2, joined);
  }

  has(item: T): boolean {
    if (this.count === 0) return false;
    const { b, i } = this.locate((x) => this.compare(x, item) < 0);
    return this.buckets[b]![i] === item;
  }

  /** How many items come before the first one for which `before` is false (a prefix predicate). */
  rank(before: (item: T) => boolean): number {
    if (this.count === 0) return 0;
    const { i, skipped } = this.locate(before);
    return skipped + i;
  }

  /** The items at positions from..to-1 (clamped to the list), in order. */
  slice(from: number, to: number): T[] {
    const start = Math.max(0, from);
    const end = Math.min(this.count, to);
    const out: T[] = [];
    let offset = 0;
    for (const bucket of this.buckets) {
      if (offset >= end) break;
      const next = offset + bucket.length;
      if (next > start) {
        const stop = Math.min(bucket.length, end - offset);
        for (let i = Math.max(0, start - offset); i < stop; i++) out.push(bucket[i]!);
      }
      offset = next;
    }
    return out;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (const bucket of this.buckets) yield* bucket;
  }

  toArray(): T[] {
    return this.buckets.flat();
  }
}
