// One iteration rule: predict (every output), predictRow, the worker pool and the CLI all
// score the same rounds: an explicit iterationRange, else every round, else (useBestIteration)
// [0, best_iteration + 1). Anchored to XGBoost 1.7.4's two answers for early-stopped models
// (models/xgboost/iteration-rule.py: Booster.predict vs the sklearn wrapper), then checked as a
// property on random rows and ranges against the interpreter on a tree range this file works
// out from the raw model file, also on the early-stopped models in ../shared.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { explainXGBoost, loadXGBoost, type XGBoostModel } from '../../src/formats/xgboost/index.js';
import { createPredictionPool, type PredictionPool } from '../../src/node/parallel-predict.js';
import { predictMargins } from '../../src/trees/index.js';
import { cli } from '../support/cli.js';
import { expectBitExact, expectWithinUlps } from '../support/float32.js';
import { hasShared, repoRoot, xgbModels } from '../support/paths.js';

interface Outputs {
  margin: number[][];
  value: number[][];
  leaf: number[][];
  contribs: number[][] | number[][][];
  approx_contribs: number[][] | number[][][];
  interactions: unknown[];
}
interface Case {
  model: string;
  best_iteration: number;
  num_boosted_rounds: number;
  rows: (number | null)[][];
  booster_predict: Outputs;
  best_rounds: Outputs;
  sklearn_predict_proba: number[][];
}
const expected: { cases: Case[] } = JSON.parse(readFileSync(resolve(repoRoot, 'models/xgboost/iteration-rule/expected.json'), 'utf8'));
const flat = (x: unknown): number[] => (x as unknown[]).flat(Infinity as 1) as number[];
const scratch = mkdtempSync(join(tmpdir(), 'retail-ml-iteration-rule-'));

const pools: PredictionPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});
const poolCache = new Map<XGBoostModel, Promise<PredictionPool>>();
function poolFor(model: XGBoostModel): Promise<PredictionPool> {
  let pool = poolCache.get(model);
  if (!pool) {
    pool = createPredictionPool(model, { threads: 2, minRowsPerThread: 4 });
    void pool.then((p) => pools.push(p));
    poolCache.set(model, pool);
  }
  return pool;
}

/** Every scoring path's margins and values for `rows`, for one model and one (optional) range. */
async function everyPath(model: XGBoostModel, rows: Float32Array, iterationRange?: readonly [number, number]) {
  const n = rows.length / model.numFeatures;
  const k = model.numOutputs;
  const rowMargins = new Float32Array(n * k);
  const rowValues = new Float32Array(n * k);
  // predict() on one row at a time takes its one-row path (predictRow's engine), which must give the batch's bits.
  const oneMargins: number[] = [];
  const oneValues: number[] = [];
  for (let r = 0; r < n; r++) {
    const row = rows.subarray(r * model.numFeatures, (r + 1) * model.numFeatures);
    rowMargins.set(model.predictRow(row, new Float32Array(k), 'margin', iterationRange), r * k);
    // A plain array takes predictRow's copying path.
    rowValues.set(model.predictRow(Array.from(row), new Float32Array(k), 'value', iterationRange), r * k);
    oneMargins.push(...model.predict(row, { output: 'margin', iterationRange }));
    oneValues.push(...model.predict([Array.from(row)], { iterationRange }));
  }
  const pool = await poolFor(model);
  return {
    margin: model.predict(rows, { output: 'margin', iterationRange }),
    value: model.predict(rows, { iterationRange }),
    rowMargin: rowMargins,
    rowValue: rowValues,
    oneMargin: Float32Array.from(oneMargins),
    oneValue: Float32Array.from(oneValues),
    poolMargin: await pool.predict(rows, { output: 'margin', iterationRange }),
    poolValue: await pool.predict(rows, { iterationRange }),
    poolMargins64: iterationRange === undefined ? Float32Array.from(await pool.predictMargins(rows, n)) : null,
  };
}

function toRows(rows: (number | null)[][]): Float32Array {
  return Float32Array.from(rows.flat(), (v) => (v === null ? NaN : v));
}

describe.each(expected.cases.map((c) => [c.model, c] as const))('XGBoost 1.7.4 on %s', (path, c) => {
  const file = resolve(repoRoot, path);
  const rows = toRows(c.rows);
  const csv = join(scratch, `${path.replace(/\W/g, '_')}.csv`);
  const allModel = loadXGBoost(readFileSync(file));
  writeFileSync(csv, [allModel.featureNames!.join(','), ...c.rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(','))].join('\n') + '\n');

  it.each([
    ['default (Booster.predict: every round)', false, undefined, 'booster_predict'],
    ['useBestIteration (sklearn wrapper: best rounds)', true, undefined, 'best_rounds'],
    ['an explicit [0, best_iteration + 1)', false, [0, c.best_iteration + 1], 'best_rounds'],
    ['an explicit [0, 0] with useBestIteration (every round)', true, [0, 0], 'booster_predict'],
  ] as const)('%s: every path gives XGBoost’s margins, values, leaves and explanations', async (_, useBestIteration, range, which) => {
    const want = c[which];
    for (const compile of [true, false]) {
      const model = loadXGBoost(readFileSync(file), { useBestIteration, compile });
      const paths = await everyPath(model, rows, range);
      for (const key of ['margin', 'rowMargin', 'oneMargin', 'poolMargin'] as const) expectBitExact(paths[key], flat(want.margin), `${key} compile=${compile}`);
      if (paths.poolMargins64) expectBitExact(paths.poolMargins64, flat(want.margin), 'pool.predictMargins');
      for (const key of ['value', 'rowValue', 'oneValue', 'poolValue'] as const) {
        expectWithinUlps(paths[key], flat(want.value), 2, key);
        expect(Array.from(paths[key]), `${key} = predict's values`).toEqual(Array.from(paths.value));
      }
      expectBitExact(model.predict(rows, { output: 'leaf', iterationRange: range }), flat(want.leaf), 'leaf');
      expectBitExact(explainXGBoost(model, rows, { output: 'contrib', iterationRange: range }), flat(want.contribs), 'contrib');
      expectBitExact(explainXGBoost(model, rows, { output: 'contrib-approx', iterationRange: range }), flat(want.approx_contribs), 'contrib-approx');
      expectBitExact(explainXGBoost(model, rows.subarray(0, 3 * model.numFeatures), { output: 'interactions', iterationRange: range }), flat(want.interactions), 'interactions');
    }
  });

  it('useBestIteration gives the sklearn wrapper’s predict_proba', () => {
    const model = loadXGBoost(readFileSync(file), { useBestIteration: true });
    expectWithinUlps(model.predict(rows), flat(c.sklearn_predict_proba), 2, 'predict_proba');
  });

  it.each([
    [[], 'booster_predict'],
    [['--best-iteration'], 'best_rounds'],
    [['--iteration-range', `0:${c.best_iteration + 1}`], 'best_rounds'],
    [['--best-iteration', '--iteration-range', '0:0'], 'booster_predict'],
  ] as const)('CLI predict %j scores XGBoost’s rounds (margins and leaves), with a note only when no choice was made', async (flags, which) => {
    const run = async (output: string) => {
      const { code, stdout, stderr } = await cli(['predict', '--model', file, '--input', csv, '--output', output, ...flags]);
      expect(code).toBe(0);
      if (flags.length > 0) expect(stderr).toBe('');
      else {
        expect(stderr).toBe(
          `retail-ml predict: note: the model stopped early at round ${c.best_iteration} of ${c.num_boosted_rounds}; scoring every round as Booster.predict does ` +
            `(--best-iteration scores rounds 0:${c.best_iteration + 1} as the sklearn wrapper's predict does; --iteration-range 0:${c.num_boosted_rounds} silences this note)\n`,
        );
      }
      return Float32Array.from(stdout.trim().split('\n').slice(1).flatMap((l) => l.split(',').map(Number)));
    };
    expectBitExact(await run('margin'), flat(c[which].margin), 'cli margin');
    expect(Array.from(await run('leaf'))).toEqual(flat(c[which].leaf));
  });
});

it('CLI predict adds no note when best_iteration is the last round (XGBoost 1.7 writes it after every xgb.train)', async () => {
  const dir = resolve(repoRoot, 'models/xgboost/fixtures');
  const fixture = JSON.parse(readFileSync(join(dir, 'obj_binary_logistic.expected.json'), 'utf8'));
  expect(fixture.best_iteration + 1).toBe(fixture.num_boosted_rounds);
  const csv = join(scratch, 'binary.csv');
  writeFileSync(csv, [fixture.feature_names.join(','), ...fixture.rows.map((r: (number | null)[]) => r.map((v) => v ?? '').join(','))].join('\n') + '\n');
  const { code, stderr } = await cli(['predict', '--model', join(dir, 'obj_binary_logistic.json'), '--input', csv]);
  expect(code).toBe(0);
  expect(stderr).toBe('');
});

/** Early-stopped models to check as a property: the generated ones, and ../shared's when present. */
const propertyModels: string[] = expected.cases.map((c) => resolve(repoRoot, c.model));
if (hasShared) {
  for (const name of ['xgb-2.0.3/LinearRegressionAuto.json', 'xgb-2.0.3/LinearRegressionAutoNA.json', 'xgb-3.1.1/LinearRegressionAutoNA.json', 'xgb-3.4.1/LinearRegressionAuto.json', 'xgb-3.1.1/LinearRegressionAuto.json']) {
    propertyModels.push(join(xgbModels, name));
  }
}

/** The rounds a call scores, worked out from the raw file: [begin, end) in trees. */
interface RawLearner {
  learner: {
    gradient_booster: { name: string; model?: RawTrees; gbtree?: { model: RawTrees } };
    learner_model_param: { num_class: string };
    attributes: { best_iteration?: string };
  };
}
interface RawTrees {
  gbtree_model_param: { num_trees: string };
}
function treesFromFile(raw: RawLearner, useBest: boolean, range: readonly [number, number] | undefined): [number, number, number] {
  const booster = raw.learner.gradient_booster;
  const model = (booster.name === 'dart' ? booster.gbtree?.model : booster.model)!;
  const numTrees = Number(model.gbtree_model_param.num_trees);
  // Trees per round: num_class (or 1) × num_parallel_tree; every model here has one tree per output per round.
  const perRound = Math.max(1, Number(raw.learner.learner_model_param.num_class));
  const rounds = numTrees / perRound;
  const best = raw.learner.attributes.best_iteration;
  const [b, e] = range ?? (useBest && best !== undefined ? [0, Number(best) + 1] : [0, 0]);
  return [b * perRound, (e === 0 ? rounds : e) * perRound, perRound];
}

describe.each(propertyModels.map((p) => [p.replace(`${repoRoot}/`, '').replace(`${xgbModels}/`, 'shared: ')] as const))('every path agrees on %s', (label) => {
  const file = label.startsWith('shared: ') ? join(xgbModels, label.slice(8)) : resolve(repoRoot, label);
  const text = readFileSync(file, 'utf8');
  // Older files hold bare NaN split conditions; only counts and attributes are read here.
  const raw = JSON.parse(text.replace(/\bNaN\b/g, 'null'));
  const models = [false, true].map((useBest) => loadXGBoost(text, { useBestIteration: useBest }));
  const rounds = models[0].numRounds;

  it('margins, values, leaves and contributions: predict, predictRow, the pool and the default range agree with the interpreter on the same trees', async () => {
    expect(models[0].bestIteration, 'an early-stopped model').not.toBeNull();
    expect(models[0].bestIteration! + 1).toBeLessThan(rounds);
    const F = models[0].numFeatures;
    const value = fc.oneof(fc.constant(NaN), fc.float({ noNaN: true, min: -50, max: 400 }), fc.integer({ min: 0, max: 9 }));
    const range = fc.option(
      fc.tuple(fc.integer({ min: 0, max: rounds }), fc.integer({ min: 0, max: rounds })).map(([a, b]) => (b === 0 ? [a, 0] : [Math.min(a, b), Math.max(a, b)]) as [number, number]).filter(([a, b]) => b !== 0 || a <= rounds),
      { nil: undefined },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(value, { minLength: F, maxLength: F }), { minLength: 1, maxLength: 12 }), range, fc.boolean(), async (rowList, iterationRange, useBest) => {
        const model = models[useBest ? 1 : 0];
        const rows = Float32Array.from(rowList.flat());
        const n = rowList.length;
        const [treeBegin, treeEnd, perRound] = treesFromFile(raw, useBest, iterationRange);
        const reference = Float32Array.from(predictMargins(model.ensemble!, rows, n, { treeBegin, treeEnd }));
        const paths = await everyPath(model, rows, iterationRange);
        for (const key of ['margin', 'rowMargin', 'oneMargin', 'poolMargin'] as const) expect(Array.from(paths[key]), key).toEqual(Array.from(reference));
        if (paths.poolMargins64) expect(Array.from(paths.poolMargins64)).toEqual(Array.from(reference));
        for (const key of ['rowValue', 'oneValue', 'poolValue'] as const) expect(Array.from(paths[key]), key).toEqual(Array.from(paths.value));
        // The default range is the explicit one it stands for, for leaves and explanations too.
        const explicit: [number, number] = iterationRange ?? [0, treeEnd / perRound];
        expect(Array.from(model.predict(rows, { output: 'leaf', iterationRange })), 'leaf').toEqual(Array.from(model.predict(rows, { output: 'leaf', iterationRange: explicit })));
        for (const output of ['contrib', 'contrib-approx'] as const) {
          expect(Array.from(explainXGBoost(model, rows, { output, iterationRange })), output).toEqual(Array.from(explainXGBoost(model, rows, { output, iterationRange: explicit })));
        }
        expect(model.predict(rows, { output: 'leaf', iterationRange }).length).toBe(n * (treeEnd - treeBegin));
      }),
      { numRuns: 25 },
    );
  });
});
