import { Gunzip, Unzlib } from 'fflate';
import { ModelFormatError, UnsafePickleError } from '../../errors.js';
import { arrayFromBytes, makeDType, shapeSize, type DType } from './numpy-array.js';
import type { NdArray, PyObject, PyValue } from './py-value.js';
import { runPickle, type PickleStream, type UnpickleOptions } from './unpickle.js';

// Compressors joblib can write, by the magic bytes it starts its files with.
const OTHER_COMPRESSORS: [number[], string][] = [
  [[0x42, 0x5a], 'bz2'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a], 'xz'],
  [[0x5d, 0x00], 'lzma'],
  [[0x04, 0x22, 0x4d, 0x18], 'lz4'],
  [[0x5a, 0x46], "joblib < 0.10's zlib ('ZF')"],
];

/**
 * Reads a joblib file (`joblib.dump`) into plain data: the pickle stream with the NumPy
 * arrays joblib writes right after each `NumpyArrayWrapper`, uncompressed, zlib-compressed
 * (`compress=3`, joblib's default compressor) or gzip-compressed. Other compressors
 * (bz2, xz, lzma, lz4) are named in a {@link ModelFormatError}. Same safety and limits as
 * {@link unpickle}; `maxBytes` also caps the decompressed size.
 *
 * @example
 * const value = unjoblib(readFileSync('model.joblib'));
 */
export function unjoblib(bytes: Uint8Array, options: UnpickleOptions = {}): PyValue {
  if (!(bytes instanceof Uint8Array)) throw new ModelFormatError('joblib', 'expected bytes (a Uint8Array)');
  const raw = decompress(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), options.maxBytes ?? 1 << 30);
  return runPickle(raw, options, readWrappedArray);
}

/**
 * Undoes joblib's compression, if any, refusing output beyond `maxBytes` as it streams.
 *
 * @example
 * decompress(zlibBytes, 1 << 20) // => the pickle stream
 */
export function decompress(bytes: Uint8Array, maxBytes: number): Uint8Array {
  if (bytes.length === 0) throw new ModelFormatError('joblib', 'empty file');
  if (bytes[0] === 0x78) return inflate(bytes, maxBytes, 'zlib', (cb) => new Unzlib(cb));
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return inflate(bytes, maxBytes, 'gzip', (cb) => new Gunzip(cb));
  for (const [magic, name] of OTHER_COMPRESSORS) {
    if (magic.every((b, i) => bytes[i] === b)) throw new ModelFormatError('joblib', `compressed with ${name}, which retail-ml does not read; re-save with joblib.dump(model, path, compress=3) (zlib) or without compression`);
  }
  return bytes;
}

interface Inflater {
  push(chunk: Uint8Array, final?: boolean): void;
}

function inflate(bytes: Uint8Array, maxBytes: number, name: string, make: (cb: (data: Uint8Array, final: boolean) => void) => Inflater): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const inflater = make((data, final) => {
    total += data.length;
    if (total > maxBytes) throw new ModelFormatError('joblib', `${name} data expands beyond maxBytes ${maxBytes}`);
    parts.push(data);
    if (final) ended = true;
  });
  // Small input slices bound what one call can expand to (deflate expands at most ~1032x: 64 KiB in, ≤ 66 MiB out).
  const step = 65536;
  try {
    for (let i = 0; i < bytes.length; i += step) inflater.push(bytes.subarray(i, i + step), i + step >= bytes.length);
  } catch (error) {
    if (error instanceof ModelFormatError) throw error;
    throw new ModelFormatError('joblib', `corrupt ${name} data (${error instanceof Error ? error.message : 'inflate failed'})`);
  }
  if (!ended) throw new ModelFormatError('joblib', `truncated ${name} data`);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** joblib's `NumpyArrayWrapper.read_array`: the array follows the wrapper in the stream. */
function readWrappedArray(state: PyValue, stream: PickleStream): NdArray {
  const where = 'joblib NumpyArrayWrapper';
  if (!(state instanceof Map)) throw new ModelFormatError(where, 'state must be a dict');
  const subclass = state.get('subclass') as PyObject | undefined;
  if (subclass?.className !== 'numpy.ndarray') throw new UnsafePickleError(String(subclass?.className ?? 'unknown'), `${where}: array subclass '${String(subclass?.className ?? 'unknown')}' is not numpy.ndarray; refused`);
  const shapeValue = state.get('shape');
  if (!Array.isArray(shapeValue)) throw new ModelFormatError(where, 'shape must be a tuple');
  const dtypeValue = state.get('dtype');
  const order = state.get('order');
  const dt = dtypeFromValue(dtypeValue, where);
  const shape = shapeSize(shapeValue as PyValue[], 2 ** 28, `${where}.shape`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (dt.kind === 'O') {
    // joblib pickles object arrays as their own pickle, in place.
    const nested = stream.nested();
    if (!(nested !== null && typeof nested === 'object' && 'kind' in nested && (nested as NdArray).kind === 'ndarray')) throw new ModelFormatError(where, 'object array data is not an array');
    return nested as NdArray;
  }
  if (state.get('numpy_array_alignment_bytes') != null) {
    const padding = stream.read(1)[0];
    stream.read(padding);
  }
  const raw = stream.read(count * dt.itemsize);
  return arrayFromBytes(dt, shape, raw, order === 'F', where);
}

function dtypeFromValue(value: PyValue | undefined, where: string): DType {
  // The VM keeps parsed dtypes private; the wrapper's dtype is a numpy.dtype PyObject with
  // its constructor arguments and BUILD state, which is all a dtype is.
  const obj = value as PyObject | undefined;
  if (obj?.kind !== 'object' || obj.className !== 'numpy.dtype' || typeof obj.args[0] !== 'string') throw new ModelFormatError(where, 'dtype must be a numpy dtype');
  const state = obj.state === null ? null : Array.isArray(obj.state) ? (obj.state as PyValue[]) : null;
  return makeDType(obj.args[0], state, (v, w) => dtypeFromValue(v, w));
}
