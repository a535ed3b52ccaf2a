/**
 * How the window starts, in Chromium against the real core: the preload asks for the first paint's
 * data before the page's script has arrived, each read travels once, what changes meanwhile still
 * reaches the list, and the views the first paint does not show are loaded when first opened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STARTUP_READS, channelOf, type InvokeMethod } from '../../src/shared/channels';
import { closeBrowser, findChromium, startHarness, type Harness } from './harness';

const chromiumPath = findChromium();
if (!chromiumPath) console.warn('[e2e] skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)');

afterAll(async () => {
  await closeBrowser();
});

const FIRST_READS = (Object.keys(STARTUP_READS) as InvokeMethod[]).map(channelOf);

describe.skipIf(!chromiumPath)('the window starting', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ beforeStart: (sim) => void sim.generate('shop1', 5, { duplicateRate: 0 }) });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('asks for its first reads before its script has arrived, and each only once', async () => {
    const { page } = h;
    // All five stored and shown, so that the page reloaded below is the only one asking.
    await expect.poll(() => page.locator('.row-main').count(), { timeout: 15_000 }).toBe(5);
    await page.waitForTimeout(300);

    // The page's script is held back until the first reads have been asked for (or 10 s have passed).
    let readsBeforeScript: string[] = [];
    await page.route('**/assets/index-*.js', async (route) => {
      const deadline = Date.now() + 10_000;
      while (!FIRST_READS.every((c) => h.calls.includes(c)) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      readsBeforeScript = [...h.calls];
      await route.continue();
    });
    h.calls.length = 0;
    await page.reload();
    await page.locator('.row-main').first().waitFor();
    await page.unroute('**/assets/index-*.js');

    expect([...readsBeforeScript].sort()).toEqual([...FIRST_READS].sort());
    expect([...h.calls].sort()).toEqual([...FIRST_READS].sort());
    expect(h.problems).toEqual([]);
  });

  it('shows what changed between its first reads and its first render', async () => {
    const { page, core, sim } = h;
    const before = core.listOrders({ limit: 1 }).total;
    await page.route('**/assets/index-*.js', async (route) => {
      const deadline = Date.now() + 10_000;
      while (!FIRST_READS.every((c) => h.calls.includes(c)) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      // A new paid order is stored, and main says so, while the page's script is on its way.
      sim.generate('shop1', 1, { topics: ['TradeBuyerPay'], duplicateRate: 0 });
      core.wake();
      while (core.listOrders({ limit: 1 }).total === before && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 300));
      await route.continue();
    });
    h.calls.length = 0;
    await page.reload();
    await expect.poll(() => page.locator('.row-main').count(), { timeout: 10_000 }).toBe(before + 1);
    await page.unroute('**/assets/index-*.js');
    expect(h.calls).toContain(channelOf('changedOrders'));
    expect(h.problems).toEqual([]);
  });

  it('loads the settings and subscriptions views only when they are first opened', async () => {
    const { page } = h;
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await page.reload();
    await page.locator('.row-main').first().waitFor();
    expect(scripts.filter((s) => /SettingsView|SubscriptionsView/.test(s))).toEqual([]);

    await page.getByRole('button', { name: '设置' }).click();
    await page.getByRole('button', { name: '保存设置' }).waitFor();
    await page.getByRole('button', { name: '订阅' }).click();
    await page.getByRole('button', { name: '应用更改' }).waitFor();
    expect(scripts.filter((s) => /SettingsView|SubscriptionsView/.test(s))).toHaveLength(2);
    expect(h.problems).toEqual([]);
  });
});
