import type { ChangeEvent } from 'react';
import type { OrderSummary } from '../../shared/domain';
import { FLAGS } from '../../shared/flag';
import { isTid } from '../../shared/memo';
import type { ShopSettings } from '../../shared/settings';
import { formatChinaDateTime } from '../../shared/time';
import { cssVars } from '../cssVars';
import { formatYuan } from '../format';
import { useT } from '../i18n';
import { IconButton } from './Icon';

export interface OrderRowProps {
  order: OrderSummary;
  shop?: ShopSettings;
  selected: boolean;
  now: number;
  onSelect: (checked: boolean, shiftKey: boolean) => void;
  onOpen: () => void;
  onCopy: () => void;
  onOpenExternal: () => void;
}

/** One inbox row. Everything from the wire is rendered as text children, never as markup. */
export function OrderRow({ order, shop, selected, now, onSelect, onOpen, onCopy, onOpenExternal }: OrderRowProps) {
  const t = useT();
  const flag = order.flag !== undefined && order.flag !== 0 ? FLAGS[order.flag] : undefined;
  const title = order.items[0]?.title;
  return (
    <div className={order.seen ? 'order-row' : 'order-row unseen'}>
      <input
        type="checkbox"
        className="row-select"
        aria-label={t.selectOrder(order.tid)}
        checked={selected}
        // React reports a checkbox change from the click, so the event knows about Shift.
        onChange={(e: ChangeEvent<HTMLInputElement>) =>
          onSelect(e.target.checked, (e.nativeEvent as MouseEvent).shiftKey === true)
        }
      />
      <span
        className="shop-marker"
        style={cssVars({ '--shop-colour': shop?.colour ?? 'transparent' })}
        title={shop?.name ?? order.shop}
      />
      <button type="button" className="row-main" onClick={onOpen}>
        <span className="row-line">
          {!order.seen && <span className="badge new">{t.newBadge}</span>}
          <span className="time">{formatChinaDateTime(order.updatedAt, { now, word: t.today })}</span>
          <span className="status">{t.statusWord(order.status)}</span>
          {order.refund && <span className="status refund">{t.refundWord(order.refund.status)}</span>}
          {order.payment !== undefined && <span className="amount">{formatYuan(order.payment)}</span>}
        </span>
        <span className="row-line">
          <span className="buyer">{order.buyerNick ?? '—'}</span>
          {title !== undefined && <span className="title">{title}</span>}
        </span>
        <span className="row-line">
          {flag && (
            <span className="flag-marker" style={cssVars({ '--flag-colour': flag.colour })}>
              {t.flagMarker(t.flags[flag.value])}
            </span>
          )}
          {order.memo && (
            <span className="memo" title={order.memo}>
              {t.memoPrefix}
              {order.memo}
            </span>
          )}
        </span>
      </button>
      <span className="row-actions">
        <IconButton icon="copy" label={t.copyTid} onClick={onCopy} />
        {isTid(order.tid) && <IconButton icon="external" label={t.openOnTaobao} onClick={onOpenExternal} />}
      </span>
    </div>
  );
}
