import { describeValue, InputError, ModelFormatError } from '../errors.js';
import { parseTolerantJson } from '../formats/tolerant-json.js';
import type { Table } from '../features/index.js';
import { loadSklearnTrees } from '../forest/index.js';
import type { SklearnTreesJson, TreeEnsembleClassifier } from '../forest/index.js';
import { transformPurchaseFeatures } from './features.js';
import type { PurchaseFeatureSpec, UserRows } from './features.js';

/** A saved purchase-in-24h model: feature rules, the forest, and the decision threshold. */
export interface PurchaseModelJson {
  kind: 'purchase-model';
  version: 1;
  features: PurchaseFeatureSpec;
  forest: SklearnTreesJson;
  /** Flag a user iff P(buy within 24 h) >= threshold. */
  threshold: number;
}

/** A loaded {@link PurchaseModelJson}, ready to score. */
export interface PurchaseModel {
  features: PurchaseFeatureSpec;
  classifier: TreeEnsembleClassifier;
  threshold: number;
  /** Column of `classes` holding P(buy), i.e. the index of label 1. */
  positiveIndex: number;
}

/** Scores of a batch of users, aligned with the input rows. */
export interface PurchaseScores {
  userId: (string | number | null)[];
  /** P(purchase within 24 h). */
  probability: Float64Array;
  /** 1 iff probability >= threshold. */
  decision: Uint8Array;
  threshold: number;
}

function checkThreshold(threshold: unknown): number {
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) throw new InputError(`threshold must be a finite number, got ${describeValue(threshold)}`);
  return threshold;
}

/**
 * Bundles a fitted feature spec, a forest (its `toJSON()`, or a scikit-learn export) and a
 * threshold into one JSON-serialisable model.
 *
 * @example
 * const saved = purchaseModelJson(spec, forest.toJSON(), op.threshold);
 * writeFileSync('purchase-model.json', JSON.stringify(saved));
 */
export function purchaseModelJson(features: PurchaseFeatureSpec, forest: SklearnTreesJson, threshold: number): PurchaseModelJson {
  checkThreshold(threshold);
  loadPurchaseModel({ kind: 'purchase-model', version: 1, features, forest, threshold });
  return { kind: 'purchase-model', version: 1, features, forest, threshold };
}

/**
 * Loads a saved purchase model (text or parsed JSON), checking that the forest's inputs
 * are the feature spec's columns and that it predicts label 1.
 *
 * @example
 * const model = loadPurchaseModel(readFileSync('purchase-model.json', 'utf8'));
 */
export function loadPurchaseModel(input: string | unknown): PurchaseModel {
  const json: unknown = typeof input === 'string' ? parseTolerantJson(input) : input;
  if (json === null || typeof json !== 'object') throw new ModelFormatError('', 'purchase model must be a JSON object');
  const obj = json as Partial<PurchaseModelJson>;
  if (obj.kind !== 'purchase-model' || obj.version !== 1) throw new ModelFormatError('kind', 'not a purchase model (kind purchase-model, version 1)');
  const features = obj.features;
  if (!features || features.kind !== 'purchase-features' || !Array.isArray(features.featureNames)) throw new ModelFormatError('features', 'missing or invalid feature spec');
  const classifier = loadSklearnTrees(obj.forest);
  if (classifier.numFeatures !== features.featureNames.length) {
    throw new ModelFormatError('forest.n_features', `${classifier.numFeatures}, but the feature spec has ${features.featureNames.length} columns`);
  }
  const positiveIndex = classifier.classes.findIndex((c) => c === 1 || c === true);
  if (positiveIndex < 0) throw new ModelFormatError('forest.classes', 'must include the label 1 (bought within 24 h)');
  if (typeof obj.threshold !== 'number' || !Number.isFinite(obj.threshold)) throw new ModelFormatError('threshold', 'must be a finite number');
  return { features, classifier, threshold: obj.threshold, positiveIndex };
}

/**
 * Packs named columns of a table into row-major float32, the layout the tree engine scores.
 *
 * @example
 * tableToFloat32Rows(table, ['age', 'platform']) // => Float32Array of rows × 2
 */
export function tableToFloat32Rows(table: Table, names: readonly string[]): Float32Array {
  const d = names.length;
  const out = new Float32Array(table.numRows * d);
  names.forEach((name, j) => {
    const values = table.numbers(name);
    for (let i = 0; i < values.length; i++) out[i * d + j] = values[i];
  });
  return out;
}

// A service that passes the same JSON on every request builds its forest once, not per call.
const modelsByJson = /*#__PURE__*/ new WeakMap<PurchaseModelJson, PurchaseModel>();
function loadedFromJson(json: PurchaseModelJson): PurchaseModel {
  let model = modelsByJson.get(json);
  if (model === undefined) modelsByJson.set(json, (model = loadPurchaseModel(json)));
  return model;
}

/**
 * Scores users: their purchase-in-24h probability and a yes/no decision at the model's
 * threshold (or `options.threshold`). Features are computed with the model's own fitted
 * rules, so raw app-data rows go in. One pass, typed arrays, no per-row objects: fit for
 * nightly batches over millions of users.
 *
 * @example
 * const scores = scorePurchaseIntent(await readCsvFile('new_retail_data.csv'), loadPurchaseModel(json));
 * scores.probability[0]; scores.decision[0]; // 0.93, 1
 */
export function scorePurchaseIntent(users: UserRows, model: PurchaseModel | PurchaseModelJson, options: { threshold?: number } = {}): PurchaseScores {
  const loaded = 'classifier' in model ? model : loadedFromJson(model);
  const threshold = options.threshold === undefined ? loaded.threshold : checkThreshold(options.threshold);
  const table = transformPurchaseFeatures(users, loaded.features, { target: false });
  const rows = tableToFloat32Rows(table, loaded.features.featureNames);
  const proba = loaded.classifier.predictProbaFloat32(rows, table.numRows);
  const k = loaded.classifier.classes.length;
  const probability = new Float64Array(table.numRows);
  const decision = new Uint8Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    probability[i] = proba[i * k + loaded.positiveIndex];
    decision[i] = probability[i] >= threshold ? 1 : 0;
  }
  const source = 'columnNames' in users ? (users as Table) : undefined;
  let userId: (string | number | null)[];
  if (source) {
    userId = source.has('user_id') ? (source.column('user_id').kind === 'number' ? Array.from(source.numbers('user_id'), (v) => (Number.isNaN(v) ? null : v)) : source.strings('user_id')) : new Array(table.numRows).fill(null);
  } else {
    userId = (users as readonly Readonly<Record<string, unknown>>[]).map((u) => {
      const id = Object.prototype.hasOwnProperty.call(u, 'user_id') ? u.user_id : null;
      return typeof id === 'string' || typeof id === 'number' ? id : null;
    });
  }
  return { userId, probability, decision, threshold };
}
