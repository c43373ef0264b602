// The fuzz harness, through the same runner and worker threads as `npm run fuzz`: a few
// hundred seeded cases per real target (the full 20,000 run is `npm run fuzz`), and
// deliberately broken targets proving each kind of failure is caught and replayable.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzzInput, loadTargets, runFuzz, summaryLine } from '../../fuzz/runner.js';
import { repoRoot } from '../support/paths.js';

const CASES = Number(process.env.FUZZ_CASES ?? 200);
const badDir = join(repoRoot, 'test/fuzz/bad-targets');

describe('npm run fuzz, in small', async () => {
  const targets = (await loadTargets()).map((t) => t.target.name);

  it('finds a target for every parser the issue lists', () => {
    for (const name of ['xgboost-json', 'xgboost-ubj', 'xgboost-dump-text', 'xgboost-dump-json', 'sklearn-trees', 'ml-random-forest', 'csv', 'json-rows', 'bundle-manifest', 'customer-form', 'prediction-log']) {
      expect(targets).toContain(name);
    }
  });

  for (const name of targets) {
    it(`${name}: ${CASES} seeded cases end in typed errors or checked acceptances`, async () => {
      const [report] = await runFuzz({ targets: [name], seed: 20261206, cases: CASES });
      const detail = report.failures.map((f) => `case ${f.caseIndex}: ${f.kind}: ${f.detail}`).join('\n');
      expect(detail).toBe('');
      expect(report.cases).toBe(CASES);
      // The seeds themselves (the first cases) must be accepted: a harness refusing valid input proves nothing.
      expect(report.accepted).toBeGreaterThan(0);
      expect(summaryLine(report)).toMatch(new RegExp(`^${name}: ${CASES} cases, 0 failures`));
    });
  }
});

describe('the harness catches every kind of failure', () => {
  const run = async (name: string, cases = 4) => (await runFuzz({ targets: [name], seed: 7, cases, dir: badDir, timeoutMs: 1000, memoryMb: 64 }))[0];

  it('an untyped throw, with the seed and case to replay', async () => {
    const report = await run('bad-untyped', 2);
    expect(report.failures.map((f) => [f.caseIndex, f.kind, f.seed])).toEqual([[0, 'untyped throw', 7]]);
    expect(report.failures[0].detail).toMatch(/^TypeError: boom/);
    const replay = await runFuzz({ targets: ['bad-untyped'], seed: 7, cases: 0, caseIndex: 0, dir: badDir });
    expect(replay[0].failures[0].input).toEqual(report.failures[0].input);
  });

  it('a blocked event loop, a pending promise and an out-of-memory, each in bounded time', async () => {
    const started = performance.now();
    expect((await run('bad-hang', 1)).failures[0].kind).toBe('hang (event loop blocked)');
    expect((await run('bad-pending', 1)).failures[0].kind).toBe('pending promise');
    expect((await run('bad-oom', 1)).failures[0].kind).toBe('out-of-memory');
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('a failed check, a refused seed and a multi-line error message', async () => {
    const report = await run('bad-check', 3);
    expect(report.failures.map((f) => [f.caseIndex, f.kind])).toEqual([
      [0, 'failed check'],
      [1, 'seed refused'],
      [2, 'multi-line error message'],
    ]);
  });

  it('inputs are a pure function of (seed, case)', () => {
    const seeds = [new TextEncoder().encode('{"a":[1,2,3],"b":"x"}')];
    for (let k = 0; k < 50; k++) expect(fuzzInput(seeds, 3, k)).toEqual(fuzzInput(seeds, 3, k));
    expect(new Set(Array.from({ length: 50 }, (_, k) => new TextDecoder().decode(fuzzInput(seeds, 3, k)))).size).toBeGreaterThan(30);
  });
});
