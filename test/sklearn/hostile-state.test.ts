import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RetailMlError } from '../../src/errors.js';
import type { EstimatorInput } from '../../src/estimator.js';
import type { PyObject, PyValue } from '../../src/formats/pickle/py-value.js';
import { sklearnEstimatorFromPython } from '../../src/formats/sklearn/from-python.js';
import { seededRandom } from '../../src/forest/random.js';
import { repoRoot } from '../support/paths.js';
import { pyValueFromJson } from '../support/py-value-json.js';

const fixtures = resolve(repoRoot, 'models/sklearn/fixtures');

/** Values a hostile pickle could put anywhere: other types, other shapes, absurd numbers. */
const replacements = (): PyValue[] => [
  null,
  'x',
  -1,
  1.5,
  NaN,
  2n ** 70n,
  true,
  [],
  [1, 'a', null],
  new Map(),
  { kind: 'ndarray', dtype: '<f8', shape: [2, 2], data: Float64Array.of(1, 2, 3) },
  { kind: 'ndarray', dtype: '|O', shape: [1], data: [{ kind: 'object', className: 'os.system', args: [], state: null }] },
  { kind: 'ndarray', dtype: 'struct', shape: [1], data: new Map() },
  { kind: 'object', className: 'sklearn.tree._tree.Tree', args: [1, null, 1], state: new Map([['node_count', 1e9]]) },
];

/** Every container slot (attribute, list item, object field) inside the state, for one to be replaced. */
function slots(v: PyValue, out: ((x: PyValue) => void)[] = [], depth = 0): ((x: PyValue) => void)[] {
  if (depth > 7) return out;
  if (v instanceof Map) {
    for (const [k, x] of v) {
      out.push((y) => v.set(k, y));
      out.push(() => v.delete(k));
      slots(x, out, depth + 1);
    }
  } else if (Array.isArray(v) && !Object.isFrozen(v)) {
    v.forEach((x, i) => {
      out.push((y) => ((v as PyValue[])[i] = y));
      slots(x, out, depth + 1);
    });
  } else if (Array.isArray(v)) {
    v.forEach((x) => slots(x, out, depth + 1));
  } else if (typeof v === 'object' && v !== null && (v as PyObject).kind === 'object') {
    const o = v as unknown as { args: PyValue[]; state: PyValue };
    out.push((y) => (o.state = y));
    slots(o.args as PyValue, out, depth + 1);
    slots(o.state, out, depth + 1);
  } else if (typeof v === 'object' && v !== null && (v as { kind?: string }).kind === 'ndarray') {
    const a = v as unknown as { data: unknown; shape: number[] };
    out.push(() => (a.shape = [a.shape[0] ?? 1, 1e6]));
    if (Array.isArray(a.data)) (a.data as PyValue[]).forEach((x) => slots(x, out, depth + 1));
  }
  return out;
}

describe('hostile scikit-learn state ends in a typed error or a working estimator', () => {
  const names = readdirSync(fixtures).map((f) => f.replace(/\.json$/, '')).filter((n) => n !== 'unsupported_svc');
  it.each(names)('%s: 100 seeded mutations', (name) => {
    const fixture = JSON.parse(readFileSync(resolve(fixtures, `${name}.json`), 'utf8')) as { state: unknown; input: { columns: string[] | null; rows: unknown[][] } | null };
    // Seeded per fixture, so a failure names a replayable case.
    const gen = seededRandom(name.length * 7919 + name.charCodeAt(0));
    const random = () => gen.nextDouble();
    let typed = 0;
    for (let m = 0; m < 100; m++) {
      const state = pyValueFromJson(fixture.state);
      // Half the mutations hit the estimator's own attributes, where the mapper reads most.
      const places = random() < 0.5 ? slots((state as PyObject).state, [], 6) : slots(state);
      const pick = places[Math.floor(random() * places.length)];
      const values = replacements();
      pick(values[Math.floor(random() * values.length)]);
      try {
        const model = sklearnEstimatorFromPython(state as PyObject);
        if (fixture.input) {
          const { columns, rows } = fixture.input;
          const x = (columns ? rows.map((r) => Object.fromEntries(columns.map((c, j) => [c, r[j]]))) : rows) as EstimatorInput;
          if (model.predict) model.predict(x);
          if (model.predictProba) model.predictProba(x);
          if (model.estimatorType === 'transformer') model.transform!(x);
        }
      } catch (e) {
        if (!(e instanceof RetailMlError)) throw new Error(`${name}, mutation ${m}: ${(e as Error).stack}`);
        typed++;
      }
    }
    expect(typed).toBeGreaterThan(0);
  });
});
