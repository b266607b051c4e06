/**
 * The built-in generators as the data panel and the URL codec list them: core's
 * GENERATORS registry (names, parameters, ranges, help) with labels for the fields.
 */
import { GENERATORS, GENERATOR_NAMES } from '../core/generators';
import type { GeneratorSpec } from '../state/types';

/** The generator the page opens on. */
export const DEFAULT_GENERATOR = 'relu6';

const PARAM_LABELS: Record<string, string> = {
  n: 'samples n',
  seed: 'data seed',
  zeroShare: 'zero share',
  clampShare: 'clamp share',
  midShare: 'mid share',
  midValue: 'mid value',
};

export const GENERATOR_SPECS: readonly GeneratorSpec[] = GENERATOR_NAMES.map((name) => {
  const g = GENERATORS[name];
  return {
    name: g.name,
    label: g.label,
    help: g.help,
    params: g.params.map((p) => ({ ...p, label: PARAM_LABELS[p.name] ?? p.name })),
  };
});
