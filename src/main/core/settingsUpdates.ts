/**
 * A face's change to the settings or to a secret, carried to the running parts: checked whole
 * (a pasted team URL's password split off, the settings schema), a new host confirmed outside the
 * window before anything is saved (hostChange.ts), saved (settings.ts), then each part that reads
 * what changed is told: the scheduler its polling mode, the connection its gateway or token, the
 * team seat its server. Also what the faces see of the settings.
 */
import type { SecretName, SettingsPatch } from '../../shared/api';
import { ok, type Result } from '../../shared/result';
import type { PublicSettings, Settings } from '../../shared/settings';
import type { CoreEventHub } from './events';
import type { Connection } from './gateway/connection';
import { confirmHostChanges } from './hostChange';
import type { Scheduler } from './intake/scheduler';
import type { ConfirmHostChange } from './ports';
import type { LiveSettings } from './settings';
import type { TeamMode } from './team/mode';

export interface SettingsUpdatesDeps {
  settings: LiveSettings;
  connection: Pick<Connection, 'shopsInUse' | 'demo' | 'gatewayUrl' | 'movedBy'>;
  scheduler: Pick<Scheduler, 'setMode' | 'tokenChanged'>;
  team: Pick<TeamMode, 'preparePatch' | 'sync'>;
  events: Pick<CoreEventHub, 'publishState'>;
  /** Points at the gateway in use again, once the core runs (Lifecycle.reconnect). */
  reconnect: () => Promise<void>;
  /** Without it, a change that needs the user's yes is refused (hostChange.ts). */
  confirmHostChange?: ConfirmHostChange;
}

export class SettingsUpdates {
  constructor(private readonly deps: SettingsUpdatesDeps) {}

  /** The settings as the faces see them: secrets only as set or not, the shops and gateway in use. */
  view(): PublicSettings {
    const { settings, connection } = this.deps;
    return settings.publicView(connection.shopsInUse(), connection.demo, connection.gatewayUrl);
  }

  async update(patch: SettingsPatch): Promise<Result<PublicSettings>> {
    const { settings, scheduler, connection, team } = this.deps;
    const prepared = team.preparePatch(patch);
    if (!prepared.ok) return prepared;
    const next = settings.preview(prepared.value.patch);
    if (!next.ok) return next;
    const confirmed = await confirmHostChanges(settings.current, next.value, this.deps.confirmHostChange);
    if (!confirmed.ok) return confirmed;
    const changed = settings.update(prepared.value.patch);
    if (!changed.ok) return changed;
    const { before, after } = changed.value;
    if (pollingChanged(before, after)) scheduler.setMode(after.polling.mode, after.polling.customCeilingMs);
    // The pasted URL's password, once the URL it goes with is saved: it is kept for that host.
    if (prepared.value.password !== undefined) {
      const stored = settings.setSecret('teamPassword', prepared.value.password);
      if (!stored.ok) return stored;
    }
    if (connection.movedBy(before, after)) await this.deps.reconnect();
    // Also applies the shops enabled or disabled to the scheduler (and the seat).
    await team.sync();
    return this.published();
  }

  async setSecret(name: SecretName, value: string | null): Promise<Result<PublicSettings>> {
    const stored = this.deps.settings.setSecret(name, value);
    if (!stored.ok) return stored;
    if (name === 'token') {
      await this.deps.reconnect();
      this.deps.scheduler.tokenChanged();
    }
    if (name === 'token' || name === 'teamPassword') await this.deps.team.sync();
    return this.published();
  }

  private published(): Result<PublicSettings> {
    this.deps.events.publishState();
    return ok(this.view());
  }
}

function pollingChanged(before: Settings, after: Settings): boolean {
  return before.polling.mode !== after.polling.mode || before.polling.customCeilingMs !== after.polling.customCeilingMs;
}
