import { open } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { Table } from '../../features/table.js';
import { readCsvFile } from '../../node/read-csv-file.js';
import { readTableFile } from '../../node/read-table-file.js';
import { UsageError } from '../args.js';
import type { CliIO } from '../command.js';

/**
 * Reads a --reference/--current file. CSV files are often tab-separated under a `.csv` name
 * (the marketing data is), so a header with tabs and no commas is read as tab-separated.
 *
 * @example
 * const customers = await readSideTable('../shared/data/customer-segmentation/marketing_campaign.csv', process.cwd());
 */
export async function readSideTable(path: string, cwd: string): Promise<Table> {
  const full = resolve(cwd, path);
  const ext = extname(full).toLowerCase();
  if (ext === '.csv' || ext === '.txt') {
    const handle = await open(full, 'r');
    let head = '';
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
      head = buffer.subarray(0, bytesRead).toString('utf8').split(/\r?\n/, 1)[0];
    } finally {
      await handle.close();
    }
    if (head.includes('\t') && !head.includes(',')) return readCsvFile(full, { delimiter: '\t' });
  }
  return readTableFile(full);
}

/**
 * Runs a command's `node:util` parseArgs call, turning its TypeError (unknown option, missing
 * value) into a usage error: exit 2 with the usage text.
 *
 * @example
 * const v = parsedOrUsageError(() => parseArgs({ args: [...argv], options: OPTIONS, strict: true }).values);
 */
export function parsedOrUsageError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0] : String(error));
  }
}

/**
 * `--help`/`-h`: the usage on stdout, exit 0.
 *
 * @example
 * if (v.help) return printUsage(io, usage);
 */
export function printUsage(io: CliIO, usage: string): number {
  io.stdout(`${usage}\n`);
  return 0;
}

/**
 * `a,b` → ['a', 'b'], blanks dropped.
 *
 * @example
 * splitList('Income, Recency,') // => ['Income', 'Recency']
 */
export function splitList(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
}
