import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MAX_KEPT,
  Notifier,
  activationId,
  clickTarget,
  escapeNotificationMarkup,
} from '../../../src/main/electron/notifications';
import type { Language } from '../../../src/shared/settings';
import { FakeNotification, orderSpec, summarySpec } from './fakes';

function setup(platform: NodeJS.Platform = 'linux') {
  FakeNotification.created = [];
  FakeNotification.supported = true;
  const showWindow = vi.fn();
  const navigate = vi.fn();
  const onFailed = vi.fn();
  let language: Language = 'zh-CN';
  const notifier = new Notifier({
    Notification: FakeNotification,
    isSupported: () => FakeNotification.isSupported(),
    platform,
    language: () => language,
    showWindow,
    navigate,
    onFailed,
  });
  return {
    notifier,
    showWindow,
    navigate,
    onFailed,
    last: () => FakeNotification.created.at(-1)!,
    setLanguage: (l: Language) => (language = l),
  };
}

describe('Notifier', () => {
  beforeEach(() => {
    FakeNotification.created = [];
  });

  it('shows the policy’s notification natively, in the language of the moment, silent when sound is off', () => {
    const { notifier, last, setLanguage } = setup();
    notifier.show(orderSpec({ sound: true }));
    expect(last().options).toEqual({
      title: '新订单 ¥48.00',
      body: '买家：小明\n连衣裙\n订单号：1234567890123456789',
      silent: false,
    });
    setLanguage('en');
    notifier.show(orderSpec({ key: 'a' }));
    expect(last().options.title).toBe('New order ¥48.00');
    expect(last().options.body).toBe('Buyer: 小明\n连衣裙\nOrder 1234567890123456789');
    expect(last().shown).toBe(true);
    notifier.show(orderSpec({ key: 'b', sound: false }));
    expect(last().options.silent).toBe(true);
  });

  it('a click on an order opens the window on that order with the memo/flag panel focused', () => {
    const { notifier, last, showWindow, navigate } = setup();
    notifier.show(orderSpec());
    last().emit('click');
    expect(showWindow).toHaveBeenCalledTimes(1);
    expect(navigate).toHaveBeenCalledWith({
      view: 'order',
      shop: 'shop1',
      tid: '1234567890123456789',
      focusPanel: true,
    });
  });

  it('a click on a summary opens the inbox filtered to its orders', () => {
    const { notifier, last, navigate } = setup();
    notifier.show(summarySpec({ key: 'summary:1', shop: undefined, tids: ['1', '2', '3'] }));
    last().emit('click');
    expect(navigate).toHaveBeenCalledWith({ view: 'inbox', tids: ['1', '2', '3'] });
  });

  it('keeps live notifications referenced until clicked, closed or failed', () => {
    const { notifier, onFailed } = setup('linux');
    notifier.show(orderSpec({ key: 'a' }));
    notifier.show(orderSpec({ key: 'b' }));
    notifier.show(orderSpec({ key: 'c' }));
    expect(notifier.liveCount).toBe(3);
    const [a, b, c] = FakeNotification.created;
    a!.emit('click');
    expect(notifier.liveCount).toBe(2);
    b!.emit('close');
    expect(notifier.liveCount).toBe(1);
    c!.emit('failed', {}, 'toast service gone');
    expect(notifier.liveCount).toBe(0);
    expect(onFailed).toHaveBeenCalledWith(expect.any(String), 'toast service gone');
  });

  it('replaces a live notification with the same key', () => {
    const { notifier } = setup();
    notifier.show(summarySpec({ key: 'summary', tids: ['1'] }));
    notifier.show(summarySpec({ key: 'summary', tids: ['1', '2'] }));
    expect(FakeNotification.created[0]!.closed).toBe(true);
    expect(notifier.liveCount).toBe(1);
    // The old one's close event must not drop the new one.
    FakeNotification.created[0]!.emit('close');
    expect(notifier.liveCount).toBe(1);
  });

  it('shows the still-running notice once asked, in the chosen language, and a click opens the window', () => {
    const { notifier, last, showWindow, navigate, setLanguage } = setup();
    notifier.showStillRunning();
    expect(last().options.title).toBe('TradeBell 仍在后台运行');
    expect(last().options.silent).toBe(true);
    setLanguage('en');
    notifier.showStillRunning();
    expect(last().options.title).toBe('TradeBell is still running');
    last().emit('click');
    expect(showWindow).toHaveBeenCalled();
    expect(navigate).not.toHaveBeenCalled();
  });

  it('does nothing where notifications are unsupported', () => {
    const { notifier } = setup();
    FakeNotification.supported = false;
    notifier.show(orderSpec());
    expect(FakeNotification.created).toHaveLength(0);
  });
});

describe('Notifier on Windows', () => {
  it('a toast timed out into the Action Center stays clickable, by its object or by activation', () => {
    const { notifier, last, navigate } = setup('win32');
    notifier.show(orderSpec());
    const toast = last();
    toast.emit('close', { reason: 'timedOut' });
    expect(notifier.liveCount).toBe(1);
    const options = toast.options as { id?: string; toastXml?: string };
    expect(options.toastXml).toContain(`launch="type=click&amp;tag=${options.id}"`);
    // The object is gone; Windows activates the app with the toast's launch arguments.
    notifier.activate(`type=click&tag=${options.id}`);
    expect(navigate).toHaveBeenCalledWith(expect.objectContaining({ view: 'order', tid: '1234567890123456789' }));
    // Electron also emits the object's click when it is alive: handled once.
    toast.emit('click');
    expect(navigate).toHaveBeenCalledTimes(1);
  });

  it('only the user dismissing it ends it; the kept ones are bounded', () => {
    const { notifier, last } = setup('win32');
    notifier.show(orderSpec());
    last().emit('close', { reason: 'userCanceled' });
    expect(notifier.liveCount).toBe(0);
    for (let i = 0; i < MAX_KEPT + 20; i++) notifier.show(orderSpec({ key: `k${i}` }));
    expect(notifier.liveCount).toBe(MAX_KEPT);
  });

  it('an activation without a known id still opens the window', () => {
    const { notifier, showWindow, navigate } = setup('win32');
    notifier.activate('');
    expect(showWindow).toHaveBeenCalled();
    expect(navigate).not.toHaveBeenCalled();
    expect(activationId('type=click&tag=abc-1')).toBe('abc-1');
  });
});

describe('Notifier on Linux and macOS', () => {
  it('Linux: buyer text in the body is escaped for libnotify markup, the title is left alone', () => {
    const { notifier, last } = setup('linux');
    // An unknown topic is named as it came, in the title.
    notifier.show(orderSpec({ topic: 'New<b>', amountFen: undefined, buyer: '<b>坏</b> & <a href="x">', items: [] }));
    expect(last().options.body).toBe(
      '买家：&lt;b&gt;坏&lt;/b&gt; &amp; &lt;a href=&quot;x&quot;&gt;\n订单号：1234567890123456789',
    );
    expect(last().options.title).toBe('New<b>');
    expect(escapeNotificationMarkup("'")).toBe('&#39;');
  });

  it('macOS: the live map is bounded, and the still-running notice names the menu bar, not a click', () => {
    const { notifier, last } = setup('darwin');
    for (let i = 0; i < MAX_KEPT + 5; i++) notifier.show(orderSpec({ key: `k${i}` }));
    expect(notifier.liveCount).toBe(MAX_KEPT);
    notifier.showStillRunning();
    expect(last().options.body).toContain('菜单栏图标');
    expect(last().options.body).not.toContain('点击托盘图标打开窗口');
  });
});

describe('clickTarget', () => {
  it('routes order and summary notifications; a message without an order leads nowhere', () => {
    expect(clickTarget(orderSpec())).toEqual({
      view: 'order',
      shop: 'shop1',
      tid: '1234567890123456789',
      focusPanel: true,
    });
    expect(clickTarget(orderSpec({ shop: undefined }))).toEqual({ view: 'inbox', tids: ['1234567890123456789'] });
    expect(clickTarget(summarySpec({ tids: [] }))).toEqual({ view: 'inbox', tids: [] });
    expect(clickTarget(orderSpec({ tids: [] }))).toBeUndefined();
  });
});
