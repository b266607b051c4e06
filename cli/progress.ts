/**
 * Progress of `bskmq design` for a person at a terminal: one line rewritten in
 * place (which bit-width and method, how far, how long), and once a note when the
 * exact optimum is what takes the time, naming the flag that avoids it. Nothing
 * at all when stderr is not a terminal, so pipes, logs and tests see only the
 * JSON on stdout and one line per problem on stderr.
 */
import type { Clock, DesignSource } from '../src/core/curves';
import { DEFAULT_BINS, type PointSet } from '../src/core/pointset';
import type { Method } from '../src/core/params';

/** What progress writes to: process.stderr, or a fake terminal in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** How long a design may run before the progress line appears, and before the optimum is called slow (ms). */
export const PROGRESS_AFTER_MS = 1000;
export const SLOW_OPTIMUM_MS = 3000;

/** The optimum is "the slow part" when it has taken at least this share of the time so far. */
const SLOW_SHARE = 0.5;

/** Redraws at most this often (ms), so a fast run does not flood the terminal. */
const REDRAW_MS = 200;

/**
 * `inner` with progress on `stream` (a terminal), or `inner` itself when `stream`
 * is not a terminal. `label` names the input (file and tensor); `bitsList` and
 * `methods` give the number of steps. Call `done()` after the report is built to
 * end the progress line.
 */
export function withProgress(
  inner: DesignSource,
  ps: PointSet,
  label: string,
  bitsList: readonly number[],
  methods: readonly Method[],
  stream: ProgressStream,
  now: Clock,
): { designs: DesignSource; done: () => void } {
  if (!stream.isTTY) return { designs: inner, done: () => {} };
  const others = methods.filter((m) => m !== 'optimal').length;
  const total = bitsList.length * (1 + others);
  const start = now();
  let step = 0;
  let optimumMs = 0;
  let drawn = false;
  let lastDraw = -Infinity;
  let warned = false;
  let lastBits = bitsList[0] ?? 0;

  const draw = (what: string, force = false): void => {
    const t = now();
    if (!force && (t - start < PROGRESS_AFTER_MS || t - lastDraw < REDRAW_MS)) return;
    lastDraw = t;
    drawn = true;
    const secs = ((t - start) / 1000).toFixed(1);
    // \x1b[K clears what a longer previous line left behind.
    stream.write(`\rdesigning ${label}: ${what} (${Math.min(step, total)}/${total}, ${secs} s)\x1b[K`);
  };

  // Judged only once a whole bit-width has run, since each width starts with its optimum.
  const noteSlowOptimum = (bits: number): void => {
    const elapsed = now() - start;
    if (
      warned ||
      step <= 1 + others ||
      ps.mode !== 'exact' ||
      optimumMs < SLOW_OPTIMUM_MS ||
      optimumMs < SLOW_SHARE * elapsed
    )
      return;
    warned = true;
    const points = ps.x.length.toLocaleString('en-US');
    const bins = DEFAULT_BINS.toLocaleString('en-US');
    stream.write(
      `${drawn ? '\r\x1b[K' : ''}bskmq: note: the exact optimum is the slow part ` +
        `(${(optimumMs / 1000).toFixed(1)} s of ${(elapsed / 1000).toFixed(1)} s so far, up to ${bitsText(bits)}, ` +
        `on ${points} distinct values); --binned designs on ${bins} bins instead, much faster, ` +
        `or fewer --bits (the optimum is computed at every bit-width for vsOptimal, whatever --methods says)\n`,
    );
    drawn = false;
  };

  const designs: DesignSource = {
    design(method, bits, params) {
      draw(`${bitsText(bits)}, ${method}`);
      const out = inner.design(method, bits, params);
      step++;
      draw(`${bitsText(bits)}, ${method}`);
      return out;
    },
    optimum(bits) {
      draw(`${bitsText(bits)}, exact optimum`);
      const t0 = now();
      const out = inner.optimum(bits);
      optimumMs += now() - t0;
      step++;
      noteSlowOptimum(bits);
      lastBits = bits;
      draw(`${bitsText(bits)}, exact optimum`);
      return out;
    },
    linearMseByBits: (L, U) => inner.linearMseByBits(L, U),
    energy: () => inner.energy(),
  };
  const done = (): void => {
    noteSlowOptimum(lastBits);
    if (drawn) stream.write('\r\x1b[K');
    drawn = false;
  };
  return { designs, done };
}

function bitsText(bits: number): string {
  return bits === 1 ? '1 bit' : `${bits} bits`;
}
