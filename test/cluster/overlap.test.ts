import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NumpyRandomState } from '../../src/cluster/index.js';
import { seedCentres } from '../../src/cluster/kmeans-plus-plus.js';
import { withoutSimd } from '../support/without-simd.js';
import { lloyd } from '../../src/cluster/lloyd.js';
import { rowNormSquared } from '../../src/cluster/numeric.js';
import { createRowScorer, packedWidth } from '../../src/cluster/scorer.js';

// On overlapping clusters most rows of a chunk fail their moved bounds, so Lloyd tightens
// whole chunks (tightenChunk, then moveTightenChunk in place of moveBounds) and finds winners
// with lane minima (finishRowsLanes). Those paths must make exactly the decisions of the
// assignment without bounds: same labels, and so the same centres, iterations and inertia,
// compared by Object.is, with the WebAssembly kernels and with the JavaScript fallback.

const bits = (a: ArrayLike<number>) => Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)));

/** Blobs whose centres sit closer together than their spread, as benchmarks/cluster.bench.ts's hard input. */
function overlapping(rng: NumpyRandomState, rows: number, cols: number, blobs: number, spread: number, grid: boolean): Float64Array {
  const centres = Float64Array.from({ length: blobs * cols }, () => (rng.randomSample() * 2 - 1) * spread);
  const x = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const c = rng.randint(blobs);
    for (let j = 0; j < cols; j++) {
      const noise = rng.randomSample() + rng.randomSample() + rng.randomSample() - 1.5;
      // On a grid many rows coincide and sit on bisectors: exact ties for the lane minima.
      x[i * cols + j] = grid ? Math.round(centres[c * cols + j] + 4 * noise) : centres[c * cols + j] + 8 * noise;
    }
  }
  return x;
}

function fit(x: Float64Array, rows: number, cols: number, k: number, seed: number, prune: boolean) {
  const scorer = createRowScorer(rows, cols, Math.max(packedWidth(k), packedWidth(2 + Math.floor(Math.log(k)))));
  scorer.x.set(x);
  const xx = scorer.memory.f64(rows);
  for (let i = 0; i < rows; i++) xx[i] = rowNormSquared(x, i * cols, cols);
  const { centers, seeds } = seedCentres(scorer, xx, rows, cols, k, new NumpyRandomState(seed));
  const run = lloyd(scorer.x, xx, rows, cols, centers, k, 60, 0, prune, seeds);
  return { labels: Array.from(run.labels), centers: bits(run.centers), iterations: run.iterations, inertia: bits([run.inertia]) };
}

describe('Lloyd on overlapping clusters', () => {
  it('makes the decisions of the assignment without bounds, with and without WebAssembly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 600, max: 3000 }),
        fc.integer({ min: 2, max: 30 }),
        fc.integer({ min: 2, max: 13 }),
        fc.double({ min: 0.5, max: 4, noNaN: true }),
        fc.boolean(),
        fc.integer({ min: 0, max: 10_000 }),
        (rows, cols, k, spread, grid, seed) => {
          const x = overlapping(new NumpyRandomState(seed), rows, cols, 8, spread, grid);
          const plain = fit(x, rows, cols, k, seed, false);
          expect(fit(x, rows, cols, k, seed, true)).toEqual(plain);
          expect(withoutSimd(() => fit(x, rows, cols, k, seed, true))).toEqual(plain);
        },
      ),
      { numRuns: 25 },
    );
  });
});
