import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { marketingEarlyVsLate } from '../../examples/drift.js';
import { columnFromValues } from '../../src/features/column.js';
import { Table } from '../../src/features/table.js';
import { driftReport } from '../../src/monitoring/drift-report.js';
import { driftReportHtml } from '../../src/monitoring/html-report.js';
import { cli } from '../support/cli.js';
import { hasShared, repoRoot, sharedData } from '../support/paths.js';
import { expectClose, fixtures } from './support.js';

const marketingCsv = join(sharedData, 'customer-segmentation/marketing_campaign.csv');
const CHROMIUM = '/usr/bin/chromium';

describe.skipIf(!hasShared)('the README examples on the shared data', () => {
  it('equals scipy 1.10 / pandas on every column', async () => {
    const { early, late, report } = await marketingEarlyVsLate(marketingCsv);
    const want = fixtures.marketing;
    expect([early.numRows, late.numRows]).toEqual([want.early, want.late]);
    expect(report.columns.map((c) => c.column)).toEqual(want.columns.map((c: { column: string }) => c.column));
    report.columns.forEach((c, i) => {
      const e = want.columns[i];
      expect([c.kind, c.test, c.drift], c.column).toEqual([e.kind, e.test, e.drift]);
      expectClose(c.statistic, e.statistic, `${c.column} statistic`);
      expectClose(c.psi, e.psi, `${c.column} psi`);
    });
    expect([report.driftShare, report.datasetDrift]).toEqual([want.driftShare, want.datasetDrift]);
  });

  it('retail-ml drift on app users vs new app users equals scipy 1.10 / pandas', async () => {
    const dir = join(sharedData, 'purchase-prediction');
    const { code, stdout } = await cli(['drift', '--reference', join(dir, 'retail_app_data.csv'), '--current', join(dir, 'new_retail_data.csv'), '--exclude', 'user_id', '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    const want = fixtures.app;
    expect(out.columns.map((c: { column: string }) => c.column)).toEqual(want.columns.map((c: { column: string }) => c.column));
    out.columns.forEach((c: { column: string; kind: string; test: string; drift: boolean; statistic: number; psi: number }, i: number) => {
      const e = want.columns[i];
      expect([c.kind, c.test, c.drift], c.column).toEqual([e.kind, e.test, e.drift]);
      expectClose(c.statistic, e.statistic, `${c.column} statistic`);
      expectClose(c.psi, e.psi, `${c.column} psi`);
    });
    expect([out.driftShare, out.datasetDrift]).toEqual([want.driftShare, want.datasetDrift]);
  });

  // The one browser test: the report renders offline in Debian's chromium, charts and all.
  it.skipIf(!existsSync(CHROMIUM))('renders in headless Chromium without fetching anything, and screenshots', async () => {
    const { chromium } = await import('playwright-core');
    const { report } = await marketingEarlyVsLate(marketingCsv);
    const dir = mkdtempSync(join(tmpdir(), 'retail-ml-chromium-'));
    const page = join(dir, 'report.html');
    writeFileSync(page, driftReportHtml(report, { title: 'Marketing customers: early vs late joiners', referenceName: 'joined before 2013-07', currentName: 'joined 2013-07 or later', generatedAt: new Date('2026-12-06T12:00:00Z') }));
    // Hostile names must stay text: a column, a category and the title all try to run script.
    const hostile = join(dir, 'hostile.html');
    const evil = '<img src=x onerror=alert(1)>';
    const t = (rows: Record<string, unknown>[]) => Table.fromColumns(Object.keys(rows[0]).map((k) => [k, columnFromValues(rows.map((r) => r[k]), undefined, k)] as const));
    writeFileSync(hostile, driftReportHtml(driftReport(t([{ [evil]: 1, c: evil }, { [evil]: 2, c: 'a' }]), t([{ [evil]: 3, c: 'b' }])), { title: `<script>alert(2)</script>` }));
    const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1500, height: 1000 },
    });
    try {
      const requests: string[] = [];
      const tab = await context.newPage();
      tab.on('request', (r) => requests.push(r.url()));
      const dialogs: string[] = [];
      tab.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await tab.goto(`file://${hostile}`);
      expect(await tab.title()).toBe('<script>alert(2)</script>');
      expect(await tab.locator('td', { hasText: evil }).count()).toBeGreaterThan(0);
      await tab.goto(`file://${page}`);
      expect(dialogs).toEqual([]);
      expect(requests).toEqual([`file://${hostile}`, `file://${page}`]);
      const boxes = await tab.$$eval('figure svg', (svgs) => svgs.map((s) => s.getBoundingClientRect().width * s.getBoundingClientRect().height));
      expect(boxes.length).toBe(report.columns.length);
      expect(boxes.every((a) => a > 10_000)).toBe(true);
      expect(await tab.$$eval('figure svg rect[fill-opacity]', (r) => r.length)).toBeGreaterThan(100);
      const shot = process.env.RETAIL_ML_WRITE_DOCS ? join(repoRoot, 'docs/drift-report.png') : join(dir, 'drift-report.png');
      await tab.screenshot({ path: shot, clip: { x: 0, y: 0, width: 1500, height: 1000 } });
      expect(statSync(shot).size).toBeGreaterThan(20_000);
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
