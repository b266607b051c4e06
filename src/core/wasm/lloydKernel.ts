/**
 * The WebAssembly build of the weighted Lloyd iteration (wasm/lloyd.ts), one instance per thread,
 * created on first use. `weightedLloyd` runs it whenever it can and falls back to the TypeScript
 * (`weightedLloydJs`) otherwise: where WebAssembly is missing or blocked (a Content-Security-Policy
 * without `'wasm-unsafe-eval'`), and for the step-through, which observes every update. Both give
 * bit-identical levels and iteration counts, so which one ran never shows in a result.
 *
 * The point set's x, cw and cs are copied into the instance's memory once per point set (a BS-KMQ
 * design makes one suppressed set and runs every restart on it), and the memory only grows.
 */
import type { PointSet } from '../pointset';
import { LLOYD_WASM } from './lloydBinary';

/** The parts of the WebAssembly API used here (tsconfig.core.json has no DOM or node types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface LloydExports {
  memory: WasmMemory;
  heapBase(): number;
  lloyd(
    x: number,
    cw: number,
    cs: number,
    m: number,
    shift: number,
    levels: number,
    bounds: number,
    fixed: number,
    k: number,
    maxIterations: number,
    useTolerance: number,
    tolerance: number,
  ): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

const PAGE = 65536;
const align8 = (n: number) => Math.ceil(n / 8) * 8;

class WasmLloyd {
  private readonly api: LloydExports;
  /** The point set whose x, cw and cs are in memory now (weakly: a replaced tensor is not kept alive), and where they start. */
  private resident: WeakRef<PointSet> | null = null;
  private xAt = 0;
  private cwAt = 0;
  private csAt = 0;
  private scratchAt = 0;

  constructor(api: LloydExports) {
    this.api = api;
  }

  /**
   * Grows the memory to at least `bytes`; false when it cannot grow (a 32-bit memory ends at 4 GiB).
   * A grow detaches earlier views of the buffer, so views are made after it.
   */
  private reserve(bytes: number): boolean {
    const have = this.api.memory.buffer.byteLength;
    if (bytes <= have) return true;
    try {
      this.api.memory.grow(Math.ceil((bytes - have) / PAGE));
      return true;
    } catch {
      return false;
    }
  }

  /** `weightedLloyd` on `levels` in place; the number of updates, or null when the memory cannot hold the point set. */
  run(
    ps: PointSet,
    levels: Float64Array,
    fixed: Uint8Array | null,
    maxIterations: number,
    tolerance: number | null,
  ): number | null {
    const m = ps.x.length;
    const k = levels.length;
    if (this.resident?.deref() !== ps) {
      this.xAt = align8(this.api.heapBase());
      this.cwAt = this.xAt + 8 * m;
      this.csAt = this.cwAt + 8 * (m + 1);
      this.scratchAt = this.csAt + 8 * (m + 1);
      this.resident = null;
      if (!this.reserve(this.scratchAt)) return null;
      const buffer = this.api.memory.buffer;
      new Float64Array(buffer, this.xAt, m).set(ps.x);
      new Float64Array(buffer, this.cwAt, m + 1).set(ps.cw);
      new Float64Array(buffer, this.csAt, m + 1).set(ps.cs);
      this.resident = new WeakRef(ps);
    }
    const levelsAt = this.scratchAt;
    const boundsAt = levelsAt + 8 * k;
    const fixedAt = boundsAt + 4 * (k + 1);
    // fixed[k], then the kernel's moved[k] and shifted[k + 1] flags.
    if (!this.reserve(fixedAt + 3 * k + 1)) return null;
    const buffer = this.api.memory.buffer;
    const levelsView = new Float64Array(buffer, levelsAt, k);
    levelsView.set(levels);
    const fixedView = new Uint8Array(buffer, fixedAt, k);
    if (fixed !== null) fixedView.set(fixed);
    else fixedView.fill(0);
    const iterations = this.api.lloyd(
      this.xAt,
      this.cwAt,
      this.csAt,
      m,
      ps.shift,
      levelsAt,
      boundsAt,
      fixedAt,
      k,
      maxIterations,
      tolerance === null ? 0 : 1,
      tolerance ?? 0,
    );
    levels.set(levelsView);
    return iterations;
  }
}

/** undefined: not tried yet; null: WebAssembly is unavailable here. */
let instance: WasmLloyd | null | undefined;
let enabled = true;

/** The thread's WebAssembly Lloyd, or null where WebAssembly cannot run (or is turned off). */
export function wasmLloyd(): WasmLloyd | null {
  if (!enabled) return null;
  if (instance === undefined) {
    instance = null;
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (api !== undefined) {
      try {
        const module = new api.Module(LLOYD_WASM);
        instance = new WasmLloyd(new api.Instance(module, {}).exports as LloydExports);
      } catch {
        // Compiling is refused under a Content-Security-Policy without 'wasm-unsafe-eval': keep the TypeScript.
        instance = null;
      }
    }
  }
  return instance;
}

/** Turns the WebAssembly kernel off or on (the tests and the core bench compare both). */
export function setWasmLloydEnabled(on: boolean): void {
  enabled = on;
}

/** Which Lloyd kernel `weightedLloyd` runs in this thread now. */
export function lloydKernelName(): 'wasm' | 'js' {
  return wasmLloyd() !== null ? 'wasm' : 'js';
}
