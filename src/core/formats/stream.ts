/**
 * Two-pass streaming of a tensor into a binned point set: the range first, then the bins, so no
 * more than one chunk of samples is ever held.
 */
import { BinnedAccumulator, DEFAULT_BINS, emptyPointSet, scanRange, type PointSet } from '../pointset';
import type { StreamOptions, TensorHandle } from './types';

/** Streams a tensor through its chunks into a binned point set (docs/definitions.md, Point sets, binned mode). */
export async function streamToPointSet(handle: TensorHandle, opts: StreamOptions = {}): Promise<PointSet> {
  const bins = opts.bins ?? DEFAULT_BINS;
  const total = 2 * handle.chunkTotal;
  const progress = opts.onProgress;
  let min = Infinity,
    max = -Infinity,
    nonFinite = 0,
    finite = 0;
  await handle.chunks(
    (values) => {
      const r = scanRange(values);
      if (r.min < min) min = r.min;
      if (r.max > max) max = r.max;
      nonFinite += r.nonFinite;
      finite += r.finite;
    },
    (done) => progress?.(done, total),
  );
  if (finite === 0) {
    progress?.(total, total);
    return emptyPointSet('binned', nonFinite);
  }
  const acc = new BinnedAccumulator({ min, max }, bins);
  await handle.chunks(
    (values) => acc.add(values),
    (done) => progress?.(handle.chunkTotal + done, total),
  );
  return acc.finish();
}
