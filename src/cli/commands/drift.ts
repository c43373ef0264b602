import { parseArgs } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkPredictionRecord, type PredictionRecord } from '../../adapters/log/record.js';
import { forEachJsonLine } from '../../adapters/log/jsonl-file.js';
import { InputError } from '../../errors.js';
import { driftReport, type DriftReport } from '../../monitoring/drift-report.js';
import { driftReportHtml } from '../../monitoring/html-report.js';
import { predictionDrift, type TimeWindow } from '../../monitoring/model-health.js';
import { UsageError } from '../args.js';
import type { Command } from '../command.js';
import { parsedOrUsageError, printUsage, readSideTable, splitList } from './monitoring-input.js';

const usage = `usage: retail-ml drift --reference <csv|xlsx> --current <csv|xlsx> [--json] [--html report.html]
                        [--columns a,b] [--exclude id] [--sample-rows N] [--seed N]
       retail-ml drift --log <predictions.jsonl|mongodb-uri> --reference-window <from>:<to> --current-window <from>:<to>
                        [--db NAME] [--collection NAME] [--json] [--html report.html]
  Data drift per column with Evidently's default tests (KS / chi-squared / Z-test up to 1,000
  reference rows, normed Wasserstein / Jensen–Shannon above), PSI, and the dataset verdict
  (drift when >= 50% of the columns drift). With --log: drift of the model's outputs and
  scored features between two windows of the prediction log (dates: 2025-01-01 or full ISO
  timestamps). Prints a table, or with --json one JSON object; exits 0 either way.`;

const OPTIONS = {
  reference: { type: 'string' },
  current: { type: 'string' },
  json: { type: 'boolean' },
  html: { type: 'string' },
  columns: { type: 'string' },
  exclude: { type: 'string' },
  'sample-rows': { type: 'string' },
  seed: { type: 'string' },
  log: { type: 'string' },
  db: { type: 'string' },
  collection: { type: 'string' },
  'reference-window': { type: 'string' },
  'current-window': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const driftCommand: Command = {
  summary: 'data drift between two tables, or between two windows of the prediction log',
  usage,
  async run(argv, io) {
    const v = parsedOrUsageError(() => parseArgs({ args: [...argv], options: OPTIONS, strict: true }).values);
    if (v.help) return printUsage(io, usage);
    const options = {
      columns: splitList(v.columns),
      exclude: splitList(v.exclude),
      sampleRows: v['sample-rows'] === undefined ? undefined : positiveInteger(v['sample-rows'], '--sample-rows'),
      seed: v.seed === undefined ? undefined : positiveInteger(v.seed, '--seed'),
    };
    let report: DriftReport;
    let names: [string, string];
    if (v.log !== undefined) {
      if (v.reference !== undefined || v.current !== undefined) throw new UsageError('give --log or --reference/--current, not both');
      if (v['reference-window'] === undefined || v['current-window'] === undefined) throw new UsageError('--log needs --reference-window and --current-window');
      const referenceWindow = parseWindow(v['reference-window'], '--reference-window');
      const currentWindow = parseWindow(v['current-window'], '--current-window');
      const records = /^mongodb(\+srv)?:\/\//i.test(v.log)
        ? await readMongoWindows(v.log, v.db, v.collection, [referenceWindow, currentWindow])
        : await readLog(resolve(io.cwd, v.log));
      report = predictionDrift(records, referenceWindow, currentWindow, options);
      names = [`predictions ${v['reference-window']}`, `predictions ${v['current-window']}`];
    } else {
      if (v.reference === undefined || v.current === undefined) throw new UsageError('give --reference and --current (or --log with two windows)');
      const [reference, current] = await Promise.all([readSideTable(v.reference, io.cwd), readSideTable(v.current, io.cwd)]);
      report = driftReport(reference, current, options);
      names = [v.reference, v.current];
    }
    if (v.html !== undefined) {
      await writeFile(resolve(io.cwd, v.html), driftReportHtml(report, { referenceName: names[0], currentName: names[1] }));
    }
    if (v.json) io.stdout(`${JSON.stringify(driftJson(report))}\n`);
    else io.stdout(driftTable(report));
    for (const s of report.skipped) io.stderr(`not tested: ${s.column}: ${s.reason}\n`);
    if (report.sampling) io.stderr(`sampled: ${report.sampling}\n`);
    return 0;
  },
};

/**
 * The CLI's JSON contract: `{ datasetDrift, driftShare, columns: [{ column, kind, test,
 * statistic, pValue, threshold, drift, psi }] }`. An infinite chi-squared statistic (a
 * category the reference never had) is written as null, its p-value as 0.
 *
 * @example
 * io.stdout(JSON.stringify(driftJson(driftReport(reference, current))));
 */
export function driftJson(report: DriftReport): { datasetDrift: boolean; driftShare: number; columns: Record<string, unknown>[] } {
  return {
    datasetDrift: report.datasetDrift,
    driftShare: report.driftShare,
    columns: report.columns.map((c) => ({
      column: c.column,
      kind: c.kind,
      test: c.test,
      statistic: Number.isFinite(c.statistic) ? c.statistic : null,
      pValue: c.pValue,
      threshold: c.threshold,
      drift: c.drift,
      psi: c.psi,
    })),
  };
}

function driftTable(report: DriftReport): string {
  const header = ['column', 'kind', 'test', 'statistic', 'p-value', 'threshold', 'drift', 'psi'];
  const rows = report.columns.map((c) => [
    c.column, c.kind, c.test, fmt(c.statistic), c.pValue === null ? '-' : fmt(c.pValue), String(c.threshold), c.drift ? 'DRIFT' : 'no', fmt(c.psi),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const verdict = `dataset drift: ${report.datasetDrift ? 'YES' : 'no'} (${report.driftedColumns} of ${report.columns.length} columns, share ${fmt(report.driftShare)})`;
  return [line(header), ...rows.map(line), '', verdict, ''].join('\n');
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v !== 0 && Math.abs(v) < 1e-4) return v.toExponential(3);
  return String(Math.round(v * 1e6) / 1e6);
}

function positiveInteger(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${what} must be a whole number, got ${JSON.stringify(text)}`);
  return n;
}

/**
 * `<from>:<to>`; ISO timestamps contain colons too, so the split is where both halves are dates.
 *
 * @example
 * parseWindow('2025-01-01T10:00Z:2025-01-02', '--current-window') // => { from: '2025-01-01T10:00Z', to: '2025-01-02' }
 */
export function parseWindow(text: string, what: string): TimeWindow {
  for (let i = text.indexOf(':'); i > 0; i = text.indexOf(':', i + 1)) {
    const from = text.slice(0, i);
    const to = text.slice(i + 1);
    if (Number.isFinite(Date.parse(from)) && Number.isFinite(Date.parse(to))) {
      if (!(Date.parse(from) < Date.parse(to))) throw new UsageError(`${what} must start before it ends`);
      return { from, to };
    }
  }
  throw new UsageError(`${what} must be <from>:<to> with two dates, e.g. 2025-01-01:2025-02-01`);
}

/** Both windows from MongoDB (the driver is loaded only here, as an optional peer). */
async function readMongoWindows(uri: string, database: string | undefined, collection: string | undefined, windows: TimeWindow[]): Promise<PredictionRecord[]> {
  const mongo = await import('../../adapters/mongodb/index.js');
  const target = { uri, database, collection };
  const parts = await Promise.all(windows.map((w) => mongo.readPredictionsBetweenFromMongo(target, new Date(w.from), new Date(w.to))));
  // Overlapping windows return a record twice; keep one copy of each id.
  const seen = new Set<string>();
  return parts.flat().filter((r) => !seen.has(r.id) && seen.add(r.id));
}

async function readLog(path: string): Promise<PredictionRecord[]> {
  const records: PredictionRecord[] = [];
  let invalid = 0;
  const { lines } = await forEachJsonLine(path, (value) => {
    if (checkPredictionRecord(value).length === 0) records.push(value as PredictionRecord);
    else invalid++;
  });
  if (lines === 0) throw new InputError(`no predictions in ${path}`);
  if (records.length === 0) throw new InputError(`none of the ${lines} lines of ${path} is a prediction record (${invalid} invalid)`);
  return records;
}
