import { FitError, ModelFormatError } from '../errors.js';
import { rightSingularVectors } from './svd.js';
import { checkJsonType, numberArrayField, requireFinite, toDenseMatrix, type DenseMatrix, type MatrixInput } from './matrix.js';

/** JSON form of a fitted {@link PCA}. */
export interface PCAJSON {
  type: 'PCA';
  mean: number[];
  /** nComponents rows of length nFeatures, row-major. */
  components: number[][];
  explainedVariance: number[];
  explainedVarianceRatio: number[];
  singularValues: number[];
}

/**
 * Principal component analysis by SVD of the centred data, with scikit-learn's sign
 * convention (`svd_flip`: in each component's score column the entry of largest magnitude
 * is positive), so projections agree with `PCA(n_components).fit_transform`.
 *
 * @example
 * const pca = new PCA({ nComponents: 2 }).fit(rows);
 * pca.transform(rows); // rows × 2 scores
 * pca.explainedVarianceRatio; // share of variance per component
 */
export class PCA {
  mean: Float64Array = new Float64Array(0);
  /** nComponents × nFeatures, row-major. */
  components: DenseMatrix = { data: new Float64Array(0), rows: 0, cols: 0 };
  explainedVariance: Float64Array = new Float64Array(0);
  explainedVarianceRatio: Float64Array = new Float64Array(0);
  singularValues: Float64Array = new Float64Array(0);
  readonly nComponents: number;

  constructor(options: { nComponents: number }) {
    this.nComponents = options.nComponents;
    if (!Number.isInteger(this.nComponents) || this.nComponents < 1) throw new FitError('PCA: nComponents must be a positive integer');
  }

  fit(input: MatrixInput): this {
    const m = toDenseMatrix(input, undefined, 'PCA.fit');
    requireFinite(m, 'PCA.fit');
    const { data, rows, cols } = m;
    const k = this.nComponents;
    if (rows < 2) throw new FitError('PCA.fit: need at least 2 rows');
    if (k > Math.min(rows, cols)) throw new FitError(`PCA.fit: nComponents ${k} exceeds min(rows, columns) = ${Math.min(rows, cols)}`);
    const mean = new Float64Array(cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += data[i * cols + j];
    for (let j = 0; j < cols; j++) mean[j] /= rows;
    const centred = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) centred[i * cols + j] = data[i * cols + j] - mean[j];
    const { values: s, vectors } = rightSingularVectors(centred, rows, cols);
    const order = Array.from(s.keys()).sort((a, b) => s[b] - s[a]);
    const components = new Float64Array(k * cols);
    const scores = new Float64Array(rows);
    for (let c = 0; c < k; c++) {
      const col = order[c];
      for (let j = 0; j < cols; j++) components[c * cols + j] = vectors[j * cols + col];
      // svd_flip (u-based): make the largest-magnitude score of this component positive.
      let best = 0;
      let bestAbs = -1;
      for (let i = 0; i < rows; i++) {
        let acc = 0;
        for (let j = 0; j < cols; j++) acc += centred[i * cols + j] * components[c * cols + j];
        scores[i] = acc;
        if (Math.abs(acc) > bestAbs) {
          bestAbs = Math.abs(acc);
          best = i;
        }
      }
      if (scores[best] < 0) for (let j = 0; j < cols; j++) components[c * cols + j] = -components[c * cols + j];
    }
    let totalVariance = 0;
    for (let i = 0; i < s.length; i++) totalVariance += (s[i] * s[i]) / (rows - 1);
    this.mean = mean;
    this.components = { data: components, rows: k, cols };
    this.singularValues = Float64Array.from(order.slice(0, k), (c) => s[c]);
    this.explainedVariance = this.singularValues.map((v) => (v * v) / (rows - 1));
    this.explainedVarianceRatio = this.explainedVariance.map((v) => (totalVariance > 0 ? v / totalVariance : 0));
    return this;
  }

  /** (x − mean) · componentsᵀ. */
  transform(input: MatrixInput): DenseMatrix {
    const { data, rows, cols } = toDenseMatrix(input, this.mean.length, 'PCA.transform');
    const k = this.components.rows;
    const comp = this.components.data;
    const out = new Float64Array(rows * k);
    const centred = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) centred[j] = data[i * cols + j] - this.mean[j];
      for (let c = 0; c < k; c++) {
        let acc = 0;
        for (let j = 0; j < cols; j++) acc += centred[j] * comp[c * cols + j];
        out[i * k + c] = acc;
      }
    }
    return { data: out, rows, cols: k };
  }

  fitTransform(input: MatrixInput): DenseMatrix {
    return this.fit(input).transform(input);
  }

  toJSON(): PCAJSON {
    const comps: number[][] = [];
    for (let c = 0; c < this.components.rows; c++) {
      comps.push(Array.from(this.components.data.subarray(c * this.components.cols, (c + 1) * this.components.cols)));
    }
    return {
      type: 'PCA',
      mean: Array.from(this.mean),
      components: comps,
      explainedVariance: Array.from(this.explainedVariance),
      explainedVarianceRatio: Array.from(this.explainedVarianceRatio),
      singularValues: Array.from(this.singularValues),
    };
  }

  static fromJSON(json: unknown): PCA {
    const obj = checkJsonType(json, 'PCA');
    const mean = numberArrayField(obj, 'mean', 'PCA');
    const comps = obj.components;
    if (!Array.isArray(comps) || comps.length === 0) throw new ModelFormatError('PCA.components', 'must be a non-empty array of rows');
    const pca = new PCA({ nComponents: comps.length });
    const data = new Float64Array(comps.length * mean.length);
    comps.forEach((row, c) => {
      const r = numberArrayField({ row }, 'row', `PCA.components[${c}]`, mean.length);
      data.set(r, c * mean.length);
    });
    pca.mean = mean;
    pca.components = { data, rows: comps.length, cols: mean.length };
    pca.explainedVariance = numberArrayField(obj, 'explainedVariance', 'PCA', comps.length);
    pca.explainedVarianceRatio = numberArrayField(obj, 'explainedVarianceRatio', 'PCA', comps.length);
    pca.singularValues = numberArrayField(obj, 'singularValues', 'PCA', comps.length);
    return pca;
  }
}
