import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { orderKey, type OrderSummary } from '../../shared/domain';
import type { AppError } from '../../shared/errors';
import type { Flag } from '../../shared/flag';
import { checkMemo } from '../../shared/memo';
import { useApi } from '../api';
import { useT } from '../i18n';
import { panelKey } from '../keys';
import { StatusWords } from './ErrorMessage';
import { Check, Choice } from './Fields';
import { FlagPicker } from './FlagPicker';
import { IconButton } from './Icon';
import { MemoEditor } from './MemoEditor';
import { PanelActions, PanelDialog } from './PanelDialog';

type Outcome = { kind: 'pending' } | { kind: 'ok' } | { kind: 'skipped' } | { kind: 'error'; error: AppError };

/** What to do with orders whose memo is unknown when only the flag changes. */
type UnknownChoice = 'skip' | 'clear';
const UNKNOWN_CHOICES: UnknownChoice[] = ['skip', 'clear'];

/**
 * One flag (and optionally one memo) on several orders. Without a memo each order keeps its own
 * known memo (the request leaves it out, and the core sends the one it knows, since the bcro call
 * replaces whatever memo the order had). An order whose memo the app does not know has none to
 * give back: the panel counts them and asks whether to skip them or clear their memos on Taobao
 * (or to set one memo for all), and sends nothing until the user chose.
 */
export function BatchPanel({ orders, onClose }: { orders: OrderSummary[]; onClose: (changedSome: boolean) => void }) {
  const t = useT();
  const api = useApi();
  const rootRef = useRef<HTMLDivElement>(null);
  const alive = useRef(true);
  const [flag, setFlag] = useState<Flag | null>(null);
  const [withMemo, setWithMemo] = useState(false);
  const [unknownChoice, setUnknownChoice] = useState<UnknownChoice | null>(null);
  const [memo, setMemo] = useState('');
  const [outcomes, setOutcomes] = useState<Map<string, Outcome>>(new Map());
  const [running, setRunning] = useState(false);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  // Opening, and a run that removes the retry button under the focus, leave the keys with the panel.
  useEffect(() => {
    const root = rootRef.current;
    if (!running && root && !root.contains(document.activeElement)) root.focus();
  }, [running]);

  const memoOk = !withMemo || checkMemo(memo).ok;
  const unknown = orders.filter((o) => o.memo === undefined);
  // Only a flag for orders whose memo is unknown: the user must say what happens to their memos.
  const mustChoose = !withMemo && unknown.length > 0;
  const ready = flag !== null && memoOk && (!mustChoose || unknownChoice !== null);
  const skipped = (o: OrderSummary) => mustChoose && unknownChoice === 'skip' && o.memo === undefined;
  const applying = orders.filter((o) => !skipped(o));
  const failed = orders.filter((o) => outcomes.get(orderKey(o))?.kind === 'error');
  const count = (kind: Outcome['kind']) => [...outcomes.values()].filter((o) => o.kind === kind).length;
  const changedSome = count('ok') > 0;

  async function run(chosen: OrderSummary[]) {
    if (flag === null || !ready || running) return;
    const targets = chosen.filter((o) => !skipped(o));
    setRunning(true);
    setOutcomes(
      (m) =>
        new Map([
          ...m,
          ...chosen.map((o) => [orderKey(o), { kind: skipped(o) ? 'skipped' : 'pending' }] as [string, Outcome]),
        ]),
    );
    // One at a time: the gateway allows 10 calls a second and the user watches each result land.
    for (const o of targets) {
      const clearUnknownMemo = !withMemo && o.memo === undefined && unknownChoice === 'clear';
      const r = await api.remark({
        shop: o.shop,
        tid: o.tid,
        flag,
        // Without a memo for all, the memo is left out: the core keeps the one it knows when the
        // call is made, which may be newer than this list's copy (a memo changed meanwhile).
        ...(withMemo && { memo }),
        ...(clearUnknownMemo && { clearUnknownMemo }),
        // The batch's flag is the one the user picked for every order, gray included.
        ...(o.flag === undefined && flag === 0 && { clearUnknownFlag: true }),
      });
      if (!alive.current) return;
      const outcome: Outcome = r.ok ? { kind: 'ok' } : { kind: 'error', error: r.error };
      setOutcomes((m) => new Map(m).set(orderKey(o), outcome));
    }
    setRunning(false);
  }

  function onKeyDown(e: KeyboardEvent) {
    const k = panelKey(e);
    if (!k || k.kind === 'move') return;
    e.preventDefault();
    e.stopPropagation();
    if (k.kind === 'close') onClose(changedSome);
    else if (k.kind === 'save') void run(orders);
    else setFlag(k.flag);
  }

  return (
    <PanelDialog label={t.batchTitle(orders.length)} rootRef={rootRef} onKeyDown={onKeyDown}>
      <header className="panel-head">
        <h2>{t.batchTitle(orders.length)}</h2>
        <div className="panel-nav">
          <IconButton icon="close" label={t.close} onClick={() => onClose(changedSome)} />
        </div>
      </header>
      <FlagPicker value={flag} onChange={setFlag} />
      <Check checked={withMemo} onChange={setWithMemo}>
        {t.batchAlsoMemo}
      </Check>
      {withMemo ? <MemoEditor value={memo} onChange={setMemo} /> : <p className="muted">{t.batchKeepMemo}</p>}
      {mustChoose && (
        <Choice
          name="unknown-memos"
          className="unknown-memos"
          legend={t.batchUnknownMemos(unknown.length)}
          options={UNKNOWN_CHOICES}
          optionLabel={(c) => (c === 'skip' ? t.batchSkipUnknown(unknown.length) : t.batchClearUnknown)}
          value={unknownChoice}
          onChange={setUnknownChoice}
        />
      )}
      <PanelActions
        action={t.apply(applying.length)}
        disabled={!ready || running}
        onAction={() => void run(orders)}
        more={
          failed.length > 0 && (
            <button type="button" disabled={running} onClick={() => void run(failed)}>
              {t.retryFailed(failed.length)}
            </button>
          )
        }
      >
        {flag === null
          ? t.chooseFlag
          : mustChoose && unknownChoice === null
            ? t.batchChooseUnknown
            : outcomes.size > 0 && t.batchSummary(count('ok'), count('error'), count('pending'))}
      </PanelActions>
      <ul className="batch-results" aria-label={t.batchResultsLabel}>
        {orders.map((o) => {
          const outcome = outcomes.get(orderKey(o));
          return (
            <li key={orderKey(o)} className={outcome ? `outcome-${outcome.kind}` : undefined}>
              <span className="tid">{o.tid}</span>
              <span className="buyer">{o.buyerNick ?? '—'}</span>
              <span className="outcome">
                <StatusWords status={outcome} words={{ ok: '✓', pending: t.resultPending, skipped: t.resultSkipped }} />
              </span>
            </li>
          );
        })}
      </ul>
      <p className="hint">{t.batchKeysHint}</p>
    </PanelDialog>
  );
}
