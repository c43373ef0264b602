import { resolve } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { mergeTables, type ConflictPolicy, type MergeHow } from '../../features/merge-tables.js';
import { writeCsv } from '../../features/write-csv.js';
import { readTableInput } from '../input.js';
import { option, parseArgs, requireOption, UsageError } from '../args.js';
import type { Command } from '../command.js';

const usage = `usage: retail-ml merge <a> <b> [<c> ...] --on <key>[,<key>...] [--how inner|left|right|outer]
                        [--conflicts suffix|prefer-left|prefer-right|first-non-missing] [--out merged.csv]
  Joins .xlsx/.csv/.tsv/.json tables left to right on the key columns (read as strings), with
  pandas' merge semantics (default --how inner, --conflicts suffix: overlapping columns
  become name_x/name_y). Writes CSV to --out (or stdout); a report goes to stderr.`;

export const mergeCommand: Command = {
  summary: 'join feature files on a key (pandas merge semantics, explicit conflicts)',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { options: ['on', 'how', 'conflicts', 'out'] });
    if (args.positionals.length < 2) throw new UsageError('give at least two files to merge');
    const on = requireOption(args, 'on').split(',').map((k) => k.trim()).filter(Boolean);
    if (on.length === 0) throw new UsageError('--on needs a column name');
    const how = (option(args, 'how') ?? 'inner') as MergeHow;
    if (!['inner', 'left', 'right', 'outer'].includes(how)) throw new UsageError(`--how must be inner, left, right or outer`);
    const conflicts = (option(args, 'conflicts') ?? 'suffix') as ConflictPolicy;
    if (!['suffix', 'prefer-left', 'prefer-right', 'first-non-missing'].includes(conflicts)) {
      throw new UsageError('--conflicts must be suffix, prefer-left, prefer-right or first-non-missing');
    }
    const types = new Map(on.map((k) => [k, 'string' as const]));
    const paths = args.positionals;
    if (paths.filter((p) => p === '-').length > 1) throw new UsageError('only one file can be - (stdin)');
    let merged = await readTableInput(paths[0], io, { types });
    const report: string[] = [`${args.positionals[0]}: ${merged.numRows} rows`];
    for (let i = 1; i < paths.length; i++) {
      const next = await readTableInput(paths[i], io, { types });
      const { table, report: r } = mergeTables(merged, next, { on, how, conflicts });
      const conflictText = r.conflicts.length ? `; overlapping: ${r.conflicts.map((c) => `${c.column} → ${c.outputColumns.join('/')}`).join(', ')}` : '';
      report.push(
        `+ ${args.positionals[i]}: ${next.numRows} rows; ${r.matchedRows} matched, ${r.unmatchedLeftRows.length} left rows and ${r.unmatchedRightRows.length} right rows unmatched${conflictText}`,
      );
      merged = table;
    }
    report.push(`= ${merged.numRows} rows × ${merged.columnNames.length} columns (${how} join on ${on.join(', ')})`);
    const out = option(args, 'out');
    const csv = writeCsv(merged);
    if (out) await writeFile(resolve(io.cwd, out), csv);
    else io.stdout(csv);
    io.stderr(report.join('\n') + '\n');
    return 0;
  },
};
