import { decodeUbjson } from '../src/formats/ubjson.js';
import type { Random } from './random.js';
import { encodeUbjson } from './ubjson-encode.js';

/** How a seed file's document can be parsed and written back, for structure-aware mutations. */
type Codec = { decode(bytes: Uint8Array): unknown; encode(doc: unknown): Uint8Array };

const utf8 = new TextDecoder();
const encoder = new TextEncoder();

/** Numbers that break naive parsers: sign, width and float32/float64/int32/2^53 boundaries. */
export const NUMERIC_EXTREMES = [
  '0', '-0', '-1', '1', '2', '255', '256', '65536', '2147483647', '2147483648', '-2147483649', '4294967295', '4294967296',
  '16777215', '16777216', '16777217', '9007199254740993', '1e9', '1e15', '1e308', '-1e308', '1e999', '-1e999', '5e-324',
  '1e-45', '0.5', '-0.1', '1.5', '88.7', '-88.8', '3.4028235e38', '3.4028236e38', 'NaN', 'Infinity', '-Infinity',
];
const EXTREME_VALUES: unknown[] = [
  0, -0, -1, 1, 2, 255, 256, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 2 ** 24, 2 ** 24 + 1, 2 ** 53, 1e9, 1e308, -1e308,
  Infinity, -Infinity, NaN, 5e-324, 0.5, -0.1, 3.4028236e38, -88.8, null, true, false, '', '0', '-1', '1e9', 'NaN', 'x',
  '../x', '/etc/passwd', '\u0000', '\u2028', [], {}, [null], [-1], [1e9], { '': 0 }, { __proto__: null, nodeid: 0 },
];
const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x22, 0x5b, 0x5d, 0x7b, 0x7d, 0x2c, 0x0a, 0x0d, 0x24, 0x23, 0x4c, 0x5a, 0x5c, 0x2d, 0x39];
const WIDE_INTS = [0x7fffffff, 0x80000000, 0xffffffff, 0x01000000, 0x00ffffff, 0x40000000];

/**
 * One fuzz input: 1 to 3 stacked mutations of a seed (byte flips, interesting bytes,
 * truncation, chunk deletion/duplication, splices of two seeds, numeric extremes in the
 * text or in 32-bit words, structure-aware edits of the parsed JSON/UBJSON document).
 * Deterministic in `rng`, so (seed, case index) replays it exactly.
 *
 * @example
 * const input = mutate([seedBytes], caseRandom(1, 17));
 */
export function mutate(seeds: readonly Uint8Array[], rng: Random): Uint8Array {
  let bytes = rng.pick(seeds);
  const steps = 1 + rng.int(3);
  // Half the cases edit only the parsed document, so they get past the syntax check and
  // reach the semantic checks; the other half mix byte-level and structural edits.
  const structuralOnly = rng.chance(0.5);
  for (let s = 0; s < steps; s++) bytes = (structuralOnly && structural(bytes, rng)) || mutateOnce(bytes, seeds, rng, s === 0);
  return bytes;
}

function mutateOnce(input: Uint8Array, seeds: readonly Uint8Array[], rng: Random, first: boolean): Uint8Array {
  const kind = rng.int(first ? 10 : 8);
  const bytes = Uint8Array.from(input);
  const n = bytes.length;
  switch (kind) {
    case 0: {
      // flip bits or set random bytes
      const flips = 1 + rng.int(8);
      for (let k = 0; k < flips && n > 0; k++) {
        const i = rng.int(n);
        bytes[i] = rng.chance(0.5) ? bytes[i] ^ (1 << rng.int(8)) : rng.int(256);
      }
      return bytes;
    }
    case 1: {
      for (let k = 0; k < 1 + rng.int(4) && n > 0; k++) bytes[rng.int(n)] = rng.pick(INTERESTING_BYTES);
      return bytes;
    }
    case 2:
      return bytes.slice(0, rng.int(n + 1));
    case 3: {
      // delete or duplicate a chunk
      if (n === 0) return bytes;
      const start = rng.int(n);
      const len = 1 + rng.int(Math.min(n - start, 64 + rng.int(n)));
      if (rng.chance(0.5)) return concat(bytes.subarray(0, start), bytes.subarray(start + len));
      const copies = 1 + rng.int(rng.chance(0.1) ? 64 : 3);
      const parts = [bytes.subarray(0, start + len)];
      for (let c = 0; c < copies; c++) parts.push(bytes.subarray(start, start + len));
      parts.push(bytes.subarray(start + len));
      return concat(...parts);
    }
    case 4: {
      // splice: a prefix of this input and a suffix of another seed
      const other = rng.pick(seeds);
      return concat(bytes.subarray(0, rng.int(n + 1)), other.subarray(rng.int(other.length + 1)));
    }
    case 5: {
      // a numeric token in the text replaced by an extreme
      const text = utf8.decode(bytes);
      const tokens = [...text.matchAll(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g)];
      if (tokens.length === 0) return bytes;
      const t = rng.pick(tokens);
      return encoder.encode(text.slice(0, t.index) + rng.pick(NUMERIC_EXTREMES) + text.slice(t.index! + t[0].length));
    }
    case 6: {
      // a 32-bit big-endian word (UBJSON lengths and int32s) overwritten
      if (n < 4) return bytes;
      const i = rng.int(n - 3);
      new DataView(bytes.buffer).setUint32(i, rng.pick(WIDE_INTS));
      return bytes;
    }
    default:
      return structural(bytes, rng) ?? bytes;
  }
}

/** The bytes of `parts`, one after another. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** JSON text with XGBoost's bare NaN / Infinity tokens for non-finite numbers. */
function jsonText(doc: unknown): string {
  return JSON.stringify(doc, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? `\u0000${v}` : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v)).replace(
    /"\\u0000(NaN|Infinity|-Infinity)"/g,
    '$1',
  );
}
const JSON_CODEC: Codec = { decode: (b) => JSON.parse(utf8.decode(b)), encode: (d) => encoder.encode(jsonText(d)) };
const JSONL_CODEC: Codec = {
  decode: (b) => utf8.decode(b).split('\n').map((line) => (line.trim() === '' ? line : JSON.parse(line))),
  encode: (d) => encoder.encode((d as unknown[]).map((x) => (typeof x === 'string' ? x : jsonText(x))).join('\n')),
};
const UBJ_CODEC: Codec = { decode: (b) => decodeUbjson(b), encode: encodeUbjson };

/** Parses with the first codec that accepts the bytes, or undefined. */
function decodeAny(bytes: Uint8Array): { codec: Codec; doc: unknown } | undefined {
  for (const codec of [JSON_CODEC, UBJ_CODEC, JSONL_CODEC]) {
    try {
      return { codec, doc: codec.decode(bytes) };
    } catch {
      // not this format
    }
  }
  return undefined;
}

/** Structure-aware: parse, edit one node of the document, write back. */
function structural(bytes: Uint8Array, rng: Random): Uint8Array | undefined {
  const parsed = decodeAny(bytes);
  if (!parsed || parsed.doc === null || typeof parsed.doc !== 'object') return undefined;
  const slots: { parent: Record<string | number, unknown>; key: string | number }[] = [];
  const stack: unknown[] = [parsed.doc];
  while (stack.length > 0 && slots.length < 20_000) {
    const v = stack.pop() as Record<string | number, unknown>;
    if (v === null || typeof v !== 'object') continue;
    if (ArrayBuffer.isView(v)) {
      const arr = v as unknown as ArrayLike<number>;
      if (arr.length > 0) slots.push({ parent: v, key: rng.int(arr.length) });
      continue;
    }
    for (const key of Object.keys(v)) {
      const k = Array.isArray(v) ? Number(key) : key;
      slots.push({ parent: v, key: k });
      stack.push(v[k]);
    }
  }
  if (slots.length === 0) return undefined;
  const { parent, key } = rng.pick(slots);
  const current = parent[key];
  const op = rng.int(8);
  if (ArrayBuffer.isView(parent)) {
    (parent as unknown as number[])[key as number] = Number(rng.pick(NUMERIC_EXTREMES));
  } else if (op === 0) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (op === 1 && Array.isArray(current)) {
    // grow an array: repeat elements (counts then disagree with their siblings)
    const extra = 1 + rng.int(rng.chance(0.1) ? 200 : 4);
    for (let k = 0; k < extra && current.length > 0; k++) current.push(structuredClone(current[rng.int(current.length)]));
  } else if (op === 2 && (Array.isArray(current) || ArrayBuffer.isView(current))) {
    parent[key] = Array.from(current as ArrayLike<unknown>).slice(0, rng.int((current as ArrayLike<unknown>).length + 1));
  } else if (op === 3) {
    // copy another subtree here: shared children, cycles by id, mismatched shapes
    const other = rng.pick(slots);
    parent[key] = structuredClone(other.parent[other.key]);
  } else if (op === 4 && typeof current === 'number') {
    parent[key] = rng.pick([current + 1, current - 1, -current, current * 2, current * 1e6, Math.fround(current) + 0.5]);
  } else if (op === 5 && typeof current === 'string' && /^-?\d/.test(current)) {
    parent[key] = rng.pick(NUMERIC_EXTREMES);
  } else if (op === 6) {
    parent[key] = rng.chance(0.5) ? [current] : { value: current };
  } else {
    parent[key] = structuredClone(rng.pick(EXTREME_VALUES));
  }
  try {
    return parsed.codec.encode(parsed.doc);
  } catch {
    return undefined;
  }
}
