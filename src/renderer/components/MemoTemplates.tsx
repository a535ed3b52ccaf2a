import { useState } from 'react';
import type { AppError } from '../../shared/errors';
import type { Result } from '../../shared/result';
import { useT } from '../i18n';
import { ErrorMessage } from './ErrorMessage';
import { TextInput } from './Fields';
import { IconButton } from './Icon';

/**
 * 快捷备注: one click inserts a template; in edit mode each change (add, remove, move, text on
 * blur) is saved at once, so nothing is lost by closing the panel.
 */
export function MemoTemplates({
  templates,
  onInsert,
  onSave,
}: {
  templates: string[];
  onInsert: (text: string) => void;
  onSave: (templates: string[]) => Promise<Result<unknown>>;
}) {
  const t = useT();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<string[]>(templates);
  const [added, setAdded] = useState('');
  const [error, setError] = useState<AppError | null>(null);

  async function commit(next: string[]) {
    const clean = next.map((s) => s.trim()).filter((s) => s !== '');
    setDraft(clean);
    const r = await onSave(clean);
    setError(r.ok ? null : r.error);
  }

  function move(i: number, delta: -1 | 1) {
    const next = [...draft];
    const [item] = next.splice(i, 1);
    if (item === undefined) return;
    next.splice(i + delta, 0, item);
    void commit(next);
  }

  function startEditing() {
    setDraft(templates);
    setEditing(true);
  }

  const changed = (list: string[]) => list.join('\n') !== templates.join('\n');

  function finish() {
    setEditing(false);
    if (changed(draft)) void commit(draft);
  }

  return (
    <section className="memo-templates" aria-label={t.templatesTitle}>
      <div className="section-head">
        <h3>{t.templatesTitle}</h3>
        <button type="button" className="small" onClick={editing ? finish : startEditing}>
          {editing ? t.doneEditing : t.editTemplates}
        </button>
      </div>
      {!editing &&
        (templates.length === 0 ? (
          <p className="muted">{t.noTemplates}</p>
        ) : (
          <div className="template-chips">
            {templates.map((text, i) => (
              <button
                key={`${i}:${text}`}
                type="button"
                className="chip"
                aria-label={t.insertTemplate(text)}
                onClick={() => onInsert(text)}
              >
                {text}
              </button>
            ))}
          </div>
        ))}
      {editing && (
        <>
          <ol className="template-list">
            {draft.map((text, i) => (
              <li key={i}>
                <TextInput
                  aria-label={t.templateText(i + 1)}
                  value={text}
                  onChange={(value) => setDraft(draft.map((s, j) => (j === i ? value : s)))}
                  onBlur={() => {
                    if (changed(draft)) void commit(draft);
                  }}
                />
                <IconButton icon="up" label={t.moveUp(i + 1)} disabled={i === 0} onClick={() => move(i, -1)} />
                <IconButton
                  icon="down"
                  label={t.moveDown(i + 1)}
                  disabled={i === draft.length - 1}
                  onClick={() => move(i, 1)}
                />
                <IconButton
                  icon="close"
                  label={t.removeTemplate(i + 1)}
                  onClick={() => void commit(draft.filter((_, j) => j !== i))}
                />
              </li>
            ))}
          </ol>
          <form
            className="template-add"
            onSubmit={(e) => {
              e.preventDefault();
              if (added.trim() === '') return;
              void commit([...draft, added]);
              setAdded('');
            }}
          >
            <TextInput aria-label={t.newTemplate} named value={added} onChange={setAdded} />
            <button type="submit" disabled={added.trim() === ''}>
              {t.addTemplate}
            </button>
          </form>
        </>
      )}
      {error && (
        <p role="status" className="result error">
          <ErrorMessage error={error} />
        </p>
      )}
    </section>
  );
}
