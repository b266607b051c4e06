/**
 * The step-through's playback model, pure: which frame of each trace a step shows, the step count,
 * the MSE series of the plot, and the next step for a key or a button.
 */
import { METHOD_COLORS, METHOD_LABELS } from '../charts/colors';
import type { StepMseSeries } from '../charts/stepThrough/layout';
import type { StepTraceResult, Trace, TraceFrame } from '../worker/traceEngine';

/** Steps of the scrub bar: the longer trace's frame count (the shorter one holds its final frame). */
export function stepCount(result: StepTraceResult, compare: boolean): number {
  const other = compare && result.unsuppressed ? result.unsuppressed.frames.length : 0;
  return Math.max(result.main.frames.length, other);
}

/** The frame a trace shows at step `s` (clamped: a finished trace stays on its final frame). */
export function frameAt(trace: Trace, s: number): TraceFrame {
  const n = trace.frames.length;
  return trace.frames[Math.min(n - 1, Math.max(0, Math.floor(s)))];
}

/** Seeding frames at the start of a trace. */
export function seedFrameCount(trace: Trace): number {
  let i = 0;
  while (i < trace.frames.length && trace.frames[i].phase === 'seed') i++;
  return i;
}

/** Values of one frame field over `steps` steps, each trace held on its final frame once done. */
function over(trace: Trace, steps: number, pick: (f: TraceFrame) => number): Float64Array {
  const out = new Float64Array(steps);
  for (let s = 0; s < steps; s++) out[s] = pick(frameAt(trace, s));
  return out;
}

/**
 * The MSE plot's series: the method's MSE on all samples; for BS-KMQ also on the suppressed set it
 * clusters, and (when comparing) the run without suppression.
 */
export function mseSeries(result: StepTraceResult, compare: boolean): StepMseSeries[] {
  const steps = stepCount(result, compare);
  const { main, unsuppressed } = result;
  const label = METHOD_LABELS[main.method];
  const series: StepMseSeries[] = [
    {
      key: 'mse',
      label: `${label}: MSE on all samples`,
      color: METHOD_COLORS[main.method],
      dashed: false,
      values: over(main, steps, (f) => f.mse),
    },
  ];
  if (main.suppressed) {
    series.push({
      key: 'clustered',
      label: 'on the suppressed set',
      color: METHOD_COLORS[main.method],
      dashed: true,
      values: over(main, steps, (f) => f.mseClustered),
    });
  }
  if (compare && unsuppressed) {
    series.push({
      key: 'unsuppressed',
      label: 'without suppression',
      color: 'var(--muted, #6b7280)',
      dashed: false,
      values: over(unsuppressed, steps, (f) => f.mse),
    });
  }
  return series;
}

/**
 * A frame-to-frame level move below this share of the shown range is under a pixel on any chart
 * up to 1000 px wide: Lloyd's long tail of such steps looks like a still picture.
 */
export const VISIBLE_CHANGE = 1e-3;

/** Largest level move from step s − 1 to step s; Infinity while seeding changes the number of levels. */
function moveAt(trace: Trace, s: number): number {
  const a = frameAt(trace, s).levels,
    b = frameAt(trace, s - 1).levels;
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let j = 0; j < a.length; j++) d = Math.max(d, Math.abs(a[j] - b[j]));
  return d;
}

/**
 * The last step that moves some level of a shown trace by more than `tolerance` (value units):
 * every later step moves each level by at most `tolerance`, so the picture no longer changes
 * visibly from one frame to the next. 0 for a still or empty trace.
 */
export function settledStep(result: StepTraceResult, compare: boolean, tolerance: number): number {
  const steps = stepCount(result, compare);
  const traces = compare && result.unsuppressed ? [result.main, result.unsuppressed] : [result.main];
  if (traces.some((t) => t.frames.length === 0)) return 0;
  let s = steps - 1;
  while (s > 0 && traces.every((t) => moveAt(t, s) <= tolerance)) s--;
  return s;
}

export type StepCommand = 'first' | 'prev' | 'next' | 'last';

/** The step after a command, within 0 … count − 1. */
export function stepAfter(s: number, count: number, command: StepCommand): number {
  const last = Math.max(0, count - 1);
  switch (command) {
    case 'first':
      return 0;
    case 'prev':
      return Math.max(0, Math.min(last, s - 1));
    case 'next':
      return Math.min(last, s + 1);
    case 'last':
      return last;
  }
}

/** The command of a key, or null (arrows, Home, End; PageUp/PageDown as step back/forward for clickers). */
export function commandOfKey(key: string): StepCommand | null {
  switch (key) {
    case 'ArrowLeft':
    case 'PageUp':
      return 'prev';
    case 'ArrowRight':
    case 'PageDown':
      return 'next';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    default:
      return null;
  }
}

/** Seconds per frame the play control offers; the first is the default. */
export const PLAY_SPEEDS = [0.5, 0.25, 0.1, 0.9, 1.5] as const;

/**
 * The step after `s` while playing: the next one, or — with `skip` on, once the levels stopped moving
 * visibly (`s ≥ settled`) — straight to the final frame, so a long Lloyd tail does not play out frame by frame.
 */
export function playStep(s: number, count: number, settled: number, skip: boolean): number {
  if (s >= count - 1) return Math.max(0, count - 1);
  if (skip && s >= settled) return count - 1;
  return s + 1;
}
