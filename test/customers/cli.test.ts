import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from '../../src/cli/main.js';

function io(cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), cwd, env: {} }, out: () => out.join(''), err: () => err.join('') };
}

const CDNOW = '../shared/data/cdnow/cdnow_customers_summary.csv';
const CDNOW_SPEND = '../shared/data/cdnow/cdnow_customers_summary_with_transactions.csv';
const RETAIL = '../shared/data/online-retail/online_retail_first10000.csv';

describe.skipIf(!existsSync(CDNOW))('retail-ml clv', () => {
  it('prints exactly the bgnbd parameters as JSON for a summary without spend', async () => {
    const c = io();
    expect(await runCli(['clv', '--summary', CDNOW, '--json'], c.io)).toBe(0);
    const json = JSON.parse(c.out());
    expect(Object.keys(json)).toEqual(['bgnbd']);
    expect(Object.keys(json.bgnbd)).toEqual(['r', 'alpha', 'a', 'b', 'logLikelihood']);
    expect(json.bgnbd.r).toBeCloseTo(0.243, 3);
    expect(json.bgnbd.logLikelihood).toBeCloseTo(-9582.4, 0);
  });

  it('adds gammaGamma when spend is given (x, t_x, T, zbar column names)', async () => {
    const c = io();
    expect(await runCli(['clv', '--summary', CDNOW_SPEND, '--json'], c.io)).toBe(0);
    const json = JSON.parse(c.out());
    expect(Object.keys(json)).toEqual(['bgnbd', 'gammaGamma']);
    expect(Object.keys(json.gammaGamma)).toEqual(['p', 'q', 'v']);
    expect(json.gammaGamma.p).toBeCloseTo(6.25, 1);
  });

  it('prints per-customer churn risk and CLV', async () => {
    const c = io();
    expect(await runCli(['clv', '--summary', CDNOW_SPEND, '--per-customer', '--periods-per-month', '4.345', '--horizon', '39'], c.io)).toBe(0);
    const lines = c.out().trim().split('\n');
    expect(lines[0]).toBe('id,p_alive,churn_risk,churned,expected_purchases,clv');
    expect(lines).toHaveLength(2358);
    const [id, pAlive, risk, , expected] = lines[1].split(',');
    expect(id).toBe('1');
    expect(Number(pAlive) + Number(risk)).toBeCloseTo(1, 12);
    expect(Number(expected)).toBeCloseTo(1.226, 2);
  });

  it('reports bad input on one line with exit 1, usage mistakes with exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clv-'));
    writeFileSync(join(dir, 'bad.csv'), 'frequency,recency,T\n1,abc,3\n');
    writeFileSync(join(dir, 'zeros.csv'), 'x,t_x,T\n0,0,3\n0,0,4\n');
    writeFileSync(join(dir, 'nocol.csv'), 'f,r,T\n0,0,3\n');
    for (const file of ['bad.csv', 'zeros.csv', 'nocol.csv']) {
      const c = io(dir);
      expect(await runCli(['clv', '--summary', file, '--json'], c.io)).toBe(1);
      expect(c.err().trim().split('\n')).toHaveLength(1);
    }
    const c = io();
    expect(await runCli(['clv', '--json'], c.io)).toBe(2);
    expect(await runCli(['clv', '--summary', CDNOW, '--months', '-1'], c.io)).toBe(2);
  });

  it('runs as a process', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'clv', '--summary', CDNOW, '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).bgnbd.a).toBeCloseTo(0.793, 3);
  });
});

describe.skipIf(!existsSync(RETAIL))('retail-ml rfm and recommend-items', () => {
  it('prints RFM rows with segments', async () => {
    const c = io();
    expect(await runCli(['rfm', '--input', RETAIL, '--snapshot', '2010-12-10'], c.io)).toBe(0);
    const lines = c.out().trim().split('\n');
    expect(lines[0]).toBe('customer_id,recency,frequency,monetary,r,f,m,segment');
    expect(lines.length).toBeGreaterThan(100);
    expect(lines[1].split(',')[0]).toBe('17850');
    expect(c.err()).toMatch(/Champions|Hibernating/);
    const bad = io();
    expect(await runCli(['rfm', '--input', RETAIL, '--snapshot', 'yesterday'], bad.io)).toBe(2);
  });

  it('prints item recommendations for chosen users and popular items for unknown ones', async () => {
    const c = io();
    expect(await runCli(['recommend-items', '--input', RETAIL, '--k', '3', '--user', '17850', '--user', 'nobody'], c.io)).toBe(0);
    const lines = c.out().trim().split('\n');
    expect(lines[0]).toBe('user,rank,item,score');
    expect(lines.filter((l) => l.startsWith('17850,'))).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('nobody,'))).toHaveLength(3);
    const bad = io();
    expect(await runCli(['recommend-items', '--input', RETAIL, '--half-life-days', '30'], bad.io)).toBe(2);
  });
});
