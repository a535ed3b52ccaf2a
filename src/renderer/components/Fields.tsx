/**
 * The window's form controls, each built in one place: a control sits inside its label (or carries
 * an aria-label when it has no visible one) and hands its callers a value, never an event.
 */
import type { InputHTMLAttributes, ReactNode } from 'react';

type PassedOn = Pick<
  InputHTMLAttributes<HTMLInputElement>,
  'placeholder' | 'spellCheck' | 'autoComplete' | 'maxLength' | 'disabled' | 'inputMode' | 'className' | 'onBlur'
>;

/**
 * A text input: inside a `field` label when given a visible `label` (`inline` for one that sits in
 * a row), or alone and named by `aria-label`. `trim` drops outer spaces as they are typed (ids,
 * addresses), `named` shows the accessible name as the placeholder too.
 */
export function TextInput({
  label,
  inline = false,
  type = 'text',
  value,
  onChange,
  trim = false,
  named = false,
  'aria-label': ariaLabel,
  ...rest
}: {
  label?: ReactNode;
  inline?: boolean;
  type?: 'text' | 'url' | 'time' | 'search';
  value: string;
  onChange: (value: string) => void;
  trim?: boolean;
  named?: boolean;
  'aria-label'?: string;
} & PassedOn) {
  const input = (
    <input
      type={type}
      aria-label={ariaLabel}
      placeholder={named ? ariaLabel : undefined}
      value={value}
      onChange={(e) => onChange(trim ? e.target.value.trim() : e.target.value)}
      {...rest}
    />
  );
  if (label === undefined) return input;
  return (
    <label className={inline ? 'inline-field' : 'field'}>
      {label}
      {input}
    </label>
  );
}

/** A whole-number-or-decimal input in a `field` label; an empty or unreadable entry is undefined. */
export function NumberField({
  label,
  value,
  onChange,
  min,
  step,
}: {
  label: ReactNode;
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  min?: number;
  step?: number;
}) {
  return (
    <label className="field">
      {label}
      <input
        type="number"
        min={min}
        step={step}
        value={value === undefined ? '' : String(value)}
        onChange={(e) => {
          const n = e.target.valueAsNumber;
          onChange(Number.isFinite(n) ? n : undefined);
        }}
      />
    </label>
  );
}

/** A checkbox inside its `check` label; `aria-label` names it apart from its visible text. */
export function Check({
  checked,
  onChange,
  disabled,
  'aria-label': ariaLabel,
  children,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  'aria-label'?: string;
  children?: ReactNode;
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        aria-label={ariaLabel}
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
      />
      {children}
    </label>
  );
}

type SelectProps<V extends string | number> = {
  value: V | undefined;
  options: readonly V[];
  optionLabel: (v: V) => string;
  'aria-label'?: string;
} & (
  | { /** The first option's words, for "no choice" (undefined). */ all: string; onChange: (v: V | undefined) => void }
  | { all?: undefined; onChange: (v: V) => void }
);

/** A select over typed values: the caller gets the option's own value back, not its text. */
export function Select<V extends string | number>(props: SelectProps<V>) {
  const { value, options, optionLabel } = props;
  return (
    <select
      aria-label={props['aria-label']}
      value={value ?? ''}
      onChange={(e) => {
        const chosen = options.find((o) => String(o) === e.target.value);
        if (props.all !== undefined) props.onChange(chosen);
        else if (chosen !== undefined) props.onChange(chosen);
      }}
    >
      {props.all !== undefined && <option value="">{props.all}</option>}
      {options.map((o) => (
        <option key={o} value={o}>
          {optionLabel(o)}
        </option>
      ))}
    </select>
  );
}

/** A select inside a `field` label. */
export function SelectField<V extends string | number>({
  label,
  ...select
}: { label: ReactNode } & {
  value: V;
  options: readonly V[];
  optionLabel: (v: V) => string;
  onChange: (v: V) => void;
}) {
  return (
    <label className="field">
      {label}
      <Select {...select} />
    </label>
  );
}

/** One choice of several, as radios in a fieldset; `null` is "not chosen yet". */
export function Choice<V extends string>({
  name,
  legend,
  hideLegend = false,
  className,
  options,
  optionLabel,
  value,
  onChange,
}: {
  name: string;
  legend: ReactNode;
  hideLegend?: boolean;
  className: string;
  options: readonly V[];
  optionLabel: (v: V) => ReactNode;
  value: V | null;
  onChange: (v: V) => void;
}) {
  return (
    <fieldset className={className}>
      <legend className={hideLegend ? 'visually-hidden' : undefined}>{legend}</legend>
      {options.map((o) => (
        <label key={o} className="check">
          <input type="radio" name={name} value={o} checked={value === o} onChange={() => onChange(o)} />
          {optionLabel(o)}
        </label>
      ))}
    </fieldset>
  );
}
