import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Notifier, clickTarget } from '../../../src/main/electron/notifications';
import { FakeNotification, orderSpec } from './fakes';

function setup() {
  FakeNotification.created = [];
  FakeNotification.supported = true;
  const showWindow = vi.fn();
  const navigate = vi.fn();
  const onFailed = vi.fn();
  const notifier = new Notifier({
    Notification: FakeNotification,
    isSupported: () => FakeNotification.isSupported(),
    showWindow,
    navigate,
    onFailed,
  });
  return { notifier, showWindow, navigate, onFailed, last: () => FakeNotification.created.at(-1)! };
}

describe('Notifier', () => {
  beforeEach(() => {
    FakeNotification.created = [];
  });

  it('shows the policy’s notification natively, silent when sound is off', () => {
    const { notifier, last } = setup();
    notifier.show(orderSpec({ sound: true }));
    expect(last().options).toEqual({ title: '新订单 ¥48.00', body: '买家 小明 · 连衣裙', silent: false });
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
    notifier.show(orderSpec({ key: 'summary:1', kind: 'summary', shop: undefined, tids: ['1', '2', '3'] }));
    last().emit('click');
    expect(navigate).toHaveBeenCalledWith({ view: 'inbox', tids: ['1', '2', '3'] });
  });

  it('keeps live notifications referenced until clicked, closed or failed', () => {
    const { notifier, onFailed } = setup();
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
    expect(onFailed).toHaveBeenCalledWith('c', 'toast service gone');
  });

  it('replaces a live notification with the same key', () => {
    const { notifier } = setup();
    notifier.show(orderSpec({ key: 'summary', kind: 'summary', tids: ['1'] }));
    notifier.show(orderSpec({ key: 'summary', kind: 'summary', tids: ['1', '2'] }));
    expect(FakeNotification.created[0]!.closed).toBe(true);
    expect(notifier.liveCount).toBe(1);
    // The old one's close event must not drop the new one.
    FakeNotification.created[0]!.emit('close');
    expect(notifier.liveCount).toBe(1);
  });

  it('shows the still-running notice once asked, in the chosen language, and a click opens the window', () => {
    const { notifier, last, showWindow, navigate } = setup();
    notifier.showStillRunning('zh-CN');
    expect(last().options.title).toBe('TradeBell 仍在后台运行');
    expect(last().options.silent).toBe(true);
    notifier.showStillRunning('en');
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

describe('clickTarget', () => {
  it('routes order, summary and info notifications', () => {
    expect(clickTarget(orderSpec())).toEqual({
      view: 'order',
      shop: 'shop1',
      tid: '1234567890123456789',
      focusPanel: true,
    });
    expect(clickTarget(orderSpec({ shop: undefined }))).toEqual({ view: 'inbox', tids: ['1234567890123456789'] });
    expect(clickTarget(orderSpec({ kind: 'summary', tids: [] }))).toEqual({ view: 'inbox', tids: [] });
    expect(clickTarget(orderSpec({ kind: 'info', tids: [] }))).toBeUndefined();
  });
});
