import { describe, expect, it } from 'vitest';
import { formatGap, recommend } from '../../src/core/recommend';

const labels: Record<string, string> = { kmeanspp: 'K-means++', bskmq: 'BS-KMQ', optimal: 'Optimal', linear: 'Linear' };
const label = (m: string) => labels[m] ?? m;

describe('recommend', () => {
  it('names a heuristic that ties the optimum before the optimum, and the focus by its gap', () => {
    const r = recommend(
      [
        { method: 'linear', mse: 2 },
        { method: 'kmeanspp', mse: 1 },
        { method: 'bskmq', mse: 1.005 },
        { method: 'optimal', mse: 1 },
      ],
      'bskmq',
      label,
    )!;
    expect(r.best).toBe('kmeanspp');
    expect(r.bestIsOptimal).toBe(true);
    expect(r.text).toBe('Lowest MSE here: K-means++ (= optimal). BS-KMQ: +0.5 %');
  });

  it('names the optimum and the next best heuristic when no heuristic reaches it', () => {
    const r = recommend(
      [
        { method: 'kmeanspp', mse: 1.1 },
        { method: 'bskmq', mse: 13.7 },
        { method: 'optimal', mse: 1 },
      ],
      'bskmq',
      label,
    )!;
    expect(r.best).toBe('optimal');
    expect(r.text).toBe('Lowest MSE here: Optimal (next: K-means++ +10 %). BS-KMQ: 13.7×');
    const noOpt = recommend(
      [
        { method: 'kmeanspp', mse: 1.1 },
        { method: 'bskmq', mse: 1.21 },
      ],
      'bskmq',
      label,
    )!;
    expect(noOpt.text).toBe('Lowest MSE here: K-means++. BS-KMQ: +10 %');
  });

  it('has no tail when the focus is the best, and is null without a finite MSE', () => {
    expect(
      recommend(
        [
          { method: 'bskmq', mse: 1 },
          { method: 'optimal', mse: 1 },
        ],
        'bskmq',
        label,
      )!.text,
    ).toBe('Lowest MSE here: BS-KMQ (= optimal).');
    expect(recommend([{ method: 'bskmq', mse: null }], 'bskmq')).toBeNull();
  });

  it('formats gaps as percent below 2× and as a factor above', () => {
    expect(formatGap(1)).toBe('+<0.1 %');
    expect(formatGap(1.37)).toBe('+37 %');
    expect(formatGap(2831)).toBe('2831×');
  });
});
