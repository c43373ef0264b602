// The worker pool under faults: a worker terminated mid-batch, a worker that throws, close
// during a call (drain and abort), and 1,000 concurrent mixed calls. Every call must settle,
// with model.predict's exact results or a WorkerError naming the cause.
import { readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { InputError, WorkerError } from '../../src/errors.js';
import { loadXGBoost } from '../../src/formats/xgboost/index.js';
import { createPredictionPool, type PredictionPool } from '../../src/node/parallel-predict.js';

// The pool keeps its workers private; the test sees them by wrapping the Worker class.
const created = vi.hoisted(() => [] as Worker[]);
/** When set, the next worker runs this code instead of the pool's, as a worker that cannot start would. */
const startWith = vi.hoisted(() => ({ source: null as string | null }));
vi.mock('node:worker_threads', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:worker_threads')>();
  // Node 20's Worker cannot say whether it is ref'd, so the wrapper remembers.
  class TrackedWorker extends actual.Worker {
    refd = true;
    constructor(...args: ConstructorParameters<typeof actual.Worker>) {
      super(startWith.source ?? args[0], args[1]);
      startWith.source = null;
      created.push(this);
    }
    override ref(): void {
      this.refd = true;
      super.ref();
    }
    override unref(): void {
      this.refd = false;
      super.unref();
    }
  }
  return { ...actual, Worker: TrackedWorker };
});

const model = loadXGBoost(readFileSync('models/xgboost/fixtures/early_stopping_binary.json'), { useBestIteration: true });
const F = model.numFeatures;
/** Deterministic rows with some missing values. */
function rows(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n * F);
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = s % 17 === 0 ? NaN : (s / 2 ** 32) * 100 - 20;
  }
  return out;
}
const pools: PredictionPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close({ mode: 'abort' })));
});
async function pool(threads: number): Promise<{ pool: PredictionPool; workers: Worker[] }> {
  const from = created.length;
  const p = await createPredictionPool(model, { threads, minRowsPerThread: 10 });
  pools.push(p);
  return { pool: p, workers: created.slice(from, from + threads) };
}
/** Whether the worker keeps the process alive. */
const busy = (w: Worker) => (w as unknown as { refd: boolean }).refd;

describe('prediction pool faults', () => {
  const big = rows(200_000);
  const expected = Array.from(model.predict(big));

  it('a worker terminated mid-batch rejects that call with WorkerError, is replaced, and queued calls finish', async () => {
    const { pool: p, workers } = await pool(2);
    const first = p.predict(big);
    const queued = p.predict(big);
    // Both workers hold a part of the first call; the second call waits in the queue.
    expect(workers.map(busy)).toEqual([true, true]);
    await workers[0].terminate();
    const error = await first.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerError);
    expect(error).toMatchObject({ code: 'WORKER', reason: 'exit', exitCode: 1 });
    expect((error as Error).message).toMatch(/^prediction worker 0 exited with code 1/);
    expect(Array.from(await queued)).toEqual(expected);
    expect(Array.from(await p.predict(big))).toEqual(expected);
  });

  it('a worker that throws rejects the call it holds with WorkerError (the thrown error as cause), and later calls work', async () => {
    const { pool: p, workers } = await pool(2);
    expect(workers.map(busy)).toEqual([false, false]);
    // Rows that do not fit their buffer: the worker's typed-array view throws a RangeError.
    const tiny = new SharedArrayBuffer(8);
    workers[0].postMessage({ id: 1e9, rows: tiny, out: tiny, begin: 0, end: 1000, treeBegin: 0, treeEnd: 1 });
    const error = await p.predict(big).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerError);
    expect(error).toMatchObject({ code: 'WORKER', reason: 'error' });
    expect((error as Error).message).toMatch(/^prediction worker 0 threw RangeError: /);
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(Array.from(await p.predict(big))).toEqual(expected);
  });

  it("close() drains: calls in flight and queued finish with results; later calls reject as closed", async () => {
    const { pool: p, workers } = await pool(2);
    const calls = [p.predict(big), p.predict(big, { output: 'margin' })];
    expect(workers.map(busy)).toEqual([true, true]);
    const closed = p.close();
    await expect(p.predict(big)).rejects.toMatchObject({ name: 'WorkerError', reason: 'closed' });
    expect(Array.from(await calls[0])).toEqual(expected);
    expect(Array.from(await calls[1])).toEqual(Array.from(model.predict(big, { output: 'margin' })));
    await closed;
    expect(p.close()).toBe(closed);
  });

  it("close({ mode: 'abort' }) rejects every unfinished call with WorkerError at once", async () => {
    const { pool: p } = await pool(2);
    const calls = [p.predict(big), p.predict(big), p.predict(big)].map((c) => c.then(() => null, (e: unknown) => e));
    await p.close({ mode: 'abort' });
    for (const call of calls) expect(await call).toMatchObject({ name: 'WorkerError', code: 'WORKER', reason: 'closed' });
  });

  it("a worker that cannot load the model rejects createPredictionPool with WorkerError (reason 'start')", async () => {
    startWith.source = 'throw new TypeError("no model for you")';
    const error = await createPredictionPool(model, { threads: 2 }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerError);
    expect(error).toMatchObject({ code: 'WORKER', reason: 'start' });
    expect((error as Error).message).toBe('prediction worker 0 could not start: TypeError: no model for you');
  });

  it('settles 1,000 concurrent mixed calls (sizes, outputs, ranges, bad input, a worker killed midway) with exact results or typed errors', async () => {
    const from = created.length;
    const { pool: p, workers } = await pool(2);
    const calls: { promise: Promise<Float32Array>; want: number[] | 'input' | 'maybe-worker' }[] = [];
    for (let i = 0; i < 1000; i++) {
      const n = 1 + ((i * 37) % 120);
      const x = rows(n, i + 7);
      const output = i % 3 === 0 ? 'margin' : 'value';
      const iterationRange = i % 5 === 0 ? ([0, 3] as const) : i % 5 === 1 ? ([2, 0] as const) : undefined;
      if (i % 97 === 0) {
        calls.push({ promise: p.predict(x.subarray(1), { output }), want: 'input' });
        continue;
      }
      calls.push({ promise: p.predict(x, { output, iterationRange }), want: Array.from(model.predict(x, { output, iterationRange })) });
      if (i === 500) void workers[1].terminate();
    }
    const settled = await Promise.allSettled(calls.map((c) => c.promise));
    let workerErrors = 0;
    settled.forEach((result, i) => {
      const { want } = calls[i];
      if (want === 'input') expect(result.status === 'rejected' && result.reason instanceof InputError).toBe(true);
      else if (result.status === 'fulfilled') expect(Array.from(result.value)).toEqual(want);
      else {
        expect(result.reason).toBeInstanceOf(WorkerError);
        workerErrors++;
      }
    });
    // Only the call the killed worker held fails: every call was queued before any worker could answer.
    expect(workerErrors).toBe(1);
    // Idle again: the pool no longer holds the process open (the replacement included).
    const alive = created.slice(from).filter((w) => w !== workers[1]);
    expect(alive.length).toBe(2);
    expect(alive.map(busy)).toEqual([false, false]);
    expect(Array.from(await p.predict(big))).toEqual(expected);
  });
});
