/** The one way out of the app to the browser: https links on the allowlist (src/shared/links.ts). */
import { appError } from '../../shared/errors';
import { isAllowedExternalUrl } from '../../shared/links';
import { err, ok, type Result } from '../../shared/result';

export interface ExternalShell {
  openExternal(url: string): Promise<void>;
}

export async function openAllowedExternal(shell: ExternalShell, url: string): Promise<Result<void>> {
  if (!isAllowedExternalUrl(url)) {
    return err(appError('validation', 'link_not_allowed', {}));
  }
  try {
    // The parsed form, so the browser gets exactly the URL that passed the check.
    await shell.openExternal(new URL(url).href);
    return ok(undefined);
  } catch (e) {
    return err(appError('internal', 'browser_failed', { detail: e instanceof Error ? e.message : String(e) }));
  }
}
