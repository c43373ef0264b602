import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkPredictionRecord,
  countPredictionsByTopCategory,
  createPredictionRecord,
  forEachJsonLine,
  newPredictionId,
  openJsonlPredictionLog,
  readRecentPredictions,
  redactCredentials,
  repairJsonlTail,
  type AdapterReport,
} from '../../src/adapters/log/index.js';
import { ValidationError } from '../../src/errors.js';
import { MODEL, sampleRecord } from './support/records.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retail-ml-jsonl-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').filter((l) => l.length > 0);
}

describe('createPredictionRecord', () => {
  it('keeps the exact features (NaN as null), the top-k, the model and no credentials', () => {
    const record = createPredictionRecord({
      input: { customer_id: 'C7', name: 'Ann', password: 'hunter2', smtp: { user: 'a', pass: 'b' }, db: 'mongodb://u:secret@h/db' },
      customerId: 'C7',
      features: Float32Array.of(0.1, NaN, 3),
      featureNames: ['a', 'b', 'c'],
      top: [{ label: 'Books', probability: 0.7 }],
      model: MODEL,
      timestamp: Date.UTC(2024, 4, 1, 12),
    });
    expect(record.features.values).toEqual([Math.fround(0.1), null, 3]);
    expect(record.input).toEqual({ customer_id: 'C7', name: 'Ann', smtp: { user: 'a' }, db: 'mongodb://u:***@h/db' });
    expect(JSON.stringify(record)).not.toMatch(/hunter2|secret/);
    expect(record.timestamp).toBe('2024-05-01T12:00:00.000Z');
    expect(record.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('lists every bad field in a ValidationError', () => {
    let error: unknown;
    try {
      createPredictionRecord({
        input: {},
        features: [1],
        featureNames: ['a', 'b'],
        top: [{ label: '', probability: 1.5 }],
        model: { name: 'm', sha256: 'not-a-hash' },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.field).sort()).toEqual(
      ['features.names', 'model.sha256', 'top[0].label', 'top[0].probability'].sort(),
    );
  });

  it('makes time-ordered unique ids', () => {
    const ids = Array.from({ length: 200 }, (_, i) => newPredictionId(1_700_000_000_000 + i));
    expect(new Set(ids).size).toBe(200);
    expect([...ids].sort()).toEqual(ids);
  });

  it('redactCredentials never pollutes prototypes and never keeps a credential key (property)', () => {
    const key = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'password', 'apiKey', 'TOKEN', 'x'));
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt()),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        const out = redactCredentials(v);
        const text = JSON.stringify(out ?? null);
        const back = JSON.parse(text ?? 'null');
        const walk = (x: unknown): void => {
          if (x && typeof x === 'object') {
            for (const [k, item] of Object.entries(x)) {
              expect(/password|apikey|token/i.test(k)).toBe(false);
              walk(item);
            }
          }
        };
        walk(back);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      }),
      { numRuns: 300 },
    );
  });
});

describe('openJsonlPredictionLog', () => {
  it('appends one JSON line per record and reads them back', async () => {
    const path = join(dir, 'nested', 'predictions.jsonl');
    const log = await openJsonlPredictionLog(path);
    const records = Array.from({ length: 7 }, (_, i) => sampleRecord(i));
    for (const r of records) log.append(r);
    expect(await log.flush()).toBe(true);
    expect((await lines(path)).map((l) => JSON.parse(l))).toEqual(records);
    expect((await log.recent(3)).map((r) => r.id)).toEqual([records[6].id, records[5].id, records[4].id]);
    // top-1 labels cycle through 5 labels: Books (i=0,5), Electronics (1,6), Toys, Garden, Beauty
    expect([...(await log.countByTopCategory())]).toEqual([
      ['Books', 2],
      ['Electronics', 2],
      ['Beauty', 1],
      ['Garden', 1],
      ['Toys', 1],
    ]);
    await log.close();
  });

  it('stores a record appended twice once, and readers keep the first copy of a replayed id', async () => {
    const path = join(dir, 'p.jsonl');
    const record = sampleRecord(1);
    const log = await openJsonlPredictionLog(path);
    log.append(record);
    log.append(record);
    await log.close();
    expect(await lines(path)).toHaveLength(1);
    // a second process replays the same record: the file has two copies, readers show one
    const again = await openJsonlPredictionLog(path);
    again.append({ ...record, top: [{ label: 'Other', probability: 1 }] });
    await again.close();
    expect(await lines(path)).toHaveLength(2);
    const recent = await readRecentPredictions(path, 10);
    expect(recent).toEqual([record]);
    expect([...(await countPredictionsByTopCategory(path))]).toEqual([[record.top[0].label, 1]]);
  });

  it('reports an invalid record instead of throwing, and writes nothing for it', async () => {
    const reports: AdapterReport[] = [];
    const path = join(dir, 'p.jsonl');
    const log = await openJsonlPredictionLog(path, { onReport: (r) => reports.push(r) });
    expect(() => log.append({ ...sampleRecord(1), top: [] })).not.toThrow();
    expect(() => log.append(null as never)).not.toThrow();
    await log.close();
    expect(reports.map((r) => r.kind)).toEqual(['rejected', 'rejected']);
    expect(reports[0].message).toMatch(/top: needs at least one label/);
    expect(await readFile(path, 'utf8')).toBe('');
  });

  it('append returns before anything is written (never waits on the disk)', async () => {
    const path = join(dir, 'p.jsonl');
    const log = await openJsonlPredictionLog(path);
    expect(log.append(sampleRecord(1))).toBeUndefined();
    await log.flush();
    expect(await lines(path)).toHaveLength(1);
    await log.close();
  });

  it('recovers from a torn last line on the next start', async () => {
    const path = join(dir, 'p.jsonl');
    const first = await openJsonlPredictionLog(path);
    const records = [0, 1, 2].map((i) => sampleRecord(i));
    for (const r of records) first.append(r);
    await first.close();
    const torn = JSON.stringify(sampleRecord(3)).slice(0, 40);
    await appendFile(path, torn);
    const reports: AdapterReport[] = [];
    const second = await openJsonlPredictionLog(path, { onReport: (r) => reports.push(r) });
    expect(reports).toEqual([expect.objectContaining({ kind: 'recovered', message: expect.stringContaining(`cut ${torn.length} bytes`) })]);
    const next = sampleRecord(4);
    second.append(next);
    await second.close();
    const parsed = (await lines(path)).map((l) => JSON.parse(l));
    expect(parsed.map((r) => r.id)).toEqual([...records.map((r) => r.id), next.id]);
  });

  it('a reader skips lines over maxLineBytes without holding them, and reads the records around them', async () => {
    const path = join(dir, 'long.jsonl');
    const [a, b] = [sampleRecord(1), sampleRecord(2)];
    const torn = `{"unterminated": "${'y'.repeat(2 * 1024 * 1024)}`;
    await writeFile(path, `${JSON.stringify(a)}\r\n${'x'.repeat(3 * 1024 * 1024)}\n\n${JSON.stringify(b)}\n${torn}`);
    const seen: unknown[] = [];
    expect(await forEachJsonLine(path, (v) => seen.push(v), { maxLineBytes: 1024 * 1024 })).toEqual({ lines: 4, badLines: 2, longLines: 2 });
    expect(seen).toEqual([a, b]);
    expect(await forEachJsonLine(path, () => undefined, { maxLineBytes: 4 * 1024 * 1024 })).toEqual({ lines: 4, badLines: 2, longLines: 0 });
    // a torn tail longer than the limit is cut without being parsed
    expect(await repairJsonlTail(path, { maxLineBytes: 1024 * 1024 })).toEqual({ droppedBytes: torn.length, completedLine: false });
    expect((await readRecentPredictions(path, 5)).map((r) => r.id)).toEqual([b.id, a.id]);
  });

  it('keeps a complete last record that only lost its newline', async () => {
    const path = join(dir, 'p.jsonl');
    const record = sampleRecord(9);
    await writeFile(path, JSON.stringify(record));
    expect(await repairJsonlTail(path)).toEqual({ droppedBytes: 0, completedLine: true });
    expect(await readFile(path, 'utf8')).toBe(JSON.stringify(record) + '\n');
  });

  it('cutting a log at any byte and repairing keeps exactly the whole records before the cut (property)', async () => {
    const records = Array.from({ length: 6 }, (_, i) => sampleRecord(i, { input: { note: 'é\u2028"\n' + 'x'.repeat(i * 9000) } }));
    const full = Buffer.from(records.map((r) => JSON.stringify(r) + '\n').join(''));
    const ends: number[] = [];
    for (let at = 0, i = 0; i < records.length; i++) ends.push((at = full.indexOf(0x0a, at) + 1));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: full.length }), async (cut) => {
        const path = join(dir, `cut-${cut}.jsonl`);
        await writeFile(path, full.subarray(0, cut));
        await repairJsonlTail(path);
        const kept = ends.filter((e) => e <= cut).length + (ends.includes(cut + 1) ? 1 : 0);
        const got = await readRecentPredictions(path, 100);
        expect(got.map((r) => r.id)).toEqual(records.slice(0, kept).map((r) => r.id).reverse());
        await rm(path);
      }),
      { numRuns: 120 },
    );
  });

  it('opens and reads any garbage without throwing, then appends cleanly after it (fuzz)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const path = join(dir, 'fuzz.jsonl');
        await writeFile(path, bytes);
        const log = await openJsonlPredictionLog(path, { onReport: () => undefined, sync: false });
        const record = sampleRecord(1);
        log.append(record);
        await log.close();
        const recent = await readRecentPredictions(path, 5);
        expect(recent[0]).toEqual(record);
        await rm(path);
      }),
      { numRuns: 100 },
    );
  });

  it('a process killed mid-stream (SIGKILL) leaves only whole records after repair', async () => {
    const path = join(dir, 'killed.jsonl');
    const script = `
      import { openJsonlPredictionLog } from ${JSON.stringify(new URL('../../src/adapters/log/index.ts', import.meta.url).pathname)};
      import { sampleRecord } from ${JSON.stringify(new URL('./support/records.ts', import.meta.url).pathname)};
      const log = await openJsonlPredictionLog(process.argv[2], { sync: false });
      let i = 0;
      const big = 'y'.repeat(20000);
      setInterval(() => { for (let k = 0; k < 50; k++) log.append(sampleRecord(i++, { input: { big } })); }, 1);
      setTimeout(() => process.stdout.write('go\\n'), 150);
    `;
    const scriptPath = join(dir, 'writer.mts');
    await writeFile(scriptPath, script);
    const child = spawn(process.execPath, ['--import', 'tsx', scriptPath, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const reports: AdapterReport[] = [];
    const log = await openJsonlPredictionLog(path, { onReport: (r) => reports.push(r) });
    await log.close();
    const all = await lines(path);
    expect(all.length).toBeGreaterThan(0);
    const parsed = all.map((l) => JSON.parse(l));
    expect(parsed.every((r) => checkPredictionRecord(r).length === 0)).toBe(true);
    expect(parsed.map((r) => r.input.big.length)).toEqual(parsed.map(() => 20000));
    expect(new Set(parsed.map((r) => r.id)).size).toBe(parsed.length);
  });
});
