import { InputError } from '../errors.js';
import { columnAsStrings, isMissingAt, takeColumn, type Column } from './column.js';
import { ownSetting } from './own-setting.js';
import { Table } from './table.js';

/** How rows are kept, as in pandas' `merge(how=...)`. */
export type MergeHow = 'inner' | 'left' | 'right' | 'outer';

/**
 * What to do with a non-key column present in both tables:
 * - `suffix` (default, as pandas): keep both, renamed with the suffixes (`age_x`, `age_y`);
 * - `prefer-left`: one column, the left row's value wherever a left row matched (even if that
 *   cell is missing), else the right's;
 * - `prefer-right`: the mirror image;
 * - `first-non-missing`: one column, the left value unless it is missing, else the right.
 */
export type ConflictPolicy = 'suffix' | 'prefer-left' | 'prefer-right' | 'first-non-missing';

/** Options for {@link mergeTables}. */
export interface MergeOptions {
  /** Key column(s), present in both tables. */
  on: string | readonly string[];
  /** Default `inner`, as pandas. */
  how?: MergeHow;
  /** Default `['_x', '_y']`. */
  suffixes?: readonly [string, string];
  /** One policy for every overlapping column, or one per column name (others: `suffix`). */
  conflicts?: ConflictPolicy | ReadonlyMap<string, ConflictPolicy> | Readonly<Record<string, ConflictPolicy>>;
}

/** How one overlapping column was resolved. */
export interface MergeConflict {
  column: string;
  policy: ConflictPolicy;
  /** The output column(s): two suffixed names, or the one resolved name. */
  outputColumns: string[];
}

/** What {@link mergeTables} matched and what it did not. */
export interface MergeReport {
  how: MergeHow;
  on: string[];
  /** Left rows (indices) with no matching right row. */
  unmatchedLeftRows: number[];
  /** Right rows (indices) with no matching left row. */
  unmatchedRightRows: number[];
  /** Output rows built from a left and a right row. */
  matchedRows: number;
  /** Non-key columns only in the left table (missing in rows that only the right has). */
  leftOnlyColumns: string[];
  /** Non-key columns only in the right table (missing in rows that only the left has). */
  rightOnlyColumns: string[];
  /** Columns present on both sides and how each was resolved. */
  conflicts: MergeConflict[];
}

/** The merged table and its {@link MergeReport}. */
export interface MergeResult {
  table: Table;
  report: MergeReport;
}

/**
 * Joins two tables on key columns with pandas' `merge` semantics: left columns first (keys
 * in place), then the right's non-key columns; overlapping non-key columns suffixed; when
 * the left table has no rows the keys sit where the right table has them, as in pandas 1.5;
 * duplicate keys multiply rows; row order as pandas 1.5 (`left`/`right` keep that side's
 * order, `inner`/`outer` group rows by key in order of first appearance, left then right);
 * missing keys match each other, as in pandas. Key kinds must agree (a number key never
 * silently matches a string key). `conflicts` resolves overlapping columns into one, so a
 * column such as `age` can never turn into `age_x`/`age_y` unnoticed; the report lists the
 * rows and columns that found no match.
 *
 * @example
 * const form = Table.fromRows([{ customer_id: 'c1', age: 35 }]);
 * const stored = Table.fromRows([{ customer_id: 'c1', age: 56, recency: 337 }]);
 * const { table, report } = mergeTables(form, stored, { on: 'customer_id', how: 'left', conflicts: 'prefer-left' });
 * table.columnNames       // => ['customer_id', 'age', 'recency']
 * table.numbers('age')    // => Float64Array [35]
 * report.conflicts        // => [{ column: 'age', policy: 'prefer-left', outputColumns: ['age'] }]
 */
export function mergeTables(left: Table, right: Table, options: MergeOptions): MergeResult {
  const on = typeof options.on === 'string' ? [options.on] : [...(options.on ?? [])];
  const how = options.how ?? 'inner';
  const [sx, sy] = options.suffixes ?? ['_x', '_y'];
  if (on.length === 0) throw new InputError('merge needs at least one key column in `on`');
  if (new Set(on).size !== on.length) throw new InputError('merge keys repeat a column');
  if (!['inner', 'left', 'right', 'outer'].includes(how)) throw new InputError(`unknown merge how '${how}'`);
  for (const key of on) {
    const l = left.column(key);
    const r = right.column(key);
    if (l.kind !== r.kind) {
      throw new InputError(`key '${key}' is ${l.kind} on the left but ${r.kind} on the right; convert one side first`);
    }
  }
  const { leftRows, rightRows, unmatchedLeftRows, unmatchedRightRows, matchedRows } = joinIndices(left, right, on, how);

  const keySet = new Set(on);
  const rightNames = new Set(right.columnNames);
  const leftNames = new Set(left.columnNames);
  const policyOf = (name: string): ConflictPolicy => {
    const c = options.conflicts;
    const p = typeof c === 'string' ? c : (ownSetting(c, name) ?? 'suffix');
    if (!['suffix', 'prefer-left', 'prefer-right', 'first-non-missing'].includes(p)) {
      throw new InputError(`unknown conflict policy '${p}' for '${name}'`);
    }
    return p;
  };

  const out: [string, Column][] = [];
  const conflicts: MergeConflict[] = [];
  const keyColumn = (name: string): [string, Column] => [name, resolve(left.column(name), leftRows, right.column(name), rightRows, 'prefer-left')];
  // pandas 1.5 places the key columns where the right table has them when the left table
  // has no rows (whatever `how`), and where the left has them otherwise.
  const keysFromRight = left.numRows === 0;
  for (const name of left.columnNames) {
    if (keySet.has(name)) {
      if (!keysFromRight) out.push(keyColumn(name));
    } else if (rightNames.has(name)) {
      const policy = policyOf(name);
      const l = takeColumn(left.column(name), leftRows);
      if (policy === 'suffix') {
        if (sx === sy) throw new InputError(`suffixes must differ to keep both '${name}' columns`);
        out.push([name + sx, l]);
        conflicts.push({ column: name, policy, outputColumns: [name + sx, name + sy] });
      } else {
        out.push([name, resolve(left.column(name), leftRows, right.column(name), rightRows, policy)]);
        conflicts.push({ column: name, policy, outputColumns: [name] });
      }
    } else {
      out.push([name, takeColumn(left.column(name), leftRows)]);
    }
  }
  for (const name of right.columnNames) {
    if (keySet.has(name)) {
      if (keysFromRight) out.push(keyColumn(name));
      continue;
    }
    if (leftNames.has(name)) {
      if (policyOf(name) === 'suffix') out.push([name + sy, takeColumn(right.column(name), rightRows)]);
    } else {
      out.push([name, takeColumn(right.column(name), rightRows)]);
    }
  }
  const seen = new Set<string>();
  for (const [name] of out) {
    if (seen.has(name)) throw new InputError(`merged column name '${name}' is produced twice; choose other suffixes`);
    seen.add(name);
  }
  return {
    table: Table.fromColumns(out),
    report: {
      how,
      on,
      unmatchedLeftRows,
      unmatchedRightRows,
      matchedRows,
      leftOnlyColumns: left.columnNames.filter((n) => !keySet.has(n) && !rightNames.has(n)),
      rightOnlyColumns: right.columnNames.filter((n) => !keySet.has(n) && !leftNames.has(n)),
      conflicts,
    },
  };
}

interface JoinIndices {
  leftRows: Int32Array;
  rightRows: Int32Array;
  unmatchedLeftRows: number[];
  unmatchedRightRows: number[];
  matchedRows: number;
}

function joinIndices(left: Table, right: Table, on: string[], how: MergeHow): JoinIndices {
  // Factorise keys in order of first appearance, left then right (pandas' order for inner/outer).
  const codes = new Map<unknown, number>();
  const leftCodes = keyCodes(left, on, codes);
  const numLeftCodes = codes.size;
  const rightCodes = keyCodes(right, on, codes);
  const numCodes = codes.size;
  const leftByCode = groupRows(leftCodes, numCodes);
  const rightByCode = groupRows(rightCodes, numCodes);

  const lOut: number[] = [];
  const rOut: number[] = [];
  const unmatchedLeftRows: number[] = [];
  const unmatchedRightRows: number[] = [];
  let matchedRows = 0;
  for (let l = 0; l < leftCodes.length; l++) if (rightByCode.count[leftCodes[l]] === 0) unmatchedLeftRows.push(l);
  for (let r = 0; r < rightCodes.length; r++) if (leftByCode.count[rightCodes[r]] === 0) unmatchedRightRows.push(r);

  const emitGroup = (code: number, keepLeftOnly: boolean, keepRightOnly: boolean) => {
    const ls = leftByCode.rows(code);
    const rs = rightByCode.rows(code);
    if (ls.length && rs.length) {
      for (const l of ls) for (const r of rs) {
        lOut.push(l);
        rOut.push(r);
        matchedRows++;
      }
    } else if (ls.length && keepLeftOnly) {
      for (const l of ls) {
        lOut.push(l);
        rOut.push(-1);
      }
    } else if (rs.length && keepRightOnly) {
      for (const r of rs) {
        lOut.push(-1);
        rOut.push(r);
      }
    }
  };

  if (how === 'left') {
    for (let l = 0; l < leftCodes.length; l++) {
      const rs = rightByCode.rows(leftCodes[l]);
      if (rs.length === 0) {
        lOut.push(l);
        rOut.push(-1);
      } else {
        for (const r of rs) {
          lOut.push(l);
          rOut.push(r);
          matchedRows++;
        }
      }
    }
  } else if (how === 'right') {
    for (let r = 0; r < rightCodes.length; r++) {
      const ls = leftByCode.rows(rightCodes[r]);
      if (ls.length === 0) {
        lOut.push(-1);
        rOut.push(r);
      } else {
        for (const l of ls) {
          lOut.push(l);
          rOut.push(r);
          matchedRows++;
        }
      }
    }
  } else {
    const outer = how === 'outer';
    for (let code = 0; code < (outer ? numCodes : numLeftCodes); code++) emitGroup(code, outer, outer);
  }
  return { leftRows: Int32Array.from(lOut), rightRows: Int32Array.from(rOut), unmatchedLeftRows, unmatchedRightRows, matchedRows };
}

const MISSING_KEY = Symbol('missing');

function keyCodes(table: Table, on: string[], codes: Map<unknown, number>): Int32Array {
  const out = new Int32Array(table.numRows);
  const columns = on.map((k) => table.column(k));
  const single = columns.length === 1 ? columns[0] : undefined;
  for (let r = 0; r < table.numRows; r++) {
    let key: unknown;
    if (single) key = isMissingAt(single, r) ? MISSING_KEY : single.values[r];
    else key = JSON.stringify(columns.map((c) => (isMissingAt(c, r) ? null : String(c.values[r]))));
    let code = codes.get(key);
    if (code === undefined) {
      code = codes.size;
      codes.set(key, code);
    }
    out[r] = code;
  }
  return out;
}

function groupRows(rowCodes: Int32Array, numCodes: number) {
  const count = new Int32Array(numCodes);
  for (const c of rowCodes) count[c]++;
  const start = new Int32Array(numCodes + 1);
  for (let c = 0; c < numCodes; c++) start[c + 1] = start[c] + count[c];
  const fill = start.slice(0, numCodes);
  const rows = new Int32Array(rowCodes.length);
  for (let r = 0; r < rowCodes.length; r++) rows[fill[rowCodes[r]]++] = r;
  return { count, rows: (code: number) => rows.subarray(start[code], start[code + 1]) };
}

function resolve(l: Column, lRows: Int32Array, r: Column, rRows: Int32Array, policy: ConflictPolicy): Column {
  const [a, aRows, b, bRows] = policy === 'prefer-right' ? [r, rRows, l, lRows] : [l, lRows, r, rRows];
  const firstNonMissing = policy === 'first-non-missing';
  const n = aRows.length;
  const pick = new Uint8Array(n); // 1 = from b
  for (let i = 0; i < n; i++) {
    const ai = aRows[i];
    pick[i] = ai < 0 || (firstNonMissing && isMissingAt(a, ai)) ? 1 : 0;
  }
  if (a.kind === b.kind && (a.kind === 'number' || a.kind === 'date')) {
    const av = a.values as Float64Array;
    const bv = b.values as Float64Array;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const idx = pick[i] ? bRows[i] : aRows[i];
      out[i] = idx < 0 ? NaN : pick[i] ? bv[idx] : av[idx];
    }
    return { kind: a.kind, values: out };
  }
  const same = a.kind === b.kind;
  const av = (same ? a.values : columnAsStrings(a)) as unknown[];
  const bv = (same ? b.values : columnAsStrings(b)) as unknown[];
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const idx = pick[i] ? bRows[i] : aRows[i];
    out[i] = idx < 0 ? null : pick[i] ? bv[idx] : av[idx];
  }
  return { kind: same ? a.kind : 'string', values: out } as Column;
}
