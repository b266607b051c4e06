/**
 * The recommendation line shown beside the references and written into every export: which method
 * has the lowest MSE at the current bits, and how far the focused method is from it, so a worse
 * design is never handed out silently.
 */
import type { Method } from './params';

/** What the line needs of a report's result. */
export interface MseOfMethod {
  method: string;
  mse: number | null;
}

export interface Recommendation {
  /** The heuristic with the lowest MSE (the optimum only when no other method is shown). */
  best: Method;
  /** True when `best` reaches the optimum's MSE (to 1e-9 relative). */
  bestIsOptimal: boolean;
  focus: Method;
  /** focus MSE / best MSE (≥ 1 unless the focus is the optimum). */
  ratio: number;
  text: string;
}

/** Two MSEs within this relative difference count as equal ("= optimal"). */
const SAME = 1e-9;

/** Whether two MSEs count as equal (within SAME, relative). */
export function sameMse(a: number, b: number): boolean {
  return Math.abs(a - b) <= SAME * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * The lowest-MSE method among `results` (a method that ties the optimum is named before the optimum itself,
 * since it is the practical design) and the focused method's ratio to it, as one sentence:
 * "Lowest MSE here: K-means++ (= optimal). BS-KMQ: +0.5 %". Null when no result has a finite MSE.
 */
export function recommend(
  results: readonly MseOfMethod[],
  focus: Method,
  label: (m: Method) => string = (m) => m,
): Recommendation | null {
  const finite = results.filter((r): r is { method: Method; mse: number } => r.mse !== null && Number.isFinite(r.mse));
  if (finite.length === 0) return null;
  const optimum = finite.find((r) => r.method === 'optimal')?.mse ?? null;
  const lowest = Math.min(...finite.map((r) => r.mse));
  const tie = sameMse;
  const heuristics = finite.filter((r) => r.method !== 'optimal');
  const bestHeuristic = heuristics.length > 0 ? heuristics.reduce((a, b) => (b.mse < a.mse ? b : a)) : null;
  const best = bestHeuristic && tie(bestHeuristic.mse, lowest) ? bestHeuristic : finite.find((r) => r.mse === lowest)!;
  const bestIsOptimal = optimum !== null && tie(best.mse, optimum);
  const focused = finite.find((r) => r.method === focus) ?? null;
  const ratio = focused ? (best.mse > 0 ? focused.mse / best.mse : focused.mse === 0 ? 1 : Infinity) : NaN;
  const head =
    best.method === 'optimal'
      ? `Lowest MSE here: ${label('optimal')}${bestHeuristic ? ` (next: ${label(bestHeuristic.method)} ${formatGap(bestHeuristic.mse / best.mse)})` : ''}`
      : `Lowest MSE here: ${label(best.method)}${bestIsOptimal ? ' (= optimal)' : optimum !== null ? ` (${formatGap(best.mse / optimum)} over optimal)` : ''}`;
  let tail = '';
  if (focused && focused.method !== best.method) {
    tail = ` ${label(focus)}: ${tie(focused.mse, best.mse) ? 'the same' : formatGap(ratio)}`;
  } else if (!focused) {
    tail = ` ${label(focus)}: not computed`;
  }
  return { best: best.method, bestIsOptimal, focus, ratio, text: `${head}.${tail}` };
}

/** A ratio ≥ 1 as the gap a reader takes in: "+0.5 %", "+37 %", "13.7×". */
export function formatGap(ratio: number): string {
  if (!Number.isFinite(ratio)) return '∞×';
  if (ratio >= 2) return `${ratio >= 100 ? Math.round(ratio) : ratio.toFixed(1)}×`;
  const pct = (ratio - 1) * 100;
  if (pct < 0) return `${pct.toFixed(1)} %`;
  if (pct < 0.05) return '+<0.1 %';
  return `+${pct < 9.95 ? pct.toFixed(1) : Math.round(pct)} %`;
}
