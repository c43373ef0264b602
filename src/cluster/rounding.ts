// The rounding margins shared by the exact shortcuts (Hamerly bounds, k-means++ pruning,
// near-tie checks) and the WebAssembly kernels that repeat them: one definition, so the
// JavaScript and generated code can never disagree on a margin.

/**
 * @internal The unit roundoff of a double, 2^-53.
 *
 * @example
 * 1 + U === 1 // => true (ties to even)
 */
export const U = 2 ** -53;

/**
 * @internal Multiplies a bound up past the rounding of the few operations that made it.
 *
 * @example
 * upper * UP >= upper // => true for upper ≥ 0
 */
export const UP = 1 + 16 * U;

/**
 * @internal Multiplies a bound down past the same rounding.
 *
 * @example
 * lower * DOWN <= lower // => true for lower ≥ 0
 */
export const DOWN = 1 - 16 * U;

/**
 * @internal Absolute slack for products that underflow into the subnormal range.
 *
 * @example
 * err + TINY > 0 // => true even when err underflowed to 0
 */
export const TINY = 2 ** -1000;
