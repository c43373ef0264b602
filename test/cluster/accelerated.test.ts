import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assignNearest, fitKMeans, NumpyRandomState } from '../../src/cluster/index.js';
import { CHUNK, packCentroids, scoreContiguous, scoreRows } from '../../src/cluster/assign.js';
import { distancesToRow, kmeansPlusPlus, seedCentres } from '../../src/cluster/kmeans-plus-plus.js';
import { lloyd } from '../../src/cluster/lloyd.js';
import { pairwiseSum, rowNormSquared } from '../../src/cluster/numeric.js';
import { squaredDistance } from '../../src/cluster/distance.js';
import { centreRows } from '../../src/cluster/columns.js';
import { createRowScorer, packedWidth } from '../../src/cluster/scorer.js';


type Shape = 'blobs' | 'grid' | 'duplicates' | 'bisectors';

/** Data built to stress the pruning: overlapping blobs, integer grids and duplicated rows full of exact ties, rows on bisectors. */
function makeData(shape: Shape, rows: number, cols: number, seed: number): Float64Array {
  const rng = new NumpyRandomState(seed);
  const x = new Float64Array(rows * cols);
  if (shape === 'blobs') {
    const centres = Array.from({ length: 5 * cols }, () => rng.randomSample() * 10);
    for (let i = 0; i < rows; i++) {
      const c = rng.randint(5);
      for (let j = 0; j < cols; j++) x[i * cols + j] = centres[c * cols + j] + 4 * (rng.randomSample() - 0.5);
    }
  } else if (shape === 'grid') {
    for (let i = 0; i < rows * cols; i++) x[i] = rng.randint(4);
  } else if (shape === 'duplicates') {
    const distinct = Array.from({ length: 6 * cols }, () => rng.randomSample() * 3);
    for (let i = 0; i < rows; i++) {
      const c = rng.randint(6);
      for (let j = 0; j < cols; j++) x[i * cols + j] = distinct[c * cols + j];
    }
  } else {
    // Midpoints of random pairs among a few anchors: equidistant from both anchors.
    const anchors = Array.from({ length: 4 * cols }, () => rng.randint(8) + 0.1 * rng.randint(10));
    for (let i = 0; i < rows; i++) {
      const a = rng.randint(4);
      const b = rng.randint(4);
      for (let j = 0; j < cols; j++) x[i * cols + j] = (anchors[a * cols + j] + anchors[b * cols + j]) / 2;
    }
  }
  return x;
}

function prepared(x: Float64Array, rows: number, cols: number, k: number) {
  const scorer = createRowScorer(rows, cols, Math.max(packedWidth(k), packedWidth(2 + Math.floor(Math.log(k)))));
  scorer.x.set(x);
  const xx = new Float64Array(rows);
  for (let i = 0; i < rows; i++) xx[i] = rowNormSquared(x, i * cols, cols);
  return { scorer, xx };
}

const bits = (a: Float64Array) => Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)));

const cases = fc.record({
  shape: fc.constantFrom<Shape>('blobs', 'grid', 'duplicates', 'bisectors'),
  rows: fc.integer({ min: 20, max: 700 }),
  cols: fc.integer({ min: 1, max: 23 }),
  k: fc.integer({ min: 1, max: 13 }),
  seed: fc.integer({ min: 0, max: 1000 }),
});

describe('the accelerated fit makes exactly the plain fit\'s decisions', () => {
  it('k-means++ with triangle-inequality pruning picks the same centres, bit for bit', () => {
    fc.assert(
      fc.property(cases, ({ shape, rows, cols, k, seed }) => {
        const x = makeData(shape, rows, cols, seed);
        const { scorer, xx } = prepared(x, rows, cols, k);
        const pruned = kmeansPlusPlus(scorer, xx, rows, cols, k, new NumpyRandomState(seed), true);
        const plain = kmeansPlusPlus(scorer, xx, rows, cols, k, new NumpyRandomState(seed), false);
        expect(bits(pruned)).toEqual(bits(plain));
      }),
      { numRuns: 60 },
    );
  });

  it('Lloyd with Hamerly bounds gives the same labels, centres, iterations and inertia', () => {
    let boundsUsed = 0;
    fc.assert(
      fc.property(cases, fc.boolean(), ({ shape, rows, cols, k, seed }, tieInit) => {
        const x = makeData(shape, rows, cols, seed);
        const { scorer, xx } = prepared(x, rows, cols, k);
        // Either k-means++ starts or starts copied from data rows (on grids: many exact ties).
        const start = tieInit
          ? Float64Array.from({ length: k * cols }, (_, q) => x[((q / cols) | 0) * cols + (q % cols)])
          : kmeansPlusPlus(scorer, xx, rows, cols, k, new NumpyRandomState(seed));
        const a = lloyd(x, xx, rows, cols, Float64Array.from(start), k, 50, 0, true);
        const b = lloyd(x, xx, rows, cols, Float64Array.from(start), k, 50, 0, false);
        expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
        expect(bits(a.centers)).toEqual(bits(b.centers));
        expect(a.iterations).toBe(b.iterations);
        expect(Object.is(a.inertia, b.inertia)).toBe(true);
        if (a.iterations > 1) boundsUsed++;
      }),
      { numRuns: 80 },
    );
    expect(boundsUsed).toBeGreaterThan(10);
  });

  it('Lloyd started from k-means++\'s own distances gives the same labels, centres, iterations and inertia', () => {
    let settledBySeeds = 0;
    fc.assert(
      fc.property(cases, ({ shape, rows, cols, k, seed }) => {
        const x = makeData(shape, rows, cols, seed);
        const { scorer, xx } = prepared(x, rows, cols, k);
        const { centers, seeds } = seedCentres(scorer, xx, rows, cols, k, new NumpyRandomState(seed));
        // The seeds really decide rows: their bounds separate the owner from every other centre.
        // (Counted first: the seeded run takes the seeds' arrays over.)
        for (let i = 0; i < rows; i++) if (seeds.second[i] > 4 * (seeds.closest[i] + seeds.tau)) settledBySeeds++;
        const a = lloyd(x, xx, rows, cols, Float64Array.from(centers), k, 50, 0, true, seeds);
        const b = lloyd(x, xx, rows, cols, Float64Array.from(centers), k, 50, 0, false);
        expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
        expect(bits(a.centers)).toEqual(bits(b.centers));
        expect(a.iterations).toBe(b.iterations);
        expect(Object.is(a.inertia, b.inertia)).toBe(true);
      }),
      { numRuns: 60 },
    );
    expect(settledBySeeds).toBeGreaterThan(1000);
  });
});

/**
 * scikit-learn's `_kmeans_single_lloyd` written out plainly: exact assignment of every row,
 * per-cluster sums added row by row, labels compared with the previous iteration's, a final
 * E-step unless strictly converged. (Empty clusters are left out: the cases below skip them.)
 */
function referenceLloyd(x: Float64Array, rows: number, cols: number, start: Float64Array, k: number, maxIter: number, tolAbs: number) {
  let centers: Float64Array = Float64Array.from(start);
  let labels: Int32Array = new Int32Array(rows).fill(-1);
  let old: Int32Array = new Int32Array(rows).fill(-1);
  let strict = false;
  let iter = 0;
  let emptied = false;
  for (; iter < maxIter; iter++) {
    labels = assignNearest(x, rows, cols, centers, k);
    const sums = new Float64Array(k * cols);
    const counts = new Float64Array(k);
    for (let i = 0; i < rows; i++) {
      counts[labels[i]] += 1;
      for (let f = 0; f < cols; f++) sums[labels[i] * cols + f] += x[i * cols + f];
    }
    if (counts.some((c) => c === 0)) emptied = true;
    const shift = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) for (let f = 0; f < cols; f++) sums[c * cols + f] *= 1 / counts[c];
      else for (let f = 0; f < cols; f++) sums[c * cols + f] = centers[c * cols + f];
      shift[c] = Math.sqrt(squaredDistance(sums, c * cols, centers, c * cols, cols));
    }
    centers = sums;
    if (labels.every((l, i) => l === old[i])) {
      strict = true;
      break;
    }
    if (pairwiseSum(shift.map((v) => v * v)) <= tolAbs) break;
    old = labels;
  }
  if (!strict) labels = assignNearest(x, rows, cols, centers, k);
  let inertia = 0;
  for (let i = 0; i < rows; i++) inertia += squaredDistance(x, i * cols, centers, labels[i] * cols, cols);
  return { labels, centers, inertia, iterations: Math.min(iter + 1, maxIter), emptied };
}

describe('the fused Lloyd loop equals a plain one', () => {
  it('labels, centres, iterations and inertia match a row-by-row reference, strict and tolerance stops alike', () => {
    let compared = 0;
    let strictStops = 0;
    fc.assert(
      fc.property(cases, fc.constantFrom(0, 1e-3), ({ shape, rows, cols, k, seed }, tolScale) => {
        const x = makeData(shape, rows, cols, seed);
        const { scorer, xx } = prepared(x, rows, cols, k);
        const { centers, seeds } = seedCentres(scorer, xx, rows, cols, k, new NumpyRandomState(seed));
        const ref = referenceLloyd(x, rows, cols, centers, k, 40, tolScale);
        if (ref.emptied) return;
        const run = lloyd(x, xx, rows, cols, Float64Array.from(centers), k, 40, tolScale, true, seeds);
        expect(Array.from(run.labels)).toEqual(Array.from(ref.labels));
        expect(bits(run.centers)).toEqual(bits(ref.centers));
        expect(run.iterations).toBe(ref.iterations);
        expect(Object.is(run.inertia, ref.inertia)).toBe(true);
        compared++;
        if (ref.iterations < 40 && tolScale === 0) strictStops++;
      }),
      { numRuns: 80 },
    );
    expect(compared).toBeGreaterThan(30);
    expect(strictStops).toBeGreaterThan(10);
  });

  it('centring computes the first k-means++ distances as the seeding would', () => {
    fc.assert(
      fc.property(cases, ({ shape, rows, cols, seed }) => {
        const data = makeData(shape, rows, cols, seed);
        const mean = new Float64Array(cols);
        for (let i = 0; i < rows; i++) for (let f = 0; f < cols; f++) mean[f] += data[i * cols + f] / rows;
        const row = seed % rows;
        const out = new Float64Array(rows * cols);
        const xx = new Float64Array(rows);
        const fused = new Float64Array(rows);
        centreRows(data, rows, cols, mean, out, xx, { row, distances: fused });
        const separate = new Float64Array(rows);
        distancesToRow(out, xx, cols, out.slice(row * cols, (row + 1) * cols), xx[row], separate, 0, rows);
        expect(bits(fused)).toEqual(bits(separate));
      }),
      { numRuns: 40 },
    );
  });
});

describe('assignment stays exact', () => {
  it('settles scikit-learn\'s near-tie rows', async () => {
    const { expected } = await import('./helpers.js');
    const A = expected('expected_assign.json');
    for (const c of A.cases) {
      const labels = assignNearest(Float64Array.from(c.x.flat()), c.x.length, c.d, Float64Array.from(c.centers.flat()), c.k);
      expect(Array.from(labels).join('')).toBe(c.labels);
    }
  });

  it('k = 1 labels every row 0 without the exact fallback', () => {
    const x = makeData('blobs', 2000, 4, 3);
    const r = fitKMeans({ data: x, rows: 2000, cols: 4 }, { k: 1, nInit: 1 });
    expect(r.labels.every((l) => l === 0)).toBe(true);
    expect(r.iterations).toBeLessThanOrEqual(2);
  });
});
