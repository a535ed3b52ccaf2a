// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { OrderList, ROW_HEIGHT } from '../../../src/renderer/components/OrderList';
import { makeOrder } from '../fakeApi';
import { renderWith } from '../render';

const noop = () => {};

describe('OrderList', () => {
  it('paints the visible rows first and adds the overscan rows after that frame', async () => {
    const orders = Array.from({ length: 60 }, () => makeOrder());
    renderWith(
      <OrderList
        orders={orders}
        total={60}
        shops={[]}
        selection={new Set()}
        now={Date.now()}
        onSelect={noop}
        onOpen={noop}
        onCopy={noop}
        onOpenExternal={noop}
        onLoadMore={noop}
      />,
    );
    // happy-dom lays nothing out, so the list keeps its guessed 480 px: rows 0-6 show.
    const visible = Math.ceil(480 / ROW_HEIGHT);
    expect(screen.getAllByRole('listitem')).toHaveLength(visible);
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(visible + 6));
  });
});
