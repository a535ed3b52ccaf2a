// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { appError } from '../../../src/shared/errors';
import { ErrorMessage, StatusWords } from '../../../src/renderer/components/ErrorMessage';
import { renderWith } from '../render';

const HAN = /[\u3400-\u9fff]/;

describe('ErrorMessage', () => {
  it('says what happened and what to do, in the chosen language', () => {
    const quota = appError('quota', 'gateway_code', { gatewayCode: 204, msg: '调用次数不足' });
    const { container, unmount } = renderWith(<ErrorMessage error={quota} />, { language: 'en' });
    expect(
      screen.getByText(
        'The gateway answered with code 204 — No permission or no calls left: enable the endpoint or recharge at vv-tool, then resume.',
      ),
    ).toBeInTheDocument();
    // The gateway's own words are Chinese: the English window leaves them out.
    expect(container.textContent).not.toMatch(HAN);
    unmount();
    renderWith(<ErrorMessage error={quota} />);
    expect(
      screen.getByText(
        '网关返回 204：调用次数不足 — 无该接口权限或调用次数不足，请到 vv-tool 官网开通接口或充值后点“继续”。',
      ),
    ).toBeInTheDocument();
  });

  it('opens an allowed authorisation link through main', async () => {
    const { user, api } = renderWith(
      <ErrorMessage
        error={appError(
          'shop_unauthorized',
          'gateway_code',
          { gatewayCode: 302, msg: '店铺未授权' },
          { authUrl: 'https://oauth.taobao.com/authorize?x=1' },
        )}
      />,
    );
    await user.click(screen.getByRole('button', { name: '打开授权链接' }));
    expect(api.calls.openExternal).toEqual(['https://oauth.taobao.com/authorize?x=1']);
  });

  it('shows a link main would refuse as text only', () => {
    renderWith(
      <ErrorMessage
        error={appError(
          'shop_unauthorized',
          'gateway_code',
          { gatewayCode: 302, msg: '店铺未授权' },
          { authUrl: 'javascript:alert(1)' },
        )}
      />,
    );
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByText('javascript:alert(1)')).toBeInTheDocument();
  });
});

describe('StatusWords', () => {
  type Status =
    { kind: 'saving' } | { kind: 'saved' } | { kind: 'idle' } | { kind: 'error'; error: ReturnType<typeof appError> };
  const words = { saving: '保存中…', saved: '已保存' };

  it("says the words given for the status's kind, and nothing for none or a kind without words", () => {
    const show = (status: Status | null) => <StatusWords status={status} words={words} />;
    const { container, rerender } = renderWith(show({ kind: 'saving' }));
    expect(container).toHaveTextContent('保存中…');
    rerender(show({ kind: 'saved' }));
    expect(container).toHaveTextContent('已保存');
    rerender(show({ kind: 'idle' }));
    expect(container).toBeEmptyDOMElement();
    rerender(show(null));
    expect(container).toBeEmptyDOMElement();
  });

  it("gives an error its own words, in the window's language", () => {
    const error = appError('quota', 'gateway_code', { gatewayCode: 204, msg: '调用次数不足' });
    const { container } = renderWith(<StatusWords<Status['kind']> status={{ kind: 'error', error }} words={words} />, {
      language: 'en',
    });
    expect(container.querySelector('.error-message')).toHaveTextContent('The gateway answered with code 204');
  });
});
