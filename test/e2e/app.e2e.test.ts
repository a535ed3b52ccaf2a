/**
 * The window end to end: the built renderer in Debian's Chromium, the real core and IPC handlers,
 * the local gateway over loopback. Skipped, with the reason printed, where no Chromium is installed
 * (.ci/run installs it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { SimMessage } from '../../src/simulator';
import { formatChinaTime } from '../../src/shared/time';
import { closeBrowser, findChromium, startHarness, type Harness } from './harness';

const chromiumPath = findChromium();
if (!chromiumPath) console.warn('[e2e] skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)');

afterAll(async () => {
  await closeBrowser();
});

function paidOrder(id: string, tid: string, buyer: string, title: string, payment = '128.00'): SimMessage {
  return {
    id,
    topic: 'taobao_trade_TradeBuyerPay',
    tid,
    pubTime: formatChinaTime(Date.now()),
    content: {
      tid,
      oid: tid,
      buyer_nick: buyer,
      payment,
      status: 'WAIT_SELLER_SEND_GOODS',
      seller_nick: '悦木家居旗舰店',
      title,
      num: 1,
      price: payment,
      type: 'guarantee_trade',
    },
  };
}

describe.skipIf(!chromiumPath)('the window in Chromium against the real core', () => {
  let h: Harness | undefined;
  afterAll(async () => {
    await h?.close();
  });

  it('a generated paid order appears; red flag and a Chinese memo set with the keyboard land on exactly that 19-digit tid', async () => {
    let tid = '';
    h = await startHarness({
      beforeStart: (sim) => {
        const generated = sim.generate('shop1', 1, { topics: ['TradeBuyerPay'], duplicateRate: 0 });
        tid = generated[0]!.tid!;
      },
    });
    const { page, sim } = h;
    expect(tid).toMatch(/^\d{19}$/);
    // The row shows the order; find it by its tid through the panel later.
    const rows = page.locator('.row-main');
    await rows.first().waitFor({ timeout: 15_000 });
    await rows.first().click();
    const panel = page.getByRole('dialog');
    await panel.waitFor();
    await expect.poll(() => panel.getAttribute('aria-label')).toContain(tid);
    await page.keyboard.press('1');
    await page.locator('textarea').focus();
    await page.keyboard.insertText('已核对地址，加急发顺丰');
    await page.keyboard.press('Control+Enter');
    await expect
      .poll(() => sim.remarkOf(tid), { timeout: 10_000 })
      .toMatchObject({ shop: 'shop1', memo: '已核对地址，加急发顺丰', flag: 1 });
    await panel.getByRole('status').waitFor();
    expect(h.problems).toEqual([]);
  });

  it('a buyer nick carrying markup is shown as text and runs no script', async () => {
    const { page, sim, core } = h!;
    const nick = '<img src=x onerror="window.__xss=1">坏人';
    sim.enqueue('shop1', [
      paidOrder('9000000000000000001', '4000000000000000001', nick, '<script>window.__xss=2</script>茶杯'),
    ]);
    core.wake();
    await page.getByText(nick, { exact: false }).first().waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('.order-list img, .row-main img').count()).toBe(0);
    expect(await page.getByText('<script>window.__xss=2</script>茶杯').count()).toBeGreaterThan(0);
    expect(h!.problems).toEqual([]);
  });

  it('a payload the IPC contract refuses comes back as a typed error and changes nothing', async () => {
    const { page, sim } = h!;
    const answer = await page.evaluate(() =>
      window.tradebell.remark({ shop: 'shop1', tid: '12ab', memo: 'x', flag: 9 } as never),
    );
    expect(answer).toMatchObject({ ok: false, error: { kind: 'ipc' } });
    expect(sim.remarkOf('12ab')).toBeUndefined();
  });
});
