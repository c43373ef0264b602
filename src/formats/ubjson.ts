import { ModelFormatError } from '../errors.js';

/** Deeper nesting than any model needs; a hostile file must not blow the stack. */
const MAX_DEPTH = 64;

const TYPED_SIZES: Record<string, number> = { i: 1, U: 1, I: 2, l: 4, L: 8, d: 4, D: 8 };

/**
 * Decodes Universal Binary JSON (the `.ubj` format XGBoost saves by default since 2.1):
 * big-endian numbers, optimised `$type#count` containers returned as typed arrays
 * (Float32Array for `d`, Int32Array for `l`, ...). Every read is bounds-checked and
 * every count is checked against the bytes left (at least one byte per element, even for
 * `$Z`/`$T`/`$F` containers whose elements take none), so truncated or hostile input is a
 * {@link ModelFormatError} naming the byte offset, never a hang or a huge allocation.
 * Objects have a null prototype, so a `__proto__` key is just a key.
 *
 * @example
 * decodeUbjson(new Uint8Array([0x7b, 0x55, 0x01, 0x61, 0x55, 0x07, 0x7d])) // => { a: 7 }
 */
export function decodeUbjson(bytes: Uint8Array): unknown {
  const reader = new UbjReader(bytes);
  const value = reader.value(0);
  reader.skipNoOps();
  if (reader.pos !== bytes.length) reader.fail(`trailing ${bytes.length - reader.pos} bytes after the value`);
  return value;
}

class UbjReader {
  pos = 0;
  private readonly view: DataView;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(detail: string): never {
    throw new ModelFormatError(`UBJSON byte ${this.pos}`, detail);
  }

  private need(size: number): void {
    if (this.pos + size > this.bytes.length) this.fail(`truncated: needs ${size} more bytes, ${this.bytes.length - this.pos} left`);
  }

  private marker(): string {
    this.need(1);
    return String.fromCharCode(this.bytes[this.pos++]);
  }

  skipNoOps(): void {
    while (this.pos < this.bytes.length && this.bytes[this.pos] === 0x4e /* N */) this.pos++;
  }

  value(depth: number): unknown {
    this.skipNoOps();
    return this.valueOf(this.marker(), depth);
  }

  private valueOf(type: string, depth: number): unknown {
    switch (type) {
      case 'Z':
        return null;
      case 'T':
        return true;
      case 'F':
        return false;
      case 'i':
      case 'U':
      case 'I':
      case 'l':
      case 'L':
      case 'd':
      case 'D':
        return this.number(type);
      case 'H': {
        const text = this.string();
        const value = Number(text);
        if (Number.isNaN(value) && text.trim() !== 'NaN') this.fail(`bad high-precision number '${text.slice(0, 40)}'`);
        return value;
      }
      case 'C':
        this.need(1);
        return String.fromCharCode(this.bytes[this.pos++]);
      case 'S':
        return this.string();
      case '[':
        return this.array(depth + 1);
      case '{':
        return this.object(depth + 1);
      default:
        this.pos--;
        return this.fail(`unknown type marker 0x${type.charCodeAt(0).toString(16).padStart(2, '0')}`);
    }
  }

  private number(type: string): number {
    const size = TYPED_SIZES[type];
    this.need(size);
    const p = this.pos;
    this.pos += size;
    switch (type) {
      case 'i':
        return this.view.getInt8(p);
      case 'U':
        return this.view.getUint8(p);
      case 'I':
        return this.view.getInt16(p, false);
      case 'l':
        return this.view.getInt32(p, false);
      case 'L': {
        const big = this.view.getBigInt64(p, false);
        if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
          this.pos = p;
          this.fail(`int64 ${big} is beyond 2^53`);
        }
        return Number(big);
      }
      case 'd':
        return this.view.getFloat32(p, false);
      default:
        return this.view.getFloat64(p, false);
    }
  }

  private length(): number {
    this.skipNoOps();
    const type = this.marker();
    if (!(type in TYPED_SIZES) || type === 'd' || type === 'D') this.fail(`expected an integer length, got marker '${type}'`);
    const n = this.number(type);
    if (n < 0) this.fail(`negative length ${n}`);
    return n;
  }

  private string(): string {
    const n = this.length();
    this.need(n);
    const start = this.pos;
    this.pos += n;
    try {
      return this.decoder.decode(this.bytes.subarray(start, start + n));
    } catch {
      this.pos = start;
      return this.fail('string is not valid UTF-8');
    }
  }

  /** Reads the optional `$type` and `#count` header of a container. */
  private header(): { type: string | null; count: number | null } {
    let type: string | null = null;
    let count: number | null = null;
    if (this.pos < this.bytes.length && this.bytes[this.pos] === 0x24 /* $ */) {
      this.pos++;
      type = this.marker();
      if (this.pos >= this.bytes.length || this.bytes[this.pos] !== 0x23 /* # */) this.fail("'$' type without '#' count");
    }
    if (this.pos < this.bytes.length && this.bytes[this.pos] === 0x23 /* # */) {
      this.pos++;
      count = this.length();
      // Every element is charged at least one byte, even `$Z`/`$T`/`$F` ones that take
      // none: 9 bytes declaring 2^24 nulls would otherwise build a 2^24-slot array, and 21
      // bytes declaring 2^31 would abort Node with an uncatchable out-of-memory.
      const minSize = type === null ? 1 : Math.max(1, TYPED_SIZES[type] ?? 1);
      if (count * minSize > this.bytes.length - this.pos) this.fail(`count ${count} exceeds the ${this.bytes.length - this.pos} bytes left`);
    }
    return { type, count };
  }

  private array(depth: number): unknown[] | ArrayLike<number> {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    const { type, count } = this.header();
    if (type !== null && count !== null && type in TYPED_SIZES) return this.typedArray(type, count);
    const out: unknown[] = [];
    if (count !== null) {
      for (let k = 0; k < count; k++) out.push(type === null ? this.value(depth) : this.valueOf(type, depth));
      return out;
    }
    for (;;) {
      this.skipNoOps();
      this.need(1);
      if (this.bytes[this.pos] === 0x5d /* ] */) {
        this.pos++;
        return out;
      }
      out.push(this.value(depth));
    }
  }

  private typedArray(type: string, count: number): ArrayLike<number> {
    const size = TYPED_SIZES[type];
    this.need(count * size);
    const p = this.pos;
    this.pos += count * size;
    const v = this.view;
    switch (type) {
      case 'U':
        // Copy explicitly: a Node Buffer's slice() is a view into a shared pool.
        return Uint8Array.prototype.slice.call(this.bytes, p, p + count);
      case 'i': {
        const out = new Int8Array(count);
        for (let k = 0; k < count; k++) out[k] = v.getInt8(p + k);
        return out;
      }
      case 'I': {
        const out = new Int16Array(count);
        for (let k = 0; k < count; k++) out[k] = v.getInt16(p + 2 * k, false);
        return out;
      }
      case 'l': {
        const out = new Int32Array(count);
        for (let k = 0; k < count; k++) out[k] = v.getInt32(p + 4 * k, false);
        return out;
      }
      case 'L': {
        const out = new Float64Array(count);
        for (let k = 0; k < count; k++) {
          const big = v.getBigInt64(p + 8 * k, false);
          if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
            this.pos = p + 8 * k;
            this.fail(`int64 ${big} is beyond 2^53`);
          }
          out[k] = Number(big);
        }
        return out;
      }
      case 'd': {
        const out = new Float32Array(count);
        for (let k = 0; k < count; k++) out[k] = v.getFloat32(p + 4 * k, false);
        return out;
      }
      default: {
        const out = new Float64Array(count);
        for (let k = 0; k < count; k++) out[k] = v.getFloat64(p + 8 * k, false);
        return out;
      }
    }
  }

  private object(depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    const { type, count } = this.header();
    const out: Record<string, unknown> = Object.create(null);
    const entry = () => {
      const key = this.string();
      out[key] = type === null ? this.value(depth) : this.valueOf(type, depth);
    };
    if (count !== null) {
      for (let k = 0; k < count; k++) entry();
      return out;
    }
    for (;;) {
      this.skipNoOps();
      this.need(1);
      if (this.bytes[this.pos] === 0x7d /* } */) {
        this.pos++;
        return out;
      }
      entry();
    }
  }
}
