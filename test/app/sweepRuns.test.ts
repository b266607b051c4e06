import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/worker/engine';
import { SweepAbandonedError, SweepRuns, type SweepWorkers } from '../../src/compute/sweepRuns';
import { sweepWidths } from '../../src/core/curves';
import { DEFAULT_PARAMS, type Params } from '../../src/core/params';

const params: Params = { ...DEFAULT_PARAMS, bits: 3 };
const widthCount = sweepWidths({ ...params, bandLow: 0, bandHigh: 0 }).length;
const tick = () => new Promise<void>((r) => setTimeout(r, 0));

/** Fake workers: a point's MSE is 100 × width + bits, answered after one timer tick; every call is logged. */
function fakeWorkers(fail?: (worker: 0 | 1, width: number) => boolean) {
  const calls: { worker: 0 | 1; bits: number; width: number }[] = [];
  const workers: SweepWorkers = {
    async point(worker, p, width) {
      calls.push({ worker, bits: p.bits, width });
      await tick();
      if (fail?.(worker, width)) throw new Error(`worker ${worker} failed`);
      return 100 * width + p.bits;
    },
    async references() {
      return { kmeansMse: 1, optimalMse: 0.5 };
    },
  };
  return { workers, calls };
}

/** fakeWorkers whose quiet() holds every speculative point until `open()`; `close()` shuts it again. */
function gatedWorkers() {
  const fake = fakeWorkers();
  let open: () => void = () => undefined;
  let gate: Promise<void>;
  const close = () => (gate = new Promise<void>((r) => (open = r)));
  close();
  const runs = new SweepRuns({ ...fake.workers, quiet: () => gate });
  return { ...fake, runs, open: () => open(), close };
}

describe('SweepRuns', () => {
  it('shares the grid points between both workers and equals one engine sweeping alone', async () => {
    const engines = [createEngine(), createEngine()];
    for (const e of engines) await e.loadGenerator('relu6', { n: 4000, seed: 3 });
    const used = new Set<number>();
    const runs = new SweepRuns({
      point: async (worker, p, width) => {
        used.add(worker);
        await tick();
        return engines[worker].sweepPoints(p, [width]).mse[0];
      },
      references: async (p) => engines[0].sweepReferences(p),
    });
    const shared = await runs.sweep({ ...params, bandLow: 0.07 });
    expect(shared).toEqual(engines[1].sweep({ ...params, bandLow: 0.07 }));
    expect([...used].sort()).toEqual([0, 1]);
  });

  it('runs a speculative sweep on the workers it names until the page asks for it or moveSpeculative moves it', async () => {
    const { workers, calls } = fakeWorkers();
    const runs = new SweepRuns(workers);
    expect((await runs.sweep({ ...params, bits: 6 }, { speculative: true, workers: [1] })).mse).toHaveLength(
      widthCount,
    );
    expect(new Set(calls.map((c) => c.worker))).toEqual(new Set([1]));
    // The page asks for the sweep the precompute is running: it shares it, and worker 0 joins.
    calls.length = 0;
    const speculative = runs.sweep({ ...params, bits: 7 }, { speculative: true, workers: [1] });
    await tick();
    const asked = runs.sweep({ ...params, bits: 7 });
    expect(await asked).toBe(await speculative);
    expect(new Set(calls.map((c) => c.worker))).toEqual(new Set([0, 1]));
    expect(calls).toHaveLength(widthCount);
    // moveSpeculative: a running speculative sweep leaves worker 1 after its point and finishes on 0.
    calls.length = 0;
    const later = runs.sweep({ ...params, bits: 5 }, { speculative: true, workers: [1] });
    await tick();
    const before = calls.length;
    runs.moveSpeculative([0]);
    const result = await later;
    expect(result.x).toHaveLength(widthCount);
    expect(result.mse).toEqual(result.x.map((w) => 100 * w + 5));
    expect(calls).toHaveLength(widthCount);
    expect(calls.slice(before + 1).every((c) => c.worker === 0)).toBe(true);
    expect(calls.filter((c) => c.worker === 0).length).toBeGreaterThan(0);
  });

  it("takes a speculative sweep's points only when quiet() lets it; a sweep the page asks for never waits", async () => {
    const { runs, calls, open, close } = gatedWorkers();
    const speculative = runs.sweep({ ...params, bits: 6 }, { speculative: true, workers: [0] });
    await tick();
    expect(calls).toHaveLength(0);
    open();
    expect((await speculative).mse).toHaveLength(widthCount);
    // Closed again: the page's own sweep runs straight through.
    close();
    calls.length = 0;
    expect((await runs.sweep({ ...params, bits: 2 })).mse).toHaveLength(widthCount);
    expect(calls).toHaveLength(widthCount);
  });

  it('a speculative sweep moved to another worker while it waits for quiet() takes no point on the old one', async () => {
    const { runs, calls, open } = gatedWorkers();
    const speculative = runs.sweep({ ...params, bits: 6 }, { speculative: true, workers: [1] });
    await tick();
    runs.moveSpeculative([0]);
    open();
    expect((await speculative).mse).toHaveLength(widthCount);
    expect(calls.map((c) => c.worker)).toEqual(new Array(widthCount).fill(0));
  });

  it('designs each width once when the same sweep is asked for again while it runs', async () => {
    const { workers, calls } = fakeWorkers();
    const runs = new SweepRuns(workers);
    const [a, b] = await Promise.all([runs.sweep(params, { speculative: true }), runs.sweep(params)]);
    expect(b).toBe(a);
    expect(calls).toHaveLength(widthCount);
    expect(a.mse).toEqual(a.x.map((w) => 100 * w + 3));
  });

  it('gives up a speculative sweep for one the page asks for, never the other way round', async () => {
    const { workers, calls } = fakeWorkers();
    const runs = new SweepRuns(workers);
    const speculative = runs.sweep({ ...params, bits: 7 }, { speculative: true });
    await tick();
    const asked = runs.sweep({ ...params, bits: 4 });
    await expect(speculative).rejects.toBeInstanceOf(SweepAbandonedError);
    const laterSpeculative = runs.sweep({ ...params, bits: 5 }, { speculative: true });
    const result = await asked;
    expect(result.bits).toBe(4);
    expect(result.mse).toEqual(result.x.map((w) => 100 * w + 4));
    expect((await laterSpeculative).bits).toBe(5);
    // The abandoned sweep stopped after the points it had started.
    expect(calls.filter((c) => c.bits === 7).length).toBeLessThan(widthCount);
  });

  it('rejects when a worker fails, and the other worker stops taking points', async () => {
    let failures = 1;
    const { workers, calls } = fakeWorkers((worker) => worker === 1 && failures-- > 0);
    const runs = new SweepRuns(workers);
    await expect(runs.sweep(params)).rejects.toThrow('worker 1 failed');
    const callsOfFailedRun = calls.length;
    expect(callsOfFailedRun).toBeLessThan(widthCount);
    // A failed run is not kept: asking again designs every width anew.
    expect((await runs.sweep(params)).x).toHaveLength(widthCount);
    expect(calls.length - callsOfFailedRun).toBe(widthCount);
  });
});
