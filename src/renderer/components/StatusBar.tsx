import { useState } from 'react';
import type { AppState, TeamShopStatus } from '../../shared/api';
import type { AppError } from '../../shared/errors';
import type { Result } from '../../shared/result';
import type { ShopSettings } from '../../shared/settings';
import { formatChinaDateTime } from '../../shared/time';
import { useApi } from '../api';
import { cssVars } from '../cssVars';
import { formatCount, pointsToYuan } from '../format';
import { useT } from '../i18n';
import { useNow } from '../useNow';
import { ErrorMessage } from './ErrorMessage';

/** Who consumes the shop in team mode, how far behind the stream this seat is, what it missed. */
function TeamShop({ status }: { status: TeamShopStatus }) {
  const t = useT();
  return (
    <span className="team-shop">
      <span>{status.consumer !== undefined ? t.teamConsumer(status.consumer, status.self) : t.teamNoConsumer}</span>
      {status.lag !== undefined && status.lag > 0 && (
        <span className="muted">{t.teamLag(formatCount(status.lag))}</span>
      )}
      {status.backlog > 0 && <span className="muted">{t.teamBacklog(formatCount(status.backlog))}</span>}
      {status.missed > 0 && (
        <span className="warning" role="status">
          {t.teamMissed(formatCount(status.missed))}
        </span>
      )}
      {status.reset && (
        <span className="warning" role="status">
          {t.teamReset}
        </span>
      )}
    </span>
  );
}

/** The status bar's mute, like the tray's: one hour. */
const MUTE_MINUTES = 60;

/** Listening or not, per shop, what it cost today, and the way out of a stop (resume, authorise). */
export function StatusBar({
  state,
  shops,
  onState,
}: {
  state: AppState;
  shops: ShopSettings[];
  onState: (s: AppState) => void;
}) {
  const t = useT();
  const api = useApi();
  const [error, setError] = useState<AppError | null>(null);
  const now = useNow();

  async function act(call: Promise<Result<AppState>>) {
    const r = await call;
    if (r.ok) onState(r.value);
    setError(r.ok ? null : r.error);
  }

  const { calls, points } = state.cost.today;
  const team = new Map((state.team?.shops ?? []).map((x) => [x.shop, x]));
  return (
    <footer className="status-bar">
      <div className="status-line">
        {state.demo && (
          <span className="badge demo" title={t.demoHint}>
            {t.demoBadge}
          </span>
        )}
        {state.team && (
          <span className="badge team" title={t.teamServer[state.team.server]}>
            {t.teamBadge(state.team.seat)}
          </span>
        )}
        {state.team && (
          <span className={`team-server team-${state.team.server}`} role="status">
            {t.teamServer[state.team.server]}
          </span>
        )}
        <span className={state.paused ? 'run-state paused' : 'run-state'}>
          {state.paused ? t.pausedAll : t.running}
        </span>
        <span className="cost">{t.costToday(formatCount(calls), formatCount(points), pointsToYuan(points))}</span>
        <button type="button" className="small" onClick={() => void act(state.paused ? api.resume() : api.pause())}>
          {state.paused ? t.resume : t.pause}
        </button>
        {state.mutedUntil !== undefined && (
          <span className="muted">{t.mutedUntil(formatChinaDateTime(state.mutedUntil, { now, word: t.today }))}</span>
        )}
        <button
          type="button"
          className="small"
          onClick={() => void act(api.mute(state.mutedUntil !== undefined ? 0 : MUTE_MINUTES))}
        >
          {state.mutedUntil !== undefined ? t.unmute : t.muteHour}
        </button>
      </div>
      {(state.globalError || error) && (
        <div role="status" className="result error">
          {state.globalError && <ErrorMessage error={state.globalError} />}
          {error && <ErrorMessage error={error} />}
        </div>
      )}
      <ul className="shop-states" aria-label={t.shopsStatusLabel}>
        {state.shops.map((s) => {
          const info = shops.find((x) => x.id === s.shop);
          const name = info?.name || s.shop;
          const listening = s.state === 'listening';
          return (
            <li key={s.shop}>
              <span className="shop-marker" style={cssVars({ '--shop-colour': info?.colour ?? 'transparent' })} />
              <span className="shop-name">{name}</span>
              <span className={`shop-state state-${s.state}`}>{t.shopState[s.state]}</span>
              <span className="muted">
                {s.lastCallAt !== undefined
                  ? t.lastCall(formatChinaDateTime(s.lastCallAt, { now, word: t.today }))
                  : t.neverCalled}
              </span>
              {s.state !== 'disabled' && (
                <button
                  type="button"
                  className="small"
                  aria-label={listening ? t.pauseShop(name) : t.resumeShop(name)}
                  onClick={() => void act(listening ? api.pause(s.shop) : api.resume(s.shop))}
                >
                  {listening ? t.pause : t.resume}
                </button>
              )}
              {team.get(s.shop) && <TeamShop status={team.get(s.shop)!} />}
              {s.error && (
                <span className="shop-error" role="status">
                  <ErrorMessage error={s.error} />
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </footer>
  );
}
