import type { KeyboardEvent, ReactNode, RefObject } from 'react';
import { useT } from '../i18n';

/** The modal dialog the memo/flag panels sit in: labelled, and taking the keys while it has the focus. */
export function PanelDialog({
  label,
  rootRef,
  onKeyDown,
  children,
}: {
  label: string;
  rootRef: RefObject<HTMLDivElement | null>;
  onKeyDown: (e: KeyboardEvent) => void;
  children: ReactNode;
}) {
  return (
    <div
      ref={rootRef}
      className="panel"
      role="dialog"
      aria-modal="true"
      aria-label={label}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      {children}
    </div>
  );
}

/**
 * The foot of a memo/flag panel: the warning that the call replaces the memo on Taobao, the
 * panel's action (and any `more` buttons), and a live status line for what the action did.
 */
export function PanelActions({
  action,
  disabled,
  onAction,
  more,
  statusClass,
  children,
}: {
  action: string;
  disabled: boolean;
  onAction: () => void;
  more?: ReactNode;
  /** Extra class on the status line (a state it is styled by). */
  statusClass?: string;
  /** The status line's content. */
  children?: ReactNode;
}) {
  const t = useT();
  return (
    <>
      <p className="warning" role="note">
        {t.replaceWarning}
      </p>
      <div className="panel-actions">
        <button type="button" className="primary" disabled={disabled} onClick={onAction}>
          {action}
        </button>
        {more}
        <div role="status" className={statusClass ? `result ${statusClass}` : 'result'}>
          {children}
        </div>
      </div>
    </>
  );
}
