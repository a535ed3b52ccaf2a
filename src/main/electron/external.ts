/** The one way out of the app to the browser: https links on the allowlist (src/shared/links.ts). */
import { appError } from '../../shared/errors';
import { isAllowedExternalUrl } from '../../shared/links';
import { err, ok, type Result } from '../../shared/result';

export interface ExternalShell {
  openExternal(url: string): Promise<void>;
}

export async function openAllowedExternal(shell: ExternalShell, url: string): Promise<Result<void>> {
  if (!isAllowedExternalUrl(url)) {
    return err(
      appError(
        'validation',
        '只能打开淘宝/天猫订单页和 vv-tool 授权链接 (only Taobao/Tmall order pages and vv-tool links open outside)',
      ),
    );
  }
  try {
    // The parsed form, so the browser gets exactly the URL that passed the check.
    await shell.openExternal(new URL(url).href);
    return ok(undefined);
  } catch (e) {
    return err(
      appError(
        'internal',
        `无法打开浏览器 (could not open the browser): ${e instanceof Error ? e.message : String(e)}`,
      ),
    );
  }
}
