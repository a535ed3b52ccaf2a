// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Check, Choice, NumberField, Select, SelectField, TextInput } from '../../../src/renderer/components/Fields';
import { renderWith } from '../render';

/** Keeps the value the control hands back, as its callers do, and records every hand-back. */
function Controlled<V>({
  initial,
  seen,
  render,
}: {
  initial: V;
  seen: (v: V) => void;
  render: (value: V, onChange: (v: V) => void) => React.ReactNode;
}) {
  const [value, setValue] = useState(initial);
  return render(value, (v) => {
    seen(v);
    setValue(v);
  });
}

describe('TextInput', () => {
  it('sits in its visible label and hands back the text, trimmed when told', async () => {
    const seen = vi.fn();
    const { user } = renderWith(
      <Controlled
        initial=""
        seen={seen}
        render={(value, onChange) => <TextInput label="店铺 ID" trim value={value} onChange={onChange} />}
      />,
    );
    const input = screen.getByLabelText('店铺 ID');
    expect(input.closest('label')).toHaveClass('field');
    expect(input).toHaveAttribute('type', 'text');
    await user.type(input, ' ab ');
    expect(seen).toHaveBeenLastCalledWith('ab');
    expect(input).toHaveValue('ab');
  });

  it('keeps spaces unless told to trim, and sits in an inline label when asked', async () => {
    const seen = vi.fn();
    const { user } = renderWith(
      <Controlled
        initial=""
        seen={seen}
        render={(value, onChange) => <TextInput label="座位" inline value={value} onChange={onChange} />}
      />,
    );
    const input = screen.getByLabelText('座位');
    expect(input.closest('label')).toHaveClass('inline-field');
    await user.type(input, 'a b ');
    expect(seen).toHaveBeenLastCalledWith('a b ');
  });

  it('without a visible label is a bare input named by aria-label, its placeholder that name when `named`', () => {
    const { container } = renderWith(
      <>
        <TextInput aria-label="新的快捷备注" named value="" onChange={() => {}} />
        <TextInput aria-label="模板 1" placeholder="写点什么" value="x" onChange={() => {}} />
      </>,
    );
    expect(container.querySelector('label')).toBeNull();
    expect(screen.getByRole('textbox', { name: '新的快捷备注' })).toHaveAttribute('placeholder', '新的快捷备注');
    expect(screen.getByRole('textbox', { name: '模板 1' })).toHaveAttribute('placeholder', '写点什么');
  });

  it('passes on disabled and the input type', () => {
    renderWith(<TextInput label="开始" type="time" disabled value="23:00" onChange={() => {}} />);
    const input = screen.getByLabelText('开始');
    expect(input).toHaveAttribute('type', 'time');
    expect(input).toBeDisabled();
  });
});

describe('NumberField', () => {
  it('hands back a number, and undefined once emptied', async () => {
    const seen = vi.fn();
    const { user } = renderWith(
      <Controlled<number | undefined>
        initial={3}
        seen={seen}
        render={(value, onChange) => <NumberField label="秒" min={1} step={1} value={value} onChange={onChange} />}
      />,
    );
    const input = screen.getByLabelText('秒');
    expect(input).toHaveValue(3);
    await user.clear(input);
    expect(seen).toHaveBeenLastCalledWith(undefined);
    await user.type(input, '12');
    expect(seen).toHaveBeenLastCalledWith(12);
    expect(typeof seen.mock.lastCall?.[0]).toBe('number');
  });
});

describe('Check', () => {
  it('hands back checked, is named by aria-label apart from its text, and does nothing disabled', async () => {
    const onChange = vi.fn();
    const { user, rerender } = renderWith(
      <Check aria-label="启用 shop1" checked={false} onChange={onChange}>
        启用
      </Check>,
    );
    const box = screen.getByRole('checkbox', { name: '启用 shop1' });
    expect(box.closest('label')).toHaveClass('check');
    expect(box.closest('label')).toHaveTextContent('启用');
    await user.click(box);
    expect(onChange).toHaveBeenCalledWith(true);
    rerender(
      <Check checked onChange={onChange} disabled>
        声音
      </Check>,
    );
    const sound = screen.getByRole('checkbox', { name: '声音' });
    expect(sound).toBeChecked();
    await user.click(sound);
    expect(onChange).toHaveBeenCalledTimes(1);
  });
});

describe('Select', () => {
  it("hands back the option's own value, a number staying a number", async () => {
    const onChange = vi.fn();
    const { user } = renderWith(
      <Select
        aria-label="类型"
        options={[1, 2, 3] as const}
        optionLabel={(v) => `类型 ${v}`}
        value={1}
        onChange={onChange}
      />,
    );
    const select = screen.getByRole('combobox', { name: '类型' });
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['类型 1', '类型 2', '类型 3']);
    await user.selectOptions(select, '类型 2');
    expect(onChange).toHaveBeenCalledWith(2);
  });

  it('with `all` offers "no choice" first and hands back undefined for it', async () => {
    const onChange = vi.fn();
    const { user } = renderWith(
      <Select
        aria-label="状态"
        all="全部状态"
        options={['paid', 'shipped']}
        optionLabel={(s) => s.toUpperCase()}
        value="paid"
        onChange={onChange}
      />,
    );
    const select = screen.getByRole('combobox', { name: '状态' });
    expect(select).toHaveValue('paid');
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['全部状态', 'PAID', 'SHIPPED']);
    await user.selectOptions(select, '全部状态');
    expect(onChange).toHaveBeenLastCalledWith(undefined);
    await user.selectOptions(select, 'SHIPPED');
    expect(onChange).toHaveBeenLastCalledWith('shipped');
  });

  it('SelectField sits in its visible label', async () => {
    const onChange = vi.fn();
    const { user } = renderWith(
      <SelectField label="语言" options={['zh-CN', 'en']} optionLabel={(l) => l} value="zh-CN" onChange={onChange} />,
    );
    const select = screen.getByLabelText('语言');
    expect(select.closest('label')).toHaveClass('field');
    await user.selectOptions(select, 'en');
    expect(onChange).toHaveBeenCalledWith('en');
  });
});

describe('Choice', () => {
  it('is a named group of radios, none checked until chosen, handing back the choice', async () => {
    const onChange = vi.fn();
    const { user, rerender } = renderWith(
      <Choice
        name="what"
        className="unknown-memos"
        legend="怎么办"
        options={['skip', 'clear'] as const}
        optionLabel={(c) => (c === 'skip' ? '跳过' : '清空')}
        value={null}
        onChange={onChange}
      />,
    );
    const group = screen.getByRole('group', { name: '怎么办' });
    expect(group).toHaveClass('unknown-memos');
    const radios = screen.getAllByRole('radio');
    expect(radios.map((r) => r.getAttribute('name'))).toEqual(['what', 'what']);
    expect(radios.some((r) => (r as HTMLInputElement).checked)).toBe(false);
    await user.click(screen.getByRole('radio', { name: '清空' }));
    expect(onChange).toHaveBeenCalledWith('clear');
    rerender(
      <Choice
        name="what"
        className="unknown-memos"
        legend="怎么办"
        hideLegend
        options={['skip', 'clear'] as const}
        optionLabel={(c) => c}
        value="skip"
        onChange={onChange}
      />,
    );
    expect(screen.getByRole('radio', { name: 'skip' })).toBeChecked();
    expect(screen.getByText('怎么办')).toHaveClass('visually-hidden');
  });
});
