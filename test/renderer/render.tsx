import { render, type RenderResult } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import type { Language } from '../../src/shared/settings';
import { ApiProvider } from '../../src/renderer/api';
import { LanguageProvider } from '../../src/renderer/i18n';
import { FakeApi } from './fakeApi';

/** Renders a component against a fake API, in Chinese unless told. */
export function renderWith(
  ui: ReactElement,
  opts: { api?: FakeApi; language?: Language } = {},
): RenderResult & { api: FakeApi; user: ReturnType<typeof userEvent.setup> } {
  const api = opts.api ?? new FakeApi();
  const user = userEvent.setup();
  const result = render(
    <ApiProvider api={api}>
      <LanguageProvider language={opts.language ?? 'zh-CN'}>{ui}</LanguageProvider>
    </ApiProvider>,
  );
  return { ...result, api, user };
}
