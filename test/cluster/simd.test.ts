import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fitKMeans, NumpyRandomState } from '../../src/cluster/index.js';
import { CHUNK, chunkLabels, labelChunk, packCentroids, scoreRows } from '../../src/cluster/assign.js';
import { centreInPlace, centreRows, columnSums, copyAndSumColumns } from '../../src/cluster/columns.js';
import { FitMemory } from '../../src/cluster/fit-memory.js';
import { seedCentres } from '../../src/cluster/kmeans-plus-plus.js';
import { withoutSimd } from '../support/without-simd.js';
import { lloyd, moveBounds, tightenBounds, tightenChunk } from '../../src/cluster/lloyd.js';
import { rowNormSquared } from '../../src/cluster/numeric.js';
import { createRowScorer, packedWidth, SIMD_MIN_VALUES, type RowScorer } from '../../src/cluster/scorer.js';
import { CodeBuilder, encodeModule, F64, I32, Simd } from '../../src/wasm/encode.js';

// The WebAssembly SIMD kernels must give the JavaScript kernels' values bit for bit; every
// comparison below is by Object.is (so −0 and NaN count), with the fallback forced for the
// reference.

const bits = (a: ArrayLike<number>) => Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)));

/** Rows full of what breaks careless kernels: ties, duplicates, −0, tiny and huge values. */
function awkwardData(rng: NumpyRandomState, rows: number, cols: number, kind: number): Float64Array {
  const x = new Float64Array(rows * cols);
  const anchors = Array.from({ length: 5 * cols }, () => (rng.randomSample() - 0.5) * 20);
  for (let i = 0; i < rows; i++) {
    const a = rng.randint(5);
    for (let j = 0; j < cols; j++) {
      const base = anchors[a * cols + j];
      x[i * cols + j] =
        kind === 0 ? base + rng.randomSample() - 0.5
        : kind === 1 ? rng.randint(3) - 1 + (rng.randint(4) === 0 ? -0 : 0)
        : kind === 2 ? base
        : kind === 3 ? (rng.randomSample() - 0.5) * 1e-160
        : (rng.randomSample() - 0.5) * 1e150;
    }
  }
  return x;
}

const shapes = fc.record({
  rows: fc.integer({ min: 1, max: 400 }),
  cols: fc.integer({ min: 1, max: 40 }),
  k: fc.integer({ min: 1, max: 22 }),
  kind: fc.integer({ min: 0, max: 4 }),
  seed: fc.integer({ min: 0, max: 10_000 }),
});

// One scratch memory per column count for the kernel tests below, emptied before each case:
// every WebAssembly memory reserves gigabytes of address space until it is collected, and a
// fresh one per case slows the fits of later tests in the same process.
const scratch = new Map<number, FitMemory>();
function scratchMemory(cols: number): FitMemory {
  let memory = scratch.get(cols);
  if (memory === undefined) {
    memory = FitMemory.create(1 << 20, cols);
    scratch.set(cols, memory);
  }
  memory.release(0);
  return memory;
}

function scorerWith(x: Float64Array, rows: number, cols: number, k: number): { scorer: RowScorer; xx: Float64Array } {
  const scorer = createRowScorer(rows, cols, Math.max(packedWidth(k), packedWidth(2 + Math.floor(Math.log(k)))));
  scorer.x.set(x);
  const xx = scorer.memory.f64(rows);
  for (let i = 0; i < rows; i++) xx[i] = rowNormSquared(x, i * cols, cols);
  return { scorer, xx };
}

describe('WebAssembly SIMD kernels', () => {
  it('compile here (Node 20 has SIMD), so the tests below compare two different paths', () => {
    expect(createRowScorer(10, 3, 4).memory.kernels).not.toBeNull();
    expect(withoutSimd(() => createRowScorer(10, 3, 4).memory.kernels)).toBeNull();
  });

  it('k-means++ picks the same centres and hands Lloyd the same distances, bit for bit', () => {
    fc.assert(
      fc.property(shapes, fc.boolean(), ({ rows, cols, k, kind, seed }, prune) => {
        const x = awkwardData(new NumpyRandomState(seed), rows, cols, kind);
        const kk = Math.min(k, rows);
        const simd = scorerWith(x, rows, cols, kk);
        const plain = withoutSimd(() => scorerWith(x, rows, cols, kk));
        expect(simd.scorer.memory.kernels).not.toBeNull();
        const a = seedCentres(simd.scorer, simd.xx, rows, cols, kk, new NumpyRandomState(seed), prune);
        const b = seedCentres(plain.scorer, plain.xx, rows, cols, kk, new NumpyRandomState(seed), prune);
        expect(bits(a.centers)).toEqual(bits(b.centers));
        expect(Array.from(a.seeds.owner)).toEqual(Array.from(b.seeds.owner));
        expect(bits(a.seeds.closest)).toEqual(bits(b.seeds.closest));
        expect(bits(a.seeds.second)).toEqual(bits(b.seeds.second));
      }),
      { numRuns: 120 },
    );
  });

  it('Lloyd gives the same labels, centres, iterations and inertia, with and without bounds', () => {
    fc.assert(
      fc.property(shapes, fc.boolean(), ({ rows, cols, k, kind, seed }, prune) => {
        const x = awkwardData(new NumpyRandomState(seed), rows, cols, kind);
        const kk = Math.min(k, rows);
        const run = (): ReturnType<typeof lloyd> => {
          const { scorer, xx } = scorerWith(x, rows, cols, kk);
          const { centers, seeds } = seedCentres(scorer, xx, rows, cols, kk, new NumpyRandomState(seed));
          return lloyd(scorer.x, xx, rows, cols, centers, kk, 8, 0, prune, seeds);
        };
        const a = run();
        const b = withoutSimd(run);
        expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
        expect(bits(a.centers)).toEqual(bits(b.centers));
        expect(a.iterations).toBe(b.iterations);
        expect(Object.is(a.inertia, b.inertia)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('scores rows (contiguous and listed) exactly as scoreRows', () => {
    fc.assert(
      fc.property(shapes, ({ rows, cols, k, kind, seed }) => {
        const rng = new NumpyRandomState(seed);
        const x = awkwardData(rng, rows, cols, kind);
        const centres = awkwardData(rng, k, cols, kind);
        const p = packCentroids(centres, k, cols);
        const width = p.c2.length;
        const memory = FitMemory.create(8 * (rows * cols + width * (cols + 1) + 2 * CHUNK * width) + 4 * CHUNK + 1024, cols);
        const xm = memory.f64(rows * cols);
        xm.set(x);
        const packed = memory.f64(p.packed.length);
        packed.set(p.packed);
        const norms = memory.f64(width);
        norms.set(p.c2);
        const v = memory.f64(CHUNK * width);
        const index = memory.i32(CHUNK);
        const want = new Float64Array(CHUNK * width);
        const count = Math.min(rows, CHUNK);
        for (let r = 0; r < count; r++) index[r] = rng.randint(rows);
        for (const listed of [false, true]) {
          v.fill(0);
          for (let j = 0; j < width; j += 4) {
            const args = [packed.byteOffset + 8 * j * cols, norms.byteOffset + 8 * j, v.byteOffset + 8 * j, 8 * width] as const;
            if (listed) memory.kernels!.scoresIndexed(xm.byteOffset, index.byteOffset, count, ...args);
            else memory.kernels!.scoresContiguous(xm.byteOffset, rows - count, count, ...args);
          }
          scoreRows(x, listed ? 0 : rows - count, count, p, want, undefined, listed ? index.subarray(0, count) : undefined);
          expect(bits(v.subarray(0, count * width))).toEqual(bits(want.subarray(0, count * width)));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('moves and tightens Lloyd\'s bounds exactly as moveBounds and tightenBounds', () => {
    fc.assert(
      fc.property(shapes, fc.double({ min: 0, max: 2, noNaN: true }), ({ rows, cols, k, kind, seed }, spread) => {
        const rng = new NumpyRandomState(seed);
        const x = awkwardData(rng, rows, cols, kind);
        const centres = awkwardData(rng, k, cols, kind);
        const norms = Float64Array.from({ length: packedWidth(k) }, (_, j) => (j < k ? rowNormSquared(centres, j * cols, cols) : Infinity));
        const memory = FitMemory.create(8 * (rows * (cols + 4) + k * (cols + 3) + norms.length + 2) + 8 * rows + 4096, cols);
        const at = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
          const copy = make(a.length);
          copy.set(a as never);
          return copy;
        };
        const f64 = (a: Float64Array) => at(a, (n) => memory.f64(n));
        const i32 = (a: Int32Array) => at(a, (n) => memory.i32(n));
        const labels = Int32Array.from({ length: rows }, () => rng.randint(k));
        const xx = Float64Array.from({ length: rows }, (_, i) => rowNormSquared(x, i * cols, cols));
        const upper = Float64Array.from({ length: rows }, () => rng.randomSample() * spread * 10);
        const lower = Float64Array.from({ length: rows }, () => rng.randomSample() * 10);
        const moves = Float64Array.from({ length: 3 * k }, () => rng.randomSample() * spread);
        const tau = rng.randomSample() * 1e-9;
        const threshold = 2 * tau;
        const first = rng.randint(rows);
        const end = first + rng.randint(Math.min(CHUNK, rows - first) + 1);
        // JavaScript
        const [ju, jl] = [Float64Array.from(upper), Float64Array.from(lower)];
        const jCheck = new Int32Array(CHUNK);
        const jPending = new Int32Array(CHUNK);
        const jn = moveBounds(labels, ju, jl, moves.subarray(0, k), moves.subarray(k, 2 * k), moves.subarray(2 * k), threshold, jCheck, new Float64Array(2), first, end);
        const jp = tightenBounds(x, xx, cols, centres, norms, labels, ju, jl, tau, threshold, jCheck, jn, jPending);
        // WebAssembly
        const [wx, wxx, wc, wn, wu, wl, wm] = [f64(x), f64(xx), f64(centres), f64(norms), f64(upper), f64(lower), f64(moves)];
        const [wLabels, wCheck, wPending] = [i32(labels), memory.i32(CHUNK), memory.i32(CHUNK)];
        const consts = f64(Float64Array.of(threshold, tau));
        expect([wx, wxx, wc, wn, wu, wl, wm, wLabels, wCheck, wPending, consts].every((a) => memory.holds(a))).toBe(true);
        const kernels = memory.kernels!;
        const wnCheck = kernels.moveBounds(wLabels.byteOffset, wu.byteOffset, wl.byteOffset, wm.byteOffset, k, first, end, wCheck.byteOffset, consts.byteOffset);
        expect(wnCheck).toBe(jn);
        expect(Array.from(wCheck.subarray(0, jn))).toEqual(Array.from(jCheck.subarray(0, jn)));
        const wp = kernels.tightenBounds(wx.byteOffset, wxx.byteOffset, wc.byteOffset, wn.byteOffset, wLabels.byteOffset, wu.byteOffset, wl.byteOffset, wCheck.byteOffset, wnCheck, wPending.byteOffset, consts.byteOffset);
        expect(wp).toBe(jp);
        expect(Array.from(wPending.subarray(0, jp))).toEqual(Array.from(jPending.subarray(0, jp)));
        expect(bits(wu)).toEqual(bits(ju));
        expect(bits(wl)).toEqual(bits(jl));
      }),
      { numRuns: 150 },
    );
  });

  it('tightens a whole chunk\'s bounds exactly as tightenChunk, after moveBounds or in its place', () => {
    fc.assert(
      fc.property(shapes, fc.double({ min: 0, max: 2, noNaN: true }), fc.boolean(), ({ rows, cols, k, kind, seed }, spread, move) => {
        const rng = new NumpyRandomState(seed);
        const x = awkwardData(rng, rows, cols, kind);
        const centres = awkwardData(rng, k, cols, kind);
        const norms = Float64Array.from({ length: packedWidth(k) }, (_, j) => (j < k ? rowNormSquared(centres, j * cols, cols) : Infinity));
        const memory = scratchMemory(cols);
        const at = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
          const copy = make(a.length);
          copy.set(a as never);
          return copy;
        };
        const f64 = (a: Float64Array) => at(a, (n) => memory.f64(n));
        const labels = Int32Array.from({ length: rows }, () => rng.randint(k));
        const xx = Float64Array.from({ length: rows }, (_, i) => rowNormSquared(x, i * cols, cols));
        // Bounds on both sides of the proof, and gaps that sometimes raise the lower bound.
        const upper = Float64Array.from({ length: rows }, () => rng.randomSample() * spread * 10);
        const lower = Float64Array.from({ length: rows }, () => (rng.randint(5) === 0 ? -0 : rng.randomSample() * 10));
        const half = Float64Array.from({ length: k }, () => (rng.randint(4) === 0 ? Infinity : rng.randomSample() * spread * 20));
        const otherMove = Float64Array.from({ length: k }, () => rng.randomSample() * spread);
        const tau = rng.randomSample() * 1e-9;
        const threshold = 2 * tau;
        const first = rng.randint(rows);
        const end = first + rng.randint(Math.min(CHUNK, rows - first) + 1);
        const [ju, jl] = [Float64Array.from(upper), Float64Array.from(lower)];
        const jPending = new Int32Array(CHUNK);
        const jp = tightenChunk(x, xx, cols, centres, norms, labels, ju, jl, half, tau, threshold, first, end, jPending, move ? otherMove : undefined);
        const [wx, wxx, wc, wn, wu, wl, wh, wo] = [f64(x), f64(xx), f64(centres), f64(norms), f64(upper), f64(lower), f64(half), f64(otherMove)];
        const wLabels = memory.i32(rows);
        wLabels.set(labels);
        const wPending = memory.i32(CHUNK);
        const consts = f64(Float64Array.of(threshold, tau));
        expect([wx, wxx, wc, wn, wu, wl, wh, wo, wLabels, wPending, consts].every((a) => memory.holds(a))).toBe(true);
        const args = [wx, wxx, wc, wn, wLabels, wu, wl].map((a) => a.byteOffset);
        const wp = move
          ? memory.kernels!.moveTightenChunk(...(args as [number, number, number, number, number, number, number]), first, end, wPending.byteOffset, consts.byteOffset, wh.byteOffset, wo.byteOffset)
          : memory.kernels!.tightenChunk(...(args as [number, number, number, number, number, number, number]), first, end, wPending.byteOffset, consts.byteOffset, wh.byteOffset);
        expect(wp).toBe(jp);
        expect(Array.from(wPending.subarray(0, jp))).toEqual(Array.from(jPending.subarray(0, jp)));
        expect(bits(wu)).toEqual(bits(ju));
        expect(bits(wl)).toEqual(bits(jl));
      }),
      { numRuns: 150 },
    );
  });

  it('groups a chunk\'s rows by cluster, in row order, with the counts, as addChunk does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 0, max: 10_000 }), (k, rows, seed) => {
        const rng = new NumpyRandomState(seed);
        const cols = 1 + rng.randint(30);
        const memory = scratchMemory(cols);
        // Some clusters empty, some holding most rows.
        const used = 1 + rng.randint(k);
        const labels = memory.i32(rows);
        for (let i = 0; i < rows; i++) labels[i] = rng.randint(4) === 0 ? rng.randint(k) : rng.randint(used);
        const first = rng.randint(rows);
        const end = first + rng.randint(Math.min(CHUNK, rows - first) + 1);
        const [fill, start, offsets] = [memory.i32(k), memory.i32(k + 1), memory.i32(CHUNK)];
        const counts = memory.f64(k);
        const before = Float64Array.from({ length: k }, () => rng.randint(1000));
        counts.set(before);
        expect([labels, fill, start, offsets, counts].every((a) => memory.holds(a))).toBe(true);
        memory.kernels!.groupRows(labels.byteOffset, first, end, k, fill.byteOffset, start.byteOffset, offsets.byteOffset, counts.byteOffset);
        // Reference: a stable sort of the chunk's rows by label.
        const rowsOf = Array.from({ length: end - first }, (_, r) => first + r).sort((a, b) => labels[a] - labels[b] || a - b);
        expect(Array.from(offsets.subarray(0, end - first))).toEqual(rowsOf.map((i) => i * cols));
        for (let c = 0; c < k; c++) {
          const n = rowsOf.filter((i) => labels[i] === c).length;
          expect(counts[c]).toBe(before[c] + n);
          expect(start[c + 1] - start[c]).toBe(n);
        }
        expect(start[0]).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('labels scored rows and renews their bounds exactly as labelChunk and Lloyd do, near ties left to JavaScript', () => {
    const UP = 1 + 16 * 2 ** -53;
    const DOWN = 1 - 16 * 2 ** -53;
    let hardRows = 0;
    fc.assert(
      fc.property(shapes, fc.integer({ min: 9, max: 17 }), ({ rows, cols, k, kind, seed }, digits) => {
        const kk = Math.max(2, k);
        const rng = new NumpyRandomState(seed);
        const x = awkwardData(rng, rows, cols, kind);
        const centres = awkwardData(rng, kk, cols, kind);
        // Near twins: centroid 1 is centroid 0 moved by about 10^−digits of itself (exact twins
        // at 17), so their scores differ by about the rounding-error margin, on both sides of it.
        for (let f = 0; f < cols; f++) centres[cols + f] = centres[f] * (1 + (rng.randomSample() - 0.5) * 10 ** -digits);
        const p = packCentroids(centres, kk, cols);
        const width = p.c2.length;
        const count = Math.min(rows, CHUNK);
        const index = Int32Array.from({ length: count }, () => rng.randint(rows));
        const distinct = Int32Array.from(new Set(index));
        const n = distinct.length;
        const xx = Float64Array.from({ length: rows }, (_, i) => rowNormSquared(x, i * cols, cols));
        const labels = Int32Array.from({ length: rows }, () => rng.randint(kk));
        const upper = Float64Array.from({ length: rows }, () => rng.randomSample());
        const lower = Float64Array.from({ length: rows }, () => rng.randomSample());
        const tau = rng.randomSample() * 1e-9;
        // JavaScript: labelChunk, then the bounds as Lloyd renews them.
        const buf = chunkLabels(width);
        scoreRows(x, 0, n, p, buf.v, undefined, distinct);
        labelChunk(x, 0, n, p, buf, distinct, xx);
        const [jl, ju, jlo] = [Int32Array.from(labels), Float64Array.from(upper), Float64Array.from(lower)];
        let jChanged = 0;
        for (let r = 0; r < n; r++) {
          const i = distinct[r];
          jChanged += +(jl[i] !== buf.labels[r]);
          jl[i] = buf.labels[r];
          ju[i] = Math.sqrt(Math.max(0, (xx[i] + buf.own[r] + tau) * UP)) * UP;
          jlo[i] = Math.sqrt(Math.max(0, (xx[i] + buf.other[r] - tau) * DOWN)) * DOWN;
        }
        // WebAssembly, on the same scores; the rows it leaves are the near ties.
        const memory = FitMemory.create(8 * (CHUNK * width + 3 * rows + kk + 8) + 4 * (rows + 2 * CHUNK + 4) + 4096, cols);
        const copy = <T extends Float64Array | Int32Array>(a: T, make: (len: number) => T): T => {
          const c = make(a.length);
          c.set(a as never);
          return c;
        };
        const [v, wxx, wu, wlo, cn] = [buf.v, xx, upper, lower, p.cn].map((a) => copy(a, (len) => memory.f64(len)));
        const [wl, wIndex] = [labels, distinct].map((a) => copy(a, (len) => memory.i32(len)));
        const consts = copy(Float64Array.of(p.errScale, p.cnMax, tau), (len) => memory.f64(len));
        const hard = memory.i32(CHUNK);
        const changed = memory.i32(1);
        const nHard = memory.kernels!.finishRows(
          v.byteOffset, 8 * width, n, wIndex.byteOffset, kk, wxx.byteOffset, wl.byteOffset, wu.byteOffset, wlo.byteOffset,
          cn.byteOffset, consts.byteOffset, hard.byteOffset, changed.byteOffset,
        );
        let wChanged = changed[0];
        for (let h = 0; h < nHard; h++) {
          const r = hard[h];
          const i = distinct[r];
          wChanged += +(wl[i] !== buf.labels[r]);
          wl[i] = buf.labels[r];
          wu[i] = Math.sqrt(Math.max(0, (xx[i] + buf.own[r] + tau) * UP)) * UP;
          wlo[i] = Math.sqrt(Math.max(0, (xx[i] + buf.other[r] - tau) * DOWN)) * DOWN;
        }
        hardRows += nHard;
        // Exactly the rows whose rounding-error test (assign.ts, settleRow) cannot prove the winner.
        const U = 2 ** -53;
        const TINY = 2 ** -1000;
        const unproven: number[] = [];
        for (let r = 0; r < n; r++) {
          const row = Array.from(buf.v.subarray(r * width, r * width + kk));
          const bestV = Math.min(...row);
          const best = row.indexOf(bestV);
          const second = Math.min(...row.filter((_, j) => j !== best));
          const xs = xx[distinct[r]];
          const scaled = p.errScale * (Math.sqrt(xs) * (1 + (cols + 8) * U));
          const bestErr = scaled * p.cn[best] + 4 * U * Math.abs(bestV) + TINY;
          const proven = xs >= 2 ** -900 && xs < Infinity && second - (scaled * p.cnMax + 4 * U * Math.abs(second) + TINY) > bestV + bestErr;
          if (!proven) unproven.push(r);
        }
        expect(Array.from(hard.subarray(0, nHard))).toEqual(unproven);
        expect(wChanged).toBe(jChanged);
        expect(Array.from(wl)).toEqual(Array.from(jl));
        expect(bits(wu)).toEqual(bits(ju));
        expect(bits(wlo)).toEqual(bits(jlo));
      }),
      { numRuns: 150 },
    );
    // The exact path really was left some rows.
    expect(hardRows).toBeGreaterThan(100);
  });

  it('lists the rows k-means++ must score as the JavaScript loop does, boundary cases included', () => {
    const UP = 1 + 16 * 2 ** -53;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 10_000 }), (rows, k, seed) => {
        const rng = new NumpyRandomState(seed);
        const memory = FitMemory.create(16 * rows + 8 * (k + 1) + 4 * 128 + 1024, 1);
        const owner = memory.i32(rows);
        const closest = memory.f64(rows);
        const minGap = memory.f64(k + 1);
        const needed = memory.i32(128);
        const tau = rng.randomSample() * 1e-6;
        minGap[k] = tau;
        for (let i = 0; i < rows; i++) {
          owner[i] = rng.randint(k);
          closest[i] = rng.randint(3) === 0 ? 0 : rng.randomSample();
        }
        // Some gaps exactly at a row's threshold, where > and ≥ part.
        for (let o = 0; o < k; o++) minGap[o] = rng.randint(2) === 0 ? 4 * (closest[rng.randint(rows)] + tau) * UP : rng.randomSample() * 4;
        const first = rng.randint(rows);
        const count = Math.min(128, rows - first);
        const n = memory.kernels!.listNeeded(owner.byteOffset, closest.byteOffset, minGap.byteOffset, k, first, count, needed.byteOffset);
        const want: number[] = [];
        for (let i = first; i < first + count; i++) if (!(minGap[owner[i]] > 4 * (closest[i] + tau) * UP)) want.push(i);
        expect(n).toBe(want.length);
        expect(Array.from(needed.subarray(0, n))).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });

  it('centring and column sums equal the JavaScript pass', () => {
    fc.assert(
      fc.property(shapes, ({ rows, cols, kind, seed }) => {
        const data = awkwardData(new NumpyRandomState(seed), rows, cols, kind);
        const scorer = createRowScorer(rows, cols, 4);
        const { memory } = scorer;
        const sums = copyAndSumColumns(data, rows, cols, scorer.x, memory, memory.kernels!);
        expect(bits(sums)).toEqual(bits(columnSums(data, rows, cols)));
        const mean = sums.map((s) => s / rows);
        const target = seed % rows;
        const xx = memory.f64(rows);
        const distances = memory.f64(rows);
        const squares = centreInPlace(data, scorer.x, rows, cols, mean, xx, memory, memory.kernels!, { row: target, distances });
        const out = new Float64Array(rows * cols);
        const xxWant = new Float64Array(rows);
        const distancesWant = new Float64Array(rows);
        const squaresWant = centreRows(data, rows, cols, mean, out, xxWant, { row: target, distances: distancesWant });
        expect(bits(scorer.x)).toEqual(bits(out));
        expect(bits(xx)).toEqual(bits(xxWant));
        expect(bits(distances)).toEqual(bits(distancesWant));
        expect(bits(squares)).toEqual(bits(squaresWant));
      }),
      { numRuns: 100 },
    );
  });

  it('whole fits are identical with and without the kernels: restarts, given starts, k = 1, k = rows', () => {
    let large = 0;
    const fitShapes = fc.record({
      rows: fc.integer({ min: 1, max: 700 }),
      cols: fc.integer({ min: 1, max: 40 }),
      k: fc.integer({ min: 1, max: 22 }),
      kind: fc.integer({ min: 0, max: 4 }),
      seed: fc.integer({ min: 0, max: 10_000 }),
    });
    fc.assert(
      fc.property(fitShapes, fc.integer({ min: 1, max: 3 }), fc.boolean(), ({ rows, cols, k, kind, seed }, nInit, given) => {
        if (rows * cols >= SIMD_MIN_VALUES) large++;
        const data = awkwardData(new NumpyRandomState(seed), rows, cols, kind);
        const kk = seed % 5 === 0 && rows <= 40 ? rows : Math.min(k, rows);
        const init = given ? Array.from({ length: kk }, (_, c) => Array.from(data.subarray(c * cols, (c + 1) * cols))) : undefined;
        const fit = () => {
          try {
            return fitKMeans({ data, rows, cols }, { k: kk, nInit, seed, maxIter: 12, init });
          } catch (e) {
            return (e as Error).message;
          }
        };
        const a = fit();
        const b = withoutSimd(fit);
        if (typeof a === 'string' || typeof b === 'string') {
          expect(a).toEqual(b);
          return;
        }
        expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
        expect(bits(a.centroids.data)).toEqual(bits(b.centroids.data));
        expect(Object.is(a.inertia, b.inertia)).toBe(true);
        expect(a.iterations).toBe(b.iterations);
        // The labels are the caller's, not a view of the fit's 20-odd-megabyte memory.
        expect(FitMemory.of(a.labels)).toBeUndefined();
      }),
      { numRuns: 20 },
    );
    // Smaller fits run the JavaScript kernels anyway (see SIMD_MIN_VALUES).
    expect(large).toBeGreaterThan(3);
  });

  it('a fit\'s memory holds every array the kernels touch, whatever k, so none falls back', () => {
    // Large enough that a missing row-sized array outgrows the memory's slack.
    for (const [rows, cols] of [[20_000, 3], [12_000, 21]]) {
      for (const k of [1, 2, 3, 4, 5, 8, 13, 21, 25]) {
        const data = awkwardData(new NumpyRandomState(k), rows, cols, 0);
        // As fitKMeans does, two restarts.
        const scorer = createRowScorer(rows, cols, Math.max(packedWidth(k), packedWidth(2 + Math.floor(Math.log(k)))));
        const { x, memory } = scorer;
        const sums = copyAndSumColumns(data, rows, cols, x, memory, memory.kernels!);
        const mean = sums.map((v) => v / rows);
        const xx = memory.f64(rows);
        const first = { row: 0, distances: memory.f64(rows) };
        centreInPlace(data, x, rows, cols, mean, xx, memory, memory.kernels!, first);
        for (let run = 0; run < 2; run++) {
          const mark = memory.mark();
          const { centers, seeds } = seedCentres(scorer, xx, rows, cols, k, new NumpyRandomState(run), true, run === 0 ? first : undefined);
          lloyd(x, xx, rows, cols, centers, k, 5, 0, true, seeds);
          memory.release(mark);
        }
        expect({ rows, cols, k, spilled: memory.spilled }).toEqual({ rows, cols, k, spilled: 0 });
      }
    }
  });

  it('a memory too small for the scratch arrays falls back to the JavaScript kernels, same results', () => {
    const rows = 300;
    const cols = 7;
    const k = 5;
    const x = awkwardData(new NumpyRandomState(3), rows, cols, 0);
    const memory = FitMemory.create(8 * rows * cols, cols);
    expect(memory.kernels).not.toBeNull();
    const small = createRowScorer(1, 1, 4);
    const scorer: RowScorer = { ...small, x: memory.f64(rows * cols), memory };
    scorer.x.set(x);
    // Nothing else fits.
    memory.f64((memory.buffer!.byteLength - memory.mark()) / 8);
    expect(memory.holds(memory.f64(1))).toBe(false);
    const xx = Float64Array.from({ length: rows }, (_, i) => rowNormSquared(x, i * cols, cols));
    const a = seedCentres(scorer, xx, rows, cols, k, new NumpyRandomState(1));
    const b = withoutSimd(() => {
      const s = scorerWith(x, rows, cols, k);
      return seedCentres(s.scorer, s.xx, rows, cols, k, new NumpyRandomState(1));
    });
    expect(bits(a.centers)).toEqual(bits(b.centers));
    const runA = lloyd(scorer.x, xx, rows, cols, a.centers, k, 20, 0, true, a.seeds);
    const runB = withoutSimd(() => lloyd(Float64Array.from(x), xx, rows, cols, b.centers, k, 20, 0, true, b.seeds));
    expect(Array.from(runA.labels)).toEqual(Array.from(runB.labels));
    expect(bits(runA.centers)).toEqual(bits(runB.centers));
  });
});

describe('without WebAssembly', () => {
  // 47 columns: wider than any property test above, so no module is compiled for them yet.
  const data = awkwardData(new NumpyRandomState(9), 400, 47, 0);
  const fit = () => fitKMeans({ data, rows: 400, cols: 47 }, { k: 4, nInit: 2, seed: 3 });
  const want = withoutSimd(fit);
  const same = (got: ReturnType<typeof fitKMeans>) => {
    expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
    expect(bits(got.centroids.data)).toEqual(bits(want.centroids.data));
    expect(Object.is(got.inertia, want.inertia)).toBe(true);
  };
  const g = globalThis as { WebAssembly?: unknown };

  it('where compiling is forbidden (a CSP without wasm-unsafe-eval), fits run the JavaScript kernels', () => {
    const real = g.WebAssembly as { Module: unknown };
    const forbidden = Object.create(real) as { Module: unknown };
    forbidden.Module = function Module() {
      throw new Error('WebAssembly.Module(): Wasm code generation disallowed by embedder');
    };
    g.WebAssembly = forbidden;
    try {
      expect(FitMemory.create(1 << 16, 47).kernels).toBeNull();
      same(fit());
    } finally {
      g.WebAssembly = real;
    }
  });

  it('where WebAssembly is missing altogether, the same', () => {
    const real = g.WebAssembly;
    delete g.WebAssembly;
    try {
      expect(FitMemory.create(1 << 16, 47).buffer).toBeNull();
      same(fit());
    } finally {
      g.WebAssembly = real;
    }
  });
});

describe('FitMemory', () => {
  it('hands out zeroed arrays, reuses released space, and falls back to plain arrays when full', () => {
    const memory = FitMemory.create(1024, 4);
    const mark = memory.mark();
    const a = memory.f64(16);
    a.fill(7);
    expect(memory.holds(a)).toBe(true);
    expect(FitMemory.of(a)).toBe(memory);
    memory.release(mark);
    const b = memory.f64(16);
    expect(b.byteOffset).toBe(a.byteOffset);
    expect(Array.from(b)).toEqual(new Array(16).fill(0));
    const big = memory.f64(1 << 20);
    expect(memory.holds(big)).toBe(false);
    expect(big.length).toBe(1 << 20);
    expect(withoutSimd(() => FitMemory.create(1024, 4)).buffer).toBeNull();
  });
});

describe('CodeBuilder SIMD and control instructions', () => {
  it('encodes the opcodes of the WebAssembly SIMD specification', () => {
    expect(new CodeBuilder().simd(Simd.f64x2Add).bytes).toEqual([0xfd, 0xf0, 0x01]);
    expect(new CodeBuilder().simd(Simd.f64x2Splat).bytes).toEqual([0xfd, 0x14]);
    expect(new CodeBuilder().v128Load(32).bytes).toEqual([0xfd, 0x00, 3, 32]);
    expect(new CodeBuilder().v128Store(200).bytes).toEqual([0xfd, 0x0b, 3, 0xc8, 0x01]);
    expect(new CodeBuilder().v128Load64Splat(8).bytes).toEqual([0xfd, 0x0a, 3, 8]);
    expect(new CodeBuilder().f64x2ExtractLane(1).bytes).toEqual([0xfd, 0x21, 1]);
    expect(new CodeBuilder().block().loop().br(0).brIf(1).end().end().bytes).toEqual([0x02, 0x40, 0x03, 0x40, 0x0c, 0, 0x0d, 1, 0x0b, 0x0b]);
  });

  it('runs: lane arithmetic, loads, stores and a counted loop', () => {
    // f(p, n): for i < n: m[p+32] = pmax(0, m[p]·splat(m[p+16]) − m[p]) lane by lane, then
    // min with m[p]; returns lane 1 plus the number of loop turns.
    const code = new CodeBuilder();
    const [P, N, I, V] = [0, 1, 2, 3];
    code.block().loop();
    code.localGet(I).localGet(N).op(0x4e /* i32.ge_s */).brIf(1);
    code.localGet(P);
    code.f64Const(0).simd(Simd.f64x2Splat);
    code.localGet(P).v128Load(0).localGet(P).v128Load64Splat(16).simd(Simd.f64x2Mul).localGet(P).v128Load(0).simd(Simd.f64x2Sub);
    code.simd(Simd.f64x2Pmax).localGet(P).v128Load(0).simd(Simd.f64x2Min).localSet(V).localGet(V).v128Store(32);
    code.localGet(I).i32Const(1).op(0x6a).localSet(I).br(0);
    code.end().end();
    code.localGet(V).f64x2ExtractLane(1).localGet(I).op(0xb7 /* f64.convert_i32_s */).op(0xa0);
    const bytes = encodeModule([{ params: [I32, I32], results: [F64], locals: [I32, 0x7b], body: code.bytes, exportAs: 'f' }], 1);
    const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => { buffer: ArrayBuffer }; Instance: new (m: object, i: object) => { exports: { f: (p: number, n: number) => number } }; Module: new (b: Uint8Array) => object } }).WebAssembly;
    const memory = new wasm.Memory({ initial: 1 });
    const m = new Float64Array(memory.buffer);
    m.set([3, -5, 2], 0);
    const f = new wasm.Instance(new wasm.Module(bytes), { env: { memory } }).exports.f;
    const turns = 3;
    const result = f(0, turns);
    // lane 0: pmax(0, 3·2 − 3) = 3, min(3, 3) = 3; lane 1: pmax(0, −5·2 + 5) = 0, min(0, −5) = −5.
    expect(Array.from(m.subarray(4, 6))).toEqual([3, -5]);
    expect(result).toBe(-5 + turns);
  });
});
