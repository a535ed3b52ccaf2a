// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { appError } from '../../../src/shared/errors';
import { ErrorMessage } from '../../../src/renderer/components/ErrorMessage';
import { renderWith } from '../render';

describe('ErrorMessage', () => {
  it('says what happened and what to do, in the chosen language', () => {
    renderWith(<ErrorMessage error={appError('quota', '调用次数不足', { code: 204 })} />, { language: 'en' });
    expect(
      screen.getByText(
        '调用次数不足 (204) — No permission or no calls left: enable the endpoint or recharge at vv-tool, then resume.',
      ),
    ).toBeInTheDocument();
  });

  it('opens an allowed authorisation link through main', async () => {
    const { user, api } = renderWith(
      <ErrorMessage
        error={appError('shop_unauthorized', '店铺未授权', { authUrl: 'https://oauth.taobao.com/authorize?x=1' })}
      />,
    );
    await user.click(screen.getByRole('button', { name: '打开授权链接' }));
    expect(api.calls.openExternal).toEqual(['https://oauth.taobao.com/authorize?x=1']);
  });

  it('shows a link main would refuse as text only', () => {
    renderWith(
      <ErrorMessage error={appError('shop_unauthorized', '店铺未授权', { authUrl: 'javascript:alert(1)' })} />,
    );
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByText('javascript:alert(1)')).toBeInTheDocument();
  });
});
