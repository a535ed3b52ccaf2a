import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import type { AppState, OrderQuery } from '../shared/api';
import { orderKey, type OrderSummary, type Tid } from '../shared/domain';
import type { PublicSettings } from '../shared/settings';
import { useApi } from './api';
import { BatchPanel } from './components/BatchPanel';
import { Inbox } from './components/Inbox';
import { RemarkPanel } from './components/RemarkPanel';
import { KeptDrafts, pageSessionStorage } from './keptDrafts';
import { StatusBar } from './components/StatusBar';
import { MESSAGES } from '../shared/i18n';
import { LanguageProvider } from './i18n';
import type { Startup } from './startup';
import { useOrders } from './useOrders';

// Not in the first paint: each is loaded when first shown.
const SettingsView = lazy(() => import('./components/SettingsView').then((m) => ({ default: m.SettingsView })));
const SubscriptionsView = lazy(() =>
  import('./components/SubscriptionsView').then((m) => ({ default: m.SubscriptionsView })),
);

type View = 'inbox' | 'subscriptions' | 'settings';
const VIEWS: View[] = ['inbox', 'subscriptions', 'settings'];

type Overlay =
  /** `focusRequest` 0 opens the panel without taking the keyboard focus. */
  | { kind: 'order'; key: string; snapshot: OrderSummary; focusRequest: number }
  | { kind: 'batch'; orders: OrderSummary[] }
  | null;

/** `startup`: what was read before mounting (startup.ts); without it the window asks as it mounts. */
export function App({ startup }: { startup?: Startup }) {
  const api = useApi();
  const [settings, setSettings] = useState<PublicSettings | null>(startup?.settings ?? null);
  const [state, setState] = useState<AppState | null>(null);
  const [view, setView] = useState<View>('inbox');
  const [query, setQuery] = useState<OrderQuery>({});
  const [selection, setSelection] = useState<Set<string>>(() => new Set());
  const [overlay, setOverlay] = useState<Overlay>(null);
  const focusCounter = useRef(0);
  // Changes not saved in the memo panel, by order, for as long as the window's session lives.
  const [keptDrafts] = useState(() => new KeptDrafts(pageSessionStorage()));
  const orders = useOrders(query, startup?.orders);
  const ordersRef = useRef(orders.orders);
  useEffect(() => {
    ordersRef.current = orders.orders;
  }, [orders.orders]);

  const startupState = startup?.state;
  const startupRead = startup !== undefined;
  useEffect(() => {
    let live = true;
    if (!startupRead) void api.getSettings().then((s) => live && setSettings(s));
    // A state pushed while this first read was in flight is newer: keep it.
    void (startupState ?? api.getState()).then((s) => live && setState((prev) => prev ?? s));
    const off = api.onState(setState);
    return () => {
      live = false;
      off();
    };
  }, [api, startupRead, startupState]);

  // The core tells the list which orders the mark changed (onOrdersChanged).
  const markSeen = useCallback(
    async (tids: Tid[]) => {
      if (tids.length === 0) return;
      await api.markSeen(tids);
    },
    [api],
  );

  const openOrder = useCallback(
    (order: OrderSummary, takeFocus: boolean) => {
      setOverlay({
        kind: 'order',
        key: orderKey(order),
        snapshot: order,
        focusRequest: takeFocus ? ++focusCounter.current : 0,
      });
      if (!order.seen) void markSeen([order.tid]);
    },
    [markSeen],
  );

  useEffect(
    () =>
      api.onNavigate((nav) => {
        if (nav.view === 'settings' || nav.view === 'subscriptions') {
          setOverlay(null);
          setView(nav.view);
          return;
        }
        setView('inbox');
        if (nav.view === 'inbox') {
          setOverlay(null);
          setSelection(new Set());
          setQuery(nav.tids ? { tids: nav.tids } : {});
          return;
        }
        void (async () => {
          let order = ordersRef.current.find((o) => o.shop === nav.shop && o.tid === nav.tid);
          if (!order) {
            const r = await api.listOrders({ shop: nav.shop, tids: [nav.tid], limit: 1 });
            order = r.ok ? r.value.orders[0] : undefined;
          }
          if (order) openOrder(order, nav.focusPanel);
        })();
      }),
    [api, openOrder],
  );

  const saveTemplates = useCallback(
    async (memoTemplates: string[]) => {
      const r = await api.updateSettings({ memoTemplates });
      if (r.ok) setSettings(r.value);
      return r;
    },
    [api],
  );

  const lang = settings?.language ?? 'zh-CN';
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const t = MESSAGES[lang];
  if (!settings) return <div className="app loading">{t.loading}</div>;

  const list = orders.orders;
  const panelIndex = overlay?.kind === 'order' ? list.findIndex((o) => orderKey(o) === overlay.key) : -1;
  const panelOrder = overlay?.kind === 'order' ? (list[panelIndex] ?? overlay.snapshot) : undefined;
  const unread = state?.unread ?? orders.unread;
  const tabLabel: Record<View, string> = {
    inbox: t.tabInbox,
    subscriptions: t.tabSubscriptions,
    settings: t.tabSettings,
  };

  return (
    <LanguageProvider language={lang}>
      <div className="app">
        <header className="top-bar">
          <h1 className="app-title">{t.appTitle}</h1>
          <nav aria-label={t.navLabel}>
            {VIEWS.map((v) => (
              <button
                key={v}
                type="button"
                className="tab"
                aria-current={view === v ? 'page' : undefined}
                onClick={() => {
                  setOverlay(null);
                  setView(v);
                }}
              >
                {tabLabel[v]}
                {v === 'inbox' && unread > 0 && (
                  <span className="count">
                    <span aria-hidden="true">{unread}</span>
                    <span className="visually-hidden">{t.unreadBadge(unread)}</span>
                  </span>
                )}
              </button>
            ))}
          </nav>
        </header>
        <main className="content">
          {view === 'inbox' && (
            <Inbox
              view={orders}
              query={query}
              onQueryChange={(q) => {
                setQuery(q);
                setSelection(new Set());
              }}
              shops={settings.shops}
              selection={selection}
              onSelectionChange={setSelection}
              onOpen={(o) => openOrder(o, true)}
              onBatch={() => setOverlay({ kind: 'batch', orders: list.filter((o) => selection.has(orderKey(o))) })}
              onMarkSeen={(tids) => void markSeen(tids)}
            />
          )}
          <Suspense fallback={<p className="muted">{t.loading}</p>}>
            {view === 'subscriptions' && <SubscriptionsView settings={settings} />}
            {view === 'settings' && <SettingsView settings={settings} state={state} onSettings={setSettings} />}
          </Suspense>
          {overlay?.kind === 'order' && panelOrder && (
            <RemarkPanel
              order={panelOrder}
              shop={settings.shops.find((s) => s.id === panelOrder.shop)}
              position={panelIndex >= 0 ? { index: panelIndex + 1, count: list.length } : undefined}
              templates={settings.memoTemplates}
              onTemplatesChange={saveTemplates}
              onMove={(delta) => {
                const next = panelIndex >= 0 ? list[panelIndex + delta] : undefined;
                if (next) openOrder(next, false);
              }}
              onClose={() => setOverlay(null)}
              focusRequest={overlay.focusRequest}
              kept={keptDrafts}
            />
          )}
          {overlay?.kind === 'batch' && (
            <BatchPanel
              orders={overlay.orders}
              onClose={(changedSome) => {
                setOverlay(null);
                if (changedSome) setSelection(new Set());
              }}
            />
          )}
        </main>
        {state && <StatusBar state={state} shops={settings.shops} onState={setState} />}
      </div>
    </LanguageProvider>
  );
}
