/**
 * `bskmq design`'s progress on a terminal (cli/progress.ts), driven with a fake
 * stderr and a fake clock: what a person at a terminal sees, and that a pipe sees nothing.
 */
import { describe, expect, it } from 'vitest';
import { withProgress, type ProgressStream } from '../../cli/progress';
import { freshDesigns, type DesignSource } from '../../src/core/curves';
import { DEFAULT_PARAMS, type Method } from '../../src/core/params';
import { buildPointSet, type PointSet } from '../../src/core/pointset';
import { designReport, inputInfo } from '../../src/core/report';

function fakeStream(isTTY: boolean): ProgressStream & { text: () => string } {
  const parts: string[] = [];
  return { isTTY, write: (t: string) => parts.push(t), text: () => parts.join('') };
}

/** A clock the designs advance: each design costs `designMs`, each optimum `optimumMs`. */
function slowDesigns(ps: PointSet, designMs: number, optimumMs: number): { source: DesignSource; now: () => number } {
  let t = 0;
  const now = () => t;
  const inner = freshDesigns(ps, now);
  const source: DesignSource = {
    ...inner,
    design(method, bits, params) {
      t += designMs;
      return inner.design(method, bits, params);
    },
    optimum(bits) {
      t += optimumMs;
      return inner.optimum(bits);
    },
  };
  return { source, now };
}

const values = Float32Array.from({ length: 2000 }, (_, i) => Math.max(0, Math.sin(i * 1.7) * 2));
const exact = buildPointSet(values, { mode: 'exact' });
const binned = buildPointSet(values, { mode: 'binned' });
const methods: Method[] = ['linear', 'kmeans', 'bskmq', 'optimal'];
const params = { ...DEFAULT_PARAMS, methods };
const input = { file: 'a.npy', tensor: 'a', shape: [2000], dtype: 'float32' };

function run(ps: PointSet, stream: ProgressStream, designMs: number, optimumMs: number, bitsList = [1, 2, 3]) {
  const { source, now } = slowDesigns(ps, designMs, optimumMs);
  const progress = withProgress(source, ps, 'a.npy', bitsList, methods, stream, now);
  const report = designReport(ps, inputInfo(ps, input, params), params, bitsList, progress.designs);
  progress.done();
  return report;
}

describe('design progress', () => {
  it('writes nothing and passes the designs through when stderr is not a terminal', () => {
    const stream = fakeStream(false);
    const { source, now } = slowDesigns(exact, 5000, 60000);
    const progress = withProgress(source, exact, 'a.npy', [1, 2], methods, stream, now);
    expect(progress.designs).toBe(source);
    run(exact, stream, 5000, 60000);
    expect(stream.text()).toBe('');
  });

  it('shows bits, method, step count and elapsed time on one line rewritten in place, cleared at the end', () => {
    const stream = fakeStream(true);
    run(binned, stream, 1500, 100);
    const text = stream.text();
    // The line ends with ESC [K (erase to the end of the line).
    expect(text).toMatch(
      new RegExp(String.raw`^\rdesigning a\.npy: \d bits?, \w[\w ]*\(\d+/12, \d+\.\d s\)` + '\u001b' + String.raw`\[K`),
    );
    expect(text).toContain('3 bits, bskmq (12/12,');
    expect(text).not.toContain('\n');
    expect(text.endsWith('\r\x1b[K')).toBe(true);
  });

  it('stays silent on a run that ends before the progress delay', () => {
    const stream = fakeStream(true);
    run(binned, stream, 10, 10);
    expect(stream.text()).toBe('');
  });

  it('says once, on an exact set, that the optimum is the slow part and that --binned avoids it', () => {
    const stream = fakeStream(true);
    run(exact, stream, 100, 4000);
    const notes = stream
      .text()
      .split(/[\r\n]/)
      .filter((l) => l.includes('bskmq: note:'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('exact optimum is the slow part');
    expect(notes[0]).toContain('--binned');
    expect(notes[0]).toContain(`on ${exact.x.length.toLocaleString('en-US')} distinct values`);
  });

  it('does not blame the optimum when the other methods take most of the time, nor on a binned set', () => {
    const busy = fakeStream(true);
    run(exact, busy, 3000, 3000);
    expect(busy.text()).not.toContain('slow part');
    const onBins = fakeStream(true);
    run(binned, onBins, 100, 10000);
    expect(onBins.text()).not.toContain('slow part');
  });

  it('leaves the report unchanged apart from design times', () => {
    const strip = (r: ReturnType<typeof run>) => r.results.map((x) => ({ ...x, seconds: 0 }));
    expect(strip(run(exact, fakeStream(true), 1500, 4000))).toEqual(strip(run(exact, fakeStream(false), 1500, 4000)));
  });
});
