// @vitest-environment happy-dom
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { Order } from '../../../src/shared/domain';
import { appError } from '../../../src/shared/errors';
import { RemarkPanel, type RemarkPanelProps } from '../../../src/renderer/components/RemarkPanel';
import type { KeptDraft } from '../../../src/renderer/keptDrafts';
import { FakeApi, makeOrder, shopUnauthorized } from '../fakeApi';
import { renderWith } from '../render';

const TID = '1588826713157361977';

function setup(
  over: Partial<RemarkPanelProps> = {},
  order: Order = makeOrder({ tid: TID, memo: '旧备注', flag: 2 }),
  language: 'zh-CN' | 'en' = 'zh-CN',
) {
  const api = new FakeApi({ orders: [order] });
  const onMove = vi.fn();
  const onClose = vi.fn();
  // Templates live in the app's settings; this host plays that part.
  function Host() {
    const [templates, setTemplates] = useState(['加急', '赠品已备注']);
    return (
      <RemarkPanel
        order={order}
        position={{ index: 2, count: 3 }}
        templates={templates}
        onTemplatesChange={async (list) => {
          const r = await api.updateSettings({ memoTemplates: list });
          if (r.ok) setTemplates(list);
          return r;
        }}
        onMove={onMove}
        onClose={onClose}
        focusRequest={1}
        {...over}
      />
    );
  }
  const r = renderWith(<Host />, { api, language });
  const memo = () => screen.getByLabelText('卖家备注') as HTMLTextAreaElement;
  const save = () => screen.getByRole('button', { name: '保存' });
  const flag = (name: string) => screen.getByRole('button', { name });
  return { ...r, onMove, onClose, memo, save, flag };
}

describe('RemarkPanel', () => {
  it("starts from the order's known memo and flag, with the replace warning", () => {
    const { memo, flag } = setup();
    expect(memo().value).toBe('旧备注');
    expect(flag('黄')).toHaveAttribute('aria-pressed', 'true');
    expect(flag('红')).toHaveAttribute('aria-pressed', 'false');
    expect(screen.getByRole('note')).toHaveTextContent('保存会覆盖该订单现有的卖家备注');
    expect(screen.getByText('旧备注', { selector: '.current-memo span' })).toBeInTheDocument();
  });

  it('follows a memo or flag changed elsewhere while open, in the parts the user has not touched', async () => {
    const first = makeOrder({ tid: TID, memo: '旧备注', flag: 2 });
    const api = new FakeApi({ orders: [first] });
    // The app hands the panel the list's live copy of the order.
    let setOrder!: (o: Order) => void;
    function Host() {
      const [order, set] = useState(first);
      setOrder = set;
      return (
        <RemarkPanel
          order={order}
          templates={[]}
          onTemplatesChange={async () => ({ ok: true, value: undefined })}
          onMove={() => {}}
          onClose={() => {}}
          focusRequest={1}
        />
      );
    }
    const { user } = renderWith(<Host />, { api });
    const memo = () => screen.getByLabelText('卖家备注') as HTMLTextAreaElement;
    const flag = (name: string) => screen.getByRole('button', { name });
    // Changed in Qianniu: nothing touched yet, so both follow.
    act(() => setOrder({ ...first, memo: '改地址了', flag: 4 }));
    expect(memo().value).toBe('改地址了');
    expect(flag('蓝')).toHaveAttribute('aria-pressed', 'true');
    // The user picks red; then the memo changes again: the memo follows, red stays theirs.
    await user.keyboard('1');
    act(() => setOrder({ ...first, memo: '改地址了，加急', flag: 5 }));
    expect(memo().value).toBe('改地址了，加急');
    expect(flag('红')).toHaveAttribute('aria-pressed', 'true');
    // A memo the user typed stays theirs too.
    await user.type(memo(), '！');
    act(() => setOrder({ ...first, memo: '又改了', flag: 5 }));
    expect(memo().value).toBe('改地址了，加急！');
    await user.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(api.calls.remark).toHaveLength(1));
    expect(api.calls.remark[0]).toMatchObject({ memo: '改地址了，加急！', flag: 1 });
  });

  it('takes the focus when opened', () => {
    setup();
    expect(document.activeElement).toBe(screen.getByRole('dialog'));
  });

  it('counts bytes of Chinese text: 999 and 1000 save, 1001 turns red and blocks saving', async () => {
    const { memo, save, user, api } = setup();
    fireEvent.change(memo(), { target: { value: '备'.repeat(333) } });
    expect(screen.getByText('999 / 1000 字节')).not.toHaveClass('over');
    expect(save()).toBeEnabled();

    await user.type(memo(), 'a');
    expect(screen.getByText('1000 / 1000 字节')).not.toHaveClass('over');
    expect(save()).toBeEnabled();

    await user.type(memo(), 'b');
    const counter = screen.getByText('1001 / 1000 字节');
    expect(counter).toHaveClass('over');
    expect(screen.getByText(/超出 1 字节/)).toBeInTheDocument();
    expect(save()).toBeDisabled();
    expect(memo()).toHaveAttribute('aria-invalid', 'true');

    // The keyboard cannot get round the limit either.
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(api.calls.remark).toHaveLength(0);
    expect(screen.getByRole('status')).toHaveTextContent('备注过长');
  });

  it('picks a flag with 0–5 outside the memo, and types digits inside it', async () => {
    const { memo, flag, user } = setup();
    await user.keyboard('1');
    expect(flag('红')).toHaveAttribute('aria-pressed', 'true');
    await user.keyboard('0');
    expect(flag('灰')).toHaveAttribute('aria-pressed', 'true');

    await user.click(memo());
    await user.keyboard('5');
    expect(memo().value).toBe('旧备注5');
    expect(flag('灰')).toHaveAttribute('aria-pressed', 'true');
  });

  it('picks a flag with Alt+digit inside the memo without typing it', async () => {
    const { memo, flag, user } = setup();
    await user.click(memo());
    await user.keyboard('{Alt>}4{/Alt}');
    expect(flag('蓝')).toHaveAttribute('aria-pressed', 'true');
    expect(memo().value).toBe('旧备注');
  });

  it('ignores 6–9 as flags', async () => {
    const { flag, user } = setup();
    await user.keyboard('7');
    expect(flag('黄')).toHaveAttribute('aria-pressed', 'true');
  });

  it('moves with ↑/↓ outside the memo, and with Alt+↑/↓ inside it', async () => {
    const { memo, onMove, user } = setup();
    await user.keyboard('{ArrowDown}');
    expect(onMove).toHaveBeenLastCalledWith(1);
    await user.keyboard('{ArrowUp}');
    expect(onMove).toHaveBeenLastCalledWith(-1);

    await user.click(memo());
    onMove.mockClear();
    await user.keyboard('{ArrowUp}');
    expect(onMove).not.toHaveBeenCalled();
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(onMove).toHaveBeenCalledWith(1);
    expect(document.activeElement).toBe(memo());
  });

  it('asks before a close or a move would lose changes not saved; the same key again leaves', async () => {
    const { memo, onClose, onMove, user, api } = setup();
    await user.type(memo(), '，加急');
    await user.keyboard('{Escape}');
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByRole('status')).toHaveTextContent('有未保存的修改');
    expect(memo().value).toBe('旧备注，加急');
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);

    // A flag picked counts as a change too; moving asks, and moving again goes.
    await user.keyboard('{Alt>}4{/Alt}');
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(onMove).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: '下一单' }));
    expect(onMove).toHaveBeenCalledWith(1);

    // Saved: nothing to lose, Esc closes at once.
    await user.keyboard('{Control>}{Enter}{/Control}');
    await screen.findByText(/已保存/);
    expect(api.calls.remark).toHaveLength(1);
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(2);
  });

  it('keeps changes not saved when another order or nothing replaces the panel, and gives them up only when confirmed', async () => {
    const a = makeOrder({ tid: TID, memo: '旧备注', flag: 2 });
    const b = makeOrder({ tid: '1588826713157361990', memo: 'B 的备注', flag: 3 });
    const api = new FakeApi({ orders: [a, b] });
    const kept = new Map<string, KeptDraft>();
    let show!: (o: Order | null) => void;
    function Host() {
      const [order, set] = useState<Order | null>(a);
      show = set;
      return order ? (
        <RemarkPanel
          order={order}
          templates={[]}
          onTemplatesChange={async () => ({ ok: true, value: undefined })}
          onMove={() => {}}
          onClose={() => set(null)}
          focusRequest={1}
          kept={kept}
        />
      ) : null;
    }
    const { user } = renderWith(<Host />, { api });
    const memo = () => screen.getByLabelText('卖家备注') as HTMLTextAreaElement;
    await user.type(memo(), '，改地址');
    await user.keyboard('{Alt>}5{/Alt}');
    // A notification opens B in the panel: A's changes wait.
    act(() => show(b));
    expect(memo().value).toBe('B 的备注');
    act(() => show(null));
    act(() => show(a));
    expect(memo().value).toBe('旧备注，改地址');
    expect(screen.getByRole('button', { name: '粉' })).toHaveAttribute('aria-pressed', 'true');
    // Esc twice: given up, so A opens as Taobao has it.
    await user.keyboard('{Escape}');
    await user.keyboard('{Escape}');
    act(() => show(a));
    expect(memo().value).toBe('旧备注');
    expect(kept.size).toBe(0);
  });

  it('closes with Esc, also from inside the memo', async () => {
    const { memo, onClose, user } = setup();
    await user.click(memo());
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('saves memo and flag together with Ctrl+Enter, showing progress then the result', async () => {
    const { memo, user, api } = setup();
    await user.click(memo());
    await user.clear(memo());
    await user.type(memo(), '顺丰加急');
    await user.keyboard('{Alt>}1{/Alt}');
    const release = api.holdRemarks();
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(await screen.findByText('正在保存…')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '保存' })).toBeDisabled();
    release();
    expect(await screen.findByText(/已保存 ✓/)).toBeInTheDocument();
    expect(api.calls.remark).toEqual([{ shop: 'shop1', tid: TID, memo: '顺丰加急', flag: 1 }]);
  });

  it('saves with Cmd+Enter too', async () => {
    const { user, api } = setup();
    await user.keyboard('{Meta>}{Enter}{/Meta}');
    await waitFor(() => expect(api.calls.remark).toHaveLength(1));
    expect(api.calls.remark[0]).toMatchObject({ memo: '旧备注', flag: 2 });
  });

  it('keeps the text on error and offers the authorisation link', async () => {
    const { memo, save, user, api } = setup();
    api.failRemark(TID, shopUnauthorized());
    await user.clear(memo());
    await user.type(memo(), '请核对地址');
    await user.click(save());
    expect(await screen.findByText(/店铺未授权，请用返回的链接扫码授权/)).toBeInTheDocument();
    expect(memo().value).toBe('请核对地址');
    await user.click(screen.getByRole('button', { name: '打开授权链接' }));
    expect(api.calls.openExternal).toEqual(['https://oauth.vv-tool.com/authorize?shop=shop1']);
  });

  it('says what to do on a network error', async () => {
    const { save, user, api } = setup();
    api.failRemark(TID, appError('network', 'connection_failed', { cause: 'refused', sys: 'ECONNREFUSED' }));
    await user.click(save());
    expect(await screen.findByText('连接被拒绝（ECONNREFUSED） — 无法连接网关，请检查网络连接。')).toBeInTheDocument();
  });

  it('inserts a quick memo at the caret with one click', async () => {
    const { memo, user } = setup();
    await user.click(memo());
    memo().setSelectionRange(1, 1);
    fireEvent.blur(memo());
    await user.click(screen.getByRole('button', { name: '插入快捷备注：加急' }));
    expect(memo().value).toBe('旧加急备注');
  });

  it('appends a quick memo when the memo was never focused', async () => {
    const { memo, user } = setup();
    await user.click(screen.getByRole('button', { name: '插入快捷备注：赠品已备注' }));
    expect(memo().value).toBe('旧备注赠品已备注');
  });

  it('adds, reorders, edits and removes quick memos, saving each change', async () => {
    const { user, api } = setup();
    await user.click(screen.getByRole('button', { name: '编辑' }));
    await user.type(screen.getByRole('textbox', { name: '新的快捷备注' }), '已发顺丰');
    await user.click(screen.getByRole('button', { name: '添加' }));
    await waitFor(() => expect(api.settings.memoTemplates).toEqual(['加急', '赠品已备注', '已发顺丰']));

    await user.click(screen.getByRole('button', { name: '上移快捷备注 3' }));
    await waitFor(() => expect(api.settings.memoTemplates).toEqual(['加急', '已发顺丰', '赠品已备注']));

    const first = screen.getByRole('textbox', { name: '快捷备注 1' });
    await user.clear(first);
    await user.type(first, '特急');
    await user.click(screen.getByRole('button', { name: '删除快捷备注 3' }));
    await waitFor(() => expect(api.settings.memoTemplates).toEqual(['特急', '已发顺丰']));

    await user.click(screen.getByRole('button', { name: '完成' }));
    expect(screen.getByRole('button', { name: '插入快捷备注：特急' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /赠品已备注/ })).toBeNull();
  });

  it('shows a failed template save', async () => {
    const { user, api } = setup();
    api.failNext('updateSettings', appError('validation', 'bad_setting', { path: 'memoTemplates.0' }));
    await user.click(screen.getByRole('button', { name: '编辑' }));
    await user.click(screen.getByRole('button', { name: '删除快捷备注 1' }));
    expect(await screen.findByText(/设置无效：memoTemplates\.0/)).toBeInTheDocument();
  });

  it('says 备注未知 for a memo it never saw, and a flag-only save asks before clearing it on Taobao', async () => {
    const unknown = makeOrder({ tid: TID, memo: undefined, flag: undefined });
    const { user, api, flag } = setup({}, unknown);
    expect(screen.getByText('备注未知', { selector: '.current-memo span' })).toBeInTheDocument();
    expect(screen.queryByText('（无）')).toBeNull();
    await user.click(flag('红'));
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(await screen.findByText(/备注未知：TradeBell 还没有收到该订单在淘宝上的备注/)).toBeInTheDocument();
    expect(api.calls.remark).toEqual([]);
    await user.click(screen.getByRole('button', { name: '清空淘宝上的现有备注' }));
    expect(await screen.findByText(/已保存 ✓/)).toBeInTheDocument();
    expect(api.calls.remark).toEqual([{ shop: 'shop1', tid: TID, memo: '', flag: 1, clearUnknownMemo: true }]);
  });

  it('saves a memo typed over an unknown one at once, without asking to clear anything', async () => {
    const { user, api, memo, save } = setup({}, makeOrder({ tid: TID, memo: undefined, flag: 0 }));
    await user.click(save());
    expect(await screen.findByRole('button', { name: '清空淘宝上的现有备注' })).toBeInTheDocument();
    // Typing is the other choice: the question goes away, and the typed memo is what is saved.
    await user.type(memo(), '加急');
    expect(screen.queryByRole('button', { name: '清空淘宝上的现有备注' })).toBeNull();
    await user.click(save());
    await waitFor(() => expect(api.calls.remark).toEqual([{ shop: 'shop1', tid: TID, memo: '加急', flag: 0 }]));
  });

  it('saves an empty memo it knows to be empty without asking', async () => {
    const { user, api, save } = setup({}, makeOrder({ tid: TID, memo: '', flag: 4 }));
    expect(screen.getByText('（无）', { selector: '.current-memo span' })).toBeInTheDocument();
    await user.click(save());
    await waitFor(() => expect(api.calls.remark).toEqual([{ shop: 'shop1', tid: TID, memo: '', flag: 4 }]));
  });

  it('asks, rather than showing an error, when the core knows less than the window did', async () => {
    const { user, api, save } = setup({}, makeOrder({ tid: TID, memo: '', flag: 4 }));
    api.failRemark(TID, appError('validation', 'memo_unknown', {}, { endpoint: 'remark' }));
    await user.click(save());
    await user.click(await screen.findByRole('button', { name: '清空淘宝上的现有备注' }));
    await waitFor(() => expect(api.calls.remark).toHaveLength(2));
    expect(api.calls.remark[1]).toEqual({ shop: 'shop1', tid: TID, memo: '', flag: 4, clearUnknownMemo: true });
  });

  it('speaks English about an unknown memo', async () => {
    const { user } = setup({}, makeOrder({ tid: TID, flag: 0 }), 'en');
    expect(screen.getByText('Memo unknown')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('button', { name: 'Clear the existing memo on Taobao' })).toBeInTheDocument();
  });

  it('shows an unknown flag unselected and asks for one before saving: gray is then sent as the user’s choice', async () => {
    const { user, api, memo, save, flag } = setup({}, makeOrder({ tid: TID, memo: '旧备注', flag: undefined }));
    for (const name of ['灰', '红', '黄', '绿', '蓝', '粉'])
      expect(flag(name)).toHaveAttribute('aria-pressed', 'false');
    await user.type(memo(), '加急');
    await user.click(save());
    expect(await screen.findByText(/旗帜未知：TradeBell 还没有收到该订单在淘宝上的旗帜/)).toBeInTheDocument();
    expect(api.calls.remark).toEqual([]);
    await user.keyboard('{Alt>}0{/Alt}');
    expect(flag('灰')).toHaveAttribute('aria-pressed', 'true');
    await user.click(save());
    await waitFor(() =>
      expect(api.calls.remark).toEqual([
        { shop: 'shop1', tid: TID, memo: '旧备注加急', flag: 0, clearUnknownFlag: true },
      ]),
    );
  });

  it('sends a colour picked over an unknown flag as it is, and asks when the core knows less than the window', async () => {
    const { user, api, save, flag } = setup({}, makeOrder({ tid: TID, memo: '', flag: undefined }));
    await user.click(flag('绿'));
    await user.click(save());
    await waitFor(() => expect(api.calls.remark).toEqual([{ shop: 'shop1', tid: TID, memo: '', flag: 3 }]));
    api.failRemark(TID, appError('validation', 'flag_unknown', {}, { endpoint: 'remark' }));
    await user.click(flag('灰'));
    await user.click(save());
    expect(await screen.findByText(/旗帜未知：TradeBell/)).toBeInTheDocument();
  });

  it('speaks English about an unknown flag', async () => {
    const { user, api } = setup({}, makeOrder({ tid: TID, memo: 'x' }), 'en');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/Flag unknown: TradeBell has not received/)).toBeInTheDocument();
    expect(api.calls.remark).toEqual([]);
  });

  it('renders a memo with markup as text', () => {
    const order = makeOrder({ memo: '<b onmouseover=alert(1)>x</b>' });
    const { container } = setup({}, order);
    expect(screen.getByText('<b onmouseover=alert(1)>x</b>', { selector: '.current-memo span' })).toBeInTheDocument();
    expect(container.querySelector('b')).toBeNull();
  });

  it('speaks English', () => {
    const api = new FakeApi();
    renderWith(
      <RemarkPanel
        order={makeOrder({ tid: TID, flag: 0 })}
        templates={[]}
        onTemplatesChange={async () => ({ ok: true, value: null })}
        onMove={() => {}}
        onClose={() => {}}
        focusRequest={0}
      />,
      {
        api,
        language: 'en',
      },
    );
    expect(screen.getByRole('button', { name: 'Red' })).toBeInTheDocument();
    expect(screen.getByText('0 / 1000 bytes')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeInTheDocument();
    expect(screen.getByText(/replaces the order's existing seller memo/)).toBeInTheDocument();
  });
});
