// The tree-dump loader on hostile dumps. The valid starting point is a dump XGBoost 1.7.4
// wrote (models/xgboost/generate.py) and scores bit for bit; every mutation below must end
// in a typed error, quickly, without allocating by the ids or feature numbers it claims.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, loadXGBoostDump, ModelFormatError, RetailMlError } from '../../src/index.js';
import { expectBitExact } from '../support/float32.js';
import { generatedFixtures } from '../support/paths.js';

const name = 'obj_binary_logistic';
const dumpText = readFileSync(join(generatedFixtures, `${name}.dump.json`), 'utf8');
const expected = JSON.parse(readFileSync(join(generatedFixtures, `${name}.expected.json`), 'utf8'));
const options = {
  objective: expected.objective as string,
  baseScore: Number(expected.saved_base_score),
  numFeatures: Number(expected.num_feature),
  featureNames: expected.feature_names as string[],
};

/** Runs `load`, expecting a typed error, within `ms` milliseconds. */
function refusedQuickly(load: () => unknown, ms = 200): RetailMlError {
  const started = performance.now();
  let caught: unknown;
  try {
    load();
  } catch (error) {
    caught = error;
  }
  expect(performance.now() - started).toBeLessThan(ms);
  expect(caught).toBeInstanceOf(RetailMlError);
  return caught as RetailMlError;
}

/** A one-split stump; `split` and ids are the parts the tests vary. */
function stump(split: string, ids: [number, number, number] = [0, 1, 2]): string {
  const [root, yes, no] = ids;
  return JSON.stringify([
    { nodeid: root, split, split_condition: 0.5, yes, no, missing: yes, children: [{ nodeid: yes, leaf: -0.25 }, { nodeid: no, leaf: 0.25 }] },
  ]);
}

describe('loadXGBoostDump on hostile dumps', () => {
  it('the unmodified dump still scores bit for bit as XGBoost 1.7.4', () => {
    expectBitExact(loadXGBoostDump(dumpText, options).predict(expected.rows, { output: 'margin' }), expected.margin.flat(), 'margin');
  });

  it('refuses feature names that disagree with the trees (fewer names than the splits use)', () => {
    const error = refusedQuickly(() => loadXGBoostDump(dumpText, { ...options, numFeatures: undefined, featureNames: options.featureNames.slice(0, 2) }));
    expect(error).toBeInstanceOf(ModelFormatError);
  });

  it('refuses a name count that disagrees with numFeatures', () => {
    expect(() => loadXGBoostDump(dumpText, { ...options, featureNames: [...options.featureNames, 'extra'] })).toThrow(InputError);
  });

  it('refuses a split on a feature index beyond the given count', () => {
    const error = refusedQuickly(() => loadXGBoostDump(stump('f3'), { objective: 'binary:logistic', numFeatures: 3 }));
    expect(error.message).toMatch(/feature 3 is outside \[0, 3\)/);
  });

  it('f4294967296 does not wrap to feature 0', () => {
    const error = refusedQuickly(() => loadXGBoostDump(stump('f4294967296'), { objective: 'binary:logistic' }));
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error.message).toMatch(/outside \[0, 16777216\)/);
  });

  it('f2000000000 is refused at once instead of sizing 8 GB row buffers', () => {
    refusedQuickly(() => loadXGBoostDump(stump('f2000000000'), { objective: 'binary:logistic' }), 100);
  });

  it('a 250-byte dump with node ids near 2^24 is refused at once', () => {
    const text = stump('f0', [0, 16777214, 16777215]);
    expect(text.length).toBeLessThan(250);
    const error = refusedQuickly(() => loadXGBoostDump(text, { objective: 'binary:logistic' }), 100);
    expect(error.message).toMatch(/exceeds the limit/);
  });

  it('large but consistent node ids in a parsed dump cost memory by nodes present, not by ids', () => {
    const model = loadXGBoostDump(JSON.parse(stump('f0', [0, 16777214, 16777215])), { objective: 'binary:logistic' });
    expect(Array.from(model.predict([[0], [1]], { output: 'margin' }))).toEqual([-0.25, 0.25]);
  });

  it('yes/no that are not the node’s own children (cycles, self-loops) are refused', () => {
    const selfLoop = JSON.stringify([{ nodeid: 0, split: 'f0', split_condition: 1, yes: 0, no: 2, missing: 0, children: [{ nodeid: 1, leaf: 1 }, { nodeid: 2, leaf: 2 }] }]);
    expect(() => loadXGBoostDump(selfLoop, { objective: 'reg:squarederror' })).toThrow(/not a child/);
    const sameChild = stump('f0').replace('"no":2', '"no":1');
    expect(() => loadXGBoostDump(sameChild, { objective: 'reg:squarederror' })).toThrow(ModelFormatError);
  });

  it('numClass or numParallelTree that are negative or huge are InputErrors, not RangeErrors', () => {
    for (const bad of [{ numClass: -3 }, { numClass: 1e10 }, { numParallelTree: -1 }, { numParallelTree: 0.5 }, { numParallelTree: 2 ** 40 }]) {
      const error = refusedQuickly(() => loadXGBoostDump(stump('f0'), { objective: 'binary:logistic', ...bad }));
      expect(error).toBeInstanceOf(InputError);
    }
  });
});
