import { writeFileSync } from 'node:fs';
import { makeVector, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { parquetWriteFile } from 'hyparquet-writer';
import { BENCH_FEATURES, benchRows } from './bench-csv.js';

/** The same rows as writeBenchCsv, as float32 columns plus customer_id strings, block by block. */
function columnsOf(begin: number, end: number): Record<string, Float32Array | string[]> {
  const columns: Record<string, Float32Array | string[]> = {};
  for (let f = 0; f < BENCH_FEATURES; f++) {
    const data = new Float32Array(end - begin);
    for (let i = begin; i < end; i++) data[i - begin] = benchRows[(i % 10000) * BENCH_FEATURES + f];
    columns[`f${f}`] = data;
  }
  columns.customer_id = Array.from({ length: end - begin }, (_, i) => `c${begin + i + 1}`);
  return columns;
}

/** An Arrow IPC file of `count` bench rows, in record batches of `batchRows`. */
export function writeBenchArrow(path: string, count: number, batchRows = 65536): void {
  let table: Table | null = null;
  for (let b = 0; b < count; b += batchRows) {
    const columns = columnsOf(b, Math.min(count, b + batchRows));
    // Plain Utf8 ids (not a dictionary), so every batch has the same schema.
    const vectors = Object.fromEntries(Object.entries(columns).map(([name, data]) => [name, Array.isArray(data) ? vectorFromArray(data, new Utf8()) : makeVector(data)]));
    const next = new Table(vectors);
    table = table ? table.concat(next) : next;
  }
  writeFileSync(path, tableToIPC(table!, 'file'));
}

/** A Parquet file of `count` bench rows, in row groups of `groupRows`. */
export function writeBenchParquet(path: string, count: number, groupRows = 65536): void {
  const columns = columnsOf(0, count);
  parquetWriteFile({
    filename: path,
    columnData: Object.entries(columns).map(([name, data]) => ({ name, data, type: name === 'customer_id' ? ('STRING' as const) : ('FLOAT' as const) })),
    rowGroupSize: groupRows,
  });
}
