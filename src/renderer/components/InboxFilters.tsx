import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { OrderQuery } from '../../shared/api';
import { STATUS_FILTERS } from '../../shared/domain';
import { FLAGS } from '../../shared/flag';
import type { ShopSettings } from '../../shared/settings';
import { useT } from '../i18n';
import { Check, Select, TextInput } from './Fields';

const FLAG_VALUES = FLAGS.map((f) => f.value);

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
  const shopName = new Map(shops.map((s) => [s.id, s.name || s.id]));
  /** The select of one of the query's filters, its first option "all" (no filter). */
  const filter = <K extends 'shop' | 'status' | 'flag'>(
    key: K,
    label: string,
    all: string,
    options: readonly NonNullable<OrderQuery[K]>[],
    optionLabel: (v: NonNullable<OrderQuery[K]>) => string,
  ) => (
    <Select
      aria-label={label}
      all={all}
      options={options}
      optionLabel={optionLabel}
      value={query[key] ?? undefined}
      onChange={(v) => set({ [key]: v } as Partial<OrderQuery>)}
    />
  );

  return (
    <div className="filters">
      <TextInput
        type="search"
        className="search"
        aria-label={t.searchLabel}
        placeholder={t.searchPlaceholder}
        value={text}
        onChange={setText}
      />
      <div className="filter-row">
        {filter('shop', t.filterShop, t.allShops, [...shopName.keys()], (id) => shopName.get(id) ?? id)}
        {filter('status', t.filterStatus, t.allStatuses, STATUS_FILTERS, t.statusWord)}
        {filter('flag', t.filterFlag, t.allFlags, FLAG_VALUES, (f) => t.flags[f])}
        <Check
          checked={query.unflaggedOnly ?? false}
          onChange={(unflaggedOnly) => set({ unflaggedOnly: unflaggedOnly || undefined })}
        >
          {t.unflaggedOnly}
        </Check>
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
