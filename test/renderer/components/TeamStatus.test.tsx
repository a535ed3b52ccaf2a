// @vitest-environment happy-dom
/** The status bar in team mode: the server's state, who consumes each shop, lag and misses. */
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AppState, TeamStatus } from '../../../src/shared/api';
import { StatusBar } from '../../../src/renderer/components/StatusBar';
import { FakeApi, makeSettings } from '../fakeApi';
import { renderWith } from '../render';

function setup(team: TeamStatus | undefined, language: 'zh-CN' | 'en' = 'zh-CN') {
  const api = new FakeApi({
    state: {
      shops: [
        { shop: 'shop1', state: 'listening' },
        { shop: 'shop2', state: 'listening' },
      ],
      ...(team && { team }),
    } satisfies Partial<AppState>,
  });
  return renderWith(<StatusBar state={api.state} shops={makeSettings().shops} onState={() => undefined} />, {
    api,
    language,
  });
}

const row = (name: string) => within(screen.getByRole('list')).getByText(name).closest('li') as HTMLElement;

const team: TeamStatus = {
  seat: '前台',
  server: 'unreachable',
  shops: [
    { shop: 'shop1', consumer: '前台', self: true, lag: 0, missed: 0, backlog: 12, reset: false },
    { shop: 'shop2', consumer: '仓库', self: false, lag: 7, missed: 30, backlog: 0, reset: false },
  ],
};

describe('StatusBar in team mode', () => {
  it('says the server is unreachable, who consumes each shop, the lag, the backlog and what was missed', () => {
    setup(team);
    expect(screen.getByText('团队 · 前台')).toBeInTheDocument();
    expect(screen.getByText('团队服务器不可达')).toBeInTheDocument();
    expect(within(row('一号店')).getByText('本机接单')).toBeInTheDocument();
    expect(within(row('一号店')).getByText('12 条待同步到团队服务器')).toBeInTheDocument();
    expect(within(row('二号店')).getByText('由 仓库 接单')).toBeInTheDocument();
    expect(within(row('二号店')).getByText('落后 7 条')).toBeInTheDocument();
    expect(within(row('二号店')).getByText(/漏掉 30 条/)).toBeInTheDocument();
  });

  it('in English, and nothing of it without team mode', () => {
    const { unmount } = setup({ ...team, server: 'connected' }, 'en');
    expect(screen.getByText('Team server connected')).toBeInTheDocument();
    expect(within(row('二号店')).getByText('Consumed by 仓库')).toBeInTheDocument();
    unmount();
    setup(undefined);
    expect(screen.queryByText(/团队/)).toBeNull();
    expect(screen.queryByText(/接单/)).toBeNull();
  });
});
