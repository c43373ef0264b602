/** Singular values and right singular vectors of a matrix. */
export interface RightSvd {
  /** One singular value per column of the input, in no particular order. */
  values: Float64Array;
  /** `cols × cols`, row-major; column `c` (`vectors[j * cols + c]`) belongs to `values[c]`. */
  vectors: Float64Array;
}

/**
 * Singular values and right singular vectors of a row-major `rows × cols` matrix. Tall
 * input is first reduced to its `cols × cols` triangular factor by Householder QR (the
 * right singular vectors do not change), then one-sided Jacobi rotations orthogonalise
 * the columns. Jacobi is used because it is accurate to machine precision in every
 * singular vector, so PCA agrees with LAPACK to ~1e-15 without shipping a linear-algebra
 * package (ml-matrix cost 40 ms of every import).
 *
 * @example
 * rightSingularVectors(Float64Array.of(3, 0, 0, 4), 2, 2).values // => Float64Array [3, 4]
 */
export function rightSingularVectors(data: ArrayLike<number>, rows: number, cols: number): RightSvd {
  // Column-major working copy: column j is a[j * n, (j + 1) * n).
  let n = rows;
  let a: Float64Array = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[j * rows + i] = data[i * cols + j];
  if (rows > cols) {
    a = householderR(a, rows, cols);
    n = cols;
  }
  const v = new Float64Array(cols * cols);
  for (let j = 0; j < cols; j++) v[j * cols + j] = 1;
  const tolerance = Number.EPSILON * Math.sqrt(n);
  for (let sweep = 0; sweep < 80; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      for (let q = p + 1; q < cols; q++) {
        const po = p * n;
        const qo = q * n;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < n; i++) {
          const x = a[po + i];
          const y = a[qo + i];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (alpha === 0 || beta === 0 || Math.abs(gamma) <= tolerance * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(a, po, qo, n, c, s);
        rotate(v, p * cols, q * cols, cols, c, s);
      }
    }
    if (!rotated) break;
  }
  const values = new Float64Array(cols);
  for (let j = 0; j < cols; j++) values[j] = norm(a, j * n, n);
  // v holds vector c in its c-th column-major column; hand it out row-major.
  const vectors = new Float64Array(cols * cols);
  for (let c = 0; c < cols; c++) for (let j = 0; j < cols; j++) vectors[j * cols + c] = v[c * cols + j];
  return { values, vectors };
}

/** Rotates the column pairs `x[p + i]`, `x[q + i]` for i < length by the angle with cosine c and sine s. */
function rotate(x: Float64Array, p: number, q: number, length: number, c: number, s: number): void {
  for (let i = 0; i < length; i++) {
    const xp = x[p + i];
    const xq = x[q + i];
    x[p + i] = c * xp - s * xq;
    x[q + i] = s * xp + c * xq;
  }
}

/** Euclidean norm of `x[offset, offset + length)`, scaled so that squares cannot overflow. */
function norm(x: Float64Array, offset: number, length: number): number {
  let scale = 0;
  for (let i = 0; i < length; i++) scale = Math.max(scale, Math.abs(x[offset + i]));
  if (scale === 0) return 0;
  let sum = 0;
  for (let i = 0; i < length; i++) {
    const y = x[offset + i] / scale;
    sum += y * y;
  }
  return scale * Math.sqrt(sum);
}

/** The upper-triangular R (`cols × cols`, column-major) of a column-major `rows × cols` matrix, by Householder reflections. */
function householderR(a: Float64Array, rows: number, cols: number): Float64Array {
  for (let k = 0; k < cols; k++) {
    const ko = k * rows;
    const length = norm(a, ko + k, rows - k);
    if (length === 0) continue;
    const x0 = a[ko + k];
    const alpha = x0 > 0 ? -length : length;
    // v = x - alpha e1, stored over the column; with alpha = -sign(x0) length, vᵀv = 2 length (length + |x0|).
    a[ko + k] = x0 - alpha;
    const denominator = 2 * length * (length + Math.abs(x0));
    for (let j = k + 1; j < cols; j++) {
      const jo = j * rows;
      let dot = 0;
      for (let i = k; i < rows; i++) dot += a[ko + i] * a[jo + i];
      const f = (2 * dot) / denominator;
      for (let i = k; i < rows; i++) a[jo + i] -= f * a[ko + i];
    }
    a[ko + k] = alpha;
  }
  const r = new Float64Array(cols * cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i <= j; i++) r[j * cols + i] = a[j * rows + i];
  return r;
}
