/**
 * Labelled form fields shared by the panels. Every field has a visible label tied to
 * its input, a tooltip with the parameter's exact meaning, and native keyboard behaviour.
 *
 * The fields are memoised: given the same props (stable callbacks, constant options and
 * formatters) a field skips its re-render, and React does not re-write its <input>'s
 * attributes when a panel re-renders for another field's change.
 */
import { memo, useEffect, useId, useState, type ReactNode } from 'react';

interface FieldBase {
  label: ReactNode;
  help?: string;
  testId?: string;
}

export const RangeField = memo(function RangeField(
  props: FieldBase & {
    value: number;
    min: number;
    max: number;
    step: number;
    onChange: (v: number) => void;
    format?: (v: number) => string;
    disabled?: boolean;
  },
) {
  const id = useId();
  const text = props.format ? props.format(props.value) : String(props.value);
  return (
    <div className="field field-range" title={props.help}>
      <label htmlFor={id}>
        <span>{props.label}</span>
        <output htmlFor={id}>{text}</output>
      </label>
      <input
        id={id}
        type="range"
        data-testid={props.testId}
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        disabled={props.disabled}
        aria-valuetext={text}
        aria-description={props.help}
        onChange={(e) => props.onChange(Number(e.currentTarget.value))}
      />
    </div>
  );
});

function SelectFieldView<T extends string>(
  props: FieldBase & {
    value: T;
    options: readonly { value: T; label: string }[];
    onChange: (v: T) => void;
    disabled?: boolean;
  },
) {
  const id = useId();
  return (
    <div className="field field-select" title={props.help}>
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        data-testid={props.testId}
        value={props.value}
        disabled={props.disabled}
        aria-description={props.help}
        onChange={(e) => props.onChange(e.currentTarget.value as T)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export const SelectField = memo(SelectFieldView) as typeof SelectFieldView;

/**
 * A number typed by hand: applied on Enter or when focus leaves, not per keystroke, so an
 * unfinished "0." never reaches the store. `nullable` fields accept an empty box as null.
 */
export const NumberField = memo(function NumberField(
  props: FieldBase & {
    value: number | null;
    onCommit: (v: number | null) => boolean;
    placeholder?: string;
    nullable?: boolean;
    step?: number;
    min?: number;
    max?: number;
  },
) {
  const id = useId();
  const shown = props.value === null ? '' : String(props.value);
  const [text, setText] = useState(shown);
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    setText(shown);
    setInvalid(false);
  }, [shown]);
  const commit = () => {
    const t = text.trim();
    if (t === shown) return;
    const v = t === '' ? null : Number(t);
    const ok = (v === null && props.nullable) || (v !== null && Number.isFinite(v));
    if (ok && props.onCommit(v)) setInvalid(false);
    else setInvalid(true);
  };
  return (
    <div className="field field-number" title={props.help}>
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        data-testid={props.testId}
        value={text}
        placeholder={props.placeholder}
        aria-invalid={invalid || undefined}
        aria-description={props.help}
        onChange={(e) => setText(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setText(shown);
        }}
      />
    </div>
  );
});

export const CheckboxField = memo(function CheckboxField(
  props: FieldBase & { checked: boolean; onChange: (v: boolean) => void; disabled?: boolean },
) {
  const id = useId();
  return (
    <div className="field field-check" title={props.help}>
      <input
        id={id}
        type="checkbox"
        data-testid={props.testId}
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <label htmlFor={id}>{props.label}</label>
    </div>
  );
});
