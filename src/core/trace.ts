/**
 * The step-through of the K-means family (`kmeans`, `kmeanspp`, `bskmq`): every seed as it is
 * chosen and every Lloyd update of the restart the method keeps, recorded by observing the one
 * design code path (`designQuantizer` with a `ClusterRecorder`), so the final frame is the
 * designed quantizer itself, bit for bit.
 */
import type { Method, Params } from './params';
import type { PointSet } from './pointset';
import { midpoints, type Quantizer } from './quantizer';
import { designQuantizer } from './design';
import { mseOf } from './metrics';
import type { ClusterRecorder, Pins } from './methods/kmeans';

/** The methods a trace exists for. */
export const TRACE_METHODS = ['kmeans', 'kmeanspp', 'bskmq'] as const;
export type TraceMethod = (typeof TRACE_METHODS)[number];

export function isTraceMethod(method: string): method is TraceMethod {
  return (TRACE_METHODS as readonly string[]).includes(method);
}

/** At most this many seeding frames: with more free levels, several seeds share a frame. */
export const MAX_SEED_FRAMES = 32;

export type TracePhase = 'seed' | 'iterate' | 'final';

/** One picture of the algorithm. */
export interface TraceFrame {
  phase: TracePhase;
  /** 0 while seeding, the Lloyd update number (1-based) after it; the final frame repeats the last. */
  iteration: number;
  /** Sorted levels so far (while seeding: the pins and the seeds drawn yet). */
  levels: Float64Array;
  /** Midpoints of `levels`. */
  thresholds: Float64Array;
  /** MSE on the set being clustered (BS-KMQ: the suppressed set; else the samples). */
  mseClustered: number;
  /** MSE on all samples, original weights (what the metrics table reports). */
  mse: number;
  /** Seeds newly chosen in this frame (values). */
  chosen?: Float64Array;
  /** k-means++: the candidate values drawn for the last seed of this frame (the chosen one among them). */
  candidates?: Float64Array;
  /** One sentence for the reader. */
  caption?: string;
}

export interface Trace {
  method: TraceMethod;
  bits: number;
  /** The restart whose steps the frames show (the kept one), and how many ran. */
  run: number;
  restarts: number;
  /** Pinned level values (BS-KMQ), else empty. */
  pinned: number[];
  /** False when the clustered set is the original one (kmeans, kmeanspp; BS-KMQ with suppressWeight = 1). */
  suppressed: boolean;
  frames: TraceFrame[];
}

interface RunRecord {
  run: number;
  ps: PointSet;
  pins: Pins;
  freeCount: number;
  seeds: { value: number; candidates: Float64Array | null }[];
  start: Float64Array | null;
  updates: Float64Array[];
}

/** Records every run, keeping only the best one so far (memory: two runs at most). */
class KeptRunRecorder implements ClusterRecorder {
  current: RunRecord | null = null;
  kept: RunRecord | null = null;

  startRun(run: number, ps: PointSet, pins: Pins, freeCount: number): void {
    this.current = { run, ps, pins, freeCount, seeds: [], start: null, updates: [] };
  }
  seed(value: number, candidates: Float64Array | null): void {
    this.current?.seeds.push({ value, candidates: candidates === null ? null : candidates.slice() });
  }
  seeded(levels: Float64Array): void {
    if (this.current) this.current.start = levels.slice();
  }
  update(levels: Float64Array): void {
    this.current?.updates.push(levels.slice());
  }
  endRun(_run: number, _cost: number, kept: boolean): void {
    if (kept) this.kept = this.current;
    this.current = null;
  }
}

function sortedWithPins(values: readonly number[], pins: Pins): Float64Array {
  const all = values.slice();
  if (pins.low !== null) all.push(pins.low);
  if (pins.high !== null) all.push(pins.high);
  return Float64Array.from(all).sort();
}

const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v));

/**
 * The step-through of `method` at `bits`: seeding frames, one frame per Lloyd update of the kept
 * restart, and a final frame whose levels and thresholds are `designQuantizer(ps, method, bits,
 * params)`'s exactly (the same call, observed). Throws a RangeError for a method outside the K-means
 * family; designQuantizer's own errors pass through. Data without samples, or BS-KMQ with every level
 * pinned, give a single final frame.
 */
export function traceDesign(ps: PointSet, method: Method, bits: number, params: Params): Trace {
  if (!isTraceMethod(method)) throw new RangeError(`no step-through for ${method}; only ${TRACE_METHODS.join(', ')}`);
  const recorder = new KeptRunRecorder();
  const q = designQuantizer(ps, method, bits, params, recorder);
  const record = recorder.kept;
  const frames: TraceFrame[] = [];
  const restarts = Math.max(1, params.restarts);
  // suppressWeight = 1 still builds a reweighted copy, but with every weight unchanged.
  const suppressed = method === 'bskmq' && record !== null && record.ps !== ps && params.suppressWeight !== 1;
  const plusplus = method === 'kmeanspp' || (method === 'bskmq' && params.bsInit === 'plusplus');
  const mseBoth = (levels: Float64Array, thresholds: Float64Array) => {
    const mse = mseOf(ps, { levels, thresholds });
    return { mse, mseClustered: record && record.ps !== ps ? mseOf(record.ps, { levels, thresholds }) : mse };
  };
  const push = (frame: Omit<TraceFrame, 'thresholds' | 'mse' | 'mseClustered'>) => {
    const thresholds = midpoints(frame.levels);
    frames.push({ ...frame, thresholds, ...mseBoth(frame.levels, thresholds) });
  };
  if (record !== null && record.start !== null) {
    seedFrames(record, plusplus, suppressed, push);
    record.updates.forEach((levels, i) => {
      const moved = i === 0 ? true : levels.some((v, j) => v !== record.updates[i - 1][j]);
      push({
        phase: 'iterate',
        iteration: i + 1,
        levels,
        caption:
          `Iteration ${i + 1}: thresholds at midpoints, levels at cell means` +
          (suppressed ? ' of the suppressed set' : '') +
          (moved ? '' : ' (nothing moved)'),
      });
    });
  }
  const iterations = record?.updates.length ?? 0;
  const why =
    record === null
      ? method === 'bskmq' && ps.n > 0
        ? 'every level is pinned, nothing to cluster'
        : 'no samples to cluster'
      : `converged after ${iterations} iteration${iterations === 1 ? '' : 's'}` +
        (restarts > 1
          ? `; run ${record.run + 1} of ${restarts} kept (lowest MSE${suppressed ? ' on the suppressed set' : ''})`
          : '');
  const final = finalFrame(q, iterations, mseBoth);
  final.caption = `Final: ${why}. Levels and references as designed.`;
  frames.push(final);
  return {
    method,
    bits,
    run: record?.run ?? 0,
    restarts,
    pinned: record ? [record.pins.low, record.pins.high].filter((v): v is number => v !== null) : [],
    suppressed,
    frames,
  };
}

function finalFrame(
  q: Quantizer,
  iterations: number,
  mseBoth: (l: Float64Array, t: Float64Array) => { mse: number; mseClustered: number },
): TraceFrame {
  const levels = q.levels.slice(),
    thresholds = q.thresholds.slice();
  return { phase: 'final', iteration: iterations, levels, thresholds, ...mseBoth(levels, thresholds) };
}

/** Seeding frames: the pins, then the seeds in draw order, several per frame when there are many. */
function seedFrames(
  record: RunRecord,
  plusplus: boolean,
  suppressed: boolean,
  push: (f: Omit<TraceFrame, 'thresholds' | 'mse' | 'mseClustered'>) => void,
): void {
  const { seeds, pins, freeCount } = record;
  const pinned = (pins.low !== null ? 1 : 0) + (pins.high !== null ? 1 : 0);
  const per = Math.max(1, Math.ceil(seeds.length / MAX_SEED_FRAMES));
  const drawn: number[] = [];
  const where = suppressed ? ' from the suppressed set' : '';
  if (pinned > 0) {
    const which = pins.low !== null && pins.high !== null ? 'L and U' : pins.low !== null ? 'L' : 'U';
    push({
      phase: 'seed',
      iteration: 0,
      levels: sortedWithPins([], pins),
      caption:
        `Pinned: ${which} ${pinned === 1 ? 'is a fixed level' : 'are fixed levels'}; ` +
        `${freeCount} free level${freeCount === 1 ? '' : 's'} to seed${where}`,
    });
  }
  for (let i = 0; i < seeds.length; i += per) {
    const batch = seeds.slice(i, i + per);
    for (const s of batch) drawn.push(s.value);
    const last = i + per >= seeds.length;
    const levels = last && record.start !== null ? record.start : sortedWithPins(drawn, pins);
    const lastSeed = batch[batch.length - 1];
    const upTo = Math.min(seeds.length, i + per);
    const range = batch.length === 1 ? `seed ${upTo} of ${freeCount}` : `seeds ${i + 1}–${upTo} of ${freeCount}`;
    let caption: string;
    if (plusplus) {
      caption =
        lastSeed.candidates === null
          ? `Seeding (k-means++): ${range} drawn at random by weight`
          : `Seeding (k-means++): ${range} — the best of ${lastSeed.candidates.length} candidates drawn in ` +
            'proportion to squared distance from the chosen centres';
    } else if (last) {
      const distinct = new Set(drawn).size;
      caption =
        `Seeding: ${freeCount} sample${freeCount === 1 ? '' : 's'} drawn at random${where}` +
        (distinct < drawn.length ? ` — on a spike several coincide (${distinct} distinct)` : '');
    } else {
      const dup = batch.some((s) => drawn.indexOf(s.value) < drawn.lastIndexOf(s.value));
      caption =
        `Seeding: ${range} drawn at random${where} (value ${fmt(lastSeed.value)})` +
        (dup ? ' — it coincides with an earlier seed' : '');
    }
    push({
      phase: 'seed',
      iteration: 0,
      levels,
      chosen: Float64Array.from(batch, (s) => s.value),
      ...(lastSeed.candidates !== null ? { candidates: lastSeed.candidates } : {}),
      caption,
    });
  }
}

/**
 * BS-KMQ's companion run for the side-by-side view: the plain run — the same seeding, seed and
 * restarts with `suppressWeight = 1` and `pin = none`, i.e. every sample at full weight and no fixed
 * levels — so the difference between the two panels is what suppression and pinning make.
 */
export function traceWithoutSuppression(ps: PointSet, bits: number, params: Params): Trace {
  const trace = traceDesign(ps, 'bskmq', bits, { ...params, suppressWeight: 1, pin: 'none' });
  for (const f of trace.frames) if (f.caption) f.caption = `${PLAIN_RUN_CAPTION} · ${f.caption}`;
  return trace;
}

/** The prefix of every caption of the plain companion run. */
export const PLAIN_RUN_CAPTION = 'Without suppression or pins';
