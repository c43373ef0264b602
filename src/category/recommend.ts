import { ValidationError, type FieldIssue } from '../errors.js';
import type { Ranked } from '../features/top-k.js';
import { topK as rankTop } from '../features/top-k.js';
import type { CategoryBundle } from './bundle.js';
import { validateCustomerForm, type CustomerForm, type CustomerFormInput } from './customer-form.js';

/** Where a feature value came from: the form, a stored table, an encoder, or the fill. */
export type ValueSource = 'form' | `table:${string}` | `encoder:${string}` | 'fill';

/** A value that lost to a higher-precedence source (by default, the form beats stored tables). */
export interface ValueConflict {
  column: string;
  used: { source: ValueSource; value: number | string };
  overridden: { source: ValueSource; value: number | string }[];
}

/** One customer's recommendation and how it was reached. */
export interface CategoryRecommendation {
  customerId: string | null;
  /** The `topK` most probable categories, best first (ties in class order). */
  top: Ranked<string | number>[];
  /** Every class with its probability, in class order. */
  probabilities: Ranked<string | number>[];
  /** The model's input row, in model order, with each value's source. */
  features: { name: string; value: number; source: ValueSource }[];
  /** Model features no source provided (filled with the bundle's `missingFeatureFill`). */
  missingFeatures: string[];
  /** Feature tables with no row for this customer (all of them when the form has no id). */
  tablesWithoutRow: string[];
  /** Category values the encoders did not know (encoded as all zeros). */
  unknownCategories: { feature: string; value: string | number }[];
  /** Values matched to a known category only after normalizing (`matchCategories: 'normalized'`), e.g. `delhi` → `Delhi`. */
  normalizedCategories: { feature: string; value: string; category: string }[];
  /** Columns given by more than one source with different values, and which one won. */
  conflicts: ValueConflict[];
}

/**
 * Options for {@link recommendCategories}. `matchCategories` decides how a category value
 * (the form's `location`, a stored table's text) meets the encoder's known categories:
 * `'exact'` (default, as scikit-learn's encoder does: `delhi` is not `Delhi` and is encoded
 * as unknown, reported in `unknownCategories`) or `'normalized'` (case, surrounding spaces
 * and runs of inner spaces ignored, so ` new  DELHI ` finds `New Delhi`; the match is
 * reported in `normalizedCategories`; a value that normalizes to two categories stays unknown).
 *
 * @example
 * recommendCategories({ location: 'delhi', age: 35, last_login_days: 30, prefers_discount: 'No' }, bundle, { matchCategories: 'normalized' })
 */
export interface RecommendOptions {
  matchCategories?: 'exact' | 'normalized';
}

interface Prepared {
  form: CustomerForm;
  meta: Omit<CategoryRecommendation, 'top' | 'probabilities'>;
}

/**
 * Recommends categories for one customer form: validates it (a {@link ValidationError}
 * lists every bad field), looks the customer up in the bundle's feature tables by id
 * (an indexed lookup, no scan), lets the form's values win over stored ones (unless the
 * bundle says `tables-win`), one-hot encodes, lines the features up with the model,
 * scores, and returns the top categories. A customer absent from the tables still gets a
 * recommendation from the form's fields; `tablesWithoutRow` says which tables had no row,
 * and `missingFeatures` names any model input nobody provided.
 *
 * @example
 * const bundle = await loadBundle('models/category-recommender');
 * const r = recommendCategories({ customer_id: 'c1', email: 'asha@example.com', location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: 'No' }, bundle);
 * r.top.map((t) => t.label)       // => ['Home', 'Clothing', 'Electronics']
 * r.top[0].probability.toFixed(4) // => '0.7777'
 */
export function recommendCategories(customer: CustomerFormInput, bundle: CategoryBundle, options: RecommendOptions = {}): CategoryRecommendation {
  const prepared = prepare(validateCustomerForm(customer), bundle, matchMode(options));
  const row = new Float32Array(bundle.features.length);
  prepared.meta.features.forEach((f, j) => (row[j] = f.value));
  return finish(prepared, bundle.model.predict(row), 0, bundle);
}

/**
 * {@link recommendCategories} for many customers with one model call. Every form is
 * validated first; bad ones are reported together in one {@link ValidationError} whose
 * fields are prefixed with the customer's position (`[3].age`).
 *
 * @example
 * recommendCategoriesBatch([formA, formB], bundle).map((r) => r.top[0].label)
 */
export function recommendCategoriesBatch(customers: readonly CustomerFormInput[], bundle: CategoryBundle, options: RecommendOptions = {}): CategoryRecommendation[] {
  const mode = matchMode(options);
  const issues: FieldIssue[] = [];
  const forms: CustomerForm[] = [];
  customers.forEach((c, i) => {
    try {
      forms.push(validateCustomerForm(c));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const issue of error.issues) issues.push({ field: `[${i}].${issue.field}`, message: issue.message });
    }
  });
  if (issues.length > 0) throw new ValidationError(issues);
  const width = bundle.features.length;
  const prepared = forms.map((f) => prepare(f, bundle, mode));
  const rows = new Float32Array(prepared.length * width);
  prepared.forEach((p, r) => p.meta.features.forEach((f, j) => (rows[r * width + j] = f.value)));
  const probabilities = prepared.length > 0 ? bundle.model.predict(rows) : new Float32Array(0);
  return prepared.map((p, r) => finish(p, probabilities, r, bundle));
}

function finish(p: Prepared, probabilities: Float32Array, row: number, bundle: CategoryBundle): CategoryRecommendation {
  const k = bundle.labels.classes.length;
  const own = probabilities.subarray(row * k, (row + 1) * k);
  return {
    ...p.meta,
    top: rankTop(own, bundle.topK, bundle.labels.classes)[0],
    probabilities: Array.from(own, (probability, c) => ({ label: bundle.labels.classes[c], probability })),
  };
}

function matchMode(options: RecommendOptions): 'exact' | 'normalized' {
  const mode = options.matchCategories ?? 'exact';
  if (mode !== 'exact' && mode !== 'normalized') throw new ValidationError([{ field: 'matchCategories', message: `must be 'exact' or 'normalized', got ${JSON.stringify(mode)}` }]);
  return mode;
}

const normalizeCategory = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/** The one known category a text normalizes to, or undefined (none, or ambiguous). */
function normalizedMatch(value: string, known: readonly (string | number | boolean | null)[]): string | undefined {
  const wanted = normalizeCategory(value);
  const hits = known.filter((c): c is string => typeof c === 'string' && normalizeCategory(c) === wanted);
  return hits.length === 1 ? hits[0] : undefined;
}

function prepare(form: CustomerForm, bundle: CategoryBundle, mode: 'exact' | 'normalized'): Prepared {
  const normalizedCategories: { feature: string; value: string; category: string }[] = [];
  const rows = bundle.tables.map((t) => (form.customer_id === null ? -1 : lookup(t.index, t.table.column(t.spec.key).kind, form.customer_id)));
  const tablesWithoutRow = bundle.tables.filter((_, i) => rows[i] < 0).map((t) => t.spec.name);
  const conflicts: ValueConflict[] = [];
  const unknownCategories: { feature: string; value: string | number }[] = [];
  const tableSource = (i: number): ValueSource => `table:${bundle.tables[i].spec.name}`;

  const encoded = bundle.encoders.map((encoder, e) => {
    const inputs = encoder.features.map((feature, f) => {
      const found: { source: ValueSource; value: string | number }[] = [];
      for (const s of bundle.encoderInputSources[e][f]) {
        if (s.kind === 'form') found.push({ source: 'form', value: form.location });
        else if (rows[s.table] >= 0) {
          const v = s.values[rows[s.table]];
          if (v !== null && !(typeof v === 'number' && Number.isNaN(v))) found.push({ source: tableSource(s.table), value: v });
        }
      }
      noteConflict(feature, found, conflicts);
      let value = found.length > 0 ? found[0].value : null;
      if (value !== null && !encoder.categories[f].includes(value)) {
        const category = mode === 'normalized' && typeof value === 'string' ? normalizedMatch(value, encoder.categories[f]) : undefined;
        if (category === undefined) unknownCategories.push({ feature, value });
        else {
          normalizedCategories.push({ feature, value: value as string, category });
          value = category;
        }
      }
      return value;
    });
    return encoder.encodeRow(inputs);
  });

  const missingFeatures: string[] = [];
  const features = bundle.features.map((name, j) => {
    const found: { source: ValueSource; value: number }[] = [];
    for (const s of bundle.featureSources[j]) {
      if (s.kind === 'encoder') {
        found.push({ source: `encoder:${bundle.encoders[s.encoder].features.join('+')}`, value: encoded[s.encoder][s.slot] });
      } else if (s.kind === 'form') {
        const v = form[s.field];
        found.push({ source: 'form', value: typeof v === 'boolean' ? (v ? 1 : 0) : v });
      } else if (rows[s.table] >= 0) {
        const v = s.values[rows[s.table]];
        if (!Number.isNaN(v)) found.push({ source: tableSource(s.table), value: v });
      }
    }
    noteConflict(name, found, conflicts);
    if (found.length === 0) {
      missingFeatures.push(name);
      return { name, value: bundle.fill, source: 'fill' as const };
    }
    return { name, value: found[0].value, source: found[0].source };
  });
  return {
    form,
    meta: { customerId: form.customer_id, features, missingFeatures, tablesWithoutRow, unknownCategories, normalizedCategories, conflicts },
  };
}

function noteConflict(column: string, found: { source: ValueSource; value: number | string }[], out: ValueConflict[]): void {
  if (found.length < 2) return;
  const overridden = found.slice(1).filter((f) => f.value !== found[0].value);
  if (overridden.length > 0) out.push({ column, used: found[0], overridden });
}

function lookup(index: CategoryBundle['tables'][number]['index'], kind: string, id: string): number {
  if (kind === 'string') return index.firstRow(id);
  if (kind === 'number') {
    const n = Number(id);
    return id.trim() !== '' && Number.isFinite(n) ? index.firstRow(n) : -1;
  }
  return -1;
}
