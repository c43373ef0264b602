// Property and fuzz tests for the model parsers: UBJSON, tolerant JSON, and the loader on
// mutated or truncated real models. Every failure must be a typed error, in bounded time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUbjson, InputError, loadXGBoost, ModelFormatError, type XGBoostSource, parseTolerantJson, RetailMlError } from '../../src/index.js';
import { generatedFixtures } from '../support/paths.js';
import { encodeUbjson } from '../support/ubjson-encode.js';

const modelName = 'cat_binary_partition';
const ubjBytes = readFileSync(join(generatedFixtures, `${modelName}.ubj`));
const jsonText = readFileSync(join(generatedFixtures, `${modelName}.json`), 'utf8');
const probeRows = [new Array(7).fill(null), new Array(7).fill(0), new Array(7).fill(1)];

/** Loading must either fail with ModelFormatError or give a model whose predictions complete. */
function loadsCleanlyOrFailsTyped(source: XGBoostSource): void {
  const started = Date.now();
  try {
    const model = loadXGBoost(source);
    if (model.numFeatures > 10_000) return;
    try {
      model.predict(probeRows.map((r) => r.slice(0, model.numFeatures).concat(new Array(Math.max(0, model.numFeatures - r.length)).fill(null))));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
    }
  } catch (error) {
    if (!(error instanceof ModelFormatError)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.message).not.toContain('\n');
  }
  expect(Date.now() - started).toBeLessThan(2000);
}

const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string(),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 5 }),
  ),
}));

describe('UBJSON decoder', () => {
  it('round-trips any JSON value written by an independent encoder', () => {
    fc.assert(
      fc.property(jsonValue.value, (value) => {
        const decoded = decodeUbjson(encodeUbjson(value));
        expect(JSON.parse(JSON.stringify(decoded))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });
  it('decodes typed float32 arrays to Float32Array', () => {
    const decoded = decodeUbjson(encodeUbjson({ a: Float32Array.of(1.5, -2, NaN) })) as { a: Float32Array };
    expect(decoded.a).toBeInstanceOf(Float32Array);
    expect([...decoded.a]).toEqual([1.5, -2, NaN]);
  });
  it('a __proto__ key is an ordinary key and pollutes nothing', () => {
    const bytes = encodeUbjson(JSON.parse('{"__proto__": {"polluted": 1}, "x": 1}'));
    const decoded = decodeUbjson(bytes) as Record<string, unknown>;
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('every truncation of a real model is a ModelFormatError naming a byte offset', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: ubjBytes.length - 1 }), (cut) => {
        expect(() => decodeUbjson(ubjBytes.subarray(0, cut))).toThrow(/UBJSON byte \d+/);
      }),
      { numRuns: 300 },
    );
  });
  it('random bytes decode or fail with ModelFormatError, never anything else, never slowly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeUbjson(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(ModelFormatError);
        }
      }),
      { numRuns: 2000 },
    );
  });
  it('a huge declared count is refused before anything is allocated', () => {
    const bytes = Uint8Array.of(0x5b, 0x24, 0x64, 0x23, 0x4c, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00);
    expect(() => decodeUbjson(bytes)).toThrow(/count|beyond 2\^53/);
  });
  it('nesting deeper than any model needs is refused, not a stack overflow', () => {
    expect(() => decodeUbjson(new Uint8Array(100_000).fill(0x5b))).toThrow(/nesting deeper/);
  });
});

describe('tolerant JSON', () => {
  it('reads bare NaN and ±Infinity tokens, leaving strings alone', () => {
    expect(parseTolerantJson('{"a": [NaN, Infinity, -Infinity, 1], "s": "NaN Infinity"}')).toEqual({ a: [null, Infinity, -Infinity, 1], s: 'NaN Infinity' });
    expect(parseTolerantJson('{"k\\"NaN": NaN}')).toEqual({ 'k"NaN': null });
  });
  it('any text is parsed or rejected with ModelFormatError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        try {
          parseTolerantJson(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ModelFormatError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('loadXGBoost on damaged models', () => {
  it('every truncation of the JSON text fails with ModelFormatError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: jsonText.length - 2 }), (cut) => {
        expect(() => loadXGBoost(jsonText.slice(0, cut))).toThrow(ModelFormatError);
      }),
      { numRuns: 200 },
    );
  });
  it('flipped bytes in the UBJ file give a typed error or a model that still scores', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: ubjBytes.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (flips) => {
        const bytes = Uint8Array.from(ubjBytes);
        for (const [at, value] of flips) bytes[at] = value;
        loadsCleanlyOrFailsTyped(bytes);
      }),
      { numRuns: 400 },
    );
  });

  const parsed = parseTolerantJson(jsonText) as Record<string, unknown>;
  /** Every path to a value inside the model document. */
  const paths: (string | number)[][] = [];
  (function collect(value: unknown, path: (string | number)[]) {
    paths.push(path);
    if (Array.isArray(value)) value.forEach((v, i) => i < 6 && collect(v, [...path, i]));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) collect(v, [...path, k]);
  })(parsed, []);
  const replacement = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.constant(-1),
    fc.constant(1e9),
    fc.constant('x'),
    fc.constant([]),
    fc.constant({}),
    fc.integer({ min: -3, max: 40 }),
    fc.double(),
    fc.array(fc.integer({ min: -2, max: 30 }), { maxLength: 12 }),
  );
  it('any field replaced, removed or retyped gives a typed error or a model that still scores', () => {
    fc.assert(
      fc.property(fc.constantFrom(...paths.filter((p) => p.length > 0)), replacement, (path, value) => {
        const copy = structuredClone(parsed);
        let parent: any = copy;
        for (const key of path.slice(0, -1)) parent = parent[key];
        const last = path[path.length - 1];
        if (value === undefined) {
          if (Array.isArray(parent)) parent.splice(last as number, 1);
          else delete parent[last];
        } else parent[last] = value;
        loadsCleanlyOrFailsTyped(copy);
      }),
      { numRuns: 1500 },
    );
  });

  it('names where a model is wrong, e.g. a short left_children array', () => {
    const copy = structuredClone(parsed) as any;
    copy.learner.gradient_booster.model.trees[3].left_children.splice(-2, 2);
    const n = Number(copy.learner.gradient_booster.model.trees[3].tree_param.num_nodes);
    expect(() => loadXGBoost(copy)).toThrow(`learner.gradient_booster.model.trees[3].left_children: length ${n - 2}, expected ${n}`);
  });
  it('rejects a cycle, an out-of-range child and a feature beyond num_feature', () => {
    const tree = (copy: any) => copy.learner.gradient_booster.model.trees[0];
    const cyc = structuredClone(parsed) as any;
    tree(cyc).right_children[1] = 1;
    expect(() => loadXGBoost(cyc)).toThrow(/trees\[0\]\.right_children: node 1 (is reached twice|has child 1)/);
    const far = structuredClone(parsed) as any;
    tree(far).left_children[0] = 999;
    expect(() => loadXGBoost(far)).toThrow(/trees\[0\]\.left_children: node 0 has child 999, out of range/);
    const feat = structuredClone(parsed) as any;
    tree(feat).split_indices[0] = 7;
    expect(() => loadXGBoost(feat)).toThrow(/trees\[0\]\.split_indices: node 0 splits on feature 7, out of range \[0, 7\)/);
  });
  it('all errors are RetailMlErrors with a stable code', () => {
    try {
      loadXGBoost('{"learner": {}}');
    } catch (error) {
      expect(error).toBeInstanceOf(RetailMlError);
      expect((error as RetailMlError).code).toBe('MODEL_FORMAT');
    }
  });
});

describe('XGBoostModel.predict input checks', () => {
  const model = loadXGBoost(jsonText);
  it('a row of the wrong width is an InputError', () => {
    expect(() => model.predict([[1, 2, 3]])).toThrow(/row 0 has 3 values, expected 7/);
    expect(() => model.predict(new Float64Array(9))).toThrow(/multiple of 7/);
  });
  it('named rows: unknown keys, including __proto__, are errors and pollute nothing', () => {
    const row = JSON.parse('{"__proto__": 1}');
    expect(() => model.predict([row])).toThrow(/unknown feature '__proto__'/);
    expect(() => model.predict([{ agee: 3 }])).toThrow(/unknown feature 'agee'/);
    expect(({} as Record<string, unknown>)['0']).toBeUndefined();
  });
  it('a string for a feature without category names is an InputError', () => {
    expect(() => model.predict([['a', 0, 0, 0, 0, 0, 0]])).toThrow(InputError);
  });
  it('an iteration range outside the model is an InputError', () => {
    expect(() => model.predict([new Array(7).fill(0)], { iterationRange: [0, 999] })).toThrow(/outside the model's \d+ rounds/);
  });
});
