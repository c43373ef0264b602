import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, ftruncateSync, fstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import initSqlJs, { type Database, type SqlValue } from 'sql.js';

/** One SQL statement and its parameters, as the journal stores it. */
export type Statement = readonly [sql: string, params?: readonly SqlValue[]];

/** Options of {@link openStore}. */
export interface StoreOptions {
  /** Folder holding `store.sqlite` (the last checkpoint) and `journal.jsonl` (writes since). */
  dir: string;
  /** Schema statements, run once on a new store. */
  schema: readonly string[];
  /** Journal entries between checkpoints. Default 500. */
  checkpointEvery?: number;
}

/**
 * An embedded SQLite store (sql.js: SQLite compiled to WebAssembly, no native build, no
 * server) made durable by a write-ahead journal:
 * - every write is one transaction, applied in memory, then appended to `journal.jsonl` as
 *   one line and fsync'ed before `write` resolves, so an acknowledged write survives a crash;
 *   writes that arrive together share one fsync (group commit);
 * - every `checkpointEvery` entries the database is exported to `store.sqlite.tmp`, fsync'ed
 *   and renamed over `store.sqlite` (atomic), then the journal is emptied;
 * - on open, the checkpoint is loaded and the journal replayed; entries carry a sequence
 *   number and the checkpoint remembers the last one it holds, so a crash between the rename
 *   and the truncation replays nothing twice; a torn last line (a crash mid-append, never
 *   acknowledged) is dropped.
 */
export interface Store {
  /** Rows of a read query, as objects. */
  all(sql: string, params?: readonly SqlValue[]): Record<string, SqlValue>[];
  /** The first row of a read query, or undefined. */
  get(sql: string, params?: readonly SqlValue[]): Record<string, SqlValue> | undefined;
  /** Applies the statements as one transaction and resolves once it is on disk. */
  write(statements: readonly Statement[]): Promise<void>;
  /** Writes a checkpoint now. */
  checkpoint(): void;
  close(): Promise<void>;
}

const META = 'CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)';

/**
 * Opens (or creates) a durable store in `dir`.
 *
 * @example
 * const store = await openStore({ dir: '.data', schema: ['CREATE TABLE t (id TEXT PRIMARY KEY)'] });
 * await store.write([['INSERT INTO t VALUES (?)', ['a']]]);
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const { dir, schema, checkpointEvery = 500 } = options;
  mkdirSync(dir, { recursive: true });
  const require = createRequire(import.meta.url);
  const wasmDir = dirname(require.resolve('sql.js/dist/sql-wasm.wasm'));
  const SQL = await initSqlJs({ locateFile: (file: string) => join(wasmDir, file) });
  const snapshotPath = join(dir, 'store.sqlite');
  const journalPath = join(dir, 'journal.jsonl');
  const db: Database = existsSync(snapshotPath) ? new SQL.Database(readFileSync(snapshotPath)) : new SQL.Database();
  db.run(META);
  if (!existsSync(snapshotPath)) for (const sql of schema) db.run(sql);

  const lastSeqInSnapshot = Number(selectValue(db, "SELECT value FROM store_meta WHERE key = 'seq'") ?? 0);
  let seq = lastSeqInSnapshot;
  let entries = 0;
  // Replay the journal: whole lines only; a torn tail was never acknowledged.
  if (existsSync(journalPath)) {
    const text = readFileSync(journalPath, 'utf8');
    const complete = text.lastIndexOf('\n') + 1;
    for (const line of text.slice(0, complete).split('\n')) {
      if (line === '') continue;
      const entry = JSON.parse(line) as { seq: number; ops: Statement[] };
      if (entry.seq <= seq) continue;
      applyTransaction(db, entry.ops, entry.seq);
      seq = entry.seq;
      entries++;
    }
    if (complete < Buffer.byteLength(text)) {
      const fd = openSync(journalPath, 'r+');
      ftruncateSync(fd, Buffer.byteLength(text.slice(0, complete)));
      fsyncSync(fd);
      closeSync(fd);
    }
  }
  let journal = openSync(journalPath, 'a');

  let pending: { line: string; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let flushing: Promise<void> | null = null;
  let closed = false;

  const flush = async (): Promise<void> => {
    // Let every write of this turn join the batch, then one write + one fsync for all.
    await new Promise((resolve) => setImmediate(resolve));
    const batch = pending;
    pending = [];
    try {
      writeSync(journal, batch.map((b) => b.line).join(''));
      fsyncSync(journal);
      entries += batch.length;
      for (const b of batch) b.resolve();
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
    if (entries >= checkpointEvery) checkpoint();
    flushing = pending.length > 0 ? flush() : null;
  };

  const checkpoint = (): void => {
    const tmp = `${snapshotPath}.tmp`;
    const fd = openSync(tmp, 'w');
    writeSync(fd, db.export());
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, snapshotPath);
    const dirFd = openSync(dir, 'r');
    fsyncSync(dirFd);
    closeSync(dirFd);
    // Everything in the journal is now in the checkpoint (its store_meta.seq says up to where).
    ftruncateSync(journal, 0);
    fsyncSync(journal);
    entries = 0;
  };

  return {
    all: (sql, params = []) => selectAll(db, sql, params),
    get: (sql, params = []) => selectAll(db, sql, params)[0],
    write(statements) {
      if (closed) return Promise.reject(new Error('store is closed'));
      seq += 1;
      // Applied first: a statement that fails (a constraint) rolls back and is never journalled.
      applyTransaction(db, statements, seq);
      const line = `${JSON.stringify({ seq, ops: statements })}\n`;
      return new Promise<void>((resolve, reject) => {
        pending.push({ line, resolve, reject });
        flushing ??= flush();
      });
    },
    checkpoint,
    async close() {
      closed = true;
      while (flushing) await flushing;
      if (fstatSync(journal).size > 0) checkpoint();
      closeSync(journal);
      journal = -1;
      db.close();
    },
  };
}

function applyTransaction(db: Database, statements: readonly Statement[], seq: number): void {
  db.run('BEGIN');
  try {
    for (const [sql, params] of statements) db.run(sql, params ? [...params] : undefined);
    db.run("INSERT INTO store_meta (key, value) VALUES ('seq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [seq]);
    db.run('COMMIT');
  } catch (error) {
    db.run('ROLLBACK');
    throw error;
  }
}

function selectAll(db: Database, sql: string, params: readonly SqlValue[]): Record<string, SqlValue>[] {
  const statement = db.prepare(sql);
  try {
    statement.bind([...params]);
    const rows: Record<string, SqlValue>[] = [];
    while (statement.step()) rows.push(statement.getAsObject() as Record<string, SqlValue>);
    return rows;
  } finally {
    statement.free();
  }
}

function selectValue(db: Database, sql: string): SqlValue | undefined {
  const row = selectAll(db, sql, [])[0];
  return row ? Object.values(row)[0] : undefined;
}
