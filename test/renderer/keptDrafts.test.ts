import { describe, expect, it } from 'vitest';
import { KEPT_DRAFTS_KEY, KeptDrafts } from '../../src/renderer/keptDrafts';

/** sessionStorage's part that KeptDrafts uses, in memory, able to refuse writes. */
class MemoryStore {
  readonly items = new Map<string, string>();
  refuse = false;
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.refuse) throw new Error('QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const draft = { memo: '周五前发货', flag: 2 as const, base: { memo: '已核对地址', flag: 1 as const } };

describe('KeptDrafts', () => {
  it('a reload of the page finds the drafts its session kept; a draft given up is gone', () => {
    const store = new MemoryStore();
    const kept = new KeptDrafts(store);
    kept.set('shop1/1588826713157361977', draft);
    kept.set('shop2/1588826713157361978', { memo: '', flag: null, base: {} });
    const reloaded = new KeptDrafts(store);
    expect(reloaded.get('shop1/1588826713157361977')).toEqual(draft);
    expect(reloaded.get('shop2/1588826713157361978')).toEqual({ memo: '', flag: null, base: {} });
    reloaded.delete('shop1/1588826713157361977');
    reloaded.delete('shop2/1588826713157361978');
    expect(store.items.has(KEPT_DRAFTS_KEY)).toBe(false);
    expect(new KeptDrafts(store).size).toBe(0);
  });

  it('skips what it cannot trust in the store, and keeps the rest', () => {
    const store = new MemoryStore();
    store.setItem(
      KEPT_DRAFTS_KEY,
      JSON.stringify([
        ['good', draft],
        ['bad flag', { ...draft, flag: 9 }],
        ['no memo', { flag: 1, base: {} }],
        ['bad base', { memo: 'x', flag: 1, base: { memo: 3 } }],
        [42, draft],
        'junk',
      ]),
    );
    const kept = new KeptDrafts(store);
    expect(kept.size).toBe(1);
    expect(kept.get('good')).toEqual(draft);
    store.setItem(KEPT_DRAFTS_KEY, '{not json');
    expect(new KeptDrafts(store).size).toBe(0);
  });

  it('without storage, or when it refuses a write, still keeps the drafts for the page', () => {
    const none = new KeptDrafts();
    none.set('a', draft);
    expect(none.get('a')).toEqual(draft);
    const store = new MemoryStore();
    store.refuse = true;
    const refused = new KeptDrafts(store);
    refused.set('a', draft);
    expect(refused.get('a')).toEqual(draft);
  });
});
