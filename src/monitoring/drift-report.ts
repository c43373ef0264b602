import { InputError } from '../errors.js';
import { columnAsStrings, type Column } from '../features/column.js';
import { Table } from '../features/table.js';
import { floorShares, histogramCounts, histogramEdges } from './binned-shares.js';
import { chiSquareTest } from './chi-square.js';
import { jensenShannonDistance } from './jensen-shannon.js';
import { asTable, type NamedMatrix } from './named-matrix.js';
import { ksTwoSample, type TestResult } from './ks-two-sample.js';
import { populationStabilityIndex } from './psi.js';
import { sampleRowIndices } from './sample-rows.js';
import { populationStd, wassersteinDistance } from './wasserstein.js';
import { proportionsZTest } from './z-test.js';

/** How a column is tested: Evidently's three column types. */
export type DriftColumnKind = 'numeric' | 'categorical' | 'binary';
/** The drift tests; `ks`, `chi2` and `z` give p-values, the others distances. */
export type DriftTestName = 'ks' | 'chi2' | 'z' | 'wasserstein' | 'jensenshannon';

/** The binned shares a column was compared on (raw, before the empty-bin floor). */
export interface DriftBins {
  /** Category names, or bin ranges such as `[0, 1.5)`. */
  labels: string[];
  /** Histogram edges for numeric columns (labels.length + 1 of them), else undefined. */
  edges?: number[];
  reference: number[];
  current: number[];
}

/** The drift result of one column. */
export interface ColumnDrift {
  column: string;
  kind: DriftColumnKind;
  test: DriftTestName;
  /** KS D, χ², z, normed Wasserstein or Jensen–Shannon distance. χ² is Infinity (p = 0) when the current data has a category the reference never had. */
  statistic: number;
  /** The p-value, or null for the distance tests. */
  pValue: number | null;
  threshold: number;
  drift: boolean;
  psi: number;
  referenceCount: number;
  currentCount: number;
  referenceMissing: number;
  currentMissing: number;
  bins: DriftBins;
}

/** A column that could not be tested, and why. */
export interface SkippedColumn {
  column: string;
  reason: string;
}

/** How many rows of a side were used and whether they were sampled. */
export interface SideRows {
  rows: number;
  used: number;
  sampled: boolean;
}

/** The whole report: per-column results and the dataset verdict. */
export interface DriftReport {
  datasetDrift: boolean;
  /** Drifted columns / tested columns (0 when none could be tested). */
  driftShare: number;
  driftedColumns: number;
  columns: ColumnDrift[];
  skipped: SkippedColumn[];
  reference: SideRows;
  current: SideRows;
  /** The sampling method when a side was sampled, e.g. for the report's footnote. */
  sampling: string | null;
}

/** Options of {@link driftReport}; every default is Evidently's. */
export interface DriftOptions {
  /** Only these columns (default: every column of the reference). */
  columns?: readonly string[];
  /** Leave these out, e.g. ids. */
  exclude?: readonly string[];
  /** References with more rows than this get the distance tests (default 1000). */
  largeReference?: number;
  /** A numeric column needs more distinct values than this (default 5). */
  maxCategoricalDistinct?: number;
  /** p-value threshold of ks/chi2/z (default 0.05). */
  pValueThreshold?: number;
  /** Distance threshold of wasserstein/jensenshannon (default 0.1). */
  distanceThreshold?: number;
  /** Dataset drift when this share of tested columns drifts (default 0.5). */
  driftShare?: number;
  /** Equal-width bins of numeric columns (default 30). */
  bins?: number;
  /** Share that replaces empty bins in the PSI (default 0.0001). */
  emptyBinShare?: number;
  /** One test for every column, instead of the default choice. */
  test?: DriftTestName;
  /** Tests per column name (wins over `test`). */
  tests?: ReadonlyMap<string, DriftTestName>;
  /** Sides longer than this are sampled to this many rows (default 1,000,000). */
  sampleRows?: number;
  /** Seed of the sampling (default 17). */
  seed?: number;
}

const TESTS: readonly DriftTestName[] = ['ks', 'chi2', 'z', 'wasserstein', 'jensenshannon'];

/**
 * Data drift between a reference and a current table (or named matrix), per column, with Evidently's default
 * tests: up to 1,000 reference rows, KS for numeric columns, chi-squared for categorical and
 * a pooled Z-test for binary ones (drift when p < 0.05); above that, Wasserstein distance over
 * the reference's standard deviation and Jensen–Shannon distance of binned shares (drift
 * when ≥ 0.1). Missing values are dropped first; columns with no values on a side, or only
 * on one side, are listed in `skipped`. PSI is reported for every column. The dataset drifts
 * when at least half of the tested columns do.
 *
 * @example
 * const report = driftReport(Table.fromRows(lastMonth), Table.fromRows(thisWeek), { exclude: ['id'] });
 * report.datasetDrift; report.columns.map((c) => [c.column, c.test, c.pValue]);
 */
export function driftReport(referenceInput: Table | NamedMatrix, currentInput: Table | NamedMatrix, options: DriftOptions = {}): DriftReport {
  const reference = asTable(referenceInput);
  const current = asTable(currentInput);
  const o = resolveOptions(options);
  const exclude = new Set(options.exclude ?? []);
  const names = (options.columns ?? reference.columnNames).filter((n) => !exclude.has(n));
  const skipped: SkippedColumn[] = [];
  const refSample = sideSample(reference, o.sampleRows, o.seed);
  const curSample = sideSample(current, o.sampleRows, o.seed + 1);
  const columns: ColumnDrift[] = [];
  for (const name of names) {
    if (!reference.has(name) && !current.has(name)) throw new InputError(`no column '${name}' in either table`);
    if (!reference.has(name)) { skipped.push({ column: name, reason: 'only in the current data' }); continue; }
    if (!current.has(name)) { skipped.push({ column: name, reason: 'only in the reference data' }); continue; }
    const result = columnDrift(name, pick(reference.column(name), refSample), pick(current.column(name), curSample), o, options.tests?.get(name) ?? options.test);
    if (typeof result === 'string') skipped.push({ column: name, reason: result });
    else columns.push(result);
  }
  if (options.columns === undefined) {
    for (const name of current.columnNames) {
      if (!reference.has(name) && !exclude.has(name)) skipped.push({ column: name, reason: 'only in the current data' });
    }
  }
  const drifted = columns.filter((c) => c.drift).length;
  const share = columns.length ? drifted / columns.length : 0;
  const sampled = refSample !== null || curSample !== null;
  return {
    datasetDrift: columns.length > 0 && share >= o.driftShare,
    driftShare: share,
    driftedColumns: drifted,
    columns,
    skipped,
    reference: { rows: reference.numRows, used: refSample?.length ?? reference.numRows, sampled: refSample !== null },
    current: { rows: current.numRows, used: curSample?.length ?? current.numRows, sampled: curSample !== null },
    sampling: sampled ? `uniform without replacement, ${o.sampleRows} rows a side (selection sampling, xoshiro128** seed ${o.seed} / ${o.seed + 1})` : null,
  };
}

type Resolved = Required<Omit<DriftOptions, 'columns' | 'exclude' | 'test' | 'tests'>>;

function resolveOptions(options: DriftOptions): Resolved {
  const o: Resolved = {
    largeReference: options.largeReference ?? 1000,
    maxCategoricalDistinct: options.maxCategoricalDistinct ?? 5,
    pValueThreshold: options.pValueThreshold ?? 0.05,
    distanceThreshold: options.distanceThreshold ?? 0.1,
    driftShare: options.driftShare ?? 0.5,
    bins: options.bins ?? 30,
    emptyBinShare: options.emptyBinShare ?? 0.0001,
    sampleRows: options.sampleRows ?? 1_000_000,
    seed: options.seed ?? 17,
  };
  for (const [key, value] of Object.entries(o)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(`option ${key} must be a finite number`);
  }
  if (!(o.pValueThreshold > 0 && o.pValueThreshold < 1)) throw new InputError('pValueThreshold must be in (0, 1)');
  if (!(o.emptyBinShare > 0 && o.emptyBinShare < 1)) throw new InputError('emptyBinShare must be in (0, 1)');
  if (!Number.isInteger(o.bins) || o.bins < 1 || o.bins > 10_000) throw new InputError('bins must be an integer from 1 to 10000');
  if (!Number.isInteger(o.sampleRows) || o.sampleRows < 1) throw new InputError('sampleRows must be a positive integer');
  for (const t of [options.test, ...(options.tests?.values() ?? [])]) {
    if (t !== undefined && !TESTS.includes(t)) throw new InputError(`unknown drift test '${String(t)}' (use ${TESTS.join(', ')})`);
  }
  return o;
}

function sideSample(table: Table, rows: number, seed: number): Int32Array | null {
  return table.numRows > rows ? sampleRowIndices(table.numRows, rows, seed) : null;
}

/** The present values of a column: numbers when it holds numbers (or dates), else category names. */
type Present = { numbers: Float64Array; missing: number } | { labels: string[]; missing: number };

function pick(column: Column, rows: Int32Array | null): Present {
  const n = rows ? rows.length : column.values.length;
  const at = (i: number) => (rows ? rows[i] : i);
  if (column.kind === 'number' || column.kind === 'date') {
    const out = new Float64Array(n);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const v = column.values[at(i)];
      if (!Number.isNaN(v)) out[k++] = v;
    }
    return { numbers: out.subarray(0, k), missing: n - k };
  }
  const strings = columnAsStrings(column);
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = strings[at(i)];
    if (v !== null) labels.push(v);
  }
  return { labels, missing: n - labels.length };
}

function asLabels(p: Present): string[] {
  if ('labels' in p) return p.labels;
  return Array.from(p.numbers, (v) => String(v));
}

function countDistinctUpTo(a: Float64Array, b: Float64Array, limit: number): number {
  const seen = new Set<number>();
  for (const arr of [a, b]) {
    for (let i = 0; i < arr.length; i++) {
      seen.add(arr[i]);
      if (seen.size > limit) return seen.size;
    }
  }
  return seen.size;
}

function columnDrift(name: string, ref: Present, cur: Present, o: Resolved, forced: DriftTestName | undefined): ColumnDrift | string {
  const nRef = 'labels' in ref ? ref.labels.length : ref.numbers.length;
  const nCur = 'labels' in cur ? cur.labels.length : cur.numbers.length;
  if (nRef === 0) return 'no values in the reference data';
  if (nCur === 0) return 'no values in the current data';
  const numeric = 'numbers' in ref && 'numbers' in cur && countDistinctUpTo(ref.numbers, cur.numbers, o.maxCategoricalDistinct) > o.maxCategoricalDistinct;
  let kind: DriftColumnKind;
  let bins: DriftBins;
  let counts: { keys: string[]; ref: number[]; cur: number[] } | null = null;
  let sorted: { ref: Float64Array; cur: Float64Array } | null = null;
  if (numeric) {
    kind = 'numeric';
    sorted = { ref: Float64Array.from((ref as { numbers: Float64Array }).numbers).sort(), cur: Float64Array.from((cur as { numbers: Float64Array }).numbers).sort() };
    const lo = Math.min(sorted.ref[0], sorted.cur[0]);
    const hi = Math.max(sorted.ref[nRef - 1], sorted.cur[nCur - 1]);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return 'infinite values';
    const edges = histogramEdges(lo, hi, o.bins);
    bins = {
      labels: Array.from({ length: o.bins }, (_, i) => `[${edges[i]}, ${edges[i + 1]}${i === o.bins - 1 ? ']' : ')'}`),
      edges: Array.from(edges),
      reference: Array.from(histogramCounts(sorted.ref, edges), (c) => c / nRef),
      current: Array.from(histogramCounts(sorted.cur, edges), (c) => c / nCur),
    };
  } else {
    counts = countCategories(asLabels(ref), asLabels(cur));
    kind = counts.keys.length <= 2 ? 'binary' : 'categorical';
    bins = { labels: counts.keys, reference: counts.ref.map((c) => c / nRef), current: counts.cur.map((c) => c / nCur) };
  }
  const test = forced ?? defaultTest(kind, nRef > o.largeReference);
  let result: TestResult;
  switch (test) {
    case 'ks':
    case 'wasserstein':
      // A forced numeric test runs on any number column, even one with few distinct values.
      if (!sorted && 'numbers' in ref && 'numbers' in cur) sorted = { ref: Float64Array.from(ref.numbers).sort(), cur: Float64Array.from(cur.numbers).sort() };
      if (!sorted) throw new InputError(`column '${name}' holds text; the ${test} test needs numbers`);
      if (test === 'ks') result = ksTwoSample(sorted.ref, sorted.cur);
      else result = { statistic: wassersteinDistance(sorted.ref, sorted.cur, true) / Math.max(populationStd(sorted.ref), 0.001), pValue: NaN };
      break;
    case 'chi2':
    case 'z': {
      const c = counts ?? countCategories(asLabels(ref), asLabels(cur));
      if (test === 'z') {
        if (c.keys.length > 2) throw new InputError(`column '${name}' has ${c.keys.length} values; the z test needs at most 2`);
        result = proportionsZTest(c.ref[0], nRef, c.cur[0], nCur);
      } else if (c.keys.length < 2) {
        result = { statistic: 0, pValue: 1 };
      } else {
        const scale = nCur / nRef;
        result = chiSquareTest(c.cur, c.ref.map((r) => r * scale));
      }
      break;
    }
    case 'jensenshannon':
      result = { statistic: jensenShannonDistance(bins.reference, bins.current), pValue: NaN };
      break;
  }
  const isDistance = test === 'wasserstein' || test === 'jensenshannon';
  const threshold = isDistance ? o.distanceThreshold : o.pValueThreshold;
  const psi = populationStabilityIndex(floorShares(bins.reference, o.emptyBinShare), floorShares(bins.current, o.emptyBinShare));
  if (Number.isNaN(result.statistic) || (!isDistance && Number.isNaN(result.pValue)) || Number.isNaN(psi)) {
    return 'the statistics are undefined for these values';
  }
  return {
    column: name,
    kind,
    test,
    statistic: result.statistic,
    pValue: isDistance ? null : result.pValue,
    threshold,
    drift: isDistance ? result.statistic >= threshold : result.pValue < threshold,
    psi,
    referenceCount: nRef,
    currentCount: nCur,
    referenceMissing: ref.missing,
    currentMissing: cur.missing,
    bins,
  };
}

function defaultTest(kind: DriftColumnKind, large: boolean): DriftTestName {
  if (large) return kind === 'numeric' ? 'wasserstein' : 'jensenshannon';
  return kind === 'numeric' ? 'ks' : kind === 'categorical' ? 'chi2' : 'z';
}

/** Counts per category over the union of both sides, categories sorted by code unit. */
function countCategories(ref: readonly string[], cur: readonly string[]): { keys: string[]; ref: number[]; cur: number[] } {
  const index = new Map<string, number>();
  for (const v of ref) if (!index.has(v)) index.set(v, 0);
  for (const v of cur) if (!index.has(v)) index.set(v, 0);
  const keys = [...index.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  keys.forEach((k, i) => index.set(k, i));
  const r = new Array<number>(keys.length).fill(0);
  const c = new Array<number>(keys.length).fill(0);
  for (const v of ref) r[index.get(v)!]++;
  for (const v of cur) c[index.get(v)!]++;
  return { keys, ref: r, cur: c };
}
