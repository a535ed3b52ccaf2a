/**
 * The main side of the IPC contract. Every call is checked twice before anything runs: the sender
 * must be the app's own page in one of its own windows, and the arguments must pass the channel's
 * validator. A refused call answers with an `ipc` error and changes nothing.
 */
import type { AppState } from '../../shared/api';
import { AppFailure, appError } from '../../shared/errors';
import {
  INVOKE,
  INVOKE_METHODS,
  type InvokeArgs,
  type InvokeContract,
  type InvokeHandlers,
  type InvokeMethod,
  type WireAnswer,
} from '../../shared/ipc';
import { err, ok, type Result } from '../../shared/result';
import type { PublicSettings } from '../../shared/settings';
import type { Logger } from '../core/ports';
import type { TradebellCore } from '../core/service';
import { isAppUrl, type RendererSource } from './appUrl';

/** What an `ipcMain.handle` listener receives; Electron's IpcMainInvokeEvent satisfies it. */
export interface InvokeEvent {
  sender: unknown;
  senderFrame: { url: string; parent: unknown } | null;
}

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/**
 * The sender is trusted when its frame is the top frame, showing the app's own page, inside one
 * of the app's own windows. `senderFrame` is null when the frame navigated away or was destroyed.
 */
export function isTrustedSender(
  event: InvokeEvent,
  source: RendererSource,
  isOwnWebContents: (contents: unknown) => boolean,
): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url, source) && isOwnWebContents(event.sender);
}

/** At most the first few issues, by path; never the payload itself (it may hold a secret). */
function issuePaths(issues: readonly { path: readonly PropertyKey[] }[]): string[] {
  return issues.slice(0, 3).map((i) => i.path.map(String).join('.') || '(arguments)');
}

/** For the log: the paths with the validator's own words about them. */
function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(arguments)'}: ${i.message}`)
    .join('; ');
}

/** Registers one handler per channel. Returns a function that removes them all. */
export function registerIpc(
  ipcMain: IpcMainLike,
  handlers: InvokeHandlers,
  trusted: (event: InvokeEvent) => boolean,
  logger: Logger,
): () => void {
  for (const method of INVOKE_METHODS) register(ipcMain, method, handlers, trusted, logger);
  return () => {
    for (const method of INVOKE_METHODS) ipcMain.removeHandler(INVOKE[method].channel);
  };
}

function register<M extends InvokeMethod>(
  ipcMain: IpcMainLike,
  method: M,
  handlers: InvokeHandlers,
  trusted: (event: InvokeEvent) => boolean,
  logger: Logger,
): void {
  const contract: InvokeContract = INVOKE;
  const spec = contract[method];
  const handler = handlers[method] as (...args: InvokeArgs<M>) => Promise<WireAnswer<M>>;
  ipcMain.handle(spec.channel, async (event, ...args): Promise<Result<unknown>> => {
    if (!trusted(event)) {
      logger.warn('IPC call from a foreign sender refused', {
        channel: spec.channel,
        url: event.senderFrame?.url.slice(0, 200),
      });
      return err(appError('ipc', 'ipc_untrusted_sender', {}));
    }
    const parsed = spec.args.safeParse(args);
    if (!parsed.success) {
      logger.warn('IPC call with an invalid payload refused', {
        channel: spec.channel,
        detail: describeIssues(parsed.error.issues),
      });
      return err(appError('ipc', 'ipc_bad_payload', { fields: issuePaths(parsed.error.issues) }));
    }
    try {
      return await handler(...parsed.data);
    } catch (e) {
      logger.error('IPC handler failed', { channel: spec.channel, error: e instanceof Error ? e.message : String(e) });
      // A failure that is data (the inbox open read-only) keeps its code; anything else is a bug.
      if (e instanceof AppFailure) return err(e.error);
      return err(appError('internal', 'internal', { detail: e instanceof Error ? e.message : String(e) }));
    }
  });
}

/** Services beside the core that some channels need. */
export interface IpcServices {
  openExternal(url: string): Promise<Result<void>>;
  copyText(text: string): void;
  /** Settings changed (language, start at login): the tray and the login item follow. */
  settingsChanged(settings: PublicSettings): void;
  /** Adds what only the host knows (the login item) to the settings the window sees. */
  describeSettings?(settings: PublicSettings): PublicSettings;
}

const wrap = <T>(value: T): Result<T> => ok(value);

async function settingsAnswer(
  answer: Promise<Result<PublicSettings>>,
  services: IpcServices,
): Promise<Result<PublicSettings>> {
  const result = await answer;
  if (!result.ok) return result;
  services.settingsChanged(result.value);
  return ok(services.describeSettings?.(result.value) ?? result.value);
}

/** Each channel's work, in terms of the core. No rule lives here: the core decides. */
export function coreHandlers(core: TradebellCore, services: IpcServices): InvokeHandlers {
  const state = (s: AppState): Promise<Result<AppState>> => Promise.resolve(ok(s));
  return {
    getState: async () => wrap(core.getState()),
    listOrders: async (query) => wrap(core.listOrders(query)),
    changedOrders: async (query, tids) => wrap(core.changedOrders(query, tids)),
    orderHistory: async (shop, tid) => wrap(core.orderHistory(shop, tid)),
    markSeen: async (tids) => {
      await core.markSeen(tids);
      return ok(undefined);
    },
    remark: (req) => core.remark(req),
    getSettings: async () => {
      const settings = core.getSettings();
      return wrap(services.describeSettings?.(settings) ?? settings);
    },
    updateSettings: (patch) => settingsAnswer(core.updateSettings(patch), services),
    setSecret: (name, value) => settingsAnswer(core.setSecret(name, value), services),
    pause: (shop) => state(core.pause(shop)),
    resume: (shop) => state(core.resume(shop)),
    mute: (minutes) => state(core.mute(minutes)),
    getSubscriptions: () => core.getSubscriptions(),
    changeSubscriptions: (change) => core.changeSubscriptions(change),
    openExternal: (url) => services.openExternal(url),
    copyText: async (text) => {
      services.copyText(text);
      return ok(undefined);
    },
  };
}
