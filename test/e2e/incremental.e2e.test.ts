/**
 * The inbox list in Chromium as orders arrive: only the changed rows travel, the rows already
 * shown stay the same elements, and a list scrolled down keeps the same orders in view.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, findChromium, startHarness, type Harness } from './harness';

const chromiumPath = findChromium();
if (!chromiumPath) console.warn('[e2e] skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)');

interface El {
  scrollTop: number;
  dataset: Record<string, string>;
  style: { getPropertyValue(p: string): string };
  dispatchEvent(e: unknown): boolean;
  querySelector(s: string): El | null;
  getAttribute(n: string): string | null;
}

/** What the page's callbacks touch, typed here so this file needs no DOM library. */
interface PageGlobal {
  document: { querySelector(s: string): El | null; querySelectorAll(s: string): ArrayLike<El> };
  Event: new (type: string) => unknown;
}

const ROW_HEIGHT = 76;

describe.skipIf(!chromiumPath)('the inbox list as orders arrive', () => {
  let h: Harness | undefined;
  afterAll(async () => {
    await h?.close();
    await closeBrowser();
  });

  it('fetches only the changed rows, keeps the other rows as they are, and keeps the rows in view', async () => {
    h = await startHarness({
      shops: ['shop1'],
      beforeStart: (sim) => void sim.generate('shop1', 40, { topics: ['TradeBuyerPay'], duplicateRate: 0 }),
    });
    const { page, sim, core } = h;
    const stored = () => core.listOrders({ limit: 1 }).total;
    await expect.poll(stored, { timeout: 15_000 }).toBeGreaterThanOrEqual(30);
    await expect.poll(() => page.locator('.summary').textContent(), { timeout: 15_000 }).toContain(`共 ${stored()} 单`);
    const before = stored();

    // Scrolled down ten rows; the row at the top of the view, and a mark on its element.
    await page.evaluate((y) => {
      const g = globalThis as unknown as PageGlobal;
      const scroller = g.document.querySelector('.order-scroll')!;
      scroller.scrollTop = y;
      scroller.dispatchEvent(new g.Event('scroll'));
    }, 10 * ROW_HEIGHT);
    await page.waitForTimeout(200);
    // The order in the row at the top of the view, and a mark on that row's element.
    const topRow = () =>
      page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobal;
        const y = document.querySelector('.order-scroll')!.scrollTop;
        const slot = Array.from(document.querySelectorAll('.order-slot')).find(
          (s) => Number.parseFloat(s.style.getPropertyValue('--row-y')) === y,
        );
        const row = slot?.querySelector('.row-main');
        if (row) row.dataset.kept = 'yes';
        return slot?.querySelector('.row-select')?.getAttribute('aria-label') ?? null;
      });
    const shownBefore = await topRow();
    expect(shownBefore).toMatch(/\d{19}/);
    const callsBefore = h.calls.length;

    sim.generate('shop1', 3, { topics: ['TradeBuyerPay'], duplicateRate: 0 });
    core.wake();
    await expect.poll(stored, { timeout: 15_000 }).toBeGreaterThan(before);
    const after = stored();
    await expect.poll(() => page.locator('.summary').textContent(), { timeout: 15_000 }).toContain(`${after} 单`);

    // The new orders came above: the view moved with the rows it showed.
    expect(await page.locator('[data-kept="yes"]').count()).toBe(1);
    expect(await topRow()).toBe(shownBefore);
    const since = h.calls.slice(callsBefore);
    expect(since).toContain('tradebell:changedOrders');
    expect(since).not.toContain('tradebell:listOrders');
    expect(h.problems).toEqual([]);
  });

  it('sends rows without their history, and the memo panel shows the history it asks for', async () => {
    const { page } = h!;
    const page1 = await page.evaluate(() =>
      (
        globalThis as unknown as {
          tradebell: { listOrders(q: unknown): Promise<{ ok: boolean; value: { orders: object[] } }> };
        }
      ).tradebell.listOrders({ limit: 5 }),
    );
    expect(page1.ok).toBe(true);
    expect(page1.value.orders).toHaveLength(5);
    for (const row of page1.value.orders) expect(row).not.toHaveProperty('events');
    const callsBefore = h!.calls.length;
    await page.locator('.row-main').first().click();
    const history = page.getByRole('region', { name: '消息记录' });
    await history.getByText('买家付款').first().waitFor({ timeout: 10_000 });
    expect(h!.calls.slice(callsBefore)).toContain('tradebell:orderHistory');
    expect(h!.problems).toEqual([]);
  });
});
