import { parseArgs } from 'node:util';
import { checkData } from '../../monitoring/data-checks.js';
import type { Command } from '../command.js';
import { UsageError } from '../args.js';
import { parsedOrUsageError, printUsage, readSideTable } from './monitoring-input.js';

const usage = `usage: retail-ml check --reference <csv|xlsx> --current <csv|xlsx> [--json]
  Data checks of the current file against the reference: missing and unexpected columns,
  type changes, missing values and their rise, numbers outside the reference's range, new
  categories, constant columns. Exits 1 when a finding is an error, else 0.`;

const OPTIONS = {
  reference: { type: 'string' },
  current: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const checkCommand: Command = {
  summary: 'data checks of a file against a reference file (schema, missing, range, categories)',
  usage,
  async run(argv, io) {
    const v = parsedOrUsageError(() => parseArgs({ args: [...argv], options: OPTIONS, strict: true }).values);
    if (v.help) return printUsage(io, usage);
    if (v.reference === undefined || v.current === undefined) throw new UsageError('give --reference and --current');
    const [reference, current] = await Promise.all([readSideTable(v.reference, io.cwd), readSideTable(v.current, io.cwd)]);
    const report = checkData(reference, current);
    if (v.json) io.stdout(`${JSON.stringify(report)}\n`);
    else {
      const lines = report.findings.map((f) => `${f.severity.padEnd(7)}  ${f.check.padEnd(17)}  ${f.message}${f.examples?.length ? ` (e.g. ${f.examples.slice(0, 3).join(', ')})` : ''}`);
      lines.push('', `${report.ok ? 'ok' : 'FAILED'}: ${report.findings.length} findings over ${report.columns.length} columns, ${report.rows} rows`, '');
      io.stdout(lines.join('\n'));
    }
    return report.ok ? 0 : 1;
  },
};
