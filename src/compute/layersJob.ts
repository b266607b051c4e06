/**
 * Runs the per-layer batch view over every tensor of the open file, one worker call
 * per tensor, and publishes the rows as they arrive in a small store of its own
 * (the layers panel subscribes to it; the main store's busy flags stay about the
 * focused tensor, so the batch never holds up the rest of the page).
 *
 * Latest wins: a new request (other bits, other params, other data) drops the running
 * one at its next tensor boundary, and a row computed for an older request is never
 * shown. Requests are debounced, so a slider drag restarts the batch once it rests.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Params } from '../core/params';
import type { LayerRow } from '../worker/layersEngine';

export type LayersStatus = 'idle' | 'running' | 'done' | 'error';

export interface LayersState {
  status: LayersStatus;
  /**
   * One row per tensor in the file's order: the first `done` are computed for `params`,
   * the rest (if any) are the previous batch's rows for the same tensors, shown until replaced.
   */
  rows: LayerRow[];
  done: number;
  /** Tensors of the batch. */
  total: number;
  /** The params the rows were computed for. */
  params: Params | null;
  /** Why the batch stopped (a worker problem), when status is `error`. */
  error: string | null;
}

export const EMPTY_LAYERS: LayersState = Object.freeze({
  status: 'idle',
  rows: [],
  done: 0,
  total: 0,
  params: null,
  error: null,
}) as LayersState;

export const LAYERS_DEBOUNCE_MS = 150;

/** Designs one tensor of the open file (the compute client's `layerRow`). */
export type LayerRunner = (tensor: string, params: Params) => Promise<LayerRow>;

export class LayersJob {
  readonly store: StoreApi<LayersState> = createStore<LayersState>()(() => EMPTY_LAYERS);
  private key: string | null = null;
  private dataKey: string | null = null;
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly runRow: LayerRunner,
    private readonly debounceMs = LAYERS_DEBOUNCE_MS,
  ) {}

  /**
   * Asks for the rows of `tensors` at `params`. `dataKey` names the file (its rows are
   * cleared when it changes), `paramsKey` the inputs the rows depend on; a request with
   * both unchanged is a no-op. Fewer than two tensors clears the view: a single tensor
   * has no batch.
   */
  request(dataKey: string, paramsKey: string, tensors: readonly string[], params: Params): void {
    const key = JSON.stringify([dataKey, paramsKey]);
    if (key === this.key) return;
    this.key = key;
    const gen = ++this.generation;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (dataKey !== this.dataKey) {
      this.dataKey = dataKey;
      this.store.setState(EMPTY_LAYERS, true);
    }
    if (tensors.length < 2) {
      this.store.setState(EMPTY_LAYERS, true);
      return;
    }
    this.store.setState({ status: 'running', done: 0, total: tensors.length, error: null });
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.run(gen, [...tensors], params);
    }, this.debounceMs);
  }

  /**
   * Forgets the last request and drops a running batch (a worker restarted), so the next
   * request runs even if unchanged; the rows on screen stay until replaced.
   */
  invalidate(): void {
    this.key = null;
    this.generation++;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Resolves once no batch is waiting or running. */
  async settled(): Promise<void> {
    for (;;) {
      const seen = this.running;
      while (this.timer !== null) await new Promise((r) => setTimeout(r, this.debounceMs));
      await seen;
      if (seen === this.running && this.timer === null) return;
    }
  }

  private async run(gen: number, tensors: string[], params: Params): Promise<void> {
    const previous = new Map(this.store.getState().rows.map((r) => [r.tensor, r]));
    const fresh: LayerRow[] = [];
    for (const tensor of tensors) {
      let row: LayerRow;
      try {
        row = await this.runRow(tensor, params);
      } catch (e) {
        if (gen === this.generation) {
          this.key = null;
          this.store.setState({ status: 'error', error: e instanceof Error ? e.message : String(e) });
        }
        return;
      }
      if (gen !== this.generation) return;
      fresh.push(row);
      const rows = [...fresh];
      for (const t of tensors.slice(fresh.length)) {
        const old = previous.get(t);
        if (old) rows.push(old);
      }
      const done = fresh.length;
      this.store.setState({ rows, done, params, status: done === tensors.length ? 'done' : 'running' });
    }
  }
}
