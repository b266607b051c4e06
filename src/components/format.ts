/** Number formatting for the panels and the table (display only; exports keep full precision). */

/** One formatter for every count: `toLocaleString` builds a new one per call (milliseconds per redraw). */
const COUNT_FORMAT = new Intl.NumberFormat('en-US');

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? COUNT_FORMAT.format(Math.round(n)) : '—';
}

/** A value with `digits` significant digits, switching to exponent notation for very small or large values. */
export function formatValue(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return Number(v.toPrecision(digits)).toString();
  return v.toExponential(digits - 1);
}

/** A share 0..1 as a percentage. */
export function formatShare(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${(v * 100).toFixed(digits)} %`;
}

/** Seconds as ms with one decimal. */
export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  return s < 1 ? `${(s * 1000).toFixed(1)} ms` : `${s.toFixed(2)} s`;
}

/** A bound as a reader writes it: 4294967295, 0.5, 1e+140 → "1e140". */
function formatBound(v: number): string {
  const t = String(v).replace('e+', 'e');
  return v < 0 ? `−${t.slice(1)}` : t;
}

/**
 * What a numeric field accepts, from its contract's range: "a whole number from 1 to 64", "a number from 0
 * to 0.5"; `empty` names what an empty box means for a field that may be left empty.
 */
export function allowedText(spec: { min: number; max: number; integer: boolean }, empty?: string): string {
  const range = `${spec.integer ? 'a whole number' : 'a number'} from ${formatBound(spec.min)} to ${formatBound(spec.max)}`;
  return empty ? `${range}, or empty for ${empty}` : range;
}
