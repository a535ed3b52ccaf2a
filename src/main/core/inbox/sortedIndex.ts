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

  /** Where `item` is, or would be inserted: set in `atBucket` and `atSlot` by seek(). */
  private atBucket = 0;
  private atSlot = 0;

  /**
   * Finds the first item that does not sort before `item` (`item` itself, when it is in the
   * index). Called on every change to an order, so it calls the comparator directly and
   * allocates nothing.
   */
  private seek(item: T): void {
    const { buckets, compare } = this;
    let lo = 0;
    let hi = buckets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const bucket = buckets[mid]!;
      if (compare(bucket[bucket.length - 1]!, item) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo === buckets.length) {
      // After every item: the end of the last bucket.
      this.atBucket = Math.max(0, lo - 1);
      this.atSlot = lo === 0 ? 0 : buckets[lo - 1]!.length;
      return;
    }
    const bucket = buckets[lo]!;
    let i = 0;
    let j = bucket.length - 1;
    while (i < j) {
      const mid = (i + j) >>> 1;
      if (compare(bucket[mid]!, item) < 0) i = mid + 1;
      else j = mid;
    }
    this.atBucket = lo;
    this.atSlot = i;
  }

  insert(item: T): void {
    this.seek(item);
    if (this.buckets.length === 0) this.buckets.push([]);
    const b = this.atBucket;
    const bucket = this.buckets[b]!;
    bucket.splice(this.atSlot, 0, item);
    this.count++;
    if (bucket.length > 2 * this.load) this.buckets.splice(b + 1, 0, bucket.splice(this.load));
  }

  /** Removes the item (the same object); false when it is not in the index. */
  delete(item: T): boolean {
    if (this.count === 0) return false;
    this.seek(item);
    const b = this.atBucket;
    const bucket = this.buckets[b]!;
    if (bucket[this.atSlot] !== item) return false;
    bucket.splice(this.atSlot, 1);
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
    this.seek(item);
    return this.buckets[this.atBucket]![this.atSlot] === item;
  }

  /** How many items come before the first one for which `before` is false (`before` must be
   * true for a prefix of the list and false for the rest): where a cursor falls. */
  rank(before: (item: T) => boolean): number {
    let skipped = 0;
    for (const bucket of this.buckets) {
      if (before(bucket[bucket.length - 1]!)) {
        skipped += bucket.length;
        continue;
      }
      let i = 0;
      let j = bucket.length - 1;
      while (i < j) {
        const mid = (i + j) >>> 1;
        if (before(bucket[mid]!)) i = mid + 1;
        else j = mid;
      }
      return skipped + i;
    }
    return skipped;
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
