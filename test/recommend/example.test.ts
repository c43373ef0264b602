import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const XLSX = '../shared/data/online-retail/online_retail_sample40000.xlsx';

describe.skipIf(!existsSync(XLSX))('examples/online-retail.ts', () => {
  it('runs the whole chain on the shared data and prints ranking metrics for both models', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/online-retail.ts'], { encoding: 'utf8', timeout: 90_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('## RFM segments (snapshot 2011-12-10, 3591 customers)');
    expect(r.stdout).toMatch(/BG\/NBD \(days\): r=\d/);
    expect(r.stdout).toMatch(/\| item co-occurrence \(counts\) \| 0\.\d{4} \| 0\.\d{4} \| 0\.\d{4} \| 0\.\d{4} \|/);
    expect(r.stdout).toMatch(/\| popularity \(most customers, unseen\) \| 0\.\d{4} \|/);
  });
});
