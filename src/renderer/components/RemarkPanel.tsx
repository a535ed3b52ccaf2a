import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { orderKey, type OrderSummary } from '../../shared/domain';
import type { AppError } from '../../shared/errors';
import { checkMemo, validateRemark } from '../../shared/memo';
import type { Result } from '../../shared/result';
import type { ShopSettings } from '../../shared/settings';
import { useApi } from '../api';
import { cssVars } from '../cssVars';
import { formatYuan } from '../format';
import { useT } from '../i18n';
import type { DraftKeeper, KeptDraft } from '../keptDrafts';
import { panelKey } from '../keys';
import { StatusWords } from './ErrorMessage';
import { FlagPicker } from './FlagPicker';
import { IconButton } from './Icon';
import { MemoEditor } from './MemoEditor';
import { MemoTemplates } from './MemoTemplates';
import { OrderHistory } from './OrderHistory';
import { PanelActions, PanelDialog } from './PanelDialog';

type SaveStatus =
  | { kind: 'idle' }
  /** The memo on Taobao is unknown and the draft is empty: the user must type one or confirm clearing. */
  | { kind: 'ask' }
  /** The flag on Taobao is unknown and none was chosen: the user must pick one (0–5) first. */
  | { kind: 'askFlag' }
  /** The user asked to close or move with changes not saved: asking the same again leaves. */
  | { kind: 'unsaved'; leaving: Leaving }
  | { kind: 'saving' }
  | { kind: 'saved'; modified?: string }
  | { kind: 'error'; error: AppError };

/** Closing the panel, or moving to the order above (-1) or below (1). */
type Leaving = 'close' | 1 | -1;

/** The memo and flag being edited (KeptDraft: `base` is the order's memo and flag it started from,
 * or last followed), for one order. */
interface Draft extends KeptDraft {
  key: string;
  status: SaveStatus;
}

/** The order's known memo and flag, or the changes left on it unsaved (following the order since). */
function freshDraft(order: OrderSummary, kept?: DraftKeeper): Draft {
  const key = orderKey(order);
  const left = kept?.get(key);
  if (left) return followOrder({ key, ...left, status: { kind: 'idle' } }, order);
  return {
    key,
    memo: order.memo ?? '',
    flag: order.flag ?? null,
    base: { memo: order.memo, flag: order.flag },
    status: { kind: 'idle' },
  };
}

/**
 * The draft after the order's memo or flag changed while the panel was open (a change in Qianniu,
 * another seat): a part the user has not touched follows it, so that saving, which sends both,
 * never puts back the older one; a part the user changed stays theirs.
 */
function followOrder(draft: Draft, order: OrderSummary): Draft {
  return {
    ...draft,
    memo: memoChanged(draft) ? draft.memo : (order.memo ?? ''),
    flag: flagChanged(draft) ? draft.flag : (order.flag ?? null),
    base: { memo: order.memo, flag: order.flag },
  };
}

/** Whether the user changed the draft's memo, or its flag, from the order's it started from. */
const memoChanged = (d: Draft) => d.memo !== (d.base.memo ?? '');
const flagChanged = (d: Draft) => d.flag !== (d.base.flag ?? null);

export interface RemarkPanelProps {
  order: OrderSummary;
  shop?: ShopSettings;
  /** 1-based place of the order in the inbox list, when it is in it. */
  position?: { index: number; count: number };
  templates: string[];
  onTemplatesChange: (templates: string[]) => Promise<Result<unknown>>;
  onMove: (delta: 1 | -1) => void;
  onClose: () => void;
  /** Changes whenever the panel should take the keyboard focus (opened, a notification clicked); 0 leaves the focus alone. */
  focusRequest: number;
  /** Where changes not saved wait while their order is not shown (the app keeps one for the
   * window, keptDrafts.ts): a notification or the tray that opens another order, or closes the
   * panel, then loses nothing, and the order shows them again when opened. */
  kept?: DraftKeeper;
}

/**
 * The quick memo/flag panel. Memo and flag are always sent together, from what the app knows of
 * the order, because the bcro call replaces the memo and defaults the flag to gray; a part the
 * user has not touched follows the order while the panel is open (followOrder). When the app
 * does not know the order's memo (a new order's messages carry none), the panel says so, and an
 * empty memo is saved only once the user confirms clearing the one on Taobao (the core refuses it
 * otherwise). An unknown flag is shown unselected, and the user picks one before saving: gray
 * sent for it would clear a colour set in Qianniu.
 */
export function RemarkPanel({
  order,
  shop,
  position,
  templates,
  onTemplatesChange,
  onMove,
  onClose,
  focusRequest,
  kept,
}: RemarkPanelProps) {
  const t = useT();
  const api = useApi();
  const rootRef = useRef<HTMLDivElement>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const caret = useRef<{ start: number; end: number } | null>(null);
  const pendingCaret = useRef<number | null>(null);
  const [draft, setDraft] = useState(() => freshDraft(order, kept));
  const key = orderKey(order);
  const currentKey = useRef(key);

  // Moving to another order starts from that order's known memo and flag.
  if (draft.key !== key) setDraft(freshDraft(order, kept));
  else if (draft.base.memo !== order.memo || draft.base.flag !== order.flag) setDraft(followOrder(draft, order));

  useEffect(() => {
    currentKey.current = key;
    caret.current = null;
  }, [key]);

  useEffect(() => {
    if (focusRequest !== 0) rootRef.current?.focus();
  }, [focusRequest]);

  // The save button is disabled while saving, which drops its focus: give the keys back to the panel.
  const saving = draft.status.kind === 'saving';
  const wasSaving = useRef(false);
  useEffect(() => {
    const root = rootRef.current;
    if (wasSaving.current && !saving && root && document.activeElement === document.body) root.focus();
    wasSaving.current = saving;
  }, [saving]);

  useLayoutEffect(() => {
    const at = pendingCaret.current;
    const ta = textareaRef.current;
    if (at === null || !ta) return;
    pendingCaret.current = null;
    ta.focus();
    ta.setSelectionRange(at, at);
  }, [draft.memo]);

  const check = checkMemo(draft.memo);
  const memoKnown = order.memo !== undefined;
  // Saved (the list may not have the saved values yet) or as the order has them: nothing to lose.
  const dirty = draft.status.kind !== 'saved' && (memoChanged(draft) || flagChanged(draft));

  useEffect(() => {
    if (!kept) return;
    if (dirty) kept.set(draft.key, { memo: draft.memo, flag: draft.flag, base: draft.base });
    else kept.delete(draft.key);
  }, [kept, dirty, draft.key, draft.memo, draft.flag, draft.base]);

  /** Leaves at once when nothing would be lost, or when asked again; otherwise asks first. */
  function leave(to: Leaving) {
    const asked = draft.status.kind === 'unsaved' && draft.status.leaving === to;
    if (dirty && !asked && !saving) {
      setDraft((d) => ({ ...d, status: { kind: 'unsaved', leaving: to } }));
      return;
    }
    // Asked and confirmed: the changes are given up, not kept for later.
    kept?.delete(draft.key);
    if (to === 'close') onClose();
    else onMove(to);
  }

  const update = (patch: Partial<Omit<Draft, 'key'>>) =>
    setDraft((d) => ({ ...d, status: { kind: 'idle' }, ...patch }));

  async function save(clearUnknownMemo = false) {
    if (saving) return;
    if (draft.flag === null) {
      setDraft((d) => ({ ...d, status: { kind: 'askFlag' } }));
      return;
    }
    const req = { shop: order.shop, tid: order.tid, memo: draft.memo, flag: draft.flag };
    const problem = validateRemark(req);
    if (problem) {
      setDraft((d) => ({ ...d, status: { kind: 'error', error: problem } }));
      return;
    }
    if (!memoKnown && req.memo === '' && !clearUnknownMemo) {
      setDraft((d) => ({ ...d, status: { kind: 'ask' } }));
      return;
    }
    setDraft((d) => ({ ...d, status: { kind: 'saving' } }));
    // Gray picked for an order whose flag is unknown is the user's choice (the core asks for it).
    const clearUnknownFlag = order.flag === undefined && req.flag === 0;
    const r = await api.remark({
      ...req,
      ...(clearUnknownMemo && { clearUnknownMemo }),
      ...(clearUnknownFlag && { clearUnknownFlag }),
    });
    if (currentKey.current !== orderKey(req)) return;
    setDraft((d) => ({
      ...d,
      status: r.ok
        ? { kind: 'saved', modified: r.value.modified }
        : // The core knows less than the window did (its view is the one that counts): ask.
          r.error.code === 'memo_unknown'
          ? { kind: 'ask' }
          : r.error.code === 'flag_unknown'
            ? { kind: 'askFlag' }
            : { kind: 'error', error: r.error },
    }));
  }

  function insert(text: string) {
    const memo = draft.memo;
    const { start, end } = caret.current ?? { start: memo.length, end: memo.length };
    pendingCaret.current = start + text.length;
    caret.current = { start: start + text.length, end: start + text.length };
    update({ memo: memo.slice(0, start) + text + memo.slice(end) });
  }

  function onKeyDown(e: KeyboardEvent) {
    const k = panelKey(e);
    if (!k) return;
    e.preventDefault();
    e.stopPropagation();
    if (k.kind === 'close') leave('close');
    else if (k.kind === 'save') void save();
    else if (k.kind === 'flag') update({ flag: k.flag });
    else leave(k.delta);
  }

  const status = draft.status;
  const title = order.items[0]?.title;
  return (
    <PanelDialog label={t.panelTitle(order.tid)} rootRef={rootRef} onKeyDown={onKeyDown}>
      <header className="panel-head">
        <span
          className="shop-marker"
          style={cssVars({ '--shop-colour': shop?.colour ?? 'transparent' })}
          title={shop?.name ?? order.shop}
        />
        <h2>{t.panelTitle(order.tid)}</h2>
        <div className="panel-nav">
          {position && <span className="muted">{t.position(position.index, position.count)}</span>}
          <IconButton
            icon="up"
            label={t.prevOrder}
            disabled={!position || position.index <= 1}
            onClick={() => leave(-1)}
          />
          <IconButton
            icon="down"
            label={t.nextOrder}
            disabled={!position || position.index >= position.count}
            onClick={() => leave(1)}
          />
          <IconButton icon="close" label={t.close} onClick={() => leave('close')} />
        </div>
      </header>
      <p className="panel-order">
        <span className="buyer">{order.buyerNick ?? '—'}</span>
        <span>{t.statusWord(order.status)}</span>
        {order.payment !== undefined && <span className="amount">{formatYuan(order.payment)}</span>}
        {title !== undefined && <span className="title">{title}</span>}
      </p>
      <FlagPicker value={draft.flag} onChange={(flag) => update({ flag })} />
      <MemoEditor
        value={draft.memo}
        onChange={(memo) => update({ memo })}
        textareaRef={textareaRef}
        onBlur={() => {
          const ta = textareaRef.current;
          if (ta) caret.current = { start: ta.selectionStart, end: ta.selectionEnd };
        }}
      />
      <p className="current-memo">
        {t.currentMemo}
        <span className={memoKnown ? undefined : 'unknown'}>
          {!memoKnown ? t.memoUnknown : order.memo ? order.memo : t.noMemo}
        </span>
      </p>
      <PanelActions
        action={t.save}
        disabled={!check.ok || saving}
        onAction={() => void save()}
        statusClass={status.kind}
      >
        <StatusWords
          status={status}
          words={{
            ask: (
              <span className="ask">
                {t.unknownMemoAsk}{' '}
                <button type="button" className="danger" onClick={() => void save(true)}>
                  {t.clearUnknownMemo}
                </button>
              </span>
            ),
            askFlag: <span className="ask">{t.unknownFlagAsk}</span>,
            unsaved: status.kind === 'unsaved' && (
              <span className="ask">{t.unsavedAsk(status.leaving === 'close' ? 'close' : 'move')}</span>
            ),
            saving: t.saving,
            saved: status.kind === 'saved' && t.saved(status.modified),
          }}
        />
      </PanelActions>
      <MemoTemplates templates={templates} onInsert={insert} onSave={onTemplatesChange} />
      <OrderHistory order={order} />
      <p className="hint">{t.keysHint}</p>
    </PanelDialog>
  );
}
