/**
 * The tray icon, its tooltip and menu, and the unread badge, all driven by the core's AppState.
 * Electron objects come in through the constructor (Signal Desktop's pattern), so tests pass fakes.
 */
import { join } from 'node:path';
import type { MenuItemConstructorOptions, NativeImage } from 'electron';
import type { AppState } from '../../shared/api';
import { messagesFor } from '../../shared/i18n';
import type { Language } from '../../shared/settings';

export interface TrayLike {
  setImage(image: NativeImage): void;
  setToolTip(text: string): void;
  setContextMenu(menu: unknown): void;
  on(event: 'click', listener: () => void): unknown;
  getBounds(): Rectangle;
  destroy(): void;
}

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BadgeApp {
  /** macOS only. */
  dock?: { setBadge(text: string): void };
  setBadgeCount(count?: number): boolean;
}

export interface OverlayWindow {
  setOverlayIcon(overlay: NativeImage | null, description: string): void;
}

export interface TrayActions {
  open(): void;
  pause(): void;
  resume(): void;
  /** Minutes to mute; 0 unmutes. */
  mute(minutes: number): void;
  settings(): void;
  openLogFolder(): void;
  /** Shown once an update is downloaded. */
  restartToUpdate(): void;
  quit(): void;
}

export interface TrayDeps {
  Tray: new (image: NativeImage) => TrayLike;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): unknown };
  nativeImage: { createFromPath(path: string): NativeImage };
  app: BadgeApp;
  platform: NodeJS.Platform;
  /** The folder holding the tray images (resources/tray). */
  iconDir: string;
  window(): OverlayWindow | undefined;
  actions: TrayActions;
  now(): number;
}

/** Windows caps a tray tooltip at 127 characters. */
const TOOLTIP_MAX = 127;
export const MUTE_MINUTES = 60;

type Icons = { normal: string; unread: string; overlay?: string };

/** macOS: template images (black + alpha, recoloured by the menu bar); Windows: .ico; Linux: PNG. */
export function trayIconFiles(platform: NodeJS.Platform): Icons {
  if (platform === 'darwin') return { normal: 'trayTemplate.png', unread: 'trayUnreadTemplate.png' };
  if (platform === 'win32') return { normal: 'tray.ico', unread: 'trayUnread.ico', overlay: 'overlay.png' };
  return { normal: 'tray.png', unread: 'trayUnread.png' };
}

function isMuted(state: AppState, now: number): boolean {
  return state.mutedUntil !== undefined && state.mutedUntil > now;
}

export function tooltipText(state: AppState, language: Language, now: number): string {
  const m = messagesFor(language);
  const t = m.tray;
  const parts: string[] = [];
  if (state.demo) parts.push(t.demo);
  if (state.globalError) {
    parts.push(m.describe(state.globalError));
  } else if (state.paused) {
    parts.push(t.paused);
  } else {
    parts.push(t.unread(state.unread), t.listening(state.shops.filter((s) => s.state === 'listening').length));
    const failing = state.shops.filter((s) => s.state === 'error' || s.state === 'stopped').length;
    if (failing > 0) parts.push(t.failing(failing));
  }
  if (isMuted(state, now)) parts.push(t.muted);
  const text = `TradeBell · ${parts.join(' · ')}`;
  return text.length <= TOOLTIP_MAX ? text : `${text.slice(0, TOOLTIP_MAX - 1)}…`;
}

export function menuTemplate(
  state: AppState,
  language: Language,
  now: number,
  actions: TrayActions,
  updateReady = false,
): MenuItemConstructorOptions[] {
  const t = messagesFor(language).tray;
  const muted = isMuted(state, now);
  const update: MenuItemConstructorOptions[] = updateReady
    ? [{ id: 'restartToUpdate', label: t.restartToUpdate, click: () => actions.restartToUpdate() }]
    : [];
  return [
    { id: 'open', label: t.open, click: () => actions.open() },
    { type: 'separator' },
    state.paused
      ? { id: 'resume', label: t.resume, click: () => actions.resume() }
      : { id: 'pause', label: t.pause, click: () => actions.pause() },
    muted
      ? { id: 'unmute', label: t.unmute, click: () => actions.mute(0) }
      : { id: 'mute', label: t.mute, click: () => actions.mute(MUTE_MINUTES) },
    { type: 'separator' },
    { id: 'settings', label: t.settings, click: () => actions.settings() },
    { id: 'logs', label: t.logs, click: () => actions.openLogFolder() },
    { type: 'separator' },
    ...update,
    { id: 'quit', label: t.quit, click: () => actions.quit() },
  ];
}

export class TrayController {
  private readonly tray: TrayLike;
  private readonly images: { normal: NativeImage; unread: NativeImage; overlay?: NativeImage };
  private menuKey: string | undefined;
  private unreadShown: boolean | undefined;
  private badge: number | undefined;
  private tooltip: string | undefined;
  private last: { state: AppState; language: Language } | undefined;
  private updateReady = false;

  constructor(private readonly deps: TrayDeps) {
    const files = trayIconFiles(deps.platform);
    const load = (file: string) => deps.nativeImage.createFromPath(join(deps.iconDir, file));
    this.images = {
      normal: load(files.normal),
      unread: load(files.unread),
      ...(files.overlay && { overlay: load(files.overlay) }),
    };
    this.tray = new deps.Tray(this.images.normal);
    // macOS opens the menu on click by itself; elsewhere a click opens the window.
    if (deps.platform !== 'darwin') this.tray.on('click', () => deps.actions.open());
  }

  /** Brings icon, tooltip, menu and badge in line with the state; each only when it changed. */
  update(state: AppState, language: Language): void {
    this.last = { state, language };
    const now = this.deps.now();
    const tooltip = tooltipText(state, language, now);
    if (tooltip !== this.tooltip) {
      this.tooltip = tooltip;
      this.tray.setToolTip(tooltip);
    }
    const unread = state.unread > 0;
    if (unread !== this.unreadShown) {
      this.unreadShown = unread;
      this.tray.setImage(unread ? this.images.unread : this.images.normal);
    }
    const menuKey = JSON.stringify([language, state.paused, isMuted(state, now), this.updateReady]);
    if (menuKey !== this.menuKey) {
      this.menuKey = menuKey;
      this.tray.setContextMenu(
        this.deps.Menu.buildFromTemplate(menuTemplate(state, language, now, this.deps.actions, this.updateReady)),
      );
    }
    this.setBadge(state.unread, language);
  }

  /** An update is downloaded: the menu offers to restart to update. */
  setUpdateReady(): void {
    this.updateReady = true;
    if (this.last) this.update(this.last.state, this.last.language);
  }

  /** Re-applies the last state in another language. */
  setLanguage(language: Language): void {
    if (this.last && this.last.language !== language) this.update(this.last.state, language);
  }

  /** Where the icon sits on screen (zeros where the platform does not tell). */
  bounds(): Rectangle {
    return this.tray.getBounds();
  }

  destroy(): void {
    this.tray.destroy();
  }

  /** Windows: the overlay set while the window was hidden has no taskbar button to sit on; set it again. */
  windowShown(): void {
    if (this.deps.platform === 'win32' && this.last) this.setOverlay(this.last.state.unread, this.last.language);
  }

  private setBadge(count: number, language: Language): void {
    if (count === this.badge) return;
    this.badge = count;
    const { platform, app } = this.deps;
    if (platform === 'darwin') app.dock?.setBadge(count > 0 ? String(count) : '');
    else if (platform === 'win32') this.setOverlay(count, language);
    // Linux: Unity launchers and some docks show it; elsewhere setBadgeCount answers false.
    else app.setBadgeCount(count);
  }

  private setOverlay(count: number, language: Language): void {
    this.deps
      .window()
      ?.setOverlayIcon(
        count > 0 ? (this.images.overlay ?? null) : null,
        count > 0 ? messagesFor(language).tray.badge(count) : '',
      );
  }
}
