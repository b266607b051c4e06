/**
 * First-order ADC cost of a bit width, and the bits a method needs to keep a network's accuracy.
 *
 * - A ramp (single-slope) ADC steps its reference through the codes: 2^b steps per conversion, so its
 *   conversion time and comparator energy scale as 2^b.
 * - A SAR ADC resolves one bit per cycle: b cycles per conversion.
 * These are first-order models (no comparator offset, settling or reference-buffer cost), labelled so.
 */

/** Reference steps of a ramp ADC per conversion at `bits`: 2^bits. */
export function rampSteps(bits: number): number {
  return 2 ** bits;
}

/** Cycles of a SAR ADC per conversion at `bits`: bits. */
export function sarCycles(bits: number): number {
  return bits;
}

/** Default tolerance of "bits needed": within 1 % (absolute) of the float accuracy. */
export const ACCURACY_TOLERANCE = 0.01;

/**
 * The smallest bit width whose accuracy is at least `floatAccuracy − tolerance`, or null when none of the
 * given widths gets there. `accuracyByBits[b]` is the accuracy at b bits (undefined when not computed).
 */
export function bitsNeeded(
  accuracyByBits: ReadonlyArray<number | undefined>,
  floatAccuracy: number,
  tolerance: number = ACCURACY_TOLERANCE,
): number | null {
  for (let b = 1; b < accuracyByBits.length; b++) {
    const a = accuracyByBits[b];
    // A small epsilon so an accuracy equal to the target (k/n against a float target) counts.
    if (a !== undefined && a >= floatAccuracy - tolerance - 1e-12) return b;
  }
  return null;
}

/** Ramp steps, SAR cycles and the ramp ratio of `bits` against a `reference` width. */
export interface AdcCost {
  bits: number;
  rampSteps: number;
  sarCycles: number;
  /** rampSteps(reference) / rampSteps(bits): how many times fewer ramp steps than the reference needs. */
  rampRatio: number;
  sarRatio: number;
}

export function adcCost(bits: number, referenceBits: number): AdcCost {
  return {
    bits,
    rampSteps: rampSteps(bits),
    sarCycles: sarCycles(bits),
    rampRatio: rampSteps(referenceBits) / rampSteps(bits),
    sarRatio: sarCycles(referenceBits) / sarCycles(bits),
  };
}

/** "BS-KMQ 3 b vs Linear 5 b: 4× fewer ramp steps (SAR 1.67× fewer cycles)" or the equal/more wording. */
export function costSentence(label: string, bits: number, refLabel: string, refBits: number): string {
  const c = adcCost(bits, refBits);
  const fmt = (r: number) => (Number.isInteger(r) ? String(r) : r.toFixed(2));
  if (bits === refBits)
    return `${label} ${bits} b vs ${refLabel} ${refBits} b: the same ramp steps (${c.rampSteps}) and SAR cycles`;
  const ramp = c.rampRatio > 1 ? `${fmt(c.rampRatio)}× fewer ramp steps` : `${fmt(1 / c.rampRatio)}× more ramp steps`;
  const sar = c.sarRatio > 1 ? `SAR ${fmt(c.sarRatio)}× fewer cycles` : `SAR ${fmt(1 / c.sarRatio)}× more cycles`;
  return `${label} ${bits} b vs ${refLabel} ${refBits} b: ${ramp} (${sar})`;
}
