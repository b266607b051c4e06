/**
 * Thin Comlink shell over the compute engine (src/worker/engine.ts): the only code that knows it runs in a
 * worker. Every method of `Engine` is exposed as it is, behind one error guard; the few whose results hold
 * big arrays are wrapped once more so those arrays leave by transfer, never by copy.
 */
import * as Comlink from 'comlink';
import { createEngine, UserFacingError, type Engine } from './engine';
import { traceBuffers, type StepTraceRequest } from './traceEngine';

const engine = createEngine(() => performance.now());

/** Errors cross the boundary as plain messages; a UserFacingError keeps its text verbatim. */
async function guard<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof UserFacingError) throw new Error(e.message);
    throw new Error(`internal error in the compute worker: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** `Engine` as the worker answers it: every method asynchronous. */
type Guarded<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

type AnyMethod = (...args: unknown[]) => unknown;
const guarded = Object.fromEntries(
  Object.entries(engine as unknown as Record<string, AnyMethod>).map(([name, fn]) => [
    name,
    (...args: unknown[]) => guard(() => fn(...args)),
  ]),
) as Guarded<Engine>;

let stalled: string | null = null;

const api = {
  ...guarded,
  exportPointSet: () =>
    guard(() => {
      const t = engine.exportPointSet();
      return Comlink.transfer(t, [t.x.buffer, t.w.buffer, t.s2.buffer]);
    }),
  optima: (bitsList: number[]) =>
    guard(() => {
      const seeds = engine.optima(bitsList);
      return Comlink.transfer(
        seeds,
        seeds.flatMap((s) => [s.levels.buffer, s.thresholds.buffer]),
      );
    }),
  trace: (req: StepTraceRequest) =>
    guard(() => {
      const result = engine.trace(req);
      return Comlink.transfer(result, traceBuffers(result));
    }),
  /** Test hook: the next call of `method` never answers (a hang, for the client's watchdog). */
  stallNext: (method: string) => {
    stalled = method;
  },
  /** Test hook: kills this worker with an uncaught error, as a real crash would. */
  crash: () => {
    setTimeout(() => {
      throw new Error('simulated worker crash');
    }, 0);
  },
};

export type EngineWorkerApi = typeof api;

/** `api` with the stall hook in front of every method: a stalled method spins until the worker is terminated. */
function withStallHook<T extends Record<string, (...args: never[]) => unknown>>(methods: T): T {
  const hooked: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(methods)) {
    hooked[name] = (...args: never[]) => {
      if (stalled === name) {
        stalled = null;
        for (;;) {
          // Busy: no message is read again, as in a design that never ends.
        }
      }
      return fn(...args);
    };
  }
  return hooked as T;
}

Comlink.expose(withStallHook(api));
