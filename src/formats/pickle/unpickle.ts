import { ModelFormatError, UnsafePickleError } from '../../errors.js';
import { allowedGlobal, type GlobalKind } from './allow-list.js';
import { arrayFromBytes, makeDType, scalarFromBytes, shapeSize, type DType } from './numpy-array.js';
import type { NdArray, PyObject, PyValue } from './py-value.js';

/**
 * Limits that keep a hostile pickle from exhausting memory or time. Every limit is
 * checked before the memory it guards is allocated.
 */
export interface UnpickleOptions {
  /** Largest input accepted, in bytes. Default 1 GiB. */
  maxBytes?: number;
  /** Most memo entries (PUT/MEMOIZE). Default 1,000,000. */
  maxMemo?: number;
  /** Deepest nesting of containers and objects in the result. Default 200. */
  maxDepth?: number;
  /** Most values on the VM's stacks at once (MARK included). Default 10,000,000. */
  maxStack?: number;
  /** Most items in all arrays, lists, dicts and NumPy arrays built. Default 2^28. */
  maxElements?: number;
  /** Largest Python int, in bytes (LONG1/LONG4). Default 1,024. */
  maxIntBytes?: number;
}

/** A joblib `NumpyArrayWrapper` met by `BUILD`: its state, and the stream its array follows in. */
export interface ArrayWrapperHook {
  (state: PyValue, stream: PickleStream): NdArray;
}

/** The bytes after the current opcode, for joblib arrays stored inside the pickle stream. */
export interface PickleStream {
  read(n: number): Uint8Array;
  /** Unpickles a nested pickle starting at the current position (joblib's object arrays). */
  nested(): PyValue;
}

const DEFAULTS: Required<UnpickleOptions> = {
  maxBytes: 1 << 30,
  maxMemo: 1_000_000,
  maxDepth: 200,
  maxStack: 10_000_000,
  maxElements: 2 ** 28,
  maxIntBytes: 1024,
};

type Stack = PyValue[];

/**
 * Reads a pickle (protocols 0–5) into plain data, safely: `GLOBAL`/`STACK_GLOBAL` resolve
 * only through an allow-list of NumPy, scikit-learn and XGBoost names, and no Python
 * code exists to run: the reader builds {@link PyValue}s and nothing else. Anything
 * outside the list throws {@link UnsafePickleError} naming the global; malformed or
 * oversized input throws {@link ModelFormatError}.
 *
 * @example
 * const value = unpickle(readFileSync('label_encoder.pkl'));
 * (value as PyObject).className // => 'sklearn.preprocessing._label.LabelEncoder'
 */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions = {}): PyValue {
  return runPickle(bytes, options, null);
}

/**
 * @internal The VM with joblib's array hook (`unjoblib` passes one); {@link unpickle} is the public entry.
 *
 * @example
 * runPickle(bytes, {}, null) // same as unpickle(bytes)
 */
export function runPickle(bytes: Uint8Array, options: UnpickleOptions, onArrayWrapper: ArrayWrapperHook | null): PyValue {
  if (!(bytes instanceof Uint8Array)) throw new ModelFormatError('pickle', 'expected bytes (a Uint8Array)');
  const limits = { ...DEFAULTS, ...options };
  if (bytes.length > limits.maxBytes) throw new ModelFormatError('pickle', `${bytes.length} bytes exceed maxBytes ${limits.maxBytes}`);
  // A Node Buffer's slice() shares memory; a plain view makes slice() copy, as typed arrays need.
  const vm = new Machine(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), limits, onArrayWrapper);
  const result = vm.run(0);
  checkDepth(result, limits.maxDepth);
  return result;
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });

class Machine {
  pos = 0;
  elements = 0;
  private nestedLevel = 0;
  // Hidden facts about objects the VM made; the result stays plain data.
  private readonly kinds = new WeakMap<object, GlobalKind>();
  private readonly dtypes = new WeakMap<object, DType>();
  private readonly pendingArrays = new WeakSet<object>();
  private readonly dtypeObjects = new WeakSet<object>();
  private readonly wrappers = new WeakSet<object>();

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: Required<UnpickleOptions>,
    private readonly onArrayWrapper: ArrayWrapperHook | null,
  ) {}

  private fail(detail: string): never {
    throw new ModelFormatError(`pickle at byte ${this.pos}`, detail);
  }

  private need(n: number): void {
    if (!(n >= 0 && n <= this.bytes.length - this.pos)) this.fail(`truncated: needs ${n} more bytes, ${this.bytes.length - this.pos} left`);
  }

  read(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }

  private view(n: number): DataView {
    const b = this.read(n);
    return new DataView(b.buffer, b.byteOffset, n);
  }

  private u16(): number {
    return this.view(2).getUint16(0, true);
  }

  private u32(): number {
    return this.view(4).getUint32(0, true);
  }

  private u64(): number {
    const v = this.view(8).getBigUint64(0, true);
    if (v > BigInt(this.bytes.length)) this.fail(`declared length ${v} exceeds the ${this.bytes.length}-byte input`);
    return Number(v);
  }

  private line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) this.fail('truncated: a text argument has no newline');
    const text = latin1(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return text;
  }

  private utf8(n: number): string {
    const b = this.read(n);
    try {
      return textDecoder.decode(b);
    } catch {
      this.fail('string is not valid UTF-8');
    }
  }

  private count(n: number): void {
    this.elements += n;
    if (this.elements > this.limits.maxElements) this.fail(`more than maxElements ${this.limits.maxElements} items`);
  }

  run(level: number): PyValue {
    this.nestedLevel = level;
    if (level > 8) this.fail('joblib arrays nested more than 8 deep');
    let stack: Stack = [];
    const marks: Stack[] = [];
    const memo = new Map<number, PyValue>();
    let depth = 0;
    const push = (v: PyValue) => {
      if (++depth > this.limits.maxStack) this.fail(`stack exceeds maxStack ${this.limits.maxStack}`);
      stack.push(v);
    };
    const pop = (): PyValue => {
      if (stack.length === 0) this.fail('stack underflow');
      depth--;
      return stack.pop() as PyValue;
    };
    const top = (): PyValue => {
      if (stack.length === 0) this.fail('stack underflow');
      return stack[stack.length - 1];
    };
    const popMark = (): PyValue[] => {
      if (marks.length === 0) this.fail('no MARK to pop to');
      const items = stack;
      depth -= items.length;
      stack = marks.pop()!;
      return items;
    };
    const put = (index: number) => {
      if (!memo.has(index) && memo.size >= this.limits.maxMemo) this.fail(`memo exceeds maxMemo ${this.limits.maxMemo}`);
      memo.set(index, top());
    };
    const get = (index: number) => {
      if (!memo.has(index)) this.fail(`memo key ${index} was never set`);
      push(memo.get(index) as PyValue);
    };
    const int = (text: string): number | bigint => {
      const t = text.endsWith('L') ? text.slice(0, -1) : text;
      if (!/^[+-]?\d+$/.test(t) || t.length > this.limits.maxIntBytes * 3) this.fail(`bad integer '${t.slice(0, 20)}'`);
      return normaliseInt(BigInt(t));
    };

    for (;;) {
      const at = this.pos;
      const op = this.u8();
      switch (op) {
        case 0x80: { // PROTO
          const proto = this.u8();
          if (proto > 5) this.fail(`protocol ${proto} is newer than 5`);
          break;
        }
        case 0x95: { // FRAME: a length hint; the data is read flat, but it must exist.
          const n = this.u64();
          this.need(n);
          break;
        }
        case 0x2e: { // STOP
          if (stack.length !== 1 || marks.length !== 0) this.fail(`STOP with ${stack.length} values on the stack`);
          return stack[0];
        }
        case 0x28: // MARK
          if (++depth > this.limits.maxStack) this.fail(`stack exceeds maxStack ${this.limits.maxStack}`);
          marks.push(stack);
          stack = [];
          break;
        case 0x30: pop(); break; // POP
        case 0x31: popMark(); break; // POP_MARK
        case 0x32: push(top()); break; // DUP
        case 0x4e: push(null); break; // NONE
        case 0x88: push(true); break; // NEWTRUE
        case 0x89: push(false); break; // NEWFALSE
        case 0x49: { // INT (text; I01/I00 are booleans)
          const t = this.line();
          push(t === '01' ? true : t === '00' ? false : int(t));
          break;
        }
        case 0x4c: push(int(this.line())); break; // LONG (text)
        case 0x4a: push(this.view(4).getInt32(0, true)); break; // BININT
        case 0x4b: push(this.u8()); break; // BININT1
        case 0x4d: push(this.u16()); break; // BININT2
        case 0x8a: push(this.long(this.u8())); break; // LONG1
        case 0x8b: { // LONG4
          const n = this.view(4).getInt32(0, true);
          if (n < 0) this.fail('negative LONG4 length');
          push(this.long(n));
          break;
        }
        case 0x46: push(parseFloatText(this.line(), () => this.fail('bad float'))); break; // FLOAT
        case 0x47: push(this.view(8).getFloat64(0, false)); break; // BINFLOAT (big-endian)
        case 0x53: push(pythonStringLiteral(this.line(), () => this.fail('bad STRING literal'))); break; // STRING
        case 0x54: { // BINSTRING (Python 2 str, read as latin-1 text)
          const n = this.view(4).getInt32(0, true);
          if (n < 0) this.fail('negative BINSTRING length');
          push(latin1(this.read(n)));
          break;
        }
        case 0x55: push(latin1(this.read(this.u8()))); break; // SHORT_BINSTRING
        case 0x56: push(rawUnicodeEscape(this.line(), () => this.fail('bad UNICODE escape'))); break; // UNICODE
        case 0x8c: push(this.utf8(this.u8())); break; // SHORT_BINUNICODE
        case 0x58: push(this.utf8(this.u32())); break; // BINUNICODE
        case 0x8d: push(this.utf8(this.u64())); break; // BINUNICODE8
        case 0x42: push(this.read(this.u32()).slice()); break; // BINBYTES
        case 0x43: push(this.read(this.u8()).slice()); break; // SHORT_BINBYTES
        case 0x8e: push(this.read(this.u64()).slice()); break; // BINBYTES8
        case 0x96: push(this.read(this.u64()).slice()); break; // BYTEARRAY8
        case 0x97: throw new UnsafePickleError('NEXT_BUFFER', 'pickle uses an out-of-band buffer (NEXT_BUFFER), which a file cannot carry; refused');
        case 0x98: if (!(top() instanceof Uint8Array)) this.fail('READONLY_BUFFER on a non-buffer'); break; // READONLY_BUFFER
        case 0x5d: push([]); break; // EMPTY_LIST
        case 0x29: push(Object.freeze([])); break; // EMPTY_TUPLE
        case 0x7d: push(new Map()); break; // EMPTY_DICT
        case 0x8f: push(new Set()); break; // EMPTY_SET
        case 0x6c: { // LIST
          const items = popMark();
          push(items);
          break;
        }
        case 0x74: push(Object.freeze(popMark())); break; // TUPLE
        case 0x85: push(Object.freeze([pop()])); break; // TUPLE1
        case 0x86: { // TUPLE2
          const b = pop();
          push(Object.freeze([pop(), b]));
          break;
        }
        case 0x87: { // TUPLE3
          const c = pop();
          const b = pop();
          push(Object.freeze([pop(), b, c]));
          break;
        }
        case 0x64: push(this.dictFrom(popMark())); break; // DICT
        case 0x61: { // APPEND
          const v = pop();
          this.list(top()).push(v);
          this.count(1);
          break;
        }
        case 0x65: { // APPENDS
          const items = popMark();
          const list = this.list(top());
          this.count(items.length);
          for (const v of items) list.push(v);
          break;
        }
        case 0x73: { // SETITEM
          const v = pop();
          const k = pop();
          this.dict(top()).set(k, v);
          this.count(1);
          break;
        }
        case 0x75: { // SETITEMS
          const items = popMark();
          if (items.length % 2 !== 0) this.fail('SETITEMS with an odd number of values');
          const d = this.dict(top());
          this.count(items.length / 2);
          for (let i = 0; i < items.length; i += 2) d.set(items[i], items[i + 1]);
          break;
        }
        case 0x90: { // ADDITEMS
          const items = popMark();
          const s = top();
          if (!(s instanceof Set) || Object.isFrozen(s)) this.fail('ADDITEMS needs a set');
          this.count(items.length);
          for (const v of items) s.add(v);
          break;
        }
        case 0x91: push(Object.freeze(new Set(popMark()))); break; // FROZENSET
        case 0x70: put(int(this.line()) as number); break; // PUT
        case 0x71: put(this.u8()); break; // BINPUT
        case 0x72: put(this.u32()); break; // LONG_BINPUT
        case 0x94: put(memo.size); break; // MEMOIZE
        case 0x67: get(int(this.line()) as number); break; // GET
        case 0x68: get(this.u8()); break; // BINGET
        case 0x6a: get(this.u32()); break; // LONG_BINGET
        case 0x63: { // GLOBAL
          const module = this.line();
          push(this.global(module, this.line()));
          break;
        }
        case 0x93: { // STACK_GLOBAL
          const name = pop();
          const module = pop();
          if (typeof module !== 'string' || typeof name !== 'string') this.fail('STACK_GLOBAL needs two strings');
          push(this.global(module, name));
          break;
        }
        case 0x52: { // REDUCE
          const args = pop();
          const fn = pop();
          push(this.call(fn, args));
          break;
        }
        case 0x81: { // NEWOBJ
          const args = pop();
          const cls = pop();
          push(this.call(cls, args, true));
          break;
        }
        case 0x92: { // NEWOBJ_EX
          const kwargs = pop();
          const args = pop();
          const cls = pop();
          if (!(kwargs instanceof Map) || kwargs.size > 0) this.fail('NEWOBJ_EX with keyword arguments is not supported');
          push(this.call(cls, args, true));
          break;
        }
        case 0x69: { // INST
          const module = this.line();
          const cls = this.global(module, this.line());
          push(this.call(cls, Object.freeze(popMark()), true));
          break;
        }
        case 0x6f: { // OBJ
          const items = popMark();
          if (items.length === 0) this.fail('OBJ without a class');
          push(this.call(items[0], Object.freeze(items.slice(1)), true));
          break;
        }
        case 0x62: { // BUILD
          const state = pop();
          const target = top();
          const replaced = this.build(target, state);
          if (replaced !== target) {
            pop();
            push(replaced);
          }
          break;
        }
        case 0x50: case 0x51: throw new UnsafePickleError('persistent_id', 'pickle uses persistent ids (PERSID), which need caller code to resolve; refused');
        case 0x82: case 0x83: case 0x84: throw new UnsafePickleError('copyreg extension', 'pickle uses the copyreg extension registry (EXT1/2/4); refused');
        default:
          this.pos = at;
          this.fail(`unknown opcode 0x${op.toString(16).padStart(2, '0')}`);
      }
    }
  }

  private long(n: number): number | bigint {
    if (n > this.limits.maxIntBytes) this.fail(`integer of ${n} bytes exceeds maxIntBytes ${this.limits.maxIntBytes}`);
    const b = this.read(n);
    if (n === 0) return 0;
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    return normaliseInt(v);
  }

  private list(v: PyValue): PyValue[] {
    if (!Array.isArray(v) || Object.isFrozen(v)) this.fail('APPEND needs a list');
    return v as PyValue[];
  }

  private dict(v: PyValue): Map<PyValue, PyValue> {
    if (!(v instanceof Map)) this.fail('SETITEM needs a dict');
    return v;
  }

  private dictFrom(items: PyValue[]): Map<PyValue, PyValue> {
    if (items.length % 2 !== 0) this.fail('DICT with an odd number of values');
    this.count(items.length / 2);
    const d = new Map<PyValue, PyValue>();
    for (let i = 0; i < items.length; i += 2) d.set(items[i], items[i + 1]);
    return d;
  }

  private global(module: string, name: string): PyObject {
    const found = allowedGlobal(module, name);
    if (!found) throw new UnsafePickleError(`${module}.${name}`);
    const ref: PyObject = Object.freeze({ kind: 'object', className: found.name, args: Object.freeze([]), state: null });
    this.kinds.set(ref, found.kind);
    return ref;
  }

  private kindOf(v: PyValue): GlobalKind | undefined {
    return v !== null && typeof v === 'object' ? this.kinds.get(v) : undefined;
  }

  private tuple(v: PyValue, what: string): readonly PyValue[] {
    if (!Array.isArray(v)) this.fail(`${what} needs a tuple of arguments`);
    return v as readonly PyValue[];
  }

  /** REDUCE / NEWOBJ: only allow-listed globals, each by its own data-building rule. */
  private call(fn: PyValue, argsValue: PyValue, isNew = false): PyValue {
    const kind = this.kindOf(fn);
    const name = (fn as PyObject | null)?.className ?? 'a non-global';
    if (kind === undefined) throw new UnsafePickleError(typeof name === 'string' ? name : 'value', `pickle calls ${describeCallee(fn)}, which is not an allow-listed global; nothing was run`);
    const args = this.tuple(argsValue, name);
    switch (kind) {
      case 'class':
      case 'joblib-array': {
        const obj: PyObject = { kind: 'object', className: name, args, state: null };
        if (kind === 'joblib-array') this.wrappers.add(obj);
        return obj;
      }
      case 'reconstructor': {
        const [cls, base] = args;
        if (args.length !== 3 || this.kindOf(cls) !== 'class' || (base as PyObject | null)?.className !== 'builtins.object') this.fail('copyreg._reconstructor supports plain classes only');
        return { kind: 'object', className: (cls as PyObject).className, args: Object.freeze([]), state: null };
      }
      case 'codecs-encode': {
        const [text, encoding] = args;
        if (typeof text !== 'string' || (encoding !== 'latin1' && encoding !== 'latin-1')) this.fail('_codecs.encode supports (str, "latin1") only');
        return latin1Bytes(text, () => this.fail('latin-1 text has a character above U+00FF'));
      }
      case 'bytes':
        // Protocols < 3 write b'' as bytes() and other bytes through _codecs.encode.
        if (args.length !== 0) this.fail('bytes() takes no arguments here');
        return new Uint8Array(0);
      case 'bytearray': {
        if (args.length === 0) return new Uint8Array(0);
        const [src, encoding] = args;
        if (src instanceof Uint8Array) return src.slice();
        if (typeof src === 'string' && (encoding === 'latin-1' || encoding === 'latin1')) return latin1Bytes(src, () => this.fail('latin-1 text has a character above U+00FF'));
        return this.fail('bytearray supports bytes or latin-1 text');
      }
      case 'set':
      case 'frozenset': {
        const items = args.length === 0 ? [] : args[0];
        if (!Array.isArray(items)) this.fail(`${name} needs a list`);
        const s = new Set(items as PyValue[]);
        return kind === 'frozenset' ? Object.freeze(s) : s;
      }
      case 'ordered-dict': {
        const d = new Map<PyValue, PyValue>();
        const items = args.length === 0 ? [] : args[0];
        if (!Array.isArray(items)) this.fail('OrderedDict needs a list of pairs');
        for (const pair of items as PyValue[]) {
          if (!Array.isArray(pair) || pair.length !== 2) this.fail('OrderedDict needs (key, value) pairs');
          d.set((pair as PyValue[])[0], (pair as PyValue[])[1]);
        }
        return d;
      }
      case 'ndarray-reconstruct': {
        if (args.length !== 3 || this.kindOf(args[0]) !== 'numpy-type') this.fail('_reconstruct needs (ndarray, shape, dtype)');
        const arr = { kind: 'ndarray', dtype: '|i1', shape: [0], data: new Int8Array(0) };
        this.pendingArrays.add(arr);
        return arr as NdArray;
      }
      case 'dtype': {
        const [spec] = args;
        if (typeof spec !== 'string') this.fail('numpy.dtype needs a type code');
        const obj: PyObject = { kind: 'object', className: 'numpy.dtype', args, state: null };
        this.dtypeObjects.add(obj);
        return obj;
      }
      case 'scalar': {
        const [dtypeValue, raw] = args;
        const dt = this.dtypeOf(dtypeValue, 'numpy scalar');
        if (dt.kind === 'O') return raw ?? null;
        if (!(raw instanceof Uint8Array)) this.fail('numpy scalar needs raw bytes');
        return scalarFromBytes(dt, raw);
      }
      case 'frombuffer': {
        const [buf, dtypeValue, shape, order] = args;
        if (!(buf instanceof Uint8Array) || !Array.isArray(shape)) this.fail('_frombuffer needs (buffer, dtype, shape, order)');
        const dt = this.dtypeOf(dtypeValue, 'numpy array');
        const dims = shapeSize(shape as PyValue[], this.limits.maxElements, 'numpy array shape');
        this.count(dims.reduce((a, b) => a * b, 1));
        return arrayFromBytes(dt, dims, buf, order === 'F', 'numpy array');
      }
      case 'numpy-type':
        if (isNew) this.fail(`${name} cannot be instantiated here`);
        return this.fail(`${name} cannot be called here`);
    }
  }

  /** BUILD: sets an instance's state, or finishes a NumPy array, dtype or joblib array. */
  private build(target: PyValue, state: PyValue): PyValue {
    if (target !== null && typeof target === 'object' && this.pendingArrays.has(target)) {
      this.pendingArrays.delete(target);
      const s = this.tuple(state, 'ndarray state');
      const [shape, dtypeValue, fortran, raw] = s.length === 5 ? s.slice(1) : s.length === 4 ? s : [];
      if (shape === undefined || !Array.isArray(shape)) this.fail('ndarray state must be (version, shape, dtype, is_fortran, data)');
      const dt = this.dtypeOf(dtypeValue, 'numpy array');
      const dims = shapeSize(shape as PyValue[], this.limits.maxElements, 'numpy array shape');
      this.count(dims.reduce((a, b) => a * b, 1));
      let data = raw;
      if (typeof data === 'string') data = latin1Bytes(data, () => this.fail('array data text has a character above U+00FF'));
      const built = arrayFromBytes(dt, dims, data as Uint8Array | PyValue[], fortran === true, 'numpy array');
      Object.assign(target, built);
      return target;
    }
    const kind = this.kindOf(target);
    if (target !== null && typeof target === 'object' && this.dtypeObjects.has(target)) {
      const obj = target as PyObject;
      if (obj.state !== null || this.dtypes.has(obj)) this.fail('numpy dtype built twice');
      (obj as { state: PyValue }).state = state;
      this.dtypes.set(obj, makeDType(obj.args[0] as string, this.tuple(state, 'dtype state'), (v, w) => this.dtypeOf(v, w)));
      return obj;
    }
    if (target !== null && typeof target === 'object' && this.wrappers.has(target)) {
      if (!this.onArrayWrapper) throw new UnsafePickleError('joblib.numpy_pickle.NumpyArrayWrapper', "pickle holds a joblib array wrapper outside a joblib file; load it with loadJoblib");
      return this.onArrayWrapper(state, {
        read: (n) => this.read(n).slice(),
        nested: () => {
          const level = this.nestedLevel;
          const value = this.run(level + 1);
          this.nestedLevel = level;
          return value;
        },
      });
    }
    if (kind !== undefined || target === null || typeof target !== 'object' || !('kind' in target) || (target as PyObject).kind !== 'object') {
      this.fail('BUILD on a value that is not an instance of an allow-listed class');
    }
    const obj = target as { state: PyValue };
    if (obj.state === null) obj.state = state;
    else if (obj.state instanceof Map && state instanceof Map) for (const [k, v] of state) obj.state.set(k, v);
    else this.fail('BUILD twice on one object');
    return target;
  }

  private dtypeOf(value: PyValue | undefined, where: string): DType {
    if (value === undefined || value === null || typeof value !== 'object') this.fail(`${where} needs a numpy dtype`);
    const known = this.dtypes.get(value);
    if (known) return known;
    if (!this.dtypeObjects.has(value)) this.fail(`${where} needs a numpy dtype`);
    const obj = value as PyObject;
    const dt = makeDType(obj.args[0] as string, null, (v, w) => this.dtypeOf(v, w));
    this.dtypes.set(obj, dt);
    return dt;
  }
}

function describeCallee(fn: PyValue): string {
  if (fn !== null && typeof fn === 'object' && 'kind' in fn && (fn as PyObject).kind === 'object') return `an instance of '${(fn as PyObject).className}'`;
  return 'a value that is not a function';
}

function normaliseInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

function latin1Bytes(text: string, bad: () => never): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) bad();
    out[i] = c;
  }
  return out;
}

function parseFloatText(text: string, bad: () => never): number {
  const t = text.trim().toLowerCase();
  if (t === 'nan') return NaN;
  if (t === 'inf') return Infinity;
  if (t === '-inf') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) bad();
  return Number(t);
}

/** Python 2 `repr(str)` as protocol 0's STRING writes it, read as latin-1 text. */
function pythonStringLiteral(text: string, bad: () => never): string {
  const q = text[0];
  if ((q !== "'" && q !== '"') || text.length < 2 || text[text.length - 1] !== q) bad();
  const body = text.slice(1, -1);
  const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' };
  return body.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e[0] === 'x' && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    return Object.hasOwn(simple, e) ? simple[e] : bad();
  });
}

/** Python's raw-unicode-escape (protocol 0's UNICODE): \uXXXX and \UXXXXXXXX escapes, other bytes latin-1. */
function rawUnicodeEscape(text: string, bad: () => never): string {
  return text.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, u?: string, U?: string) => {
    const cp = parseInt((u ?? U)!, 16);
    if (cp > 0x10ffff) bad();
    return String.fromCodePoint(cp);
  });
}

/**
 * Refuses results nested deeper than `maxDepth` or containing themselves, iteratively, so
 * code that walks a result recursively cannot overflow the stack.
 */
function checkDepth(root: PyValue, maxDepth: number): void {
  const done = new Map<object, number>();
  const onPath = new Set<object>();
  const stack: { node: object; children: PyValue[]; i: number; depth: number }[] = [];
  const enter = (v: PyValue): number | null => {
    if (v === null || typeof v !== 'object' || v instanceof Uint8Array || ArrayBuffer.isView(v)) return 0;
    const known = done.get(v);
    if (known !== undefined) return known;
    if (onPath.has(v)) throw new ModelFormatError('pickle', 'a value contains itself (cyclic references are not supported)');
    if (stack.length >= maxDepth) throw new ModelFormatError('pickle', `nesting deeper than maxDepth ${maxDepth}`);
    onPath.add(v);
    stack.push({ node: v, children: childrenOf(v), i: 0, depth: 0 });
    return null;
  };
  if (enter(root) === 0) return;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.i < frame.children.length) {
      const d = enter(frame.children[frame.i++]);
      if (d !== null) frame.depth = Math.max(frame.depth, d + 1);
      continue;
    }
    stack.pop();
    onPath.delete(frame.node);
    done.set(frame.node, frame.depth);
    if (stack.length > 0) stack[stack.length - 1].depth = Math.max(stack[stack.length - 1].depth, frame.depth + 1);
  }
}

function childrenOf(v: object): PyValue[] {
  if (Array.isArray(v)) return v as PyValue[];
  if (v instanceof Map) {
    const out: PyValue[] = [];
    for (const [k, x] of v) out.push(k, x);
    return out;
  }
  if (v instanceof Set) return [...v];
  const o = v as PyObject | NdArray;
  if (o.kind === 'object') return [...o.args, o.state];
  if (o.kind === 'ndarray' && Array.isArray(o.data)) return o.data as PyValue[];
  return [];
}
