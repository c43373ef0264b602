import { InputError } from '../errors.js';

/**
 * The population stability index Σ (ref − cur)·ln(ref / cur) over shares that have no zeros
 * (see {@link floorShares}).
 *
 * @example
 * populationStabilityIndex([0.5, 0.5], [0.5, 0.5]) // => 0
 */
export function populationStabilityIndex(reference: readonly number[], current: readonly number[]): number {
  if (reference.length !== current.length) throw new InputError('PSI needs shares of equal length');
  let psi = 0;
  for (let i = 0; i < reference.length; i++) psi += (reference[i] - current[i]) * Math.log(reference[i] / current[i]);
  return psi;
}
