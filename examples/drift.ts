// Data drift on the shared data: marketing customers who joined early vs late (by Dt_Customer),
// and the purchase app's users vs the new app users. Writes one HTML report per comparison.
// Usage: npx tsx examples/drift.ts [outDir]   (default .tmp/drift)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkData, driftReport, driftReportHtml, type DriftReport, type Table } from '../src/index.js';
import { readCsvFile } from '../src/node/index.js';

/**
 * The marketing customers split at 2013-07-01 by the day they joined (`Dt_Customer`, dd-mm-yyyy):
 * early joiners are the reference, late joiners the current data. ID and the two constant
 * cost/revenue columns are left out.
 */
export async function marketingEarlyVsLate(path: string): Promise<{ early: Table; late: Table; report: DriftReport }> {
  const customers = await readCsvFile(path, { delimiter: '\t' });
  const joined = customers.strings('Dt_Customer').map((d) => (d ? d.split('-').reverse().join('-') : ''));
  const early: number[] = [];
  const late: number[] = [];
  joined.forEach((iso, i) => (iso < '2013-07-01' ? early : late).push(i));
  const table = customers.drop(['ID', 'Dt_Customer', 'Z_CostContact', 'Z_Revenue']);
  const [e, l] = [table.take(early), table.take(late)];
  return { early: e, late: l, report: driftReport(e, l) };
}

function summary(name: string, report: DriftReport): string {
  const lines = report.columns.map((c) => `  ${c.column.padEnd(22)} ${c.test.padEnd(13)} ${c.statistic.toFixed(4).padStart(8)} ${c.drift ? 'DRIFT' : ''}`);
  return `${name}: ${report.datasetDrift ? 'dataset drift' : 'no dataset drift'} (${report.driftedColumns}/${report.columns.length})\n${lines.join('\n')}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const data = resolve(fileURLToPath(import.meta.url), '../../../shared/data');
  const out = process.argv[2] ?? '.tmp/drift';
  mkdirSync(out, { recursive: true });
  const marketing = await marketingEarlyVsLate(join(data, 'customer-segmentation/marketing_campaign.csv'));
  console.log(`early ${marketing.early.numRows} rows, late ${marketing.late.numRows} rows`);
  console.log(summary('marketing, early vs late joiners', marketing.report));
  writeFileSync(join(out, 'marketing.html'), driftReportHtml(marketing.report, { title: 'Marketing customers: early vs late joiners', referenceName: 'joined before 2013-07', currentName: 'joined 2013-07 or later' }));
  const app = await readCsvFile(join(data, 'purchase-prediction/retail_app_data.csv'));
  const fresh = await readCsvFile(join(data, 'purchase-prediction/new_retail_data.csv'));
  const appReport = driftReport(app, fresh, { exclude: ['user_id'] });
  console.log(summary('app users vs new app users', appReport));
  const checks = checkData(app, fresh);
  console.log(`data checks: ${checks.findings.length} findings, ${checks.ok ? 'no errors' : 'errors'}`);
  writeFileSync(join(out, 'app-users.html'), driftReportHtml(appReport, { title: 'App users vs new app users', referenceName: 'retail_app_data.csv', currentName: 'new_retail_data.csv', checks }));
  console.log(`wrote ${out}/marketing.html and ${out}/app-users.html`);
}
