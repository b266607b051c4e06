import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adcRequestFrom } from '../../cli/adcOptions';
import { CliError } from '../../cli/args';
import { ADC_OPTION_SPECS, adcOptionAllowed, type NumericAdcOptionKey } from '../../src/core/adcOptions';
import { GENERATOR_SPECS, DEFAULT_GENERATOR } from '../../src/compute/generatorCatalog';
import { decodeUrlState, type CodecContext } from '../../src/state/urlCodec';
import { ADC_DISPLAY_KEYS } from '../../src/state/types';

const ctx: CodecContext = { generators: GENERATOR_SPECS, defaultGenerator: DEFAULT_GENERATOR };

/** Each numeric ADC option: its CLI flag (with what else the flag needs) and its link key. */
const WAYS: Record<NumericAdcOptionKey, { flag: string; withFlags: [string, string][]; urlKey: string }> = {
  gridBits: { flag: 'grid', withFlags: [], urlKey: 'ag' },
  sigma: { flag: 'sigma', withFlags: [], urlKey: 'as' },
  trials: { flag: 'trials', withFlags: [['sigma', '0.01']], urlKey: 'at' },
  minSpacing: { flag: 'min-spacing', withFlags: [], urlKey: 'am' },
};

function cliAccepts(key: NumericAdcOptionKey, text: string): { ok: boolean; message: string } {
  const { flag, withFlags } = WAYS[key];
  try {
    adcRequestFrom({
      positionals: [],
      values: new Map([...withFlags, [flag, text]]),
      switches: new Set(),
      help: false,
    });
    return { ok: true, message: '' };
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    return { ok: false, message: e.message };
  }
}

function linkAccepts(key: NumericAdcOptionKey, text: string): { ok: boolean; message: string; value: unknown } {
  const d = decodeUrlState(`?${WAYS[key].urlKey}=${encodeURIComponent(text)}`, ctx);
  return { ok: d.issues.length === 0, message: d.issues.join(' '), value: d.display[ADC_DISPLAY_KEYS[key]] };
}

describe('the ADC options have one contract: the command line and a link accept the same values', () => {
  for (const key of Object.keys(WAYS) as NumericAdcOptionKey[]) {
    const spec = ADC_OPTION_SPECS[key];
    it(`${key}: accepted by both or refused by both, each naming ${adcOptionAllowed(key)}`, () => {
      const span = spec.max - spec.min;
      const candidates = fc.oneof(
        fc.double({ min: spec.min - span, max: spec.max + span, noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: spec.min - 2, max: spec.max + 2 }),
        fc.constantFrom(spec.min, spec.max, spec.min - 1, spec.max + 1, spec.max + 0.5),
      );
      fc.assert(
        fc.property(candidates, (v) => {
          const text = String(v);
          const cli = cliAccepts(key, text);
          const link = linkAccepts(key, text);
          expect(cli.ok, `${key} = ${text}`).toBe(link.ok);
          if (link.ok) expect(link.value).toBe(Number(text));
          else {
            expect(cli.message).toContain(adcOptionAllowed(key));
            expect(link.message).toContain(adcOptionAllowed(key));
          }
        }),
        { seed: 11, numRuns: 200 },
      );
    });
  }
});
