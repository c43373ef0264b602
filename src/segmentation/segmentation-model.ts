import { ModelFormatError } from '../errors.js';
import { inputNumbers } from '../estimator-input.js';
import { isTable } from '../features/is-table.js';
import type { Table } from '../features/table.js';
import { IqrClipper } from '../preprocess/iqr-clipper.js';
import { SimpleImputer } from '../preprocess/impute.js';
import { checkJsonType, numberArrayField, toDenseMatrix, type DenseMatrix, type MatrixInput } from '../preprocess/matrix.js';
import { PCA } from '../preprocess/pca.js';
import { PowerTransformer } from '../preprocess/power-transformer.js';
import { centroidSquaredNorms, assignNearest } from '../cluster/assign.js';
import { CLIPPED_ATTRIBUTES, CUSTOMER_ATTRIBUTES, validateCustomerAttributes } from './customer-attributes.js';
import { fitKMeans, type KMeansResult } from '../cluster/kmeans.js';

/** The 21 attributes as a matrix: a Table by attribute name (any column order), other input by position. */
function attributeMatrix(input: MatrixInput, where: string): DenseMatrix {
  if (isTable(input)) return inputNumbers(input, { featureNamesIn: CUSTOMER_ATTRIBUTES, numFeaturesIn: CUSTOMER_ATTRIBUTES.length }, where);
  return toDenseMatrix(input, CUSTOMER_ATTRIBUTES.length, where);
}

/** Serialised {@link SegmentationModel}. */
export interface SegmentationModelJSON {
  type: 'CustomerSegmentation';
  version: 1;
  attributes: string[];
  k: number;
  seed: number;
  imputer: ReturnType<SimpleImputer['toJSON']>;
  clipper: ReturnType<IqrClipper['toJSON']>;
  powerTransformer: ReturnType<PowerTransformer['toJSON']>;
  pca: ReturnType<PCA['toJSON']>;
  /** k × 2 centroids in PCA space. */
  centroids: number[][];
  sizes: number[];
  inertia: number;
}

/**
 * The original segmentation pipeline as one fitted, serialisable object:
 * median imputation → Q3 + 1.5·IQR clipping of the continuous attributes → standardised
 * Yeo-Johnson → PCA(2) → k-means.
 *
 * @example
 * const model = SegmentationModel.fit(deriveCustomerAttributes(table), { k: 3, seed: 0 });
 * const json = JSON.stringify(model.toJSON());
 * SegmentationModel.fromJSON(JSON.parse(json)).predict(rows);
 */
export class SegmentationModel {
  private constructor(
    readonly imputer: SimpleImputer,
    readonly clipper: IqrClipper,
    readonly powerTransformer: PowerTransformer,
    readonly pca: PCA,
    readonly centroids: DenseMatrix,
    readonly sizes: Int32Array,
    readonly inertia: number,
    readonly seed: number,
  ) {}

  /** Fits every step on the 21 attributes (rows, a matrix, or a Table by attribute name; NaN = missing). Also returns the k-means result. */
  static fitWithResult(input: MatrixInput, options: { k?: number; seed?: number; nInit?: number } = {}): { model: SegmentationModel; kmeans: KMeansResult; embedding: DenseMatrix } {
    const m = attributeMatrix(input, 'SegmentationModel.fit');
    const imputer = new SimpleImputer({ strategy: 'median' }).fit(m);
    const imputed = imputer.transform(m);
    const clipper = new IqrClipper({ sides: 'upper' }).fit(imputed);
    clipper.exempt(CUSTOMER_ATTRIBUTES.map((a, j) => (CLIPPED_ATTRIBUTES.includes(a) ? -1 : j)).filter((j) => j >= 0));
    const pt = new PowerTransformer();
    const transformed = pt.fitTransform(clipper.transform(imputed));
    const pca = new PCA({ nComponents: 2 });
    const embedding = pca.fitTransform(transformed);
    const seed = options.seed ?? 0;
    const kmeans = fitKMeans(embedding, { k: options.k ?? 3, seed, nInit: options.nInit ?? 10 });
    const model = new SegmentationModel(imputer, clipper, pt, pca, kmeans.centroids, kmeans.sizes, kmeans.inertia, seed);
    return { model, kmeans, embedding };
  }

  static fit(input: MatrixInput, options: { k?: number; seed?: number; nInit?: number } = {}): SegmentationModel {
    return SegmentationModel.fitWithResult(input, options).model;
  }

  get k(): number {
    return this.centroids.rows;
  }

  /** The 21 attributes (rows, a matrix, or a Table by attribute name) → 2-D PCA coordinates. */
  embed(input: MatrixInput): DenseMatrix {
    const m = attributeMatrix(input, 'SegmentationModel.embed');
    return this.pca.transform(this.powerTransformer.transform(this.clipper.transform(this.imputer.transform(m))));
  }

  /** Cluster of each row of the 21 attributes. */
  predict(input: MatrixInput): Int32Array {
    const e = this.embed(input);
    return assignNearest(e.data, e.rows, e.cols, this.centroids.data, this.k, undefined, centroidSquaredNorms(this.centroids.data, this.k, e.cols));
  }

  toJSON(): SegmentationModelJSON {
    const c: number[][] = [];
    for (let i = 0; i < this.k; i++) c.push(Array.from(this.centroids.data.subarray(i * 2, i * 2 + 2)));
    return {
      type: 'CustomerSegmentation',
      version: 1,
      attributes: [...CUSTOMER_ATTRIBUTES],
      k: this.k,
      seed: this.seed,
      imputer: this.imputer.toJSON(),
      clipper: this.clipper.toJSON(),
      powerTransformer: this.powerTransformer.toJSON(),
      pca: this.pca.toJSON(),
      centroids: c,
      sizes: Array.from(this.sizes),
      inertia: this.inertia,
    };
  }

  static fromJSON(json: unknown): SegmentationModel {
    const obj = checkJsonType(json, 'CustomerSegmentation');
    if (obj.version !== 1) throw new ModelFormatError('CustomerSegmentation.version', `unsupported version ${JSON.stringify(obj.version)}`);
    const attrs = obj.attributes;
    if (!Array.isArray(attrs) || attrs.length !== CUSTOMER_ATTRIBUTES.length || attrs.some((a, i) => a !== CUSTOMER_ATTRIBUTES[i])) {
      throw new ModelFormatError('CustomerSegmentation.attributes', 'must list the 21 customer attributes in order');
    }
    const n = CUSTOMER_ATTRIBUTES.length;
    const imputer = SimpleImputer.fromJSON(obj.imputer);
    const clipper = IqrClipper.fromJSON(obj.clipper);
    const pt = PowerTransformer.fromJSON(obj.powerTransformer);
    const pca = PCA.fromJSON(obj.pca);
    if (imputer.statistics.length !== n || clipper.upper.length !== n || pt.lambdas.length !== n || pca.mean.length !== n) {
      throw new ModelFormatError('CustomerSegmentation', 'every step must have 21 columns');
    }
    const cent = obj.centroids;
    if (!Array.isArray(cent) || cent.length < 1) throw new ModelFormatError('CustomerSegmentation.centroids', 'must be a non-empty array');
    const data = new Float64Array(cent.length * pca.components.rows);
    cent.forEach((row, i) => data.set(numberArrayField({ row }, 'row', `CustomerSegmentation.centroids[${i}]`, pca.components.rows), i * pca.components.rows));
    const sizes = Int32Array.from(numberArrayField(obj, 'sizes', 'CustomerSegmentation', cent.length));
    const inertia = typeof obj.inertia === 'number' ? obj.inertia : NaN;
    const seed = typeof obj.seed === 'number' ? obj.seed : 0;
    return new SegmentationModel(imputer, clipper, pt, pca, { data, rows: cent.length, cols: pca.components.rows }, sizes, inertia, seed);
  }
}

/** What {@link segmentCustomer} returns. */
export interface SegmentAssignment {
  cluster: number;
  /** Euclidean distance to each centroid in the model's 2-D space, by cluster id. */
  distances: number[];
  /** The customer's PCA coordinates. */
  coordinates: number[];
}

/**
 * Validates one customer's 21 attributes (a ValidationError lists every bad field) and
 * returns the segment, with the distance to every centroid.
 *
 * @example
 * segmentCustomer({ Age: 42, Education: 2, 'Marital Status': 1, ... }, model)
 * // => { cluster: 1, distances: [2.3, 0.4, 1.9], coordinates: [0.8, -0.2] }
 */
export function segmentCustomer(attributes: unknown, model: SegmentationModel): SegmentAssignment {
  const values = validateCustomerAttributes(attributes);
  const e = model.embed({ data: values, rows: 1, cols: values.length });
  const cluster = model.predict({ data: values, rows: 1, cols: values.length })[0];
  const distances: number[] = [];
  for (let c = 0; c < model.k; c++) {
    let s = 0;
    for (let f = 0; f < e.cols; f++) {
      const d = e.data[f] - model.centroids.data[c * e.cols + f];
      s += d * d;
    }
    distances.push(Math.sqrt(s));
  }
  return { cluster, distances, coordinates: Array.from(e.data) };
}
