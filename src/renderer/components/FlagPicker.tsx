import { FLAGS, type Flag } from '../../shared/flag';
import { cssVars } from '../cssVars';
import { useT } from '../i18n';

/** Six big flag buttons; the digit shown on each is its keyboard shortcut. */
export function FlagPicker({ value, onChange }: { value: Flag | null; onChange: (flag: Flag) => void }) {
  const t = useT();
  return (
    <fieldset className="flag-picker">
      <legend>{t.flagLegend}</legend>
      <div className="flag-buttons">
        {FLAGS.map((f) => (
          <button
            key={f.value}
            type="button"
            className="flag-button"
            aria-pressed={value === f.value}
            style={cssVars({ '--flag-colour': f.colour })}
            onClick={() => onChange(f.value)}
          >
            <span className="flag-swatch" aria-hidden="true" />
            <span className="flag-name">{t.flags[f.value]}</span>
            <kbd aria-hidden="true">{f.value}</kbd>
          </button>
        ))}
      </div>
    </fieldset>
  );
}
