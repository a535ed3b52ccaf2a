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

async function closePanel(page: Harness['page']): Promise<void> {
  const close = page.getByRole('dialog').getByRole('button', { name: '关闭' });
  if ((await close.count()) > 0) await close.click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
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

  it('the page runs under the production CSP: an inline script added at run time is refused', async () => {
    const { page } = h!;
    const violated = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true });
          const script = document.createElement('script');
          script.textContent = 'window.__inline = 1';
          document.head.append(script);
        }),
    );
    expect(violated).toBe('script-src-elem');
    expect(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
    // Chromium reports the refusal on the console too: that one is this test's own.
    expect(h!.problems.filter((p) => !p.includes('Content Security Policy'))).toEqual([]);
    h!.problems.length = 0;
  });

  it('a memo TradeBell never saw says 备注未知: a flag-only save asks, and clears it on Taobao only once confirmed', async () => {
    const { page, sim, core } = h!;
    const tid = '4000000000000000002';
    // The panel an earlier test left open covers the list.
    await closePanel(page);
    sim.enqueue('shop1', [paidOrder('9000000000000000002', tid, '新买家甲', '保温杯')]);
    core.wake();
    await page.locator('.row-main', { hasText: '新买家甲' }).click({ timeout: 15_000 });
    const panel = page.getByRole('dialog');
    await expect.poll(() => panel.getAttribute('aria-label')).toContain(tid);
    await panel.locator('.current-memo', { hasText: '备注未知' }).waitFor();
    await page.keyboard.press('2');
    await page.keyboard.press('Control+Enter');
    await panel.getByText(/保存空备注会把它清空/).waitFor();
    await new Promise((r) => setTimeout(r, 300));
    expect(sim.remarkOf(tid)).toBeUndefined();
    await panel.getByRole('button', { name: '清空淘宝上的现有备注' }).click();
    await expect.poll(() => sim.remarkOf(tid), { timeout: 10_000 }).toMatchObject({ memo: '', flag: 2 });
    await closePanel(page);
    expect(h!.problems).toEqual([]);
  });

  it('a memo learned from TradeMemoModified is known: a flag-only save keeps it, the batch keeps the newest and skips only unknown ones', async () => {
    const { page, sim, core } = h!;
    const known = '4000000000000000003';
    const unknownA = '4000000000000000004';
    const unknownB = '4000000000000000005';
    sim.enqueue('shop1', [
      paidOrder('9000000000000000003', known, '老买家乙', '茶盘'),
      {
        id: '9000000000000000004',
        topic: 'taobao_trade_TradeMemoModified',
        tid: known,
        pubTime: formatChinaTime(Date.now()),
        content: { tid: known, seller_memo: '买家要发票', seller_flag: 4, modified: formatChinaTime(Date.now()) },
      },
      paidOrder('9000000000000000005', unknownA, '新买家丙', '茶杯'),
      paidOrder('9000000000000000006', unknownB, '新买家丁', '茶壶'),
    ]);
    core.wake();
    await page.locator('.row-main', { hasText: '老买家乙' }).click({ timeout: 15_000 });
    const panel = page.getByRole('dialog');
    await panel.locator('.current-memo', { hasText: '买家要发票' }).waitFor();
    await page.keyboard.press('1');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => sim.remarkOf(known), { timeout: 10_000 }).toMatchObject({ memo: '买家要发票', flag: 1 });
    await closePanel(page);

    for (const tid of [known, unknownA, unknownB]) await page.getByRole('checkbox', { name: new RegExp(tid) }).check();
    await page.getByRole('button', { name: '批量插旗 / 备注' }).click();
    const batch = page.getByRole('dialog', { name: '批量设置 3 个订单' });
    await batch.getByText(/其中 2 个订单的备注未知/).waitFor();
    // The memo changes on Taobao while the batch is open: the batch keeps the newer one, not the
    // copy it opened with.
    sim.enqueue('shop1', [
      {
        id: '9000000000000000007',
        topic: 'taobao_trade_TradeMemoModified',
        tid: known,
        // Later than the flag-only save above, whose time is kept to the millisecond.
        pubTime: formatChinaTime(Date.now() + 2000),
        content: { tid: known, seller_memo: '改地址了', seller_flag: 1, modified: formatChinaTime(Date.now() + 2000) },
      },
    ]);
    core.wake();
    await expect
      .poll(() => core.listOrders({ limit: 50 }).orders.find((o) => o.tid === known)?.memo, { timeout: 10_000 })
      .toBe('改地址了');
    await page.keyboard.press('3');
    expect(await batch.getByRole('button', { name: '应用到 3 个订单' }).isDisabled()).toBe(true);
    await batch.getByRole('radio', { name: '跳过这 2 个订单' }).check();
    await batch.getByRole('button', { name: '应用到 1 个订单' }).click();
    await expect.poll(() => sim.remarkOf(known), { timeout: 10_000 }).toMatchObject({ memo: '改地址了', flag: 3 });
    await batch.getByText('成功 1 · 失败 0').waitFor();
    expect([sim.remarkOf(unknownA), sim.remarkOf(unknownB)]).toEqual([undefined, undefined]);
    await page.keyboard.press('Escape');
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

describe.skipIf(!chromiumPath)('the English window in Chromium against the real core', () => {
  it('says what went wrong and what to do in English only, with no Chinese anywhere on the page', async () => {
    const h = await startHarness({
      shops: ['shop1'],
      settings: {
        language: 'en',
        shops: [{ id: 'shop1', name: 'Shop One', colour: '#ff7a45', enabled: true }],
      },
      // The gateway says 204 in its own (Chinese) words; polling stops until the user acts.
      beforeStart: (sim) => sim.injectFault({ type: 'code', code: 204 }, { endpoint: 'consume', shop: 'shop1' }),
    });
    try {
      const error = h.page.locator('.error-text').first();
      await error.waitFor({ timeout: 15_000 });
      expect(await error.textContent()).toBe(
        'The gateway answered with code 204 — No permission or no calls left: enable the endpoint or recharge at vv-tool, then resume.',
      );
      expect(await h.page.locator('body').innerText()).not.toMatch(/[\u3400-\u9fff\uff00-\uffef]/);
      expect(await h.page.evaluate(() => document.documentElement.lang)).toBe('en');
      expect(h.problems).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
