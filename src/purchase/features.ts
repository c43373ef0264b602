import { isTable } from '../features/is-table.js';
import { InputError, ValidationError } from '../errors.js';
import { Table, parseIsoDateCell } from '../features/index.js';
import type { Column } from '../features/index.js';

/** A named group of tracked app screens. */
export interface ScreenCategory {
  name: string;
  screens: readonly string[];
}

/** Every rule of the purchase-in-24h features; each default reproduces the original pipeline. */
export interface PurchaseFeatureConfig {
  /** `purchase_24h` = 1 iff purchase_date − first_visit_date ≤ this many hours; default 24. */
  targetHours: number;
  /** Days counted as weekend, Monday = 0; default [5, 6]. */
  weekendDays: readonly number[];
  /** Tracked screens by category; each gets a lowercase 0/1 flag and a `<category>_count`. */
  screenCategories: readonly ScreenCategory[];
  /** `engagement_score` = Σ weight · input column, in this order. */
  engagementWeights: readonly (readonly [column: string, weight: number])[];
  /** `purchase_intent` = Σ weight · term; a term is a `<category>_count` or an input column. */
  intentWeights: readonly (readonly [term: string, weight: number])[];
  /** Platform codes; any other platform gets `otherPlatformCode`. Default iOS → 1, Android → 0. */
  platformCodes: readonly (readonly [platform: string, code: number])[];
  otherPlatformCode: number;
  /** Input columns copied as they are (numbers), before the derived ones. */
  passthrough: readonly string[];
}

const defaultConfig: PurchaseFeatureConfig = {
  targetHours: 24,
  weekendDays: [5, 6],
  screenCategories: [
    { name: 'shopping', screens: ['ProductList', 'ProductDetail', 'CategoryBrowse', 'Search'] },
    { name: 'cart', screens: ['ShoppingCart', 'Checkout', 'PaymentMethods', 'DeliveryOptions'] },
    { name: 'engagement', screens: ['WishList', 'Reviews', 'Promotions'] },
    { name: 'account', screens: ['Account', 'AddressBook', 'OrderTracking'] },
  ],
  engagementWeights: [
    ['session_count', 0.3],
    ['used_search_feature', 0.2],
    ['wrote_review', 0.15],
    ['added_to_wishlist', 0.15],
    ['total_screens_viewed', 0.2],
  ],
  intentWeights: [
    ['cart_count', 0.4],
    ['shopping_count', 0.3],
    ['engagement_count', 0.2],
    ['added_to_wishlist', 0.1],
  ],
  platformCodes: [
    ['iOS', 1],
    ['Android', 0],
  ],
  otherPlatformCode: 0,
  passthrough: ['age', 'session_count', 'total_screens_viewed', 'used_search_feature', 'wrote_review', 'added_to_wishlist'],
};

/** The defaults: exactly the rules of the original pipeline. */
export const DEFAULT_PURCHASE_FEATURE_CONFIG: PurchaseFeatureConfig = Object.freeze(defaultConfig);

/** The one-hot groups, their output prefix and the fitted categories (original spelling, sorted). */
export interface OneHotCategories {
  region: string[];
  channel: string[];
  age_group: string[];
  user_type: string[];
}

/** A fitted feature spec: config plus the categories seen in training. JSON-serialisable. */
export interface PurchaseFeatureSpec {
  kind: 'purchase-features';
  version: 1;
  config: PurchaseFeatureConfig;
  categories: OneHotCategories;
  /** The feature columns, in order (without `user_id` and the target). */
  featureNames: string[];
}

/** Users as rows: a {@link Table} (e.g. from `readCsv`) or plain records. */
export type UserRows = Table | readonly Readonly<Record<string, unknown>>[];

/** Name of the target column. */
export const PURCHASE_TARGET = 'purchase_24h';

const HOUR_MS = 3_600_000;

function toTable(users: UserRows): Table {
  if (isTable(users)) return users;
  if (!Array.isArray(users)) throw new InputError('users must be a Table or an array of records');
  return Table.fromRows(users as Readonly<Record<string, unknown>>[]);
}

function requireColumn(table: Table, name: string, purpose: string): Column {
  if (!table.has(name)) throw new InputError(`users have no '${name}' column (needed for ${purpose})`);
  return table.column(name);
}

function numbersOf(table: Table, name: string, purpose: string): Float64Array {
  const column = requireColumn(table, name, purpose);
  if (column.kind === 'string') {
    return Float64Array.from(column.values, (v) => (v === null || v.trim() === '' ? NaN : Number(v)));
  }
  return table.numbers(name);
}

function datesOf(table: Table, name: string, purpose: string): Float64Array {
  const column = requireColumn(table, name, purpose);
  if (column.kind === 'date') return column.values;
  if (column.kind === 'string') {
    return Float64Array.from(column.values, (v, i) => {
      if (v === null || v.trim() === '') return NaN;
      const ms = parseIsoDateCell(v.trim());
      if (ms === undefined) throw new InputError(`${name} in row ${i} is not an ISO date: ${JSON.stringify(v)}`);
      return ms;
    });
  }
  if (column.kind === 'number') return column.values;
  throw new InputError(`${name} must hold dates, got ${column.kind} values`);
}

function stringsOf(table: Table, name: string, purpose: string): (string | null)[] {
  requireColumn(table, name, purpose);
  return table.strings(name);
}

function checkConfig(config: PurchaseFeatureConfig): void {
  const issues: { field: string; message: string }[] = [];
  if (!(config.targetHours >= 0) || !Number.isFinite(config.targetHours)) issues.push({ field: 'targetHours', message: 'must be a finite number ≥ 0' });
  if (!Array.isArray(config.weekendDays) || config.weekendDays.some((d) => !Number.isInteger(d) || d < 0 || d > 6)) {
    issues.push({ field: 'weekendDays', message: 'must be integers 0 (Monday) to 6 (Sunday)' });
  }
  const names = new Set<string>();
  for (const category of config.screenCategories ?? []) {
    if (!category || typeof category.name !== 'string' || !Array.isArray(category.screens) || category.screens.some((s) => typeof s !== 'string' || s === '')) {
      issues.push({ field: 'screenCategories', message: 'each needs a name and non-empty screen names' });
      continue;
    }
    for (const s of category.screens) {
      if (names.has(s.toLowerCase())) issues.push({ field: 'screenCategories', message: `screen ${s} is listed twice` });
      names.add(s.toLowerCase());
    }
  }
  for (const [field, pairs] of [['engagementWeights', config.engagementWeights], ['intentWeights', config.intentWeights], ['platformCodes', config.platformCodes]] as const) {
    if (!Array.isArray(pairs) || pairs.some((p) => !Array.isArray(p) || typeof p[0] !== 'string' || typeof p[1] !== 'number' || !Number.isFinite(p[1]))) {
      issues.push({ field, message: 'must be [name, finite number] pairs' });
    }
  }
  if (!Array.isArray(config.passthrough) || config.passthrough.some((c) => typeof c !== 'string')) issues.push({ field: 'passthrough', message: 'must be column names' });
  if (issues.length > 0) throw new ValidationError(issues);
}

function splitSegment(segment: string | null): [string | null, string | null] {
  if (segment === null) return [null, null];
  const space = segment.indexOf(' ');
  return space === -1 ? [segment, null] : [segment.slice(0, space), segment.slice(space + 1)];
}

function sortedDistinct(values: Iterable<string | null>): string[] {
  const set = new Set<string>();
  for (const v of values) if (v !== null) set.add(v);
  return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function oneHotNames(prefix: string, categories: readonly string[]): { names: string[]; categoryColumn: Map<string, number> } {
  const names: string[] = [];
  const categoryColumn = new Map<string, number>();
  for (const c of categories) {
    const name = `${prefix}_${c}`.toLowerCase();
    let index = names.indexOf(name);
    if (index === -1) index = names.push(name) - 1;
    categoryColumn.set(c, index);
  }
  return { names, categoryColumn };
}

function featureNamesOf(config: PurchaseFeatureConfig, categories: OneHotCategories): string[] {
  const names = [...config.passthrough, 'hour', 'dayofweek', 'is_weekend'];
  for (const category of config.screenCategories) for (const s of category.screens) names.push(s.toLowerCase());
  for (const category of config.screenCategories) names.push(`${category.name}_count`);
  names.push('other_screens', 'engagement_score', 'screen_diversity', 'purchase_intent', 'platform');
  for (const prefix of ['region', 'channel', 'age_group', 'user_type'] as const) names.push(...oneHotNames(prefix, categories[prefix]).names);
  names.push('app_major_version', 'version_score');
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new ValidationError([{ field: 'config', message: `feature name ${n} would appear twice` }]);
    seen.add(n);
  }
  return names;
}

/**
 * Fits the feature rules on training users: remembers the one-hot categories of region,
 * acquisition channel and the two halves of user_segment.
 *
 * @example
 * const spec = fitPurchaseFeatures(await readCsvFile('retail_app_data.csv'));
 * spec.featureNames.slice(0, 3) // => ['age', 'session_count', 'total_screens_viewed']
 */
export function fitPurchaseFeatures(users: UserRows, config: Partial<PurchaseFeatureConfig> = {}): PurchaseFeatureSpec {
  const full = { ...DEFAULT_PURCHASE_FEATURE_CONFIG, ...config } as PurchaseFeatureConfig;
  checkConfig(full);
  const table = toTable(users);
  const segments = stringsOf(table, 'user_segment', 'age_group/user_type').map(splitSegment);
  const categories: OneHotCategories = {
    region: sortedDistinct(stringsOf(table, 'region', 'region one-hot')),
    channel: sortedDistinct(stringsOf(table, 'acquisition_channel', 'channel one-hot')),
    age_group: sortedDistinct(segments.map((s) => s[0])),
    user_type: sortedDistinct(segments.map((s) => s[1])),
  };
  return { kind: 'purchase-features', version: 1, config: full, categories, featureNames: featureNamesOf(full, categories) };
}

/**
 * Parses "2.0.8" into [major, Σ partₙ / 10ⁿ] = [2, 2.08]; NaN for anything that is not dot-separated integers.
 *
 * @example
 * parseAppVersion('2.0.8') // => [2, 2.08]
 */
export function parseAppVersion(version: string | null): [number, number] {
  if (version === null || !/^\d+(\.\d+)*$/.test(version.trim())) return [NaN, NaN];
  const parts = version.trim().split('.');
  let score = 0;
  for (let n = 0; n < parts.length; n++) score += Number(parts[n]) / 10 ** n;
  return [Number(parts[0]), score];
}

/**
 * Computes the feature table for users with a fitted spec. Categories unseen in training
 * are ignored (all their one-hot columns 0). With `target: true` (default when the users
 * have a purchase_date column) the table ends with `purchase_24h`; a missing purchase date gives 0.
 *
 * @example
 * const table = transformPurchaseFeatures(newUsers, spec, { target: false });
 * table.numbers('purchase_intent');
 */
export function transformPurchaseFeatures(users: UserRows, spec: PurchaseFeatureSpec, options: { target?: boolean } = {}): Table {
  if (!spec || spec.kind !== 'purchase-features' || spec.version !== 1) throw new InputError('not a purchase feature spec (kind purchase-features, version 1)');
  const { config, categories } = spec;
  checkConfig(config);
  const table = toTable(users);
  const n = table.numRows;
  const out: [string, Column][] = [];
  const num = (name: string, values: Float64Array) => out.push([name, { kind: 'number', values }]);

  for (const c of config.passthrough) num(c, Float64Array.from(numbersOf(table, c, 'passthrough')));

  const visit = datesOf(table, 'first_visit_date', 'hour/dayofweek');
  const hour = new Float64Array(n);
  const dayofweek = new Float64Array(n);
  const weekend = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(visit[i])) {
      hour[i] = dayofweek[i] = weekend[i] = NaN;
      continue;
    }
    const date = new Date(visit[i]);
    hour[i] = date.getUTCHours();
    dayofweek[i] = (date.getUTCDay() + 6) % 7;
    weekend[i] = config.weekendDays.includes(dayofweek[i]) ? 1 : 0;
  }
  num('hour', hour);
  num('dayofweek', dayofweek);
  num('is_weekend', weekend);

  const screenLists = stringsOf(table, 'screen_list', 'screen flags');
  const tracked = new Set(config.screenCategories.flatMap((c) => c.screens));
  const counts = new Map<string, Float64Array>();
  const flagColumns: [string, Float64Array][] = [];
  for (const category of config.screenCategories) {
    const count = new Float64Array(n);
    for (const screen of category.screens) {
      const flag = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const list = screenLists[i];
        if (list !== null && list.includes(screen)) {
          flag[i] = 1;
          count[i]++;
        }
      }
      flagColumns.push([screen.toLowerCase(), flag]);
    }
    counts.set(`${category.name}_count`, count);
  }
  for (const [name, flag] of flagColumns) num(name, flag);
  for (const [name, count] of counts) num(name, count);

  const other = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const list = screenLists[i];
    if (!list) continue;
    for (const entry of list.split(',')) if (!tracked.has(entry)) other[i]++;
  }
  num('other_screens', other);

  const weighted = (pairs: PurchaseFeatureConfig['engagementWeights'], lookup: (name: string) => Float64Array) => {
    const columns = pairs.map(([name, w]) => [lookup(name), w] as const);
    const result = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let k = 0; k < columns.length; k++) sum = k === 0 ? columns[k][1] * columns[k][0][i] : sum + columns[k][1] * columns[k][0][i];
      result[i] = sum;
    }
    return result;
  };
  num('engagement_score', weighted(config.engagementWeights, (c) => numbersOf(table, c, 'engagement_score')));

  const diversity = new Float64Array(n);
  for (const count of counts.values()) for (let i = 0; i < n; i++) if (count[i] > 0) diversity[i]++;
  num('screen_diversity', diversity);
  num('purchase_intent', weighted(config.intentWeights, (term) => counts.get(term) ?? numbersOf(table, term, 'purchase_intent')));

  const platformCode = new Map<string, number>(config.platformCodes.map(([p, c]) => [p, c]));
  num('platform', Float64Array.from(stringsOf(table, 'platform', 'platform'), (p) => (p !== null && platformCode.has(p) ? platformCode.get(p)! : config.otherPlatformCode)));

  const segments = stringsOf(table, 'user_segment', 'age_group/user_type').map(splitSegment);
  const sources: Record<keyof OneHotCategories, (string | null)[]> = {
    region: stringsOf(table, 'region', 'region one-hot'),
    channel: stringsOf(table, 'acquisition_channel', 'channel one-hot'),
    age_group: segments.map((s) => s[0]),
    user_type: segments.map((s) => s[1]),
  };
  for (const prefix of ['region', 'channel', 'age_group', 'user_type'] as const) {
    const { names, categoryColumn } = oneHotNames(prefix, categories[prefix]);
    const columns = names.map(() => new Float64Array(n));
    const values = sources[prefix];
    for (let i = 0; i < n; i++) {
      const v = values[i];
      const index = v === null ? undefined : categoryColumn.get(v);
      if (index !== undefined) columns[index][i] = 1;
    }
    names.forEach((name, k) => num(name, columns[k]));
  }

  const versions = stringsOf(table, 'app_version', 'app version').map(parseAppVersion);
  num('app_major_version', Float64Array.from(versions, (v) => v[0]));
  num('version_score', Float64Array.from(versions, (v) => v[1]));

  const wantTarget = options.target ?? table.has('purchase_date');
  if (wantTarget) {
    const bought = datesOf(table, 'purchase_date', PURCHASE_TARGET);
    const limit = config.targetHours * HOUR_MS;
    num(PURCHASE_TARGET, Float64Array.from(bought, (b, i) => (!Number.isNaN(b) && !Number.isNaN(visit[i]) && b - visit[i] <= limit ? 1 : 0)));
  }
  const result = Table.fromColumns(out);
  const expectedNames = [...spec.featureNames, ...(wantTarget ? [PURCHASE_TARGET] : [])];
  if (result.columnNames.join('\u0000') !== expectedNames.join('\u0000')) throw new InputError('feature spec does not match its config (featureNames differ)');
  return result;
}

/**
 * Fits the feature rules on `users` and computes their feature table in one step.
 *
 * @example
 * const { spec, table } = purchaseFeatures(await readCsvFile('retail_app_data.csv'));
 * const later = transformPurchaseFeatures(newUsers, spec); // same columns
 */
export function purchaseFeatures(users: UserRows, config: Partial<PurchaseFeatureConfig> = {}): { spec: PurchaseFeatureSpec; table: Table } {
  const spec = fitPurchaseFeatures(users, config);
  return { spec, table: transformPurchaseFeatures(users, spec) };
}
