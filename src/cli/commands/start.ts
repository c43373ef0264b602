import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createCategoryBundle, recommendCategories } from '../../category/index.js';
import { indexTable } from '../../features/index-table.js';
import { mergeTables } from '../../features/merge-tables.js';
import type { Table } from '../../features/table.js';
import { loadBundle } from '../../node/load-bundle.js';
import { readXlsxFile } from '../../node/read-xlsx-file.js';
import { option, parseArgs } from '../args.js';
import type { Command } from '../command.js';
import { defaultBundleDir } from './bundle-dir.js';
import { formatRecommendation } from './recommend.js';
import { deliverPrediction } from './deliver-prediction.js';

const usage = `usage: retail-ml start [--bundle <dir>] [--data <dir>]
  The main job: scores a sample customer through the category-recommender bundle and prints
  the top 3 categories. When the seed's feature spreadsheets are present (default
  ../shared/data/category-recommender), also joins them for a customer found in them.`;

/** The sample customer of the seed app's documented check. */
export const SAMPLE_CUSTOMER = Object.freeze({
  customer_id: 'sample-0001',
  name: 'Asha',
  email: 'asha@example.com',
  location: 'Delhi',
  age: 35,
  last_login_days: 30,
  prefers_discount: 'No',
});

const SPREADSHEETS = ['05_customer_recency_features.xlsx', '07_age_features.xlsx', '09_stayed_features.xlsx'];

export const startCommand: Command = {
  summary: 'the main job: top-3 categories for a sample customer (and a join of the real spreadsheets)',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { options: ['bundle', 'data'] });
    const bundleDir = resolve(io.cwd, option(args, 'bundle') ?? defaultBundleDir(io.cwd));
    const bundle = await loadBundle(bundleDir);
    const c = SAMPLE_CUSTOMER;
    io.stdout(`Category recommender — bundle ${bundle.manifest.name} (${bundle.features.length} features, ${bundle.labels.classes.length} classes)\n`);
    io.stdout(`Customer: ${c.name} <${c.email}>, age ${c.age}, ${c.location}, last login ${c.last_login_days} days ago, prefers discounts: ${c.prefers_discount}\n\n`);
    const recommendation = recommendCategories(c, bundle);
    io.stdout(formatRecommendation(recommendation));
    // Log the prediction and e-mail the customer: embedded defaults unless MONGODB_URI / SMTP_URL say otherwise.
    io.stdout('\n');
    const modelFile = bundle.manifest.model.file;
    await deliverPrediction(
      {
        form: c,
        customer: { name: c.name, email: c.email, customerId: c.customer_id },
        features: recommendation.features,
        top: recommendation.top,
        model: { name: modelFile.replace(/\.[^./]+$/, ''), path: resolve(bundleDir, modelFile) },
      },
      io,
    );

    const dataDir = resolve(io.cwd, option(args, 'data') ?? '../shared/data/category-recommender');
    const files = SPREADSHEETS.map((f) => resolve(dataDir, f));
    if (!files.every(existsSync)) {
      io.stdout(`\nJoin of the stored feature spreadsheets: skipped (${dataDir} does not have ${SPREADSHEETS.join(', ')}).\n`);
      return 0;
    }
    const started = performance.now();
    const types = { customer_id: 'string' } as const;
    const [recency, ages, stays] = await Promise.all(files.map((f) => readXlsxFile(f, { types })));
    const withAge = mergeTables(recency, ages, { on: 'customer_id', how: 'left' });
    const joined = mergeTables(withAge.table, stays, { on: 'customer_id', how: 'left' });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.stdout(`\nJoined ${SPREADSHEETS.join(' + ')} on customer_id: ${joined.table.numRows} rows × ${joined.table.columnNames.length} columns in ${seconds} s\n`);
    io.stdout(`  unmatched rows: ${withAge.report.unmatchedLeftRows.length} (age), ${joined.report.unmatchedLeftRows.length} (stays)\n`);

    const id = ages.strings('customer_id')[0]!;
    const row = joined.table.row(indexTable(joined.table, 'customer_id').firstRow(id));
    io.stdout(`  customer ${id}: ${[...row].filter(([k]) => k !== 'customer_id').map(([k, v]) => `${k}=${v}`).join(', ')}\n\n`);

    // The same customer through the bundle with the age spreadsheet attached: the form's age wins, and says so.
    const withTables = createCategoryBundle({
      manifest: { ...bundle.manifest, featureTables: [{ name: '07_age_features', file: files[1], key: 'customer_id', columns: ['age'] }] },
      model: bundle.model,
      tables: new Map<string, Table>([['07_age_features', ages]]),
    });
    io.stdout(`The sample form for customer ${id} (form values win over stored ones):\n`);
    io.stdout(formatRecommendation(recommendCategories({ ...c, customer_id: id }, withTables)));
    return 0;
  },
};
