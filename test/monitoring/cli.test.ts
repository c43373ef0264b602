import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { hasShared, sharedData } from '../support/paths.js';
import { expectClose, fixtures } from './support.js';

const scratch = mkdtempSync(join(tmpdir(), 'retail-ml-drift-'));

/** Writes a fixture side as CSV (empty cells for missing). */
function writeSide(name: string, columns: Record<string, unknown[]>): string {
  const names = Object.keys(columns);
  const n = columns[names[0]].length;
  const lines = [names.join(',')];
  for (let i = 0; i < n; i++) lines.push(names.map((c) => (columns[c][i] === null ? '' : String(columns[c][i]))).join(','));
  const path = join(scratch, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('retail-ml drift', () => {
  const case_ = fixtures.reports[1];
  const ref = writeSide('ref.csv', case_.reference);
  const cur = writeSide('cur.csv', case_.current);

  it('prints exactly the issue JSON shape, with scipy 1.10 numbers', async () => {
    const { code, stdout } = await cli(['drift', '--reference', ref, '--current', cur, '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['datasetDrift', 'driftShare', 'columns']);
    expect(out.datasetDrift).toBe(case_.expected.datasetDrift);
    expect(out.driftShare).toBe(case_.expected.driftShare);
    out.columns.forEach((c: Record<string, unknown>, i: number) => {
      const e = case_.expected.columns[i];
      expect(Object.keys(c)).toEqual(['column', 'kind', 'test', 'statistic', 'pValue', 'threshold', 'drift', 'psi']);
      expect([c.column, c.kind, c.test, c.threshold, c.drift]).toEqual([e.column, e.kind, e.test, e.threshold, e.drift]);
      expectClose(c.statistic as number | null, e.statistic === 'inf' ? null : e.statistic, `${e.column} statistic`);
      expectClose(c.pValue as number | null, e.pValue, `${e.column} p`);
      expectClose(c.psi as number, e.psi, `${e.column} psi`);
    });
  });
  it('prints a table, honours --columns/--exclude and writes --html', async () => {
    const html = join(scratch, 'report.html');
    const { code, stdout } = await cli(['drift', '--reference', ref, '--current', cur, '--columns', 'income,visits,vip', '--exclude', 'vip', '--html', html]);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^column\s+kind\s+test\s+statistic\s+p-value/);
    expect(stdout).toMatch(/^income\s+numeric\s+ks/m);
    expect(stdout).not.toMatch(/^vip/m);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect((page.match(/<svg /g) ?? []).length).toBe(2);
  });
  it('answers --help on stdout with exit 0, and usage mistakes with exit 2', async () => {
    const help = await cli(['drift', '-h']);
    expect([help.code, help.stdout.startsWith('usage: retail-ml drift')]).toEqual([0, true]);
    expect((await cli(['drift', '--reference', ref])).code).toBe(2);
    expect((await cli(['drift', '--reference', ref, '--current', cur, '--bogus'])).code).toBe(2);
    expect((await cli(['drift', '--log', 'x.jsonl', '--reference-window', 'soon', '--current-window', '2025-01-01:2025-02-01'])).code).toBe(2);
    const missing = await cli(['drift', '--reference', join(scratch, 'nope.csv'), '--current', cur]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).not.toMatch(/unexpected error/);
  });
  it('reads windows of a JSON Lines prediction log', async () => {
    const log = join(scratch, 'predictions.jsonl');
    writeFileSync(log, fixtures.log.map((r: unknown) => JSON.stringify(r)).join('\n') + '\n{"torn":\n');
    const { code, stdout, stderr } = await cli(['drift', '--log', log, '--reference-window', '2025-01-01T00:00:00Z:2025-02-01T00:00:00Z', '--current-window', '2025-03-01:2025-04-01', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).columns.map((c: { column: string }) => c.column)).toEqual(['label', 'probability', 'recency', 'frequency']);
  });
});

describe('retail-ml drift --log mongodb://… (official driver against the wire-protocol test server)', () => {
  it('reads both windows from MongoDB and reports what the JSON Lines log reports', async () => {
    const { openMongoPredictionLog } = await import('../../src/adapters/mongodb/index.js');
    const { startMongoWireServer } = await import('../adapters/support/mongo-wire-server.js');
    const server = await startMongoWireServer();
    try {
      const log = await openMongoPredictionLog({ uri: server.uri, outboxPath: join(scratch, 'mongo-outbox.jsonl'), clientOptions: { serverSelectionTimeoutMS: 2000 }, onReport: () => {} });
      for (const r of fixtures.log) log.append(r);
      expect(await log.drain(20_000)).toBe(true);
      await log.close();
      const windows = ['--reference-window', '2025-01-01:2025-02-01', '--current-window', '2025-03-01:2025-04-01', '--json'];
      const fromMongo = await cli(['drift', '--log', server.uri, ...windows]);
      expect(fromMongo.stderr).toBe('');
      expect(fromMongo.code).toBe(0);
      const jsonl = join(scratch, 'same.jsonl');
      writeFileSync(jsonl, fixtures.log.map((r: unknown) => JSON.stringify(r)).join('\n') + '\n');
      expect(JSON.parse(fromMongo.stdout)).toEqual(JSON.parse((await cli(['drift', '--log', jsonl, ...windows])).stdout));
    } finally {
      await server.stop();
    }
  });
});

describe('retail-ml check', () => {
  it('lists findings and exits 1 on an error finding, 0 otherwise', async () => {
    const a = writeSide('a.csv', { id: ['1', '2', '3'], x: [1, 2, 3], city: ['Oslo', 'Bergen', 'Oslo'] });
    const b = writeSide('b.csv', { x: [5, 2, 3], city: ['Oslo', 'Tromsø', 'Oslo'] });
    const bad = await cli(['check', '--reference', a, '--current', b]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/error\s+missing-column/);
    expect(bad.stdout).toMatch(/new-categories.*Tromsø/);
    const good = await cli(['check', '--reference', a, '--current', a, '--json']);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout).ok).toBe(true);
    expect((await cli(['check', '--help'])).code).toBe(0);
  });
  it.skipIf(!hasShared)('reads the tab-separated marketing CSV under its .csv name', async () => {
    const path = join(sharedData, 'customer-segmentation/marketing_campaign.csv');
    const r = await cli(['check', '--reference', path, '--current', path, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).columns.length).toBe(29);
  });
});
