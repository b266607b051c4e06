/**
 * Labelled form fields shared by the panels. Every field has a visible label tied to
 * its input, a tooltip with the parameter's exact meaning (shown on hover and while the
 * input has keyboard focus, and tied to it by aria-describedby), and native keyboard
 * behaviour. A number field that refuses a value says what it accepts.
 *
 * The fields are memoised: given the same props (stable callbacks, constant options and
 * formatters) a field skips its re-render, and React does not re-write its <input>'s
 * attributes when a panel re-renders for another field's change.
 */
import { memo, useEffect, useId, useState, type ReactNode } from 'react';

/**
 * A tooltip a keyboard reaches too: `node` goes inside an element with class `tip-host`
 * (CSS shows it on hover and while something in the host has keyboard focus); `id` goes
 * into the described element's aria-describedby. No text, no tooltip.
 */
export function useTip(text: string | undefined): { id: string | undefined; node: ReactNode } {
  const id = useId();
  if (!text) return { id: undefined, node: null };
  return {
    id,
    node: (
      <span role="tooltip" id={id} className="tip">
        {text}
      </span>
    ),
  };
}

/** Static content with a tooltip: the content itself takes keyboard focus to show it. */
export function Tip(props: { text: string; children: ReactNode; className?: string; testId?: string }) {
  const tip = useTip(props.text);
  return (
    <span
      className={`tip-host tip-focus ${props.className ?? ''}`.trim()}
      tabIndex={0}
      aria-describedby={tip.id}
      data-testid={props.testId}
    >
      {props.children}
      {tip.node}
    </span>
  );
}

/** Tooltip plus an error message's ids, for aria-describedby. */
function describedBy(...ids: (string | undefined)[]): string | undefined {
  const list = ids.filter(Boolean);
  return list.length > 0 ? list.join(' ') : undefined;
}

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
  const tip = useTip(props.help);
  const text = props.format ? props.format(props.value) : String(props.value);
  return (
    <div className="field field-range tip-host">
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
        aria-describedby={tip.id}
        onChange={(e) => props.onChange(Number(e.currentTarget.value))}
      />
      {tip.node}
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
  const tip = useTip(props.help);
  return (
    <div className="field field-select tip-host">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        data-testid={props.testId}
        value={props.value}
        disabled={props.disabled}
        aria-describedby={tip.id}
        onChange={(e) => props.onChange(e.currentTarget.value as T)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {tip.node}
    </div>
  );
}

export const SelectField = memo(SelectFieldView) as typeof SelectFieldView;

/**
 * A number typed by hand: applied on Enter or when focus leaves, not per keystroke, so an
 * unfinished "0." never reaches the store. `nullable` fields accept an empty box as null.
 * A refused value stays in the box, marked invalid, with `allowed` (what the field accepts,
 * from the parameter's contract) said below it.
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
    /** What the field accepts, e.g. "a whole number from 1 to 64", shown when a value is refused. */
    allowed?: string;
  },
) {
  const id = useId();
  const errorId = useId();
  const tip = useTip(props.help);
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
    <div className="field field-number tip-host">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        data-testid={props.testId}
        value={text}
        placeholder={props.placeholder}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(invalid ? errorId : undefined, tip.id)}
        onChange={(e) => setText(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setText(shown);
        }}
      />
      {invalid && (
        <span
          className="field-error"
          id={errorId}
          role="alert"
          data-testid={props.testId ? `${props.testId}.error` : undefined}
        >
          {props.allowed ? `Not applied: must be ${props.allowed}.` : 'Not applied: not an allowed value.'}
        </span>
      )}
      {tip.node}
    </div>
  );
});

export const CheckboxField = memo(function CheckboxField(
  props: FieldBase & { checked: boolean; onChange: (v: boolean) => void; disabled?: boolean },
) {
  const id = useId();
  const tip = useTip(props.help);
  return (
    <div className="field field-check tip-host">
      <input
        id={id}
        type="checkbox"
        data-testid={props.testId}
        checked={props.checked}
        disabled={props.disabled}
        aria-describedby={tip.id}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <label htmlFor={id}>{props.label}</label>
      {tip.node}
    </div>
  );
});

/** A focusable control (a button) with a tooltip: `children` gets the id for its aria-describedby. */
export function WithTip(props: { text: string; children: (describedBy: string | undefined) => ReactNode }) {
  const tip = useTip(props.text);
  return (
    <span className="tip-host">
      {props.children(tip.id)}
      {tip.node}
    </span>
  );
}
