import { InputError, ModelFormatError } from '../../errors.js';
import { parseTolerantJson, parseTolerantJsonBytes } from '../tolerant-json.js';
import { decodeUbjson } from '../ubjson.js';
import { readLearner } from './read-learner.js';
import { XGBoostModel, type XGBoostEngineOptions } from './xgboost-model.js';

/** Options for {@link loadXGBoost}. */
export interface LoadXGBoostOptions {
  /**
   * Category names per feature (by feature name or index), index = code. Needed to pass
   * strings for categorical features of models older than XGBoost 3.1, which do not
   * store them (2.x used pandas category codes: the sorted category values).
   */
  categories?: Readonly<Record<string, readonly string[]>> | ReadonlyArray<readonly string[] | null>;
  /** Score with rounds [0, best_iteration + 1) by default, as XGBoost's sklearn API does. Default false. */
  useBestIteration?: boolean;
  /** Compile trees to WebAssembly for speed: 'auto' (default) or true, or false for the interpreter; see {@link XGBoostEngineOptions}. */
  compile?: boolean | 'auto';
}

/**
 * What {@link loadXGBoost} reads: the file's bytes (`Uint8Array`, Node's `Buffer`, any other
 * `ArrayBufferView`, or an `ArrayBuffer` as `await res.arrayBuffer()` gives), JSON text, or
 * the parsed JSON document.
 */
export type XGBoostSource = Uint8Array | ArrayBuffer | ArrayBufferView | string | Readonly<Record<string, unknown>>;

/**
 * Loads an XGBoost model saved by `save_model` (JSON or UBJSON, XGBoost 1.0–3.4; the legacy
 * binary format of 1.x's `save_raw()` and `save_model('m.model')` is {@link loadXGBoostLegacy}'s).
 * Accepts the file's bytes (any `ArrayBuffer` or view), JSON text, or an already-parsed object. Malformed,
 * truncated or hostile files throw a {@link ModelFormatError} naming the bad place.
 *
 * @example
 * import { readFileSync } from 'node:fs';
 * const model = loadXGBoost(readFileSync('model.ubj'));
 * const p = model.predict([[35, 30, 0, 0, 1, 0, 0]]);
 */
export function loadXGBoost(source: XGBoostSource, options: LoadXGBoostOptions = {}): XGBoostModel {
  const parts = readLearner(parseSource(source));
  const categories = resolveCategories(parts.numFeatures, parts.featureNames, parts.categoryNames, options.categories);
  return new XGBoostModel(parts, categories, options.useBestIteration ?? false, { compile: options.compile });
}

function parseSource(input: XGBoostSource): unknown {
  if (typeof input === 'string') return parseTolerantJson(input);
  const source = asBytes(input);
  if (source instanceof Uint8Array) {
    let i = 0;
    while (i < source.length && (source[i] === 0x20 || source[i] === 0x0a || source[i] === 0x0d || source[i] === 0x09)) i++;
    if (i >= source.length) throw new ModelFormatError('model', 'empty input');
    // Both start with '{'; JSON then has a quote or white space, UBJSON a type marker.
    const next = source[i + 1];
    const isJson = source[i] === 0x7b && (next === 0x22 || next === 0x20 || next === 0x0a || next === 0x0d || next === 0x09 || next === 0x7d);
    if (isJson) return parseTolerantJsonBytes(source);
    // XGBoost 1.x's legacy binary format (save_raw, save_model('m.model')) starts with 'binf'. Its
    // reader is a separate import, so that bundles that only read JSON/UBJ do not carry it.
    if (source[0] === 0x62 && source[1] === 0x69 && source[2] === 0x6e && source[3] === 0x66) {
      throw new ModelFormatError('model', "XGBoost's legacy binary format (save_raw, save_model('m.model')): load it with loadXGBoostLegacy, or loadXGBoostFile / loadModelFile from retail-ml/node");
    }
    if (source[i] !== 0x7b) throw new ModelFormatError('model', `neither JSON nor UBJSON (starts with byte 0x${source[i].toString(16)})`);
    return decodeUbjson(source);
  }
  if (source !== null && typeof source === 'object') return source;
  throw new InputError('loadXGBoost takes bytes (Uint8Array, ArrayBuffer or a view), a JSON string or a parsed object');
}

/** Views any binary input as bytes without copying; anything else is returned as it is. */
export function asBytes(source: XGBoostSource): unknown {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer)) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return source;
}

function resolveCategories(
  numFeatures: number,
  featureNames: readonly string[] | null,
  fromModel: (string[] | null)[] | null,
  given: LoadXGBoostOptions['categories'],
): (readonly string[] | null)[] {
  // Sparse on purpose: most features have no categories, and num_feature may be large.
  const out: (readonly string[] | null)[] = fromModel ? [...fromModel] : new Array(numFeatures);
  if (!given) return out;
  if (Array.isArray(given)) {
    if (given.length !== numFeatures) throw new InputError(`categories has ${given.length} entries, expected ${numFeatures} (one per feature)`);
    given.forEach((names, f) => {
      if (names) out[f] = checkNames(names, `feature ${f}`);
    });
    return out;
  }
  for (const [key, names] of Object.entries(given as Record<string, readonly string[]>)) {
    let f = featureNames ? featureNames.indexOf(key) : -1;
    if (f < 0 && /^(f)?\d+$/.test(key)) f = Number(key.replace(/^f/, ''));
    if (f < 0 || f >= numFeatures) throw new InputError(`categories names unknown feature '${key}'`);
    out[f] = checkNames(names, key);
  }
  return out;
}

function checkNames(names: readonly string[], what: string): readonly string[] {
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) throw new InputError(`categories for ${what} must be an array of strings`);
  return names;
}
