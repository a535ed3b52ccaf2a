import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { OrderQuery } from '../../shared/api';
import { STATUS_FILTERS } from '../../shared/domain';
import { FLAGS, isFlag } from '../../shared/flag';
import type { ShopSettings } from '../../shared/settings';
import { useT } from '../i18n';

/** Typing settles for this long before the query is sent. */
export const SEARCH_DELAY_MS = 250;

export function InboxFilters({
  query,
  onChange,
  shops,
}: {
  query: OrderQuery;
  onChange: (q: OrderQuery) => void;
  shops: ShopSettings[];
}) {
  const t = useT();
  const [text, setText] = useState(query.search ?? '');
  const latest = useRef({ query, onChange });
  useLayoutEffect(() => {
    latest.current = { query, onChange };
  });

  // A search set from outside (a notification's click, a cleared filter) replaces what was typed.
  const [shownSearch, setShownSearch] = useState(query.search);
  if (query.search !== shownSearch) {
    setShownSearch(query.search);
    setText(query.search ?? '');
  }

  useEffect(() => {
    const search = text.trim() === '' ? undefined : text.trim();
    if (search === latest.current.query.search) return;
    const timer = setTimeout(() => latest.current.onChange({ ...latest.current.query, search }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const set = (patch: Partial<OrderQuery>) => onChange({ ...query, ...patch });

  return (
    <div className="filters">
      <input
        type="search"
        className="search"
        aria-label={t.searchLabel}
        placeholder={t.searchPlaceholder}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="filter-row">
        <select
          aria-label={t.filterShop}
          value={query.shop ?? ''}
          onChange={(e) => set({ shop: e.target.value || undefined })}
        >
          <option value="">{t.allShops}</option>
          {shops.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name || s.id}
            </option>
          ))}
        </select>
        <select
          aria-label={t.filterStatus}
          value={query.status ?? ''}
          onChange={(e) => set({ status: e.target.value || undefined })}
        >
          <option value="">{t.allStatuses}</option>
          {STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {t.statusWord(s)}
            </option>
          ))}
        </select>
        <select
          aria-label={t.filterFlag}
          value={query.flag ?? ''}
          onChange={(e) => {
            const n = Number(e.target.value);
            set({ flag: e.target.value !== '' && isFlag(n) ? n : undefined });
          }}
        >
          <option value="">{t.allFlags}</option>
          {FLAGS.map((f) => (
            <option key={f.value} value={f.value}>
              {t.flags[f.value]}
            </option>
          ))}
        </select>
        <label className="check">
          <input
            type="checkbox"
            checked={query.unflaggedOnly ?? false}
            onChange={(e) => set({ unflaggedOnly: e.target.checked || undefined })}
          />
          {t.unflaggedOnly}
        </label>
      </div>
      {query.tids && (
        <p className="tids-filter">
          {t.tidsFilter(query.tids.length)}
          <button type="button" className="link-button" onClick={() => set({ tids: undefined })}>
            {t.showAll}
          </button>
        </p>
      )}
    </div>
  );
}
