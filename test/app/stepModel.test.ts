import { describe, expect, it } from 'vitest';
import { buildExactPointSet } from '../../src/core/pointset';
import { generate } from '../../src/core/generators';
import { DEFAULT_PARAMS } from '../../src/core/params';
import { stepTrace, traceBuffers } from '../../src/worker/traceEngine';
import {
  commandOfKey,
  frameAt,
  mseSeries,
  playStep,
  settledStep,
  stepAfter,
  stepCount,
} from '../../src/components/stepModel';

const ps = buildExactPointSet(generate('relu6', { n: 2000, seed: 4 }));
const params = { ...DEFAULT_PARAMS, methods: [...DEFAULT_PARAMS.methods] };

describe('stepTrace (worker stage)', () => {
  it('adds the run without suppression for bskmq only', () => {
    expect(stepTrace(ps, { params, method: 'bskmq' }).unsuppressed).not.toBeNull();
    expect(stepTrace(ps, { params, method: 'kmeans' }).unsuppressed).toBeNull();
  });

  it('lists every frame buffer once, so the worker can transfer them', () => {
    const r = stepTrace(ps, { params, method: 'bskmq' });
    const buffers = traceBuffers(r);
    expect(new Set(buffers).size).toBe(buffers.length);
    const frames = r.main.frames.length + r.unsuppressed!.frames.length;
    expect(buffers.length).toBeGreaterThanOrEqual(2 * frames);
  });
});

describe('step model', () => {
  const r = stepTrace(ps, { params, method: 'bskmq' });
  it('scrubs over the longer trace and holds the shorter one on its final frame', () => {
    const n = stepCount(r, true);
    expect(n).toBe(Math.max(r.main.frames.length, r.unsuppressed!.frames.length));
    expect(stepCount(r, false)).toBe(r.main.frames.length);
    expect(frameAt(r.main, n - 1).phase).toBe('final');
    expect(frameAt(r.unsuppressed!, n - 1).phase).toBe('final');
  });

  it('settles at the last step that moves a level of either shown run by more than the tolerance', () => {
    const tol = 6e-3;
    const maxMove = (s: number) =>
      Math.max(
        ...[r.main, r.unsuppressed!].map((t) => {
          const a = frameAt(t, s).levels,
            b = frameAt(t, s - 1).levels;
          return a.length !== b.length ? Infinity : Math.max(0, ...a.map((v, j) => Math.abs(v - b[j])));
        }),
      );
    const n = stepCount(r, true);
    const s = settledStep(r, true, tol);
    expect(s).toBeGreaterThan(0);
    expect(s).toBeLessThan(n - 1);
    expect(maxMove(s)).toBeGreaterThan(tol);
    for (let k = s + 1; k < n; k++) expect(maxMove(k)).toBeLessThanOrEqual(tol);
    expect(settledStep(r, true, Infinity)).toBe(0);
    expect(settledStep(r, true, 0)).toBeGreaterThanOrEqual(s);
  });

  it('gives one MSE value per step in every series, with the suppressed set and the unsuppressed run', () => {
    const s = mseSeries(r, true);
    expect(s.map((x) => x.key)).toEqual(['mse', 'clustered', 'unsuppressed']);
    for (const x of s) expect(x.values.length).toBe(stepCount(r, true));
  });

  it('steps within the frames and maps keys to commands', () => {
    expect(stepAfter(0, 5, 'prev')).toBe(0);
    expect(stepAfter(4, 5, 'next')).toBe(4);
    expect(stepAfter(2, 5, 'next')).toBe(3);
    expect(stepAfter(2, 5, 'last')).toBe(4);
    expect(commandOfKey('ArrowRight')).toBe('next');
    expect(commandOfKey('x')).toBeNull();
  });
});

describe('playStep', () => {
  it('advances one frame until the levels settle, then jumps to the final frame when skipping', () => {
    expect(playStep(2, 10, 5, true)).toBe(3);
    expect(playStep(5, 10, 5, true)).toBe(9);
    expect(playStep(5, 10, 5, false)).toBe(6);
    expect(playStep(9, 10, 5, true)).toBe(9);
    expect(playStep(0, 1, 0, true)).toBe(0);
  });
});
