import { describe, expect, it } from 'vitest';
import { buildExactPointSet } from '../../src/core/pointset';
import { generate } from '../../src/core/generators';
import { DEFAULT_PARAMS } from '../../src/core/params';
import { stepTrace, traceBuffers } from '../../src/compute/traceEngine';
import { commandOfKey, frameAt, mseSeries, stepAfter, stepCount } from '../../src/components/stepModel';

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
