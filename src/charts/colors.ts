/**
 * Colours of the charts. Method colours are fixed hex values (Okabe–Ito hues, lightness tuned so
 * each reads on both the light and the dark background); everything else goes through the theme's
 * CSS variables with a light-theme fallback, so an exported SVG can resolve them (see exportSvg.ts).
 */
import type { Method } from '../core/params';

/** One colour per method, colour-blind-safe (Okabe–Ito hues), ≥ 3:1 against white or #121212 for lines. */
export const METHOD_COLORS: Record<Method, string> = {
  linear: '#8C8C8C',
  cdf: '#CC79A7',
  lloydmax: '#3D9BD1',
  kmeans: '#009E73',
  kmeanspp: '#D39200',
  bskmq: '#D55E00',
  optimal: '#4A7BD0',
};

/** Display names of the methods, as the legend and tooltips show them. */
export const METHOD_LABELS: Record<Method, string> = {
  linear: 'Linear',
  cdf: 'CDF',
  lloydmax: 'Lloyd-Max',
  kmeans: 'K-means',
  kmeanspp: 'K-means++',
  bskmq: 'BS-KMQ',
  optimal: 'Optimal',
};

/** Text and axis colour. */
export const FG = 'var(--fg, #1b1b1f)';
/** Page background (used for label halos so text stays readable over marks). */
export const BG = 'var(--bg, #ffffff)';
/** Secondary text and histogram bars. */
export const MUTED = 'var(--muted, #6b7280)';
/** Grid lines. */
export const GRID = 'var(--grid, #e3e5e8)';

/** Explicit font so an exported SVG renders the same outside the page. */
export const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
/** Base font size of ticks and labels, px; legible at 1280×720 and 1920×1080. */
export const FONT_SIZE = 12;
