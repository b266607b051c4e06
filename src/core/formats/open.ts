/**
 * openFile: recognises the format (magic bytes first, then the extension, then a look at the
 * content), lists the tensors and returns the OpenedFile of the formats contract.
 */
import { planHandle, type TensorPlan } from './binary';
import { escapeControls, FormatError } from './errors';
import { hasNpyMagic } from './npy';
import { planNpy, planNpz } from './numpy';
import { planRaw } from './raw';
import { looksLikeSafetensors, planSafetensors } from './safetensors';
import { CHUNK_BYTES, type ByteSource } from './source';
import { streamToPointSet } from './stream';
import { isSummaryNpz, openSummary } from './summary';
import { openText } from './text';
import { findTorchPickle, legacyTorchError, planTorch } from './torch';
import {
  DEFAULT_STREAM_THRESHOLD,
  type FileFormat,
  type OpenedFile,
  type OpenOptions,
  type TensorHandle,
} from './types';
import { hasZipMagic, readZipDirectory, zipDataOffset } from './zip';

function extension(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

const TEXT_EXTENSIONS = new Set(['csv', 'tsv', 'txt', 'json', 'dat', 'tab']);
const TORCH_EXTENSIONS = new Set(['pt', 'pth', 'bin', 'ckpt', 'pkl']);

/** True when the bytes look like text: no NULs and few control characters. */
function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  let odd = 0;
  for (const b of head) {
    if (b === 0) return false;
    if (b < 9 || (b > 13 && b < 32)) odd++;
  }
  return odd * 100 < head.length;
}

function makeOpened(
  format: FileFormat,
  file: string,
  handles: TensorHandle[],
  threshold: number,
  unsupported: Map<string, string> = new Map(),
): OpenedFile {
  const pick = (tensor: string | undefined): TensorHandle => {
    if (handles.length === 0) throw new FormatError({ file }, 'file holds no tensors');
    if (tensor === undefined) return handles[0];
    const h = handles.find((x) => x.info.name === tensor);
    if (h) return h;
    const why = unsupported.get(tensor);
    if (why) throw new FormatError({ file, tensor }, why);
    const names = handles.map((x) => x.info.name);
    const shown = names.slice(0, 20).join(', ') + (names.length > 20 ? `, … (${names.length} in all)` : '');
    throw new FormatError({ file, tensor }, `no such tensor; the file has: ${shown}`);
  };
  return {
    format,
    file,
    tensors: handles.map((h) => ({ ...h.info, shape: h.info.shape.slice() })),
    decode: async (tensor) => pick(tensor).decode(),
    async stream(tensor, opts) {
      const h = pick(tensor);
      const pointSet = await streamToPointSet(h, opts);
      return { pointSet, info: { ...h.info, shape: h.info.shape.slice() } };
    },
    shouldStream: (tensor) => pick(tensor).byteSize > threshold,
    notes: handles.flatMap((h) => h.notes ?? []).map((n) => `${file}: ${escapeControls(n)}`),
  };
}

/**
 * Opens a file of any supported format (docs/definitions.md, Input formats) and lists its tensors without decoding their data.
 * Throws FormatError for anything malformed or unsupported; never anything else.
 */
export async function openFile(source: ByteSource, options: OpenOptions = {}): Promise<OpenedFile> {
  try {
    return await openUnchecked(source, options);
  } catch (e) {
    if (e instanceof FormatError) throw e;
    // A bug or an engine limit (e.g. an allocation failure) still reaches the user as one clear line.
    const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new FormatError({ file: source.name }, `could not be read (${why})`);
  }
}

async function openUnchecked(source: ByteSource, options: OpenOptions): Promise<OpenedFile> {
  const file = source.name;
  const threshold = options.streamThreshold ?? DEFAULT_STREAM_THRESHOLD;
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const handlesOf = (plans: TensorPlan[]): TensorHandle[] =>
    plans.map((p) => guard(planHandle(source, p, chunkBytes), file));
  const opened = (format: FileFormat, plans: TensorPlan[], unsupported?: Map<string, string>): OpenedFile =>
    makeOpened(format, file, handlesOf(plans), threshold, unsupported);

  if (options.raw) return opened('raw', planRaw(source, options.raw.dtype, options.raw.byteOrder));
  if (source.size === 0) throw new FormatError({ file }, 'file is empty');
  const head = await source.read(0, Math.min(source.size, 4096));
  const ext = extension(file);

  if (hasNpyMagic(head) || ext === 'npy') return opened('npy', await planNpy(source));
  if (hasZipMagic(head) || ext === 'npz') {
    const entries = await readZipDirectory(source);
    const pickle = findTorchPickle(entries);
    if (pickle) {
      const { plans, unsupported } = await planTorch(source, entries, pickle);
      return opened('torch', plans, unsupported);
    }
    const plans = await planNpz(source, entries, (e) => zipDataOffset(source, e));
    if (isSummaryNpz(plans)) return openSummary(source, plans, chunkBytes);
    if (plans.length === 0) {
      throw new FormatError({ file }, 'zip archive holds neither .npy members (npz) nor data.pkl (PyTorch checkpoint)');
    }
    return opened('npz', plans);
  }
  if (looksLikeSafetensors(head, source.size) || ext === 'safetensors')
    return opened('safetensors', await planSafetensors(source));
  if (head[0] === 0x80 && head.length > 1 && head[1] <= 5) throw legacyTorchError(file);
  if (TORCH_EXTENSIONS.has(ext) && !looksLikeText(head)) {
    throw new FormatError(
      { file, offset: 0 },
      `not a PyTorch zip checkpoint (no zip signature)${ext === 'bin' ? '; for raw binary choose a dtype and byte order' : ''}`,
    );
  }
  if (TEXT_EXTENSIONS.has(ext) || looksLikeText(head)) {
    return makeOpened('text', file, [guard(await openText(source, threshold, chunkBytes), file)], threshold);
  }
  throw new FormatError(
    { file, offset: 0 },
    'unrecognised format: expected .npy, .npz, .safetensors, a PyTorch zip checkpoint or text; for raw binary choose a dtype and byte order',
  );
}

/** Wraps a handle so that its decode and chunks also throw nothing but FormatError. */
function guard(h: TensorHandle, file: string): TensorHandle {
  const wrap = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      if (e instanceof FormatError) throw e;
      const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      throw new FormatError({ file, tensor: h.info.name }, `could not be decoded (${why})`);
    }
  };
  return {
    info: h.info,
    byteSize: h.byteSize,
    chunkTotal: h.chunkTotal,
    decode: () => wrap(() => h.decode()),
    chunks: (onValues, onBytes) => wrap(() => h.chunks(onValues, onBytes)),
    notes: h.notes,
  };
}
