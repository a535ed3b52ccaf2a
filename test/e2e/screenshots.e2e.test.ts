/**
 * Screenshots of the inbox, the memo/flag panel, settings and subscriptions, in both languages,
 * light and dark. Each view is checked to be the one asked for before it is photographed. They go to
 * a temporary folder, so a test run leaves the tree clean; `UPDATE_SCREENSHOTS=1 npm test` writes
 * them to docs/screenshots/ for the README.
 */
import { mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, findChromium, startHarness, type Harness } from './harness';

const OUT =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? resolve(import.meta.dirname, '../../docs/screenshots')
    : join(tmpdir(), 'tradebell-screenshots');
const chromiumPath = findChromium();
if (!chromiumPath)
  console.warn('[e2e] screenshots skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)');

afterAll(async () => {
  await closeBrowser();
});

const LABELS = {
  'zh-CN': { inbox: '订单', settings: '设置', subscriptions: '订阅' },
  en: { inbox: 'Orders', settings: 'Settings', subscriptions: 'Subscriptions' },
} as const;

describe.skipIf(!chromiumPath)('screenshots', () => {
  for (const language of ['zh-CN', 'en'] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`${language} ${scheme}: inbox, panel, settings, subscriptions`, async () => {
        const h: Harness = await startHarness({
          colorScheme: scheme,
          settings: { language },
          beforeStart: (sim) => {
            sim.generate('shop1', 8, { duplicateRate: 0 });
            sim.generate('shop2', 5, { duplicateRate: 0 });
          },
        });
        try {
          const { page } = h;
          await mkdir(OUT, { recursive: true });
          const lang = language === 'zh-CN' ? 'zh' : 'en';
          const shot = async (view: string) => {
            const path = join(OUT, `${view}-${lang}-${scheme}.png`);
            await page.screenshot({ path });
            expect((await stat(path)).size).toBeGreaterThan(5_000);
          };
          await expect.poll(() => page.locator('.row-main').count(), { timeout: 15_000 }).toBeGreaterThan(5);
          await page.waitForTimeout(300);
          await shot('inbox');

          await page.locator('.row-main').nth(1).click();
          await page.getByRole('dialog').waitFor();
          await page.keyboard.press('2');
          await page.locator('textarea').focus();
          await page.keyboard.insertText(language === 'en' ? 'Address checked, ship today' : '已核对地址，今天发货');
          await shot('panel');
          await page.keyboard.press('Escape');

          const labels = LABELS[language];
          await page
            .getByRole('button', { name: labels.settings })
            .or(page.getByRole('tab', { name: labels.settings }))
            .first()
            .click();
          await page.locator('input[type="password"]').first().waitFor();
          await shot('settings');

          await page
            .getByRole('button', { name: labels.subscriptions })
            .or(page.getByRole('tab', { name: labels.subscriptions }))
            .first()
            .click();
          await page.locator('input[type="checkbox"]').first().waitFor({ timeout: 10_000 });
          await page.waitForTimeout(200);
          await shot('subscriptions');
          expect(h.problems).toEqual([]);
        } finally {
          await h.close();
        }
      }, 60_000);
    }
  }
});
