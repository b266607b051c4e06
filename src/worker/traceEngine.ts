/**
 * The step-through's compute stage, run inside the worker: core's trace of the method asked for
 * and, for BS-KMQ, its run without suppression for the side-by-side view. Pure (no Comlink, no DOM);
 * `traceBuffers` lists the typed arrays the worker shell transfers instead of copying.
 */
import type { Params } from '../core/params';
import type { PointSet } from '../core/pointset';
import { isTraceMethod, traceDesign, traceWithoutSuppression, type Trace, type TraceMethod } from '../core/trace';

export type { Trace, TraceFrame, TraceMethod } from '../core/trace';

export interface StepTraceRequest {
  params: Params;
  method: TraceMethod;
}

export interface StepTraceResult {
  /** The method's trace at `params.bits`; its last frame is the designed quantizer. */
  main: Trace;
  /** BS-KMQ only: the plain run (same seed, `suppressWeight = 1`, no pins); null for the other methods. */
  unsuppressed: Trace | null;
}

/** Computes the traces of a request; a method outside the K-means family is refused with a RangeError. */
export function stepTrace(ps: PointSet, req: StepTraceRequest): StepTraceResult {
  if (!isTraceMethod(req.method)) throw new RangeError(`no step-through for ${String(req.method)}`);
  const bits = req.params.bits;
  const main = traceDesign(ps, req.method, bits, req.params);
  const unsuppressed = req.method === 'bskmq' ? traceWithoutSuppression(ps, bits, req.params) : null;
  return { main, unsuppressed };
}

/** Every frame array's buffer, each once, for Comlink.transfer. */
export function traceBuffers(result: StepTraceResult): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const trace of [result.main, result.unsuppressed]) {
    if (!trace) continue;
    for (const f of trace.frames) {
      for (const a of [f.levels, f.thresholds, f.chosen, f.candidates]) if (a) out.add(a.buffer as ArrayBuffer);
    }
  }
  return [...out];
}
