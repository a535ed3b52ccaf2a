/**
 * What src/renderer/keptDrafts.ts relies on, in the real engine: Chromium keeps a tab's
 * sessionStorage through a crash of its renderer and the reload after it (the app reloads a
 * crashed window: src/main/electron/mainWindow.ts), so memo drafts written there come back.
 * Skipped, with the reason printed, where no Chromium is installed (.ci/run installs it).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from './harness';

const chromiumPath = findChromium();
if (!chromiumPath) console.warn('[e2e] skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)');

describe.skipIf(!chromiumPath)("a tab's sessionStorage in Chromium", () => {
  let server: Server;
  let browser: Browser;
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>page</p>'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({ executablePath: chromiumPath!, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  it('outlives a renderer crash and the reload after it; a new tab starts without it', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.evaluate(() => sessionStorage.setItem('tradebell.keptDrafts', '[["k",{"memo":"周五前发货"}]]'));
    // Playwright gives up on a crashed page: the crash and the reload go through CDP, as the
    // app's reload goes through the same WebContents.
    const cdp = await page.context().newCDPSession(page);
    const crashed = new Promise((r) => page.once('crash', r));
    void cdp.send('Page.crash').catch(() => undefined);
    await crashed;
    await cdp.send('Page.reload');
    const read = async () =>
      (
        await cdp.send('Runtime.evaluate', {
          expression: "document.readyState === 'complete' ? sessionStorage.getItem('tradebell.keptDrafts') : undefined",
          returnByValue: true,
        })
      ).result.value as string | undefined;
    let after: string | undefined;
    for (let i = 0; i < 100 && after === undefined; i++) {
      after = await read().catch(() => undefined);
      if (after === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(after).toBe('[["k",{"memo":"周五前发货"}]]');
    const other = await browser.newPage();
    await other.goto(url);
    expect(await other.evaluate(() => sessionStorage.getItem('tradebell.keptDrafts'))).toBeNull();
  });
});
