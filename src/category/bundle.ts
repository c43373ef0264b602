import { InputError, ModelFormatError } from '../errors.js';
import { indexTable, type TableIndex } from '../features/index-table.js';
import { LabelEncoder } from '../features/label-encoder.js';
import { OneHotEncoder } from '../features/one-hot-encoder.js';
import type { Table } from '../features/table.js';
import { loadXGBoost } from '../formats/index.js';

/** One stored per-customer feature table named by a bundle. */
export interface FeatureTableSpec {
  /** Name used in results (`tablesWithoutRow`, conflicts). */
  name: string;
  /** File, relative to the bundle folder (`.xlsx`, `.csv` or `.json` rows). */
  file: string;
  /** Key column, matched against the form's `customer_id`. */
  key: string;
  /** Columns taken from the table (model features or encoder inputs). */
  columns: string[];
}

/** Which value wins when the form and a stored table both give one. */
export type BundleConflictPolicy = 'form-wins' | 'tables-win';

/** `bundle.json`: everything a service needs to score customers, in one folder. */
export interface BundleManifest {
  format: 'retail-ml/category-recommender';
  formatVersion: 1;
  name: string;
  description?: string;
  /** The model file (XGBoost JSON or UBJSON), relative to the bundle folder. */
  model: { type: 'xgboost'; file: string };
  /** Class labels: code i of the model's output is `labels.classes[i]`. */
  labels: { type: 'LabelEncoder'; classes: (string | number)[] };
  /** One-hot encoders fitted at training time (their JSON form). */
  encoders: unknown[];
  /** The model's input columns, in order. */
  features: string[];
  /** Value for a feature no source provides; `null` = missing (NaN). Always reported. */
  missingFeatureFill: number | null;
  /** Default `form-wins`: a value typed into the form beats a stored one. */
  conflicts: BundleConflictPolicy;
  /** How many categories to return; default 3. */
  topK: number;
  featureTables: FeatureTableSpec[];
}

/** What the recommender needs from a model: XGBoost models loaded by `loadXGBoost` fit. */
export interface ProbabilityModel {
  readonly numFeatures: number;
  readonly numOutputs: number;
  readonly featureNames: readonly string[] | null;
  predict(rows: Float32Array): Float32Array;
}

/** A feature table loaded for a bundle, indexed by its key. */
export interface BundleTable {
  readonly spec: FeatureTableSpec;
  readonly table: Table;
  readonly index: TableIndex;
}

/** Where one model feature's value comes from, in order of precedence. @internal */
export type FeatureSource =
  | { kind: 'form'; field: 'age' | 'last_login_days' | 'prefers_discount' }
  | { kind: 'table'; table: number; values: Float64Array }
  | { kind: 'encoder'; encoder: number; slot: number };

/** Where one encoder input's value comes from, in order of precedence. @internal */
export type EncoderInputSource = { kind: 'form'; field: 'location' } | { kind: 'table'; table: number; values: (string | null)[] | Float64Array };

/** A category label: what a bundle's `labels.classes` hold. */
export type CategoryLabel = string | number;

/**
 * A loaded bundle: parse once with `createCategoryBundle` (or `loadBundle` from `retail-ml/node`),
 * score many. `L` is the label type; give it when you know the classes, and loading checks it:
 * `loadBundle(dir, { labels: ['Books', 'Clothing', 'Electronics', 'Home'] as const })`.
 */
export interface CategoryBundle<L extends CategoryLabel = CategoryLabel> {
  /** The class labels in model-output order, typed (`labels.classes`, as the bundle states them). */
  readonly classes: readonly L[];
  readonly manifest: BundleManifest;
  readonly model: ProbabilityModel;
  readonly labels: LabelEncoder;
  readonly encoders: readonly OneHotEncoder[];
  readonly features: readonly string[];
  readonly fill: number;
  readonly topK: number;
  readonly tables: readonly BundleTable[];
  /** @internal Precomputed sources per model feature, best first. */
  readonly featureSources: readonly (readonly FeatureSource[])[];
  /** @internal Precomputed sources per encoder input, best first. */
  readonly encoderInputSources: readonly (readonly (readonly EncoderInputSource[])[])[];
}

const FORM_NUMBER_FIELDS = ['age', 'last_login_days', 'prefers_discount'] as const;
const FORM_TEXT_FIELDS = ['location'] as const;

/**
 * Validates a parsed `bundle.json`; problems are {@link ModelFormatError}s naming the field.
 *
 * @example
 * const manifest = parseBundleManifest(JSON.parse(readFileSync('models/category-recommender/bundle.json', 'utf8')));
 * manifest.topK // => 3
 */
export function parseBundleManifest(json: unknown): BundleManifest {
  const fail = (where: string, detail: string): never => {
    throw new ModelFormatError(`bundle.json: ${where}`, detail);
  };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('(root)', 'must be an object');
  const j = json as Record<string, unknown>;
  const get = (k: string): unknown => (Object.prototype.hasOwnProperty.call(j, k) ? j[k] : undefined);
  if (get('format') !== 'retail-ml/category-recommender') fail('format', `must be "retail-ml/category-recommender", got ${JSON.stringify(get('format'))}`);
  if (get('formatVersion') !== 1) fail('formatVersion', `unsupported version ${JSON.stringify(get('formatVersion'))} (this library reads 1)`);
  const strings = (v: unknown, where: string): string[] => {
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) fail(where, 'must be an array of strings');
    if (new Set(v as string[]).size !== (v as string[]).length) fail(where, 'repeats a name');
    return v as string[];
  };
  const model = get('model') as Record<string, unknown> | undefined;
  if (!model || typeof model !== 'object') fail('model', 'must be an object');
  if (model!.type !== 'xgboost') fail('model.type', `must be "xgboost", got ${JSON.stringify(model!.type)}`);
  if (typeof model!.file !== 'string' || model!.file === '') fail('model.file', 'must be a file name');
  const labels = get('labels') as Record<string, unknown> | undefined;
  if (!labels || labels.type !== 'LabelEncoder' || !Array.isArray(labels.classes)) fail('labels', 'must be a LabelEncoder with classes');
  const encoders = get('encoders') ?? [];
  if (!Array.isArray(encoders)) fail('encoders', 'must be an array');
  const features = strings(get('features'), 'features');
  const fill = get('missingFeatureFill') ?? null;
  if (fill !== null && (typeof fill !== 'number' || !Number.isFinite(fill))) fail('missingFeatureFill', 'must be a number or null');
  const conflicts = get('conflicts') ?? 'form-wins';
  if (conflicts !== 'form-wins' && conflicts !== 'tables-win') fail('conflicts', 'must be "form-wins" or "tables-win"');
  const topK = get('topK') ?? 3;
  if (!Number.isInteger(topK) || (topK as number) < 1) fail('topK', 'must be a positive integer');
  const tablesRaw = get('featureTables') ?? [];
  if (!Array.isArray(tablesRaw)) fail('featureTables', 'must be an array');
  const featureTables = (tablesRaw as unknown[]).map((t, i): FeatureTableSpec => {
    const where = `featureTables[${i}]`;
    if (t === null || typeof t !== 'object') fail(where, 'must be an object');
    const s = t as Record<string, unknown>;
    for (const k of ['name', 'file', 'key']) if (typeof s[k] !== 'string' || s[k] === '') fail(`${where}.${k}`, 'must be a non-empty string');
    return { name: s.name as string, file: s.file as string, key: s.key as string, columns: strings(s.columns, `${where}.columns`) };
  });
  if (new Set(featureTables.map((t) => t.name)).size !== featureTables.length) fail('featureTables', 'repeats a table name');
  const name = get('name');
  const description = get('description');
  return {
    format: 'retail-ml/category-recommender',
    formatVersion: 1,
    name: typeof name === 'string' ? name : 'category-recommender',
    ...(typeof description === 'string' ? { description } : {}),
    model: { type: 'xgboost', file: model!.file as string },
    labels: { type: 'LabelEncoder', classes: labels!.classes as (string | number)[] },
    encoders: encoders as unknown[],
    features,
    missingFeatureFill: fill as number | null,
    conflicts: conflicts as BundleConflictPolicy,
    topK: topK as number,
    featureTables,
  };
}

/**
 * Builds a ready-to-score bundle from a manifest, the model (file bytes, JSON text, or a
 * model object with `predict`) and the feature tables by name. Checks that the pieces fit
 * together: the feature order against the model's own feature names, the label count
 * against the model's outputs, the encoders' outputs against the features, the tables'
 * key and columns. Any mismatch is a {@link ModelFormatError}. Browser-safe: file reading
 * is `loadBundle`'s job in `retail-ml/node`.
 *
 * @example
 * const bundle = createCategoryBundle({ manifest, model: readFileSync('models/category-recommender/xgb_model_category.json') });
 * recommendCategories({ age: 35, last_login_days: 30, prefers_discount: 'No', location: 'Delhi' }, bundle).top[0].label // => 'Home'
 */
export function createCategoryBundle(parts: {
  manifest: unknown;
  model: ProbabilityModel | Uint8Array | string;
  tables?: ReadonlyMap<string, Table>;
}): CategoryBundle {
  const manifest = parseBundleManifest(parts.manifest);
  const model: ProbabilityModel =
    typeof parts.model === 'string' || parts.model instanceof Uint8Array ? loadXGBoost(parts.model) : parts.model;
  if (!model || typeof model.predict !== 'function') throw new InputError('model must be model bytes, JSON text or a loaded model');
  const features = manifest.features;
  if (features.length !== model.numFeatures) {
    throw new ModelFormatError('bundle.json: features', `lists ${features.length} features, the model takes ${model.numFeatures}`);
  }
  if (model.featureNames) {
    const differ = features.findIndex((f, i) => f !== model.featureNames![i]);
    if (differ !== -1) {
      throw new ModelFormatError('bundle.json: features', `feature ${differ} is '${features[differ]}' but the model calls it '${model.featureNames[differ]}'`);
    }
  }
  let labels: LabelEncoder;
  let encoders: OneHotEncoder[];
  try {
    labels = LabelEncoder.fromJSON(manifest.labels);
    encoders = manifest.encoders.map((e) => OneHotEncoder.fromJSON(e));
  } catch (error) {
    throw new ModelFormatError('bundle.json: labels/encoders', (error as Error).message, { cause: error });
  }
  if (labels.classes.length !== model.numOutputs) {
    throw new ModelFormatError('bundle.json: labels', `${labels.classes.length} classes, the model has ${model.numOutputs} outputs`);
  }
  if (manifest.topK > labels.classes.length) throw new ModelFormatError('bundle.json: topK', `exceeds the ${labels.classes.length} classes`);

  const tables: BundleTable[] = manifest.featureTables.map((spec, i) => {
    const table = parts.tables?.get(spec.name);
    if (!table) throw new InputError(`feature table '${spec.name}' (featureTables[${i}]) was not provided`);
    for (const c of [spec.key, ...spec.columns]) {
      if (!table.has(c)) throw new ModelFormatError(`feature table '${spec.name}'`, `has no column '${c}'`);
    }
    return { spec, table, index: indexTable(table, spec.key) };
  });

  const formFirst = manifest.conflicts === 'form-wins';
  const encoderOutput = new Map<string, { encoder: number; slot: number }>();
  encoders.forEach((e, encoder) => e.featureNamesOut.forEach((name, slot) => encoderOutput.set(name, { encoder, slot })));
  for (const name of encoderOutput.keys()) {
    if (!features.includes(name)) throw new ModelFormatError('bundle.json: encoders', `output '${name}' is not a model feature`);
  }
  const tableSources = (column: string) =>
    tables.flatMap((t, i) => (t.spec.columns.includes(column) ? [{ table: i, column: t.table.column(column) }] : []));

  const featureSources: FeatureSource[][] = features.map((name) => {
    const enc = encoderOutput.get(name);
    if (enc) return [{ kind: 'encoder', ...enc }];
    const form: FeatureSource[] = (FORM_NUMBER_FIELDS as readonly string[]).includes(name)
      ? [{ kind: 'form', field: name as (typeof FORM_NUMBER_FIELDS)[number] }]
      : [];
    const stored: FeatureSource[] = tableSources(name).map(({ table, column }) => {
      if (column.kind === 'string') throw new ModelFormatError(`feature table '${tables[table].spec.name}'`, `column '${name}' holds strings, the model needs numbers`);
      return { kind: 'table', table, values: tables[table].table.numbers(name) };
    });
    return formFirst ? [...form, ...stored] : [...stored, ...form];
  });
  const encoderInputSources: EncoderInputSource[][][] = encoders.map((e) =>
    e.features.map((input) => {
      const form: EncoderInputSource[] = (FORM_TEXT_FIELDS as readonly string[]).includes(input) ? [{ kind: 'form', field: 'location' }] : [];
      const stored: EncoderInputSource[] = tableSources(input).map(({ table, column }) => ({
        kind: 'table',
        table,
        values: column.kind === 'number' ? column.values : tables[table].table.strings(input),
      }));
      return formFirst ? [...form, ...stored] : [...stored, ...form];
    }),
  );

  return {
    classes: labels.classes,
    manifest,
    model,
    labels,
    encoders,
    features,
    fill: manifest.missingFeatureFill ?? NaN,
    topK: manifest.topK,
    tables,
    featureSources,
    encoderInputSources,
  };
}

/**
 * Types a bundle's labels after checking them: returns the same bundle as
 * `CategoryBundle<L>` when its classes are exactly `labels`, in order, so `top[0].label` is
 * typed `L`; otherwise a {@link ModelFormatError} listing both.
 *
 * @example
 * const bundle = withLabels(await loadBundle(dir), ['Books', 'Clothing', 'Electronics', 'Home'] as const);
 * const first: 'Books' | 'Clothing' | 'Electronics' | 'Home' = recommendCategories(form, bundle).top[0].label;
 */
export function withLabels<const L extends CategoryLabel>(bundle: CategoryBundle, labels: readonly L[]): CategoryBundle<L> {
  const same = bundle.classes.length === labels.length && bundle.classes.every((c, i) => c === labels[i]);
  if (!same) throw new ModelFormatError('bundle.json: labels', `classes are ${JSON.stringify(bundle.classes)}, expected ${JSON.stringify(labels)}`);
  return bundle as CategoryBundle<L>;
}
