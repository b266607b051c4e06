import { describe, expect, it } from 'vitest';
import { designQuantizer } from '../../src/core/design';
import { GENERATOR_NAMES, generate } from '../../src/core/generators';
import { mseOf } from '../../src/core/metrics';
import { optimalMse } from '../../src/core/methods/optimal';
import { DEFAULT_PARAMS, type Params } from '../../src/core/params';
import { buildExactPointSet } from '../../src/core/pointset';

const params: Params = { ...DEFAULT_PARAMS, methods: [...DEFAULT_PARAMS.methods] };

describe('BS-KMQ defaults (docs/defaults.md)', () => {
  for (const name of GENERATOR_NAMES) {
    it(`stay within 1.5× the optimum's MSE on ${name} (default options) at every width 2–8`, () => {
      const ps = buildExactPointSet(generate(name, {}));
      for (let bits = 2; bits <= 8; bits++) {
        const ratio = mseOf(ps, designQuantizer(ps, 'bskmq', bits, params)) / optimalMse(ps, bits);
        expect(ratio, `${name} at ${bits} bits`).toBeGreaterThanOrEqual(1 - 1e-9);
        expect(ratio, `${name} at ${bits} bits`).toBeLessThanOrEqual(1.5);
      }
    });
  }
});
