import { InputError } from '../errors.js';
import { columnAsStrings, type Column, type ColumnKind } from '../features/column.js';
import { isTable } from '../features/is-table.js';
import type { Table } from '../features/table.js';

/** What a column is expected to look like: a declared schema, or one read off a reference table. */
export interface ColumnSchema {
  name: string;
  kind: ColumnKind;
  /** Share of missing values in the reference (0 when declared and unknown). */
  missingShare?: number;
  /** Numeric range of the reference; values outside it are reported. */
  min?: number;
  max?: number;
  /** Known categories of a text/boolean column; others are reported as new. */
  categories?: readonly string[];
}

/** A declared schema: the columns, in order. */
export interface DataSchema {
  columns: readonly ColumnSchema[];
}

/** How bad a finding is: `error` means the data cannot be scored as it is. */
export type Severity = 'error' | 'warning' | 'info';

/** The kinds of data check. */
export type CheckName = 'missing-column' | 'unexpected-column' | 'type-change' | 'missing-values' | 'out-of-range' | 'new-categories' | 'constant-column';

/** One problem found by {@link checkData}. */
export interface Finding {
  check: CheckName;
  column: string;
  severity: Severity;
  message: string;
  /** The share of current rows concerned, when the check counts rows. */
  share?: number;
  /** A few offending values (new categories, out-of-range numbers). */
  examples?: string[];
}

/** Per-column figures behind the findings. */
export interface ColumnCheck {
  column: string;
  expectedKind: ColumnKind | null;
  kind: ColumnKind | null;
  referenceMissingShare: number | null;
  missingShare: number | null;
  outOfRangeShare: number | null;
  newCategoryShare: number | null;
}

/** The result of {@link checkData}. */
export interface DataCheckReport {
  /** No finding of severity `error`. */
  ok: boolean;
  rows: number;
  findings: Finding[];
  columns: ColumnCheck[];
}

/** Options of {@link checkData}. */
export interface DataCheckOptions {
  /** A rise in the missing share above this is a warning (default 0.1, i.e. 10 points). */
  missingIncrease?: number;
  /** Out-of-range or new-category shares above this are warnings, below it info (default 0.05). */
  warnShare?: number;
  /** Examples per finding (default 5). */
  examples?: number;
}

const CATEGORY_LIMIT = 10_000;

/**
 * The schema of a table, as {@link checkData} compares against: kinds, missing shares,
 * numeric ranges and (up to 10,000) categories per column.
 *
 * @example
 * schemaOf(Table.fromRows([{ age: 30, city: 'Oslo' }])).columns[0] // => { name: 'age', kind: 'number', missingShare: 0, min: 30, max: 30 }
 */
export function schemaOf(table: Table): DataSchema {
  if (!isTable(table)) throw new InputError('schemaOf needs a Table');
  return {
    columns: table.columnNames.map((name) => {
      const column = table.column(name);
      const n = column.values.length;
      const s: ColumnSchema = { name, kind: column.kind, missingShare: n ? countMissing(column) / n : 0 };
      if (column.kind === 'number' || column.kind === 'date') {
        const [min, max] = range(column.values);
        if (min <= max) Object.assign(s, { min, max });
      } else {
        const seen = new Set<string>();
        for (const v of columnAsStrings(column)) if (v !== null && seen.size <= CATEGORY_LIMIT) seen.add(v);
        if (seen.size <= CATEGORY_LIMIT) s.categories = [...seen];
      }
      return s;
    }),
  };
}

/**
 * Checks current data against a reference table or a declared schema: missing and
 * unexpected columns, kind changes, missing-value shares and their rise, numbers outside the
 * reference's [min, max], categories the reference never had, and columns that became
 * constant. Each finding has a severity; `ok` is false when any is an `error`.
 *
 * @example
 * const report = checkData(trainingTable, Table.fromRows(todaysRows));
 * if (!report.ok) console.error(report.findings.filter((f) => f.severity === 'error'));
 */
export function checkData(reference: Table | DataSchema, current: Table, options: DataCheckOptions = {}): DataCheckReport {
  if (!isTable(current)) throw new InputError('checkData needs the current data as a Table');
  const schema = isTable(reference) ? schemaOf(reference) : validateSchema(reference);
  const missingIncrease = options.missingIncrease ?? 0.1;
  const warnShare = options.warnShare ?? 0.05;
  const exampleCount = options.examples ?? 5;
  const findings: Finding[] = [];
  const columns: ColumnCheck[] = [];
  const add = (f: Finding) => findings.push(f);
  const expected = new Map(schema.columns.map((c) => [c.name, c]));
  const rows = current.numRows;
  for (const s of schema.columns) {
    if (!current.has(s.name)) {
      add({ check: 'missing-column', column: s.name, severity: 'error', message: `column '${s.name}' is missing` });
      columns.push({ column: s.name, expectedKind: s.kind, kind: null, referenceMissingShare: s.missingShare ?? null, missingShare: null, outOfRangeShare: null, newCategoryShare: null });
      continue;
    }
    const column = current.column(s.name);
    const missing = countMissing(column);
    const missingShare = rows ? missing / rows : 0;
    const check: ColumnCheck = { column: s.name, expectedKind: s.kind, kind: column.kind, referenceMissingShare: s.missingShare ?? null, missingShare, outOfRangeShare: null, newCategoryShare: null };
    columns.push(check);
    if (!sameFamily(s.kind, column.kind)) {
      add({ check: 'type-change', column: s.name, severity: 'error', message: `column '${s.name}' was ${s.kind}, is now ${column.kind}` });
    }
    if (rows > 0 && missing === rows) {
      add({ check: 'missing-values', column: s.name, severity: 'error', message: `column '${s.name}' has no values`, share: 1 });
      continue;
    }
    const rise = missingShare - (s.missingShare ?? 0);
    if (rise > missingIncrease) {
      add({ check: 'missing-values', column: s.name, severity: 'warning', share: missingShare, message: `column '${s.name}' is ${pct(missingShare)} missing (reference ${pct(s.missingShare ?? 0)})` });
    }
    const present = rows - missing;
    if ((column.kind === 'number' || column.kind === 'date') && s.min !== undefined && s.max !== undefined) {
      const outside: number[] = [];
      let count = 0;
      for (const v of column.values) {
        if (v < s.min || v > s.max) {
          count++;
          if (outside.length < exampleCount) outside.push(v);
        }
      }
      check.outOfRangeShare = present ? count / present : 0;
      // Dates are stored as epoch ms; people read them as ISO dates.
      const show = (v: number) => (column.kind === 'date' ? new Date(v).toISOString() : String(v));
      if (count > 0) {
        add({ check: 'out-of-range', column: s.name, severity: check.outOfRangeShare > warnShare ? 'warning' : 'info', share: check.outOfRangeShare, examples: outside.map(show), message: `${pct(check.outOfRangeShare)} of '${s.name}' outside the reference range [${show(s.min)}, ${show(s.max)}]` });
      }
    } else if (s.categories && column.kind !== 'number' && column.kind !== 'date') {
      const known = new Set(s.categories);
      const fresh: string[] = [];
      let count = 0;
      for (const v of columnAsStrings(column)) {
        if (v !== null && !known.has(v)) {
          count++;
          if (fresh.length < exampleCount && !fresh.includes(v)) fresh.push(v);
        }
      }
      check.newCategoryShare = present ? count / present : 0;
      if (count > 0) {
        add({ check: 'new-categories', column: s.name, severity: check.newCategoryShare > warnShare ? 'warning' : 'info', share: check.newCategoryShare, examples: fresh, message: `${pct(check.newCategoryShare)} of '${s.name}' in categories the reference never had` });
      }
    }
    if (present > 1 && distinctUpTo(column, 2) === 1) {
      add({ check: 'constant-column', column: s.name, severity: 'warning', message: `column '${s.name}' holds a single value` });
    }
  }
  for (const name of current.columnNames) {
    if (!expected.has(name)) {
      add({ check: 'unexpected-column', column: name, severity: 'warning', message: `column '${name}' is not in the reference` });
    }
  }
  return { ok: !findings.some((f) => f.severity === 'error'), rows, findings, columns };
}

function validateSchema(schema: DataSchema): DataSchema {
  if (schema === null || typeof schema !== 'object' || !Array.isArray(schema.columns)) {
    throw new InputError('checkData needs a reference Table or a schema { columns: [...] }');
  }
  const names = new Set<string>();
  for (const c of schema.columns) {
    if (c === null || typeof c !== 'object' || typeof c.name !== 'string') throw new InputError('every schema column needs a name');
    if (!['number', 'string', 'boolean', 'date'].includes(c.kind)) throw new InputError(`schema column '${c.name}' has unknown kind '${String(c.kind)}'`);
    if (names.has(c.name)) throw new InputError(`schema column '${c.name}' appears twice`);
    names.add(c.name);
  }
  return schema;
}

/** Numbers and dates are both stored as numbers, so only text ↔ number ↔ boolean counts as a change. */
function sameFamily(a: ColumnKind, b: ColumnKind): boolean {
  return a === b || ((a === 'number' || a === 'date') && (b === 'number' || b === 'date'));
}

function countMissing(column: Column): number {
  let missing = 0;
  for (const v of column.values) if (v === null || (typeof v === 'number' && Number.isNaN(v))) missing++;
  return missing;
}

function range(values: Float64Array): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

function distinctUpTo(column: Column, limit: number): number {
  const seen = new Set<unknown>();
  for (const v of column.values) {
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
    seen.add(v);
    if (seen.size >= limit) break;
  }
  return seen.size;
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
