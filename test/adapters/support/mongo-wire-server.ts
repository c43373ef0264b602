/**
 * A small MongoDB wire-protocol server for tests: enough of the protocol for the
 * official `mongodb` driver to connect, insert, query and aggregate, on 127.0.0.1.
 *
 * It speaks OP_MSG (plus the legacy OP_QUERY/OP_REPLY pair the driver uses for its very
 * first `isMaster` before it knows the server version) and implements `hello`/`isMaster`,
 * `ping`, `buildInfo`, `insert` (unique `_id`, ordered and unordered, E11000 write
 * errors), `find` (filter, sort, skip, limit, projection, batches) with `getMore`/`killCursors`,
 * `aggregate` (`$match`, `$group` by a field path with `$sum`, `$sort`, `$limit`),
 * `update` (`$set`, `$unset`, `$inc`, `$push`, `$setOnInsert`, replacement, `multi`, `upsert`),
 * `delete` (one or all matches), `createIndexes`, `listIndexes`, `drop`, `dropDatabase` and `endSessions`.
 * Filters take equality on (dotted) paths and `$eq`, `$ne`, `$in`, `$nin`, `$exists`, and
 * `$gt`/`$gte`/`$lt`/`$lte` within one type (numbers, strings or dates); `find` applies
 * top-level inclusion or exclusion projections. What it does not implement is answered with
 * a `BadValue` command error, so a test never passes on a silently ignored operator. It reports itself as a
 * standalone with sessions, so the driver uses sessions but no retryable writes.
 *
 * Data lives in a {@link MemoryStore} that outlives the server, so a test can stop the
 * server mid-stream and start a new one on the same port over the same data. Unique
 * secondary indexes (`createIndexes` with `unique: true`) are enforced with the server's
 * E11000 write error, `keyPattern` and `keyValue`, on inserts, updates and upserts alike. Faults:
 * `dropNextInsertReplies(n)` applies the next n inserts but cuts the connection
 * instead of answering (a lost acknowledgement); `documentError` answers chosen documents
 * with a per-document write error (as a validator, a size limit or a stepping-down
 * primary would); `failNextInserts(n, reply)` answers whole insert commands with a
 * top-level error (`ok: 0`, `code`, `errorLabels`).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { BSON } from 'mongodb';

type Doc = Record<string, unknown>;

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

/** Collections and indexes by namespace (`db.collection`), in insertion order. */
export class MemoryStore {
  readonly collections = new Map<string, { docs: Doc[]; ids: Set<string> }>();
  readonly indexes = new Map<string, Doc[]>();

  collection(ns: string): { docs: Doc[]; ids: Set<string> } {
    let c = this.collections.get(ns);
    if (!c) {
      c = { docs: [], ids: new Set() };
      this.collections.set(ns, c);
    }
    return c;
  }

  /** The stored documents of `db.collection`, in insertion order. */
  docs(ns: string): Doc[] {
    return this.collections.get(ns)?.docs ?? [];
  }
}

export interface MongoWireServer {
  readonly port: number;
  /** `mongodb://127.0.0.1:<port>/?directConnection=true` */
  readonly uri: string;
  readonly store: MemoryStore;
  /** Every command name received, in order (lower-cased). */
  readonly commands: string[];
  /** Every command body received, in order (with its `writeConcern`, `lsid` …). */
  readonly received: Doc[];
  /** The next `n` insert commands are applied, then their connection is cut before the reply. */
  dropNextInsertReplies(n: number): void;
  /**
   * Called for each document of an insert before it is stored: a returned error becomes
   * that document's `writeErrors` entry (with `index`), and the document is not stored.
   */
  documentError: ((doc: Doc) => WriteErrorBody | undefined) | undefined;
  /** The next `n` insert commands are answered with `{ ok: 0, ...reply }`, nothing applied. */
  failNextInserts(n: number, reply: Doc): void;
  /** Called with each insert's documents: a returned reply fails the whole command (`{ ok: 0, ...reply }`), nothing applied. */
  commandError: ((docs: Doc[]) => Doc | undefined) | undefined;
  /** Closes the listener and destroys every open connection. */
  stop(): Promise<void>;
}

/** A per-document write error as the server sends it (without `index`). */
export interface WriteErrorBody {
  code: number;
  codeName?: string;
  errmsg: string;
  errInfo?: Doc;
}

export interface MongoWireServerOptions {
  /** 0 (default) picks a free port; reuse a stopped server's port to "restart" it. */
  port?: number;
  store?: MemoryStore;
  /** Advertised in `hello` (default 16 MiB); the driver refuses larger documents itself. */
  maxBsonObjectSize?: number;
}

function idKey(id: unknown): string {
  return Buffer.from(BSON.serialize({ v: id })).toString('hex');
}

function getPath(doc: unknown, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = Object.prototype.hasOwnProperty.call(value, part) ? (value as Doc)[part] : undefined;
  }
  return value;
}

function comparable(v: unknown): number | string {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (v === null || v === undefined) return -Infinity;
  return idKey(v);
}

function compareValues(a: unknown, b: unknown): number {
  const x = comparable(a);
  const y = comparable(b);
  if (typeof x === typeof y) return x < y ? -1 : x > y ? 1 : 0;
  return typeof x === 'number' ? -1 : 1;
}

function sortDocs(docs: Doc[], sort: Doc | undefined): Doc[] {
  if (!sort) return docs;
  const keys = Object.entries(sort);
  return docs.slice().sort((a, b) => {
    for (const [path, dir] of keys) {
      const c = compareValues(getPath(a, path), getPath(b, path));
      if (c !== 0) return Number(dir) < 0 ? -c : c;
    }
    return 0;
  });
}

function matches(doc: Doc, filter: Doc | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([path, want]) => {
    const value = getPath(doc, path);
    if (isOperatorDoc(want)) return Object.entries(want).every(([op, arg]) => matchesOperator(value, op, arg));
    return idKey(value) === idKey(want);
  });
}

function isOperatorDoc(value: unknown): value is Doc {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

// Ranges compare like with like only (numbers with numbers, strings with strings, dates with
// dates), as the server's type brackets do; `$gte`/`$lt` on dates is how the drift CLI asks for
// a window of the log.
function matchesOperator(value: unknown, op: string, arg: unknown): boolean {
  switch (op) {
    case '$eq':
      return idKey(value) === idKey(arg);
    case '$ne':
      return idKey(value ?? null) !== idKey(arg ?? null);
    case '$in':
      return Array.isArray(arg) && arg.some((w) => idKey(w) === idKey(value));
    case '$nin':
      return Array.isArray(arg) && !arg.some((w) => idKey(w) === idKey(value));
    case '$exists':
      return (value !== undefined) === Boolean(arg);
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      const bracket = (v: unknown) => (v instanceof Date ? 'date' : typeof v);
      if (value === undefined || bracket(value) !== bracket(arg) || !['date', 'number', 'string'].includes(bracket(arg))) return false;
      const c = compareValues(value, arg);
      return op === '$gt' ? c > 0 : op === '$gte' ? c >= 0 : op === '$lt' ? c < 0 : c <= 0;
    }
    default:
      throw new Error(`unsupported query operator ${op}`);
  }
}

/** Inclusion (`{ a: 1 }`) or exclusion (`{ a: 0 }`) projection of top-level fields; `_id` stays unless excluded. */
function project(doc: Doc, projection: Doc | undefined): Doc {
  if (!projection || Object.keys(projection).length === 0) return doc;
  const fields = Object.entries(projection);
  const including = fields.some(([k, v]) => k !== '_id' && Boolean(v));
  if (including) {
    const out: Doc = {};
    if (projection._id === undefined || Boolean(projection._id)) if ('_id' in doc) out._id = doc._id;
    for (const [k, v] of fields) if (k !== '_id' && Boolean(v) && k in doc) out[k] = doc[k];
    return out;
  }
  const out: Doc = { ...doc };
  for (const [k, v] of fields) if (!v) delete out[k];
  return out;
}

/**
 * Applies an update document: operators (`$set`, `$unset`, `$inc`, `$push` with `$each`,
 * `$setOnInsert` on an upsert only) on top-level fields, or a whole replacement that keeps `_id`.
 */
function applyUpdate(doc: Doc, update: Doc, inserting: boolean): Doc {
  const keys = Object.keys(update);
  if (!keys.some((k) => k.startsWith('$'))) return { _id: doc._id, ...update };
  const out: Doc = { ...doc };
  for (const [op, fields] of Object.entries(update)) {
    for (const [field, arg] of Object.entries(fields as Doc)) {
      if (field.includes('.')) throw new Error(`unsupported dotted update path ${field}`);
      if (op === '$set') out[field] = arg;
      else if (op === '$setOnInsert') {
        if (inserting) out[field] = arg;
      } else if (op === '$unset') delete out[field];
      else if (op === '$inc') out[field] = Number(out[field] ?? 0) + Number(arg);
      else if (op === '$push') {
        const list = Array.isArray(out[field]) ? (out[field] as unknown[]).slice() : [];
        if (arg && typeof arg === 'object' && Array.isArray((arg as Doc).$each)) list.push(...((arg as Doc).$each as unknown[]));
        else list.push(arg);
        out[field] = list;
      } else throw new Error(`unsupported update operator ${op}`);
    }
  }
  return out;
}

export async function startMongoWireServer(options: MongoWireServerOptions = {}): Promise<MongoWireServer> {
  const store = options.store ?? new MemoryStore();
  const commands: string[] = [];
  const received: Doc[] = [];
  const sockets = new Set<Socket>();
  const cursors = new Map<string, { ns: string; docs: Doc[] }>();
  let nextCursor = 1;
  let nextConnection = 1;
  let dropReplies = 0;
  let failInserts: { n: number; reply: Doc } = { n: 0, reply: {} };
  const faults: {
    documentError: ((doc: Doc) => WriteErrorBody | undefined) | undefined;
    commandError: ((docs: Doc[]) => Doc | undefined) | undefined;
  } = { documentError: undefined, commandError: undefined };

  /** The E11000 error `doc` would raise against the unique indexes of `ns` (`self`: the document it replaces). */
  function uniqueViolation(ns: string, docs: Doc[], doc: Doc, self?: Doc): Doc | undefined {
    for (const index of store.indexes.get(ns) ?? []) {
      if (index.unique !== true || index.name === '_id_') continue;
      const paths = Object.keys(index.key as Doc);
      const key = idKey(paths.map((p) => getPath(doc, p) ?? null));
      if (!docs.some((d) => d !== self && idKey(paths.map((p) => getPath(d, p) ?? null)) === key)) continue;
      const keyValue = Object.fromEntries(paths.map((p) => [p, getPath(doc, p) ?? null]));
      return {
        code: 11000,
        errmsg: `E11000 duplicate key error collection: ${ns} index: ${String(index.name)} dup key: ${JSON.stringify(keyValue)}`,
        keyPattern: index.key,
        keyValue,
      };
    }
    return undefined;
  }

  function openCursor(ns: string, docs: Doc[], batchSize: number | undefined, first: 'firstBatch'): Doc {
    const size = batchSize && batchSize > 0 ? batchSize : 101;
    const batch = docs.slice(0, size);
    let id = 0;
    if (docs.length > size) {
      id = nextCursor++;
      cursors.set(String(id), { ns, docs: docs.slice(size) });
    }
    return { cursor: { id: BSON.Long.fromNumber(id), ns, [first]: batch }, ok: 1 };
  }

  function run(body: Doc, connectionId: number): Doc | 'drop' {
    try {
      return dispatch(body, connectionId);
    } catch (error) {
      // What this server does not implement is a command error, not a dropped connection.
      return { ok: 0, code: 2, codeName: 'BadValue', errmsg: (error as Error).message };
    }
  }

  function update(ns: string, body: Doc): Doc {
    const c = store.collection(ns);
    const upserted: Doc[] = [];
    const writeErrors: Doc[] = [];
    let n = 0;
    let nModified = 0;
    const specs = (body.updates as Doc[] | undefined) ?? [];
    for (let index = 0; index < specs.length; index++) {
      const { q, u, upsert, multi } = specs[index] as { q?: Doc; u: Doc; upsert?: boolean; multi?: boolean };
      if (Array.isArray(u)) throw new Error('pipeline updates are not supported');
      const targets = c.docs.filter((d) => matches(d, q));
      let error: Doc | undefined;
      if (targets.length === 0 && upsert) {
        // The new document starts from the filter's equality fields, as the server's upsert does.
        const seed: Doc = {};
        for (const [k, v] of Object.entries(q ?? {})) if (!k.startsWith('$') && !k.includes('.') && !isOperatorDoc(v)) seed[k] = v;
        const doc = applyUpdate(seed, u, true);
        if (doc._id === undefined) doc._id = new BSON.ObjectId();
        error = c.ids.has(idKey(doc._id)) ? { code: 11000, errmsg: 'E11000 duplicate key error index: _id_', keyPattern: { _id: 1 }, keyValue: { _id: doc._id } } : uniqueViolation(ns, c.docs, doc);
        if (!error) {
          c.ids.add(idKey(doc._id));
          c.docs.push(doc);
          upserted.push({ index, _id: doc._id });
          n++;
        }
      } else {
        for (const target of multi ? targets : targets.slice(0, 1)) {
          const next = applyUpdate(target, u, false);
          if (idKey(next._id) !== idKey(target._id)) error = { code: 66, codeName: 'ImmutableField', errmsg: "Performing an update on the path '_id' would modify the immutable field '_id'" };
          error ??= uniqueViolation(ns, c.docs, next, target);
          if (error) break;
          n++;
          if (idKey(next) !== idKey(target)) nModified++;
          c.docs[c.docs.indexOf(target)] = next;
        }
      }
      if (error) {
        writeErrors.push({ index, ...error });
        if (body.ordered !== false) break;
      }
    }
    return { n, nModified, ...(upserted.length ? { upserted } : {}), ...(writeErrors.length ? { writeErrors } : {}), ok: 1 };
  }

  function remove(ns: string, body: Doc): Doc {
    const c = store.collection(ns);
    let n = 0;
    for (const { q, limit } of (body.deletes as { q?: Doc; limit?: number }[] | undefined) ?? []) {
      let targets = c.docs.filter((d) => matches(d, q));
      if (Number(limit) === 1) targets = targets.slice(0, 1);
      const gone = new Set(targets);
      c.docs.splice(0, c.docs.length, ...c.docs.filter((d) => !gone.has(d)));
      for (const d of targets) c.ids.delete(idKey(d._id));
      n += targets.length;
    }
    return { n, ok: 1 };
  }

  function dispatch(body: Doc, connectionId: number): Doc | 'drop' {
    const name = Object.keys(body)[0] ?? '';
    const lower = name.toLowerCase();
    commands.push(lower);
    received.push(body);
    const db = String(body.$db ?? 'admin');
    const ns = `${db}.${String(body[name])}`;
    switch (lower) {
      case 'hello':
      case 'ismaster':
        return {
          helloOk: true,
          isWritablePrimary: true,
          ismaster: true,
          maxBsonObjectSize: options.maxBsonObjectSize ?? 16 * 1024 * 1024,
          maxMessageSizeBytes: 48_000_000,
          maxWriteBatchSize: 100_000,
          localTime: new Date(),
          logicalSessionTimeoutMinutes: 30,
          connectionId,
          minWireVersion: 0,
          maxWireVersion: 17,
          readOnly: false,
          ok: 1,
        };
      case 'ping':
      case 'endsessions':
        return { ok: 1 };
      case 'buildinfo':
        return { version: '6.0.0', versionArray: [6, 0, 0, 0], ok: 1 };
      case 'insert': {
        const c = store.collection(ns);
        const docs = (body.documents as Doc[] | undefined) ?? [];
        const ordered = body.ordered !== false;
        const writeErrors: Doc[] = [];
        let n = 0;
        if (failInserts.n > 0) {
          failInserts.n--;
          return { ok: 0, ...failInserts.reply };
        }
        const refusal = faults.commandError?.(docs);
        if (refusal) return { ok: 0, ...refusal };
        for (let index = 0; index < docs.length; index++) {
          const doc = docs[index];
          const key = idKey(doc._id);
          const error = c.ids.has(key)
            ? {
                code: 11000,
                errmsg: `E11000 duplicate key error collection: ${ns} index: _id_ dup key: { _id: ${JSON.stringify(String(doc._id))} }`,
                keyPattern: { _id: 1 },
                keyValue: { _id: doc._id },
              }
            : (faults.documentError?.(doc) ?? uniqueViolation(ns, c.docs, doc));
          if (error) {
            writeErrors.push({ index, ...error });
            if (ordered) break;
            continue;
          }
          c.ids.add(key);
          c.docs.push(doc);
          n++;
        }
        if (dropReplies > 0) {
          dropReplies--;
          return 'drop';
        }
        return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
      }
      case 'find': {
        let docs = store.docs(ns).filter((d) => matches(d, body.filter as Doc | undefined));
        docs = sortDocs(docs, body.sort as Doc | undefined);
        const skip = Number(body.skip ?? 0);
        const limit = Number(body.limit ?? 0);
        docs = docs.slice(skip, limit > 0 ? skip + limit : undefined).map((d) => project(d, body.projection as Doc | undefined));
        return openCursor(ns, docs, body.batchSize === undefined ? undefined : Number(body.batchSize), 'firstBatch');
      }
      case 'getmore': {
        const id = String(body.getMore);
        const cursor = cursors.get(id);
        if (!cursor) return { ok: 0, code: 43, codeName: 'CursorNotFound', errmsg: `cursor id ${id} not found` };
        const size = Number(body.batchSize ?? 0) > 0 ? Number(body.batchSize) : cursor.docs.length;
        const batch = cursor.docs.splice(0, size);
        if (cursor.docs.length === 0) cursors.delete(id);
        const nextId = cursor.docs.length === 0 ? 0 : Number(id);
        return { cursor: { id: BSON.Long.fromNumber(nextId), ns: cursor.ns, nextBatch: batch }, ok: 1 };
      }
      case 'killcursors': {
        const ids = ((body.cursors as unknown[]) ?? []).map(String);
        for (const id of ids) cursors.delete(id);
        return { cursorsKilled: body.cursors ?? [], cursorsNotFound: [], cursorsAlive: [], cursorsUnknown: [], ok: 1 };
      }
      case 'aggregate': {
        let docs = store.docs(ns);
        for (const stage of (body.pipeline as Doc[]) ?? []) {
          const [op, arg] = Object.entries(stage)[0] ?? [];
          if (op === '$match') docs = docs.filter((d) => matches(d, arg as Doc));
          else if (op === '$sort') docs = sortDocs(docs, arg as Doc);
          else if (op === '$limit') docs = docs.slice(0, Number(arg));
          else if (op === '$group') docs = group(docs, arg as Doc);
          else return { ok: 0, code: 40324, codeName: 'Location40324', errmsg: `Unrecognized pipeline stage name: '${op}'` };
        }
        const cursorOptions = (body.cursor as Doc | undefined) ?? {};
        return openCursor(ns, docs, cursorOptions.batchSize === undefined ? undefined : Number(cursorOptions.batchSize), 'firstBatch');
      }
      case 'createindexes': {
        const before = store.indexes.get(ns) ?? [{ key: { _id: 1 }, name: '_id_', v: 2 }];
        const after = before.slice();
        for (const spec of (body.indexes as Doc[]) ?? []) {
          if (!after.some((i) => i.name === spec.name)) after.push({ v: 2, ...spec });
        }
        store.indexes.set(ns, after);
        store.collection(ns);
        return { numIndexesBefore: before.length, numIndexesAfter: after.length, createdCollectionAutomatically: false, ok: 1 };
      }
      case 'update':
        return update(ns, body);
      case 'delete':
        return remove(ns, body);
      case 'listindexes':
        return openCursor(ns, store.indexes.get(ns) ?? [{ key: { _id: 1 }, name: '_id_', v: 2 }], undefined, 'firstBatch');
      case 'dropdatabase':
        for (const name of [...store.collections.keys(), ...store.indexes.keys()]) {
          if (name.startsWith(`${db}.`)) {
            store.collections.delete(name);
            store.indexes.delete(name);
          }
        }
        return { dropped: db, ok: 1 };
      case 'drop':
        store.collections.delete(ns);
        store.indexes.delete(ns);
        return { ns, nIndexesWas: 1, ok: 1 };
      default:
        return { ok: 0, code: 59, codeName: 'CommandNotFound', errmsg: `no such command: '${name}'` };
    }
  }

  function group(docs: Doc[], spec: Doc): Doc[] {
    const groups = new Map<string, Doc>();
    for (const doc of docs) {
      const idSpec = spec._id;
      const id = typeof idSpec === 'string' && idSpec.startsWith('$') ? (getPath(doc, idSpec.slice(1)) ?? null) : (idSpec ?? null);
      const key = idKey(id);
      let out = groups.get(key);
      if (!out) {
        out = { _id: id };
        for (const field of Object.keys(spec)) if (field !== '_id') out[field] = 0;
        groups.set(key, out);
      }
      for (const [field, acc] of Object.entries(spec)) {
        if (field === '_id') continue;
        const sum = (acc as Doc).$sum;
        const add = typeof sum === 'string' && sum.startsWith('$') ? Number(getPath(doc, sum.slice(1)) ?? 0) : Number(sum);
        out[field] = Number(out[field]) + add;
      }
    }
    return [...groups.values()];
  }

  function frame(opCode: number, responseTo: number, payload: Buffer): Buffer {
    const header = Buffer.alloc(16);
    header.writeInt32LE(16 + payload.length, 0);
    header.writeInt32LE(responseTo + 1_000_000, 4);
    header.writeInt32LE(responseTo, 8);
    header.writeInt32LE(opCode, 12);
    return Buffer.concat([header, payload]);
  }

  function serialize(doc: Doc): Buffer {
    return Buffer.from(BSON.serialize(doc));
  }

  function handleMessage(socket: Socket, message: Buffer, connectionId: number): void {
    const requestId = message.readInt32LE(4);
    const opCode = message.readInt32LE(12);
    if (opCode === OP_QUERY) {
      let at = 20;
      while (message[at] !== 0) at++;
      at += 1 + 8;
      const size = message.readInt32LE(at);
      const query = BSON.deserialize(message.subarray(at, at + size)) as Doc;
      const result = run(query, connectionId);
      if (result === 'drop') return void socket.destroy();
      const head = Buffer.alloc(20);
      head.writeInt32LE(0, 0);
      head.writeBigInt64LE(0n, 4);
      head.writeInt32LE(0, 12);
      head.writeInt32LE(1, 16);
      socket.write(frame(OP_REPLY, requestId, Buffer.concat([head, serialize(result)])));
      return;
    }
    if (opCode !== OP_MSG) {
      socket.destroy();
      return;
    }
    const flags = message.readUInt32LE(16);
    const end = flags & 1 ? message.length - 4 : message.length;
    let at = 20;
    let body: Doc = {};
    const sequences: [string, Doc[]][] = [];
    while (at < end) {
      const kind = message[at++];
      if (kind === 0) {
        const size = message.readInt32LE(at);
        body = BSON.deserialize(message.subarray(at, at + size)) as Doc;
        at += size;
      } else if (kind === 1) {
        const size = message.readInt32LE(at);
        const stop = at + size;
        let p = at + 4;
        const nameEnd = message.indexOf(0, p);
        const identifier = message.subarray(p, nameEnd).toString('utf8');
        p = nameEnd + 1;
        const docs: Doc[] = [];
        while (p < stop) {
          const docSize = message.readInt32LE(p);
          docs.push(BSON.deserialize(message.subarray(p, p + docSize)) as Doc);
          p += docSize;
        }
        sequences.push([identifier, docs]);
        at = stop;
      } else {
        socket.destroy();
        return;
      }
    }
    for (const [identifier, docs] of sequences) body[identifier] = docs;
    const result = run(body, connectionId);
    if (result === 'drop') return void socket.destroy();
    if (flags & 2) return; // moreToCome: the client wants no reply
    const flagBits = Buffer.alloc(5);
    flagBits.writeUInt32LE(0, 0);
    flagBits[4] = 0;
    socket.write(frame(OP_MSG, requestId, Buffer.concat([flagBits, serialize(result)])));
  }

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const connectionId = nextConnection++;
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        const length = pending.readInt32LE(0);
        if (length < 16 || length > 64 * 1024 * 1024) return void socket.destroy();
        if (pending.length < length) break;
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        try {
          handleMessage(socket, message, connectionId);
        } catch {
          socket.destroy();
          return;
        }
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  return {
    port,
    uri: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    store,
    commands,
    received,
    dropNextInsertReplies(n: number) {
      dropReplies = n;
    },
    get documentError() {
      return faults.documentError;
    },
    set documentError(fn) {
      faults.documentError = fn;
    },
    get commandError() {
      return faults.commandError;
    },
    set commandError(fn) {
      faults.commandError = fn;
    },
    failNextInserts(n: number, reply: Doc) {
      failInserts = { n, reply };
    },
    stop() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
