import { useState } from 'react';
import { isShopId } from '../../shared/memo';
import type { ShopId } from '../../shared/domain';
import type { ShopSettings } from '../../shared/settings';
import { cssVars } from '../cssVars';
import { useT } from '../i18n';
import { Check, TextInput } from './Fields';
import { IconButton } from './Icon';

/** Colours offered to a new shop in turn, so two shops rarely look alike. */
const SHOP_COLOURS = ['#ff5000', '#1e88e5', '#43a047', '#8e24aa', '#f4511e', '#00897b'];

export function ShopsEditor({
  shops,
  mutedShops,
  onChange,
}: {
  shops: ShopSettings[];
  mutedShops: ShopId[];
  onChange: (shops: ShopSettings[], mutedShops: ShopId[]) => void;
}) {
  const t = useT();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [colour, setColour] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const newColour = colour ?? SHOP_COLOURS[shops.length % SHOP_COLOURS.length] ?? '#ff5000';

  const edit = (shopId: ShopId, patch: Partial<ShopSettings>) =>
    onChange(
      shops.map((s) => (s.id === shopId ? { ...s, ...patch } : s)),
      mutedShops,
    );
  const setMuted = (shopId: ShopId, muted: boolean) =>
    onChange(
      shops,
      muted ? [...mutedShops.filter((m) => m !== shopId), shopId] : mutedShops.filter((m) => m !== shopId),
    );

  function add() {
    const shopId = id.trim();
    if (!isShopId(shopId)) return setProblem(t.badShopId);
    if (shops.some((s) => s.id === shopId)) return setProblem(t.duplicateShop);
    onChange([...shops, { id: shopId, name: name.trim() || shopId, colour: newColour, enabled: true }], mutedShops);
    setId('');
    setName('');
    setColour(null);
    setProblem(null);
  }

  return (
    <div className="shops-editor">
      {shops.length === 0 && <p className="muted">{t.noShops}</p>}
      <ul className="shop-list">
        {shops.map((s) => (
          <li key={s.id} className="shop-edit">
            <span className="shop-marker" style={cssVars({ '--shop-colour': s.colour })} />
            <code className="shop-id">{s.id}</code>
            <TextInput aria-label={t.shopNameOf(s.id)} value={s.name} onChange={(name) => edit(s.id, { name })} />
            <input
              type="color"
              aria-label={t.shopColourOf(s.id)}
              value={s.colour}
              onChange={(e) => edit(s.id, { colour: e.target.value })}
            />
            <Check
              aria-label={t.shopEnabledOf(s.id)}
              checked={s.enabled}
              onChange={(enabled) => edit(s.id, { enabled })}
            >
              {t.shopEnabled}
            </Check>
            <Check
              aria-label={t.shopMutedOf(s.id)}
              checked={mutedShops.includes(s.id)}
              onChange={(muted) => setMuted(s.id, muted)}
            >
              {t.shopMuted}
            </Check>
            <IconButton
              icon="close"
              label={t.removeShop(s.name || s.id)}
              onClick={() =>
                onChange(
                  shops.filter((x) => x.id !== s.id),
                  mutedShops.filter((m) => m !== s.id),
                )
              }
            />
          </li>
        ))}
      </ul>
      <div className="shop-add">
        <TextInput aria-label={t.shopId} named value={id} onChange={setId} />
        <TextInput aria-label={t.shopName} named value={name} onChange={setName} />
        <input type="color" aria-label={t.shopColour} value={newColour} onChange={(e) => setColour(e.target.value)} />
        <button type="button" onClick={add}>
          {t.addShop}
        </button>
      </div>
      {problem && (
        <p role="status" className="result error">
          {problem}
        </p>
      )}
    </div>
  );
}
