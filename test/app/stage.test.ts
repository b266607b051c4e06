import { describe, expect, it } from 'vitest';
import { Stage } from '../../src/compute/stage';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('pipeline stage', () => {
  it('runs one request at a time and skips the ones superseded while waiting (latest wins)', async () => {
    const runs: number[] = [];
    const gates = new Map<number, ReturnType<typeof deferred<number>>>();
    const applied: number[] = [];
    const stage = new Stage<number, number>({
      name: 't',
      run: (i) => {
        runs.push(i);
        const d = deferred<number>();
        gates.set(i, d);
        return d.promise;
      },
      apply: (o) => applied.push(o),
      onError: () => undefined,
    });
    stage.request('1', 1);
    stage.request('2', 2);
    stage.request('3', 3);
    expect(runs).toEqual([1]);
    gates.get(1)!.resolve(10);
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toEqual([1, 3]);
    gates.get(3)!.resolve(30);
    await stage.settled();
    expect(applied).toEqual([10, 30]);
    expect(stage.busy).toBe(false);
  });

  it('drops a result that is no longer valid (data changed meanwhile)', async () => {
    let version = 1;
    const applied: number[] = [];
    const stage = new Stage<{ v: number }, number>({
      name: 't',
      run: async (i) => i.v,
      apply: (o) => applied.push(o),
      valid: (i) => i.v === version,
      onError: () => undefined,
    });
    stage.request('a', { v: 1 });
    version = 2;
    await stage.settled();
    expect(applied).toEqual([]);
  });

  it('ignores a repeated key and reruns it after invalidate', async () => {
    let runs = 0;
    const stage = new Stage<number, number>({
      name: 't',
      run: async (i) => (runs++, i),
      apply: () => undefined,
      onError: () => undefined,
    });
    stage.request('k', 1);
    await stage.settled();
    stage.request('k', 1);
    await stage.settled();
    expect(runs).toBe(1);
    stage.invalidate();
    stage.request('k', 1);
    await stage.settled();
    expect(runs).toBe(2);
  });

  it('reports only the newest request’s error', async () => {
    const errors: unknown[] = [];
    const gate = deferred<number>();
    const stage = new Stage<number, number>({
      name: 't',
      run: (i) => (i === 1 ? gate.promise : Promise.reject(new Error('boom'))),
      apply: () => undefined,
      onError: (e) => errors.push(e),
    });
    stage.request('1', 1);
    stage.request('2', 2);
    gate.reject(new Error('stale'));
    await stage.settled();
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom']);
  });

  it('debounces a burst into one run', async () => {
    const runs: number[] = [];
    const stage = new Stage<number, number>({
      name: 't',
      debounceMs: 20,
      run: async (i) => (runs.push(i), i),
      apply: () => undefined,
      onError: () => undefined,
    });
    for (let i = 0; i < 5; i++) stage.request(String(i), i);
    await stage.settled();
    expect(runs).toEqual([4]);
  });

  it('runs a request to an idle stage at once, and debounces only the requests that arrive while it is busy (leading)', async () => {
    const runs: number[] = [];
    const gate = deferred<number>();
    const stage = new Stage<number, number>({
      name: 't',
      debounceMs: 40,
      leading: true,
      run: async (i) => {
        runs.push(i);
        return i === 1 ? gate.promise : i;
      },
      apply: () => undefined,
      onError: () => undefined,
    });
    stage.request('1', 1);
    expect(runs).toEqual([1]);
    // A burst: 2 and 3 come while 1 runs; only the newest runs, after the input rested.
    stage.request('2', 2);
    stage.request('3', 3);
    gate.resolve(1);
    await new Promise((r) => setTimeout(r, 10));
    expect(runs).toEqual([1]);
    await stage.settled();
    expect(runs).toEqual([1, 3]);
    // Idle again: the next request runs at once, however soon after the last one.
    stage.request('4', 4);
    expect(runs).toEqual([1, 3, 4]);
    await stage.settled();
  });

  it('applies a cached result at once without running, and drops the result of a run it overtakes', async () => {
    const runs: number[] = [];
    const applied: number[] = [];
    const busy: boolean[] = [];
    const gate = deferred<number>();
    const stage = new Stage<number, number>({
      name: 't',
      cached: (i) => (i === 2 ? 20 : undefined),
      run: (i) => {
        runs.push(i);
        return gate.promise;
      },
      apply: (o) => applied.push(o),
      onError: () => undefined,
      onBusy: (b) => busy.push(b),
    });
    stage.request('1', 1);
    stage.request('2', 2);
    expect(applied).toEqual([20]);
    gate.resolve(10);
    await stage.settled();
    expect(runs).toEqual([1]);
    expect(applied).toEqual([20]);
    expect(busy.at(-1)).toBe(false);
  });

  it('waits for `after` before running, then runs only the newest request', async () => {
    const runs: number[] = [];
    const gate = deferred<void>();
    const stage = new Stage<number, number>({
      name: 't',
      after: () => gate.promise,
      run: async (i) => {
        runs.push(i);
        return i;
      },
      apply: () => undefined,
      onError: () => undefined,
    });
    stage.request('1', 1);
    stage.request('2', 2);
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toEqual([]);
    gate.resolve();
    await stage.settled();
    expect(runs).toEqual([2]);
  });

  it('with `after` and a burst during the wait, runs the newest request once and then goes idle', async () => {
    const runs: number[] = [];
    const busy: boolean[] = [];
    const gate = deferred<void>();
    const stage = new Stage<number, number>({
      name: 't',
      debounceMs: 20,
      leading: true,
      after: () => gate.promise,
      run: async (i) => {
        runs.push(i);
        return i;
      },
      apply: () => undefined,
      onError: () => undefined,
      onBusy: (b) => busy.push(b),
    });
    stage.request('1', 1);
    stage.request('2', 2);
    stage.request('3', 3);
    gate.resolve();
    await stage.settled();
    await new Promise((r) => setTimeout(r, 40));
    expect(runs).toEqual([3]);
    expect(stage.busy).toBe(false);
    expect(busy.at(-1)).toBe(false);
  });
});
