// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { PanelActions } from '../../../src/renderer/components/PanelDialog';
import { renderWith } from '../render';

describe('PanelActions', () => {
  it('warns that the memo is replaced, runs the action, and shows its status live', async () => {
    const onAction = vi.fn();
    const { user } = renderWith(
      <PanelActions action="保存" disabled={false} onAction={onAction} statusClass="saved">
        已保存
      </PanelActions>,
    );
    expect(screen.getByRole('note')).toHaveTextContent('备注');
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(onAction).toHaveBeenCalledTimes(1);
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent('已保存');
    expect(status).toHaveClass('result', 'saved');
  });

  it('does not run a disabled action, and places more buttons beside it', async () => {
    const onAction = vi.fn();
    const retry = vi.fn();
    const { user } = renderWith(
      <PanelActions
        action="应用"
        disabled
        onAction={onAction}
        more={
          <button type="button" onClick={retry}>
            重试
          </button>
        }
      />,
    );
    await user.click(screen.getByRole('button', { name: '应用' }));
    expect(onAction).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: '重试' }));
    expect(retry).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('status').className).toBe('result');
  });
});
