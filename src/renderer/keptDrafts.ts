/**
 * Memo and flag changes not saved, by order, while their order is not in the memo panel
 * (RemarkPanel): a notification or the tray that opens another order, or closes the panel, loses
 * nothing. They also outlive a reload of the page (the app reloads a renderer that crashed:
 * src/main/electron/mainWindow.ts): each change is written through to the page's sessionStorage,
 * which Chromium keeps for the window outside the renderer process, and read back when the window
 * starts. Session storage ends with the window; nothing goes to disk here.
 */
import type { OrderSummary } from '../shared/domain';
import { isFlag, type Flag } from '../shared/flag';

/** Changes not saved on one order, and the order's memo and flag they started from. */
export interface KeptDraft {
  memo: string;
  /** null: the order's flag is unknown and the user has not chosen one yet. */
  flag: Flag | null;
  /** The order's memo and flag the changes started from, or last followed. */
  base: Pick<OrderSummary, 'memo' | 'flag'>;
}

/** What the panel needs of the keeper (a Map will do, in tests). */
export interface DraftKeeper {
  get(key: string): KeptDraft | undefined;
  set(key: string, draft: KeptDraft): unknown;
  delete(key: string): unknown;
}

export const KEPT_DRAFTS_KEY = 'tradebell.keptDrafts';

type SessionStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function isKeptDraft(v: unknown): v is KeptDraft {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as Record<string, unknown>;
  const base = d.base as Record<string, unknown> | null | undefined;
  return (
    typeof d.memo === 'string' &&
    (d.flag === null || isFlag(d.flag)) &&
    typeof base === 'object' &&
    base !== null &&
    (base.memo === undefined || typeof base.memo === 'string') &&
    (base.flag === undefined || isFlag(base.flag))
  );
}

/** The drafts a reload left, skipping any entry that is not one (a damaged or older value). */
function readKept(store: SessionStore | undefined): Map<string, KeptDraft> {
  const kept = new Map<string, KeptDraft>();
  let raw: string | null | undefined;
  try {
    raw = store?.getItem(KEPT_DRAFTS_KEY);
  } catch {
    return kept;
  }
  if (!raw) return kept;
  try {
    const entries: unknown = JSON.parse(raw);
    if (Array.isArray(entries))
      for (const e of entries)
        if (Array.isArray(e) && typeof e[0] === 'string' && isKeptDraft(e[1])) kept.set(e[0], e[1]);
  } catch {
    // Not ours to read: start without.
  }
  return kept;
}

export class KeptDrafts implements DraftKeeper {
  private readonly drafts: Map<string, KeptDraft>;

  /** `store`: the page's sessionStorage; none (or one that fails) keeps them for the page's life only. */
  constructor(private readonly store?: SessionStore) {
    this.drafts = readKept(store);
  }

  get size(): number {
    return this.drafts.size;
  }

  get(key: string): KeptDraft | undefined {
    return this.drafts.get(key);
  }

  set(key: string, draft: KeptDraft): void {
    this.drafts.set(key, { memo: draft.memo, flag: draft.flag, base: { ...draft.base } });
    this.write();
  }

  delete(key: string): void {
    if (this.drafts.delete(key)) this.write();
  }

  private write(): void {
    try {
      if (this.drafts.size === 0) this.store?.removeItem(KEPT_DRAFTS_KEY);
      else this.store?.setItem(KEPT_DRAFTS_KEY, JSON.stringify([...this.drafts]));
    } catch {
      // Storage full or refused: the drafts still live in memory for the page's life.
    }
  }
}

/** The page's sessionStorage, when it has one it may use. */
export function pageSessionStorage(): SessionStore | undefined {
  try {
    return globalThis.sessionStorage ?? undefined;
  } catch {
    return undefined;
  }
}
