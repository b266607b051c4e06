/**
 * The console API for researchers and tests, installed as `window.bskmq`.
 *
 *   await bskmq.getReport()          // the current report, the CLI's `design` JSON schema (docs/definitions.md, The report)
 *   bskmq.setParams({ bits: 4 })     // long parameter names, validated exactly as a URL's values
 *   bskmq.getParams()                // the current parameter slice
 *   await bskmq.settled()            // every view's computation finished
 *   await bskmq.getNetworkReport()   // the Network panel's view as a PTQ table (null without a network)
 */
import { DEFAULT_PARAMS, PARAM_KEYS, parseParamValue, paramsToJSON, type ParamKey } from './core/params';
import type { Report } from './core/report';
import type { Pipeline } from './compute/pipeline';
import type { WorkerRole } from './compute/client';
import type { EngineWorkerApi } from './worker/engine.worker';
import type { AppStore } from './state/store';
import type { PtqTable } from './core/network/ptqTable';

/** What the console needs of the Network panel (src/network/controller.ts). */
export interface NetworkReporter {
  report(): PtqTable | null;
  settled(): Promise<void>;
}

export interface BskmqConsole {
  /**
   * Resolves, once the data is loaded and the report for the current parameters is
   * computed, to core's `designReport` for the current data, parameters and bits,
   * written as JSON (non-finite numbers as null), so it compares key by key with
   * `bskmq design FILE --bits B …` output.
   */
  getReport(): Promise<Report | null>;
  /**
   * Applies parameters by their long names (docs/definitions.md, Shareable state) over the current ones. A value is
   * checked as it would be in a URL: an invalid value or unknown key is reported in the
   * notice area and returned; an invalid value falls back to that parameter's default.
   */
  setParams(partial: Record<string, unknown>): string[];
  getParams(): Record<string, unknown>;
  /** Resolves when every stage (report, histogram, curves, sweep) has finished. */
  settled(): Promise<void>;
  /**
   * Resolves, once the accuracy of every shown method at bits 1–8 is computed, to the Network panel's
   * view in the PTQ-table schema: model (name, activations with shapes), samples (calibration,
   * evaluation), labels, metric, floatAccuracy, params and results [{method, bits, accuracy,
   * layers: [{name, thresholds, levels, mse}]}]; null when no network is loaded.
   */
  getNetworkReport(): Promise<PtqTable | null>;
  /** Test hook: makes a compute worker crash, to exercise recovery. */
  crashWorker(role?: WorkerRole): void;
  /** Test hook: the next call of `method` in that worker hangs, and the watchdog waits `budgetMs` for any call. */
  stallWorker(role: WorkerRole, method: keyof EngineWorkerApi, budgetMs: number): Promise<void>;
}

export function createConsoleApi(store: AppStore, pipeline: Pipeline, network?: NetworkReporter): BskmqConsole {
  return {
    async getNetworkReport() {
      if (!network) return null;
      await network.settled();
      return network.report();
    },
    async getReport() {
      const report = await pipeline.settledReport();
      return report === null ? null : (JSON.parse(JSON.stringify(report)) as Report);
    },
    setParams(partial) {
      const issues: string[] = [];
      const next: Record<string, unknown> = {};
      for (const [key, raw] of Object.entries(partial ?? {})) {
        if (!(PARAM_KEYS as readonly string[]).includes(key)) {
          issues.push(`unknown parameter "${key}"; known: ${PARAM_KEYS.join(', ')}`);
          continue;
        }
        // JSON null / undefined for low/high mean "from the data", as an absent URL key does.
        const r = parseParamValue(key as ParamKey, raw === undefined ? null : raw);
        if (r.ok) next[key] = r.value;
        else {
          issues.push(`${r.issue.message} (using the default ${JSON.stringify(DEFAULT_PARAMS[key as ParamKey])})`);
          next[key] = DEFAULT_PARAMS[key as ParamKey];
        }
      }
      const st = store.getState();
      st.setParams(next);
      for (const issue of issues) st.notify('warning', `setParams: ${issue}`);
      return issues;
    },
    getParams() {
      return paramsToJSON(store.getState().params);
    },
    settled() {
      return pipeline.settledAll();
    },
    crashWorker(role = 'interactive') {
      pipeline.client.crash(role);
    },
    stallWorker(role, method, budgetMs) {
      return pipeline.client.stall(role, method, budgetMs);
    },
  };
}

declare global {
  interface Window {
    bskmq?: BskmqConsole;
  }
}

export function installConsoleApi(api: BskmqConsole, win: Window = window): void {
  win.bskmq = api;
}
