/**
 * Activation summary files (`bskmq-summary`, written by python/bskmq_torch with numpy's own
 * `np.savez_compressed`): an .npz whose member `bskmq_summary` is a uint8 array of UTF-8 JSON
 * `{"format": "bskmq-summary", "version": 1, "layers": [...]}`. Each layer is one tensor whose point
 * set is a binned point set built directly from its bins; there are no samples to decode.
 *
 * A layer's bins have width `w = 2^binExponent` and are aligned to multiples of it: stored bin `i`
 * covers `[(binOffset + i)·w, (binOffset + i + 1)·w)` and keeps its count and the sum and sum of
 * squares of its samples' deviations from that left edge — the same quantities as a
 * BinnedAccumulator's bins. The boundary spikes (samples exactly at min, at 0 and at max) are
 * counted inside their bins too; here they are taken out again and become exact points.
 */
import { emptyPointSet, pointSetFromArrays, type PointSet } from '../pointset';
import { planHandle, type TensorPlan } from './binary';
import { FormatError } from './errors';
import type { ByteSource } from './source';
import type { OpenedFile, TensorInfo } from './types';
import { decodeUtf8 } from './utf8';

export const SUMMARY_FORMAT = 'bskmq-summary';
export const SUMMARY_VERSION = 1;
/** The npz member (without `.npy`) holding the JSON description. */
export const SUMMARY_META_MEMBER = 'bskmq_summary';
/** Most bins a layer may store (the writer keeps at most 2^16; a little slack for other writers). */
export const SUMMARY_MAX_BINS = 1 << 17;

/** One layer as the JSON describes it. */
export interface SummaryLayer {
  name: string;
  dtype: string;
  /** Shape of the last output the recorder saw (informative only). */
  shape: number[];
  count: number;
  nan: number;
  posinf: number;
  neginf: number;
  min: number | null;
  max: number | null;
  atMin: number;
  zeros: number;
  atMax: number;
  binExponent: number;
  binOffset: number;
  bins: number;
  members: { counts: string; sum: string; sumsq: string };
}

/** The bins of one layer, as decoded from its three members. */
export interface SummaryBins {
  counts: ArrayLike<number>;
  sum: ArrayLike<number>;
  sumsq: ArrayLike<number>;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Checks one layer's JSON; the message names the file, the layer and the field. */
export function parseSummaryLayer(file: string, raw: unknown, index: number): SummaryLayer {
  const where = {
    file,
    tensor: typeof (raw as { name?: unknown })?.name === 'string' ? (raw as { name: string }).name : `layer ${index}`,
  };
  if (typeof raw !== 'object' || raw === null) throw new FormatError(where, 'summary layer is not an object');
  const o = raw as Record<string, unknown>;
  const bad = (field: string, expected: string): never => {
    throw new FormatError(
      where,
      `summary field ${field} is ${JSON.stringify(o[field]) ?? 'missing'}; expected ${expected}`,
    );
  };
  if (typeof o.name !== 'string' || o.name === '') bad('name', 'a non-empty string');
  for (const k of ['count', 'nan', 'posinf', 'neginf', 'atMin', 'zeros', 'atMax', 'bins'])
    if (!isCount(o[k])) bad(k, 'a whole number ≥ 0');
  if (!(
    Number.isSafeInteger(o.binExponent) &&
    (o.binExponent as number) >= -1074 &&
    (o.binExponent as number) <= 1023
  )) {
    bad('binExponent', 'a whole number in −1074…1023');
  }
  if (!Number.isSafeInteger(o.binOffset)) bad('binOffset', 'a whole number');
  if ((o.bins as number) > SUMMARY_MAX_BINS) bad('bins', `at most ${SUMMARY_MAX_BINS}`);
  const nonFinite = (o.nan as number) + (o.posinf as number) + (o.neginf as number);
  if (nonFinite > (o.count as number)) bad('count', `at least nan + posinf + neginf = ${nonFinite}`);
  const finite = (o.count as number) - nonFinite;
  for (const k of ['min', 'max']) {
    if (finite > 0 ? !(typeof o[k] === 'number' && Number.isFinite(o[k])) : o[k] !== null) {
      bad(k, finite > 0 ? 'a finite number' : 'null (no finite samples)');
    }
  }
  if (finite > 0 && (o.min as number) > (o.max as number)) bad('min', `≤ max (${String(o.max)})`);
  const m = o.members as Record<string, unknown> | undefined;
  if (!(m && typeof m.counts === 'string' && typeof m.sum === 'string' && typeof m.sumsq === 'string')) {
    bad('members', '{"counts", "sum", "sumsq"} member names');
  }
  const shape = Array.isArray(o.shape) && o.shape.every(isCount) ? (o.shape as number[]) : [];
  return {
    name: o.name as string,
    dtype: typeof o.dtype === 'string' ? o.dtype : 'float32',
    shape,
    count: o.count as number,
    nan: o.nan as number,
    posinf: o.posinf as number,
    neginf: o.neginf as number,
    min: o.min as number | null,
    max: o.max as number | null,
    atMin: o.atMin as number,
    zeros: o.zeros as number,
    atMax: o.atMax as number,
    binExponent: o.binExponent as number,
    binOffset: o.binOffset as number,
    bins: o.bins as number,
    members: { counts: m!.counts as string, sum: m!.sum as string, sumsq: m!.sumsq as string },
  };
}

/** Checks the JSON description as a whole: format name, version, layers. */
export function parseSummaryMeta(file: string, text: string): SummaryLayer[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new FormatError(
      { file, tensor: SUMMARY_META_MEMBER },
      `is not JSON (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const o = doc as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null || o.format !== SUMMARY_FORMAT) {
    throw new FormatError(
      { file },
      `${SUMMARY_META_MEMBER} says format ${JSON.stringify(o?.format)}; expected "${SUMMARY_FORMAT}"`,
    );
  }
  if (o.version !== SUMMARY_VERSION) {
    throw new FormatError(
      { file },
      `${SUMMARY_FORMAT} version ${JSON.stringify(o.version)}; this reader knows version ${SUMMARY_VERSION} (update BS-KMQ Explorer or rewrite the file)`,
    );
  }
  if (!Array.isArray(o.layers) || o.layers.length === 0) throw new FormatError({ file }, 'summary lists no layers');
  const layers = o.layers.map((l, i) => parseSummaryLayer(file, l, i));
  const seen = new Set<string>();
  for (const l of layers) {
    if (seen.has(l.name)) throw new FormatError({ file, tensor: l.name }, 'summary lists this layer twice');
    seen.add(l.name);
  }
  return layers;
}

/**
 * The binned point set of one layer: the spikes at min, 0 and max as exact points, and one point
 * per remaining non-empty bin at its samples' mean, with their squared deviation about it.
 */
export function summaryPointSet(file: string, layer: SummaryLayer, bins: SummaryBins): PointSet {
  const where = { file, tensor: layer.name };
  const nonFinite = layer.nan + layer.posinf + layer.neginf;
  const finite = layer.count - nonFinite;
  const nb = layer.bins;
  for (const k of ['counts', 'sum', 'sumsq'] as const) {
    if (bins[k].length !== nb)
      throw new FormatError(where, `summary member ${layer.members[k]} has ${bins[k].length} values; bins says ${nb}`);
  }
  if (finite === 0) return emptyPointSet('binned', nonFinite);
  const counts = Float64Array.from(bins.counts);
  const sum = Float64Array.from(bins.sum);
  const sumsq = Float64Array.from(bins.sumsq);
  let total = 0;
  for (let i = 0; i < nb; i++) {
    const c = counts[i];
    if (!(Number.isInteger(c) && c >= 0))
      throw new FormatError(where, `summary bin ${i} has count ${c}; expected a whole number ≥ 0`);
    if (!(Number.isFinite(sum[i]) && Number.isFinite(sumsq[i])))
      throw new FormatError(where, `summary bin ${i} has a non-finite sum`);
    total += c;
  }
  if (total !== finite) {
    throw new FormatError(where, `summary bins hold ${total} samples but count − non-finite = ${finite}`);
  }
  const min = layer.min as number;
  const max = layer.max as number;
  const w = 2 ** layer.binExponent;
  const edge = (i: number): number => (layer.binOffset + i) * w;

  // The spikes, each taken out of the bin it was counted in.
  const spikeMap = new Map<number, number>();
  const addSpike = (v: number, c: number): void => {
    if (c === 0) return;
    const prev = spikeMap.get(v);
    if (prev !== undefined && prev !== c) {
      throw new FormatError(where, `summary counts ${prev} and ${c} samples at the same value ${v}`);
    }
    spikeMap.set(v, c);
  };
  addSpike(min, layer.atMin);
  if (layer.zeros > 0) {
    if (!(min <= 0 && 0 <= max))
      throw new FormatError(where, `summary counts ${layer.zeros} zeros outside [min, max] = [${min}, ${max}]`);
    addSpike(0, layer.zeros);
  }
  addSpike(max, layer.atMax);
  const spikes = [...spikeMap.entries()].sort((a, b) => a[0] - b[0]);
  for (const [v, c] of spikes) {
    const t = v / w;
    const f = Math.floor(t);
    const b = f - layer.binOffset;
    if (!(b >= 0 && b < nb) || counts[b] < c) {
      throw new FormatError(
        where,
        `summary counts ${c} samples at ${v} but its bin holds ${b >= 0 && b < nb ? counts[b] : 'nothing'}`,
      );
    }
    const d = (t - f) * w;
    counts[b] -= c;
    sum[b] -= c * d;
    sumsq[b] -= c * d * d;
  }

  let m = spikes.length;
  for (let i = 0; i < nb; i++) if (counts[i] > 0) m++;
  const x = new Float64Array(m);
  const wt = new Float64Array(m);
  const s2 = new Float64Array(m);
  let j = 0;
  let k = 0;
  const emitSpikesBefore = (value: number, inclusive: boolean): void => {
    while (
      k < spikes.length &&
      (spikes[k][0] < value || (inclusive && spikes[k][0] === value && spikes[k][0] !== max))
    ) {
      x[j] = spikes[k][0];
      wt[j] = spikes[k][1];
      j++;
      k++;
    }
  };
  for (let i = 0; i < nb; i++) {
    const c = counts[i];
    if (c === 0) continue;
    const e0 = edge(i);
    const mean = sum[i] / c;
    // The mean stays inside its bin and the data's range, so points stay sorted.
    const lo = Math.max(e0, min);
    const hi = Math.min(e0 + w, max);
    let xm = e0 + mean;
    if (xm < lo) xm = lo;
    if (xm > hi) xm = hi;
    const shift = e0 + mean - xm;
    const v = sumsq[i] - sum[i] * mean;
    emitSpikesBefore(xm, true);
    x[j] = xm;
    wt[j] = c;
    s2[j] = (v > 0 ? v : 0) + c * shift * shift;
    j++;
  }
  emitSpikesBefore(Infinity, false);
  return pointSetFromArrays('binned', x, wt, s2, { nonFinite, min, max });
}

/** True when an npz's members include the summary's description. */
export function isSummaryNpz(plans: readonly TensorPlan[]): boolean {
  return plans.some((p) => p.info.name === SUMMARY_META_MEMBER);
}

/** Opens an npz that holds a summary: every layer is a tensor whose point set comes from its bins. */
export async function openSummary(source: ByteSource, plans: TensorPlan[], chunkBytes: number): Promise<OpenedFile> {
  const file = source.name;
  const byName = new Map(plans.map((p) => [p.info.name, p]));
  const metaPlan = byName.get(SUMMARY_META_MEMBER)!;
  if (metaPlan.dtype !== 'uint8' || metaPlan.info.shape.length !== 1) {
    throw new FormatError(
      { file, tensor: SUMMARY_META_MEMBER },
      `is ${metaPlan.dtype} of shape [${metaPlan.info.shape.join(', ')}]; expected a 1-D uint8 array of UTF-8 JSON`,
    );
  }
  const metaBytes = (await planHandle(source, metaPlan, chunkBytes).decode()).data as Uint8Array;
  const layers = parseSummaryMeta(file, decodeUtf8(metaBytes));
  for (const l of layers) {
    for (const k of ['counts', 'sum', 'sumsq'] as const) {
      const p = byName.get(l.members[k]);
      if (!p)
        throw new FormatError({ file, tensor: l.name }, `summary member ${l.members[k]} is missing from the file`);
      const expected = k === 'counts' ? ['int64', 'uint64', 'int32', 'uint32'] : ['float64'];
      if (!expected.includes(p.dtype) || p.info.shape.length !== 1) {
        throw new FormatError(
          { file, tensor: l.name },
          `summary member ${l.members[k]} is ${p.dtype} [${p.info.shape.join(', ')}]; expected 1-D ${expected[0]}`,
        );
      }
    }
  }
  const tensors: TensorInfo[] = layers.map((l) => ({ name: l.name, shape: [l.count], dtype: l.dtype, count: l.count }));
  const pick = (tensor: string | undefined): SummaryLayer => {
    if (tensor === undefined) return layers[0];
    const l = layers.find((x) => x.name === tensor);
    if (!l)
      throw new FormatError(
        { file, tensor },
        `no such layer; the summary has: ${layers.map((x) => x.name).join(', ')}`,
      );
    return l;
  };
  const decodeMember = async (name: string): Promise<ArrayLike<number>> =>
    (await planHandle(source, byName.get(name)!, chunkBytes).decode()).data as ArrayLike<number>;
  return {
    format: 'bskmq-summary',
    notes: [],
    file,
    tensors: tensors.map((t) => ({ ...t, shape: t.shape.slice() })),
    decode: async (tensor) => {
      const l = pick(tensor);
      throw new FormatError(
        { file, tensor: l.name },
        'is an activation summary (bins, not samples): it opens as a binned point set only',
      );
    },
    async stream(tensor, opts) {
      const l = pick(tensor);
      const bins = {
        counts: await decodeMember(l.members.counts),
        sum: await decodeMember(l.members.sum),
        sumsq: await decodeMember(l.members.sumsq),
      };
      const pointSet = summaryPointSet(file, l, bins);
      opts?.onProgress?.(1, 1);
      const info = tensors[layers.indexOf(l)];
      return { pointSet, info: { ...info, shape: info.shape.slice() } };
    },
    shouldStream: (tensor) => (pick(tensor), true),
  };
}
