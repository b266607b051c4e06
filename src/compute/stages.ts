/**
 * The compute stages, each declared once: its name, the label a notice uses, the worker that
 * computes it, the parameters and display options its result depends on, and what it waits for.
 * `StageName`, the busy order of the page (`data-busy`) and the labels derive from this table;
 * the pipeline builds each stage from its row and its own run and apply (pipeline.ts).
 *
 * Interactive stages answer a slider at once (coalesced: one run in flight, the newest waiting);
 * background stages run a request at once when idle and debounce the requests that come while
 * they are busy (a drag), so a single change never waits and a drag runs twice.
 */
import { BSKMQ_KEYS, PARAM_KEYS, SHARED_DESIGN_KEYS, SWEEP_FIXED_KEYS, type ParamKey } from '../core/params';
import type { Display } from '../state/types';

export type StageWorker = 'interactive' | 'background' | 'both';

export interface StageRow {
  readonly name: string;
  /** Names the stage in a notice: "Computing the <label> failed: …". */
  readonly label: string;
  readonly worker: StageWorker;
  /** The parameters its result depends on (with the data); the stage's key is built from them. */
  readonly reads: readonly ParamKey[];
  /** The display options its result depends on. */
  readonly display: readonly (keyof Display)[];
  /** Stages that must have settled before each run, so it never takes a core from them. */
  readonly after: readonly string[];
  /** Background (debounced while busy) rather than interactive. */
  readonly background: boolean;
}

const EVERY_PARAM_BUT_FOCUS = PARAM_KEYS.filter((k) => k !== 'focus');
const VARIATION_OPTIONS = ['adcSigma', 'adcSigmaOf', 'adcTrials'] as const satisfies readonly (keyof Display)[];

/** In the page's busy order. */
export const STAGES = [
  {
    // designReport at params.bits, the BS-KMQ bands and per-code occupancy: the slider's live feedback.
    name: 'report',
    label: 'quantizers',
    worker: 'interactive',
    reads: EVERY_PARAM_BUT_FOCUS,
    display: [],
    after: [],
    background: false,
  },
  {
    // Levels are drawn over it, so it reads no parameter.
    name: 'histogram',
    label: 'histogram',
    worker: 'interactive',
    reads: [],
    display: ['binCount', 'zoom'],
    after: [],
    background: false,
  },
  {
    // Error curves over bits 1–8 of the methods other than bskmq and optimal: never `bits`.
    name: 'baseCurves',
    label: 'error curves',
    worker: 'background',
    reads: ['methods', ...SHARED_DESIGN_KEYS],
    display: [],
    after: ['report'],
    background: true,
  },
  {
    // Not a Stage: the client fills the optimum at bits 1, 2, … after each load (data alone).
    name: 'optimal',
    label: 'optimal error curve',
    worker: 'background',
    reads: [],
    display: [],
    after: [],
    background: true,
  },
  {
    // The bskmq error curve and its reference variation, the widths shared by both workers. It does
    // not wait for the report: a bits change never requests it, and it runs after the report it was
    // requested with in the interactive worker anyway.
    name: 'bsCurve',
    label: 'BS-KMQ error curve',
    worker: 'both',
    reads: ['methods', ...SHARED_DESIGN_KEYS, ...BSKMQ_KEYS],
    display: VARIATION_OPTIONS,
    after: [],
    background: true,
  },
  {
    // The swept pair (sweptKeys) is not read: the current band is the marker, from the report.
    name: 'sweep',
    label: 'suppression sweep',
    worker: 'both',
    reads: ['bits', ...SHARED_DESIGN_KEYS, ...SWEEP_FIXED_KEYS],
    display: [],
    after: ['report'],
    background: true,
  },
  {
    // The focused design snapped to the ADC grid; a report brings it for its own parameters.
    name: 'adcSnap',
    label: 'reference snapping',
    worker: 'interactive',
    reads: PARAM_KEYS,
    display: ['adcGridBits'],
    after: [],
    background: false,
  },
  {
    // Reference variation of the methods other than bskmq; its designs include the optimum at every
    // width, so it waits for the optimal curve (which then stays progressive).
    name: 'variation',
    label: 'reference variation',
    worker: 'background',
    reads: ['methods', ...SHARED_DESIGN_KEYS],
    display: VARIATION_OPTIONS,
    after: ['optimal'],
    background: true,
  },
] as const satisfies readonly StageRow[];

export type StageName = (typeof STAGES)[number]['name'];

/** The order stages are listed in (the root's `data-busy`). */
export const STAGE_ORDER: readonly StageName[] = STAGES.map((s) => s.name);

const BY_NAME = new Map<string, StageRow>(STAGES.map((s) => [s.name, s]));

export function stageRow(name: StageName): StageRow {
  return BY_NAME.get(name) as StageRow;
}

export function stageLabel(name: StageName): string {
  return stageRow(name).label;
}
