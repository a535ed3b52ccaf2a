import type { KeyboardEvent, ReactNode, RefObject } from 'react';

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
