import { readFileSync } from 'node:fs';
import type { FuzzTarget } from '../target.js';
import { loadXGBoost } from '../../src/formats/xgboost/load-xgboost.js';
import { legacyBinaryToDocument } from '../../src/formats/xgboost/read-legacy-binary.js';
import type { XGBoostModel } from '../../src/formats/xgboost/xgboost-model.js';

const fixtures = new URL('../../models/xgboost/fixtures-legacy/', import.meta.url);
const SEEDS = ['binary_logistic.bin', 'multi_softprob.bin', 'reg_squarederror.bin', 'dart.bin', 'gblinear.bin', 'parallel_forest.bin'];

/**
 * XGBoost's legacy binary model reader under mutation: a model that scores, or a typed error.
 *
 * @example
 * target.parse(readFileSync('models/xgboost/fixtures-legacy/dart.bin'));
 */
export const target: FuzzTarget = {
  name: 'xgboost-legacy',
  seeds: () => SEEDS.map((f) => new Uint8Array(readFileSync(new URL(f, fixtures)))),
  // compile: false keeps mutated cases from spending time in code generation.
  parse: (bytes) => loadXGBoost(legacyBinaryToDocument(bytes), { compile: false }),
  check(result) {
    const model = result as XGBoostModel;
    // A typed row: mutated files may declare millions of features.
    const out = model.predict(new Float32Array(model.numFeatures).fill(0.5), { output: 'margin' });
    if (out.length !== model.numOutputs) throw new Error(`${out.length} margins for ${model.numOutputs} outputs`);
  },
};
