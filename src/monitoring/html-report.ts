import { escapeXml } from '../charts/escape.js';
import { shareChart } from '../charts/share-chart.js';
import type { DataCheckReport } from './data-checks.js';
import type { ColumnDrift, DriftReport } from './drift-report.js';

/** Options of {@link driftReportHtml}. */
export interface DriftHtmlOptions {
  title?: string;
  /** Names of the two samples, e.g. file names (default 'reference' and 'current'). */
  referenceName?: string;
  currentName?: string;
  /** Data-check findings to list under the summary. */
  checks?: DataCheckReport;
  /** When the report was made (default now). */
  generatedAt?: Date;
}

/**
 * A standalone HTML page for a {@link DriftReport}: a verdict, a summary table, the columns
 * that could not be tested, data-check findings, and per column an SVG of the reference
 * against the current distribution. No scripts, no external assets; every text is escaped.
 *
 * @example
 * await writeFile('drift.html', driftReportHtml(driftReport(ref, cur), { referenceName: 'jan.csv', currentName: 'jun.csv' }));
 */
export function driftReportHtml(report: DriftReport, options: DriftHtmlOptions = {}): string {
  const e = escapeXml;
  const title = options.title ?? 'Data drift report';
  const refName = options.referenceName ?? 'reference';
  const curName = options.currentName ?? 'current';
  const rows = report.columns
    .map(
      (c) =>
        `<tr class="${c.drift ? 'drift' : ''}"><td>${e(c.column)}</td><td>${c.kind}</td><td>${c.test}</td><td>${num(c.statistic)}</td><td>${c.pValue === null ? '—' : num(c.pValue)}</td><td>${num(c.threshold)}</td><td>${c.drift ? 'drift' : 'no drift'}</td><td>${num(c.psi)}</td></tr>`,
    )
    .join('\n');
  const skipped = report.skipped.length
    ? `<h2>Not tested</h2><ul>${report.skipped.map((s) => `<li>${e(s.column)}: ${e(s.reason)}</li>`).join('')}</ul>`
    : '';
  const checks = options.checks?.findings.length
    ? `<h2>Data checks</h2><table><tr><th>severity</th><th>check</th><th>column</th><th>finding</th></tr>${options.checks.findings
        .map((f) => `<tr class="${f.severity}"><td>${f.severity}</td><td>${f.check}</td><td>${e(f.column)}</td><td>${e(f.message)}${f.examples?.length ? ` (e.g. ${e(f.examples.join(', '))})` : ''}</td></tr>`)
        .join('')}</table>`
    : '';
  const charts = report.columns.map((c) => `<figure>${chartOf(c, refName, curName)}</figure>`).join('\n');
  const sampling = report.sampling ? `<p>Sampled: ${e(report.sampling)}.</p>` : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
.verdict{font-size:20px;padding:10px 14px;border-radius:6px;display:inline-block}
.verdict.yes{background:#fde2d9;color:#8a2500}.verdict.no{background:#dff3ea;color:#0b5a3a}
table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;font-size:13px}
tr.drift td,tr.error td{background:#fff0eb}tr.warning td{background:#fffbe6}
figure{display:inline-block;margin:0 8px 8px 0}figure svg{width:560px;max-width:100%;height:auto}
.cols{display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap}.charts{flex:1;min-width:580px}
</style></head><body>
<h1>${e(title)}</h1>
<p>${e(refName)}: ${report.reference.rows} rows · ${e(curName)}: ${report.current.rows} rows · generated ${e((options.generatedAt ?? new Date()).toISOString())}</p>
<p class="verdict ${report.datasetDrift ? 'yes' : 'no'}">${report.datasetDrift ? 'Dataset drift' : 'No dataset drift'}: ${report.driftedColumns} of ${report.columns.length} columns drifted (${(report.driftShare * 100).toFixed(1)}%)</p>
${sampling}
<div class="cols"><section>
<h2>Columns</h2>
<table><tr><th>column</th><th>type</th><th>test</th><th>statistic</th><th>p-value</th><th>threshold</th><th>result</th><th>PSI</th></tr>
${rows}
</table>
${skipped}
${checks}
</section><section class="charts">
<h2>Distributions</h2>
${charts}
</section></div>
</body></html>
`;
}

function chartOf(c: ColumnDrift, refName: string, curName: string): string {
  const series = [
    { name: refName, shares: c.bins.reference },
    { name: curName, shares: c.bins.current },
  ];
  const title = `${c.column} (${c.test}${c.drift ? ', drift' : ''})`;
  const svg = c.bins.edges
    ? shareChart({ title, edges: c.bins.edges, series, xLabel: c.column })
    : shareChart({ title, categories: c.bins.labels, series, xLabel: c.column });
  // Inline SVG in HTML needs no XML prolog.
  return svg.replace(/^<\?xml[^>]*\?>\s*/, '');
}

function num(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '∞' : v < 0 ? '−∞' : '—';
  if (v !== 0 && Math.abs(v) < 1e-4) return v.toExponential(3);
  return String(Math.round(v * 10_000) / 10_000);
}
