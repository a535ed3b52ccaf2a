import { useId, type Ref } from 'react';
import { checkMemo, MEMO_MAX_BYTES } from '../../shared/memo';
import { useT } from '../i18n';

/** The memo box with its live UTF-8 byte counter (the gateway's limit is in bytes, not characters). */
export function MemoEditor({
  value,
  onChange,
  textareaRef,
  onBlur,
}: {
  value: string;
  onChange: (memo: string) => void;
  textareaRef?: Ref<HTMLTextAreaElement>;
  onBlur?: () => void;
}) {
  const t = useT();
  const id = useId();
  const check = checkMemo(value);
  return (
    <div className="memo-editor">
      <label htmlFor={id}>{t.memoLabel}</label>
      <textarea
        id={id}
        ref={textareaRef}
        value={value}
        rows={4}
        aria-invalid={!check.ok}
        aria-describedby={`${id}-count`}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
      />
      <div id={`${id}-count`} className="byte-line">
        <span className={check.ok ? 'byte-count' : 'byte-count over'}>{t.bytes(check.bytes, MEMO_MAX_BYTES)}</span>
        {!check.ok && <span className="over-text">{t.overLimit(check.over)}</span>}
      </div>
    </div>
  );
}
