/**
 * The compute client with its workers replaced by real engines behind MessageChannels (Comlink on both
 * ends, as in the browser, minus the threads): which worker answers what, and recovery of the layers worker.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import {
  ComputeClient,
  WorkerHungError,
  watchdogBudgetMs,
  WATCHDOG_BASE_MS,
  type WorkerRole,
} from '../../src/compute/client';
import { createEngine } from '../../src/worker/engine';
import { designLayer } from '../../src/worker/layersEngine';
import { bytesSource, openFile } from '../../src/core/formats';
import { DEFAULT_PARAMS, type Params } from '../../src/core/params';

const FILE = 'deflated.npz';
const bytes = new Uint8Array(readFileSync(resolve(import.meta.dirname, '../fixtures/formats', FILE)));
const params: Params = { ...DEFAULT_PARAMS, methods: ['linear', 'kmeans', 'bskmq'], bits: 2, restarts: 1 };

/** One fake worker: a real engine on the other end of a MessageChannel, with a log of the calls it served. */
interface FakeWorker {
  calls: string[];
  /** Makes the worker fail as an uncaught error would (the client's 'error' listener fires). */
  crash(): void;
  /** While set, layerRow waits for it before designing. */
  gate: Promise<void> | null;
  /** The next call of this method never answers (the worker shell's stallNext hook). */
  stalled: string | null;
}

function fakeWorkers() {
  const made: FakeWorker[] = [];
  const ports: MessagePort[] = [];
  const factory = () => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    const engine = createEngine(() => 0);
    const fake: FakeWorker = { calls: [], crash: () => undefined, gate: null, stalled: null };
    let queue: Promise<void> = Promise.resolve();
    const served = new Proxy(engine as unknown as Record<string, (...a: unknown[]) => unknown>, {
      get(target, key: string) {
        if (key === 'stallNext') return (method: string) => void (fake.stalled = method);
        const fn = target[key];
        if (typeof fn !== 'function') return fn;
        // One call at a time, as a worker thread running synchronous designs serves its messages.
        return (...args: unknown[]) => {
          const run = async () => {
            fake.calls.push(key);
            if (key === 'layerRow' && fake.gate) await fake.gate;
            if (fake.stalled === key) {
              fake.stalled = null;
              await new Promise<never>(() => undefined);
            }
            return fn(...args);
          };
          const result = queue.then(run);
          queue = result.then(
            () => undefined,
            () => undefined,
          );
          return result;
        };
      },
    });
    Comlink.expose(served, port2);
    const errorListeners: ((e: { message: string; preventDefault(): void }) => void)[] = [];
    fake.crash = () =>
      errorListeners.forEach((l) => l({ message: 'simulated crash', preventDefault: () => undefined }));
    made.push(fake);
    const worker = {
      postMessage: (m: unknown, t?: Transferable[]) => port1.postMessage(m, t ?? []),
      addEventListener: (type: string, l: never) => {
        if (type === 'message') port1.addEventListener('message', l);
        if (type === 'error') errorListeners.push(l);
      },
      removeEventListener: (type: string, l: never) => {
        if (type === 'message') port1.removeEventListener('message', l);
      },
      start: () => port1.start(),
      terminate: () => port1.close(),
    };
    return worker as unknown as Worker;
  };
  const close = () => ports.forEach((p) => p.close());
  return { factory, made, close };
}

/** The worker that served `call` (exactly one). */
function servedBy(made: FakeWorker[], call: string): FakeWorker[] {
  return made.filter((w) => w.calls.includes(call));
}

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

function setUp() {
  const workers = fakeWorkers();
  const restarts: WorkerRole[] = [];
  const hangs: (WorkerHungError | null)[] = [];
  const client = new ComputeClient(workers.factory, {
    onWorkerRestart: (role, _cause, _restored, hung) => {
      restarts.push(role);
      hangs.push(hung);
    },
  });
  cleanup = () => {
    client.dispose();
    workers.close();
  };
  return { client, workers, restarts, hangs };
}

async function loadFile(client: ComputeClient) {
  const blob = new Blob([bytes]);
  return client.load({ kind: 'blob', blob, name: FILE, opts: {} });
}

describe('compute client: the layers worker', () => {
  it('designs layer rows in a worker of its own that opens the loaded file, with the values of designLayer', async () => {
    const { client, workers } = setUp();
    const loaded = await loadFile(client);
    const tensors = loaded.tensors.map((t) => t.name);
    expect(tensors.length).toBeGreaterThan(1);
    const rows = [];
    for (const t of tensors) rows.push(await client.layerRow(t, params));

    const file = await openFile(bytesSource(FILE, bytes));
    for (const [i, t] of tensors.entries()) {
      const expected = await designLayer(file, t, params, () => 0);
      expect(rows[i]).toEqual(expected);
    }
    const [layers] = servedBy(workers.made, 'layerRow');
    expect(servedBy(workers.made, 'layerRow')).toHaveLength(1);
    // Opened once for all rows, and never asked for anything the slider waits for.
    expect(layers.calls.filter((c) => c === 'openForLayers')).toHaveLength(1);
    expect(layers.calls.some((c) => c === 'loadBlob' || c === 'report')).toBe(false);
    expect(servedBy(workers.made, 'loadBlob')[0].calls).not.toContain('layerRow');
  });

  it('answers a report while a layer row is still running', async () => {
    const { client, workers } = setUp();
    const loaded = await loadFile(client);
    await client.layerRow(loaded.tensors[0].name, params); // starts and opens the layers worker
    const [layers] = servedBy(workers.made, 'layerRow');
    let release = () => undefined as void;
    layers.gate = new Promise<void>((r) => (release = r));
    let rowDone = false;
    const row = client.layerRow(loaded.tensors[1].name, params).then((r) => {
      rowDone = true;
      return r;
    });
    const report = await client.report(params);
    expect(report.report.params.bits).toBe(2);
    expect(rowDone).toBe(false);
    release();
    expect((await row).tensor).toBe(loaded.tensors[1].name);
  });

  it('reopens the file after a new load, and in a new worker after the layers worker dies', async () => {
    const { client, workers, restarts } = setUp();
    const loaded = await loadFile(client);
    const first = loaded.tensors[0].name;
    const before = await client.layerRow(first, params);
    const [layers] = servedBy(workers.made, 'layerRow');

    await loadFile(client);
    expect(await client.layerRow(first, params)).toEqual(before);
    expect(layers.calls.filter((c) => c === 'openForLayers')).toHaveLength(2);

    layers.crash();
    expect(restarts).toEqual(['layers']);
    expect(await client.layerRow(first, params)).toEqual(before);
    const servers = servedBy(workers.made, 'layerRow');
    expect(servers).toHaveLength(2);
    expect(servers[1].calls.slice(0, 2)).toEqual(['openForLayers', 'layerRow']);
  });

  it('opens a downloaded file from the bytes the interactive worker holds: one download for every row', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'access-control-allow-origin': '*' });
      res.end(Buffer.from(bytes));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { client, workers } = setUp();
      const { port } = server.address() as AddressInfo;
      const loaded = await client.load({ kind: 'url', url: `http://127.0.0.1:${port}/${FILE}`, opts: {} });
      const file = await openFile(bytesSource(FILE, bytes));
      for (const t of loaded.tensors.map((x) => x.name)) {
        expect(await client.layerRow(t, params)).toEqual(await designLayer(file, t, params, () => 0));
      }
      expect(requests).toBe(1);
      expect(servedBy(workers.made, 'sourceBlob')).toEqual(servedBy(workers.made, 'loadUrl'));
    } finally {
      server.close();
    }
  });

  it('refuses a layer row when no file is loaded', async () => {
    const { client } = setUp();
    await client.load({ kind: 'generator', name: 'relu6', options: { n: 1000 } });
    await expect(client.layerRow('x', params)).rejects.toThrow(/No multi-tensor file is open/);
  });
});

describe('compute client: the watchdog', () => {
  it("gives a call a budget that grows with the optimum's work: seconds on a small set, far more at 8 bits on a large exact one", () => {
    expect(watchdogBudgetMs(1000, 3)).toBeLessThan(WATCHDOG_BASE_MS + 1000);
    expect(watchdogBudgetMs(4_000_000, 8)).toBeGreaterThan(watchdogBudgetMs(4_000_000, 3));
    expect(watchdogBudgetMs(4_000_000, 8)).toBeGreaterThan(10 * 60_000);
    expect(watchdogBudgetMs(65_536, 8)).toBeGreaterThan(watchdogBudgetMs(1000, 8));
  });

  it('replaces a worker that does not answer within the budget, names the stage, and serves the next call with the same data', async () => {
    const { client, workers, restarts, hangs } = setUp();
    await loadFile(client);
    const before = await client.report(params);
    await client.stall('interactive', 'histogram', 300);
    const hist = client.histogram({ bins: 10, domain: null, spikeShare: 0.01 });
    const error = await hist.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkerHungError);
    expect((error as WorkerHungError).stage).toBe('histogram');
    expect((error as WorkerHungError).message).toContain('the histogram did not answer within 0.3 s');
    expect(restarts).toEqual(['interactive']);
    expect(hangs[0]?.stage).toBe('histogram');
    // The replacement worker holds the loaded data again: same report, and the histogram answers.
    const after = await client.report(params);
    expect(after.report.results.map((r) => r.levels)).toEqual(before.report.results.map((r) => r.levels));
    expect((await client.histogram({ bins: 10, domain: null, spikeShare: 0.01 })).total).toBe(
      before.report.input.count,
    );
    expect(workers.made.filter((w) => w.calls.includes('loadBlob')).length).toBe(2);
  });

  it('leaves a call that answers within the budget alone', async () => {
    const { client, restarts } = setUp();
    await loadFile(client);
    await client.stall('interactive', 'adcSnap', 5_000);
    const hist = await client.histogram({ bins: 10, domain: null, spikeShare: 0.01 });
    expect(hist.counts.length).toBe(10);
    expect(restarts).toEqual([]);
  });
});
