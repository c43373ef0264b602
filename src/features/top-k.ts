import { InputError } from '../errors.js';

/** One ranked class. */
export interface Ranked<L = string> {
  label: L;
  probability: number;
}

/**
 * The `k` most probable classes of each row of a row-major probability matrix
 * (`rows × labels.length`), most probable first. Ties keep class order (the lower class
 * index first), so results are stable; NaN ranks last.
 *
 * @example
 * topK(Float32Array.of(0.1, 0.6, 0.1, 0.2), 3, ['Books', 'Clothing', 'Electronics', 'Home'])
 * // => [[{ label: 'Clothing', probability: 0.6000000238418579 },
 * //      { label: 'Home', probability: 0.20000000298023224 },
 * //      { label: 'Books', probability: 0.10000000149011612 }]]
 */
export function topK<L>(probabilities: ArrayLike<number>, k: number, labels: readonly L[]): Ranked<L>[][] {
  const width = labels.length;
  if (width === 0) throw new InputError('topK needs at least one label');
  if (!Number.isInteger(k) || k < 1) throw new InputError(`k must be a positive integer, got ${k}`);
  if (probabilities.length % width !== 0) {
    throw new InputError(`${probabilities.length} probabilities do not split into rows of ${width} labels`);
  }
  const rows = probabilities.length / width;
  const take = Math.min(k, width);
  const out: Ranked<L>[][] = [];
  const order = new Array<number>(width);
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    for (let c = 0; c < width; c++) order[c] = c;
    order.sort((a, b) => {
      const pa = probabilities[base + a];
      const pb = probabilities[base + b];
      if (pa === pb) return a - b;
      if (Number.isNaN(pa)) return Number.isNaN(pb) ? a - b : 1;
      if (Number.isNaN(pb)) return -1;
      return pb - pa;
    });
    const ranked: Ranked<L>[] = [];
    for (let i = 0; i < take; i++) ranked.push({ label: labels[order[i]], probability: probabilities[base + order[i]] });
    out.push(ranked);
  }
  return out;
}
