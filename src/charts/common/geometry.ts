/**
 * Small pure helpers shared by the chart layouts: rounding, tick arrays, label widths, the plot frame.
 * Layout coordinates are rounded to 1/100 px so the SVG stays short and snapshots stay readable.
 */
import { format, type ScaleContinuousNumeric, type ScaleLogarithmic } from 'd3';
import { FONT_SIZE } from '../colors';

/** One axis tick: `pos` in px along the axis, the data `value`, and its formatted `label`. */
export interface Tick {
  pos: number;
  value: number;
  label: string;
}

/** Space around the plot area, px. */
export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** The plot area inside the margins, px; marks are drawn relative to its top-left corner. */
export interface Frame {
  width: number;
  height: number;
  margin: Margin;
  plotWidth: number;
  plotHeight: number;
}

/** Rounds to 1/100 px. */
export function px(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The finite numbers of `values`, sorted ascending. */
export function finiteSorted(values: readonly number[]): number[] {
  return values.filter(Number.isFinite).sort((a, b) => a - b);
}

/** Approximate rendered width of `label` at `fontSize`: 0.66 em per character, a little over the mean of
 *  DejaVu Sans (the widest common fallback), so margins sized from it never clip. */
export function textWidth(label: string, fontSize = FONT_SIZE): number {
  return label.length * fontSize * 0.66;
}

/** Ticks of a linear scale with d3's nice steps, formatted with `specifier` (or d3's default precision). */
export function linearTicks(scale: ScaleContinuousNumeric<number, number>, count: number, specifier?: string): Tick[] {
  const values = scale.ticks(Math.max(2, count));
  const fmt = specifier ? format(specifier) : scale.tickFormat(count);
  return values.map((value) => ({ pos: px(scale(value)), value, label: fmt(value) }));
}

/**
 * Ticks of a log scale: every power of ten, plus 2× and 5× when the domain spans at most two
 * decades (so a narrow domain still has several labels), thinned to about `maxTicks`.
 */
export function logTicks(scale: ScaleLogarithmic<number, number>, specifier: string, maxTicks: number): Tick[] {
  const [d0, d1] = scale.domain();
  const lo = Math.min(d0, d1),
    hi = Math.max(d0, d1);
  if (!(lo > 0) || !Number.isFinite(hi)) return [];
  const e0 = Math.floor(Math.log10(lo)),
    e1 = Math.ceil(Math.log10(hi));
  const mantissas = e1 - e0 <= 2 ? [1, 2, 5] : [1];
  let values: number[] = [];
  for (let e = e0; e <= e1; e++) {
    for (const m of mantissas) {
      // Built from a string so 1e-3 is exactly the literal, not 0.0010000000000000002.
      const v = Number(`${m}e${e}`);
      if (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12)) values.push(v);
    }
  }
  if (values.length > maxTicks) {
    const stride = Math.ceil(values.length / maxTicks);
    values = values.filter((_, i) => i % stride === 0);
  }
  const fmt = format(specifier);
  return values.map((value) => ({ pos: px(scale(value)), value, label: fmt(value) }));
}

/** `domain` if it is a finite increasing pair, else the extent of `fallback` values, else [0, 1]. */
export function safeDomain(
  domain: readonly [number, number] | null | undefined,
  fallback: readonly number[],
): [number, number] {
  if (domain && Number.isFinite(domain[0]) && Number.isFinite(domain[1]) && domain[1] > domain[0]) {
    return [domain[0], domain[1]];
  }
  const values = finiteSorted(fallback);
  if (values.length === 0) return [0, 1];
  const lo = values[0],
    hi = values[values.length - 1];
  if (hi > lo) return [lo, hi];
  // A single value: centre it in a unit-ish window so scales stay invertible.
  const half = lo === 0 ? 0.5 : Math.abs(lo) * 0.5;
  return [lo - half, hi + half];
}

/** Width and height clamped to something drawable (tiny or non-finite sizes would make NaN geometry). */
export function safeSize(width: number, height: number): { width: number; height: number } {
  return {
    width: Number.isFinite(width) ? Math.max(160, Math.floor(width)) : 640,
    height: Number.isFinite(height) ? Math.max(120, Math.floor(height)) : 300,
  };
}

/** The widest label among `ticks`, px. */
export function widestLabel(ticks: readonly Tick[], fontSize = FONT_SIZE): number {
  return ticks.reduce((w, t) => Math.max(w, textWidth(t.label, fontSize)), 0);
}
