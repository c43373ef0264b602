import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from '../../src/cli/main.js';
import { ROOT, expectClose, expected } from './helpers.js';

const K = expected('expected_kmeans.json');
const M = expected('expected_metrics.json');

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), cwd, env: {} }, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'retail-ml-kmeans-'));
const truth = M.cases.find((c: { name: string }) => c.name === 'blobs-true');
const csv = 'x0,x1,x2,segment\n' + K.blobs.map((r: number[], i: number) => `${r.map((v) => String(v)).join(',')},s${truth.labels[i]}`).join('\n') + '\n';
writeFileSync(join(dir, 'blobs.csv'), csv);

describe('retail-ml kmeans', () => {
  it('score --json prints the four metrics on the unscaled numeric columns, equal to scikit-learn', async () => {
    const { io: cli, out } = io(dir);
    expect(await runCli(['kmeans', 'score', '--input', 'blobs.csv', '--labels', 'segment', '--json'], cli)).toBe(0);
    const r = JSON.parse(out.join(''));
    expect(Object.keys(r)).toEqual(['silhouette', 'daviesBouldin', 'calinskiHarabasz', 'inertia']);
    expectClose(r.silhouette, truth.silhouette, 1e-9);
    expectClose(r.daviesBouldin, truth.daviesBouldin, 1e-9);
    expectClose(r.calinskiHarabasz, truth.calinskiHarabasz, 1e-9);
    expectClose(r.inertia, truth.inertia, 1e-9);
  });

  it('fit then assign reproduces scikit-learn KMeans(n_clusters=4, random_state=0)', async () => {
    const { io: cli } = io(dir);
    expect(await runCli(['kmeans', 'fit', '--input', 'blobs.csv', '--columns', 'x0,x1,x2', '--k', '4', '--seed', '0', '--n-init', '3', '--out', 'model.json'], cli)).toBe(0);
    const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const want = K.fits.find((f: { name: string }) => f.name === 'blobs-k4');
    expectClose(model.inertia, want.inertia, 1e-12);
    const a = io(dir);
    expect(await runCli(['kmeans', 'assign', '--model', 'model.json', '--input', 'blobs.csv'], a.io)).toBe(0);
    const labels = a.out.join('').trim().split('\n').slice(1).map(Number);
    expect(labels).toHaveLength(500);
    // same partition as sklearn's labels
    const map = new Map<string, number>();
    labels.forEach((l, i) => {
      const t = want.labels[i];
      if (!map.has(t)) map.set(t, l);
      expect(l).toBe(map.get(t));
    });
  });

  it('gives usage errors (exit 2) and input errors (exit 1) as one line', async () => {
    const u = io(dir);
    expect(await runCli(['kmeans', 'fit', '--input', 'blobs.csv'], u.io)).toBe(2);
    expect(u.err.join('')).toMatch(/--k is required/);
    const bad = io(dir);
    expect(await runCli(['kmeans', 'score', '--input', 'missing.csv', '--labels', 'x'], bad.io)).toBe(1);
    const wrong = io(dir);
    expect(await runCli(['kmeans', 'assign', '--model', 'blobs.csv', '--input', 'blobs.csv'], wrong.io)).toBe(1);
    expect(wrong.err.join('').split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('runs as a process', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'kmeans', 'score', '--input', join(dir, 'blobs.csv'), '--labels', 'segment', '--json'], { encoding: 'utf8', cwd: ROOT });
    expect(r.status).toBe(0);
    expectClose(JSON.parse(r.stdout).silhouette, truth.silhouette, 1e-9);
  });
});
