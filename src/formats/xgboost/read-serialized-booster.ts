import { ModelFormatError } from '../../errors.js';
import { parseTolerantJsonBytes } from '../tolerant-json.js';
import { decodeUbjson } from '../ubjson.js';
import { isDoc, type Doc } from './fields.js';
import { legacyBinaryToDocument } from './read-legacy-binary.js';

const CONFIG_OFFSET = 'CONFIG-offset:';

/**
 * Reads the bytes a pickled `xgboost.core.Booster` keeps in its `handle` (XGBoost's
 * `XGBoosterSerializeToBuffer`) into a model document for `loadXGBoost`:
 * - XGBoost ≥ 1.0 with JSON serialisation (1.7 by default): a UBJSON or JSON snapshot `{ Model, Config }`;
 * - XGBoost 1.0–1.6 without it: `CONFIG-offset:`, an int64 length, the legacy binary model, then the JSON config;
 * - older pickles and `save_raw()`: the legacy binary model alone.
 *
 * @example
 * const model = loadXGBoost(serializedBoosterToDocument(handleBytes));
 */
export function serializedBoosterToDocument(bytes: Uint8Array): Doc {
  let i = 0;
  while (i < bytes.length && isSpace(bytes[i])) i++;
  if (i >= bytes.length) throw new ModelFormatError('Booster.handle', 'empty');
  if (bytes[i] === 0x7b) {
    // JSON has a quote, white space or '}' after '{'; UBJSON a type marker.
    const isJson = bytes[i + 1] === 0x22 || bytes[i + 1] === 0x7d || isSpace(bytes[i + 1]);
    const snapshot = isJson ? parseTolerantJsonBytes(bytes, 'Booster.handle') : decodeUbjson(bytes);
    if (!isDoc(snapshot)) throw new ModelFormatError('Booster.handle', 'expected a { Model, Config } snapshot');
    const model = Object.hasOwn(snapshot, 'Model') ? snapshot.Model : Object.hasOwn(snapshot, 'learner') ? snapshot : undefined;
    if (!isDoc(model)) throw new ModelFormatError('Booster.handle.Model', 'missing');
    return model;
  }
  if (startsWith(bytes, CONFIG_OFFSET)) {
    const at = CONFIG_OFFSET.length;
    if (bytes.length < at + 8) throw new ModelFormatError('Booster.handle', 'truncated after CONFIG-offset:');
    const length = new DataView(bytes.buffer, bytes.byteOffset + at, 8).getBigInt64(0, true);
    if (length < 0n || length > BigInt(bytes.length - at - 8)) throw new ModelFormatError('Booster.handle', `model length ${length} exceeds the ${bytes.length - at - 8} bytes present`);
    return legacyBinaryToDocument(bytes.subarray(at + 8, at + 8 + Number(length)));
  }
  return legacyBinaryToDocument(bytes);
}

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function startsWith(bytes: Uint8Array, text: string): boolean {
  if (bytes.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}
