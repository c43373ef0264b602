import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { mutate } from './mutate.js';
import { caseRandom } from './random.js';
import type { FuzzTarget } from './target.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Options for {@link runFuzz}. */
export interface FuzzOptions {
  /** Target names to run (default: every file in fuzz/targets/). */
  targets?: readonly string[];
  /** Run seed; with the case index it determines each input. */
  seed: number;
  /** Cases per target. */
  cases: number;
  /** Run only this case index (replay). */
  caseIndex?: number;
  /** Wall-clock limit per input, ms (default 2000). */
  timeoutMs?: number;
  /** Worker heap limit, MB (default 256): `resourceLimits.maxOldGenerationSizeMb`. */
  memoryMb?: number;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Stop a target after this many failures (default 20). */
  maxFailures?: number;
  /** Folder of target files (default fuzz/targets). */
  dir?: string;
}

/** One input that did not end in a typed error or a checked acceptance. */
export interface FuzzFailure {
  target: string;
  seed: number;
  caseIndex: number;
  kind: string;
  detail: string;
  input: Uint8Array;
}

/** Outcome counts of one target. */
export interface TargetReport {
  name: string;
  cases: number;
  accepted: number;
  /** Typed RetailMlError codes and how often each ended a case. */
  typed: Record<string, number>;
  failures: FuzzFailure[];
  seconds: number;
}

/**
 * Every `fuzz/targets/*.ts` file (sorted), with the target it exports.
 *
 * @example
 * (await loadTargets()).map((t) => t.target.name) // => ['bundle-manifest', 'csv', ...]
 */
export async function loadTargets(dir = join(here, 'targets')): Promise<{ file: string; target: FuzzTarget }[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();
  const out: { file: string; target: FuzzTarget }[] = [];
  for (const f of files) {
    const file = resolve(dir, f);
    const mod = (await import(pathToFileURL(file).href)) as { target?: FuzzTarget };
    if (mod.target && typeof mod.target.parse === 'function') out.push({ file, target: mod.target });
  }
  return out;
}

/**
 * The input of case `caseIndex` for a target: case 0..seeds-1 are the seeds themselves
 * (a harness that rejects valid inputs is caught at once), the rest seeded mutations.
 *
 * @example
 * fuzzInput(seeds, 15, 1234) // the same bytes on every run
 */
export function fuzzInput(seeds: readonly Uint8Array[], seed: number, caseIndex: number): Uint8Array {
  if (caseIndex < seeds.length) return seeds[caseIndex];
  return mutate(seeds, caseRandom(seed, caseIndex));
}

type Reply = { id: number; beat?: true; ready?: true; outcome?: 'accepted' | 'typed' | 'failure'; code?: string; kind?: string; detail?: string };

/** A worker that runs one target's inputs one at a time, replaced after a hang or crash. */
class TargetWorker {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private onReply: ((r: Reply) => void) | null = null;
  private onDeath: ((kind: string, detail: string) => void) | null = null;
  private lastBeat = 0;

  constructor(private readonly file: string, private readonly memoryMb: number) {}

  private start(): Promise<void> {
    const worker = new Worker(join(here, 'worker.mjs'), {
      workerData: { targetFile: this.file },
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
    });
    // A target's console output is not the harness's; drain it so the pipes never fill.
    worker.stdout.resume();
    worker.stderr.resume();
    this.worker = worker;
    return new Promise((ok, fail) => {
      let started = false;
      worker.on('message', (r: Reply) => {
        if (r.ready) {
          started = true;
          ok();
        } else if (r.beat) this.lastBeat = performance.now();
        else this.onReply?.(r);
      });
      worker.on('error', (error: Error & { code?: string }) => {
        if (!started) fail(error);
        const oom = error.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory/i.test(error.message);
        this.onDeath?.(oom ? 'out-of-memory' : 'worker crash', `${error.name}: ${error.message}`.slice(0, 300));
      });
      worker.on('exit', (code) => {
        if (this.worker === worker) this.worker = null;
        if (!started) fail(new Error(`fuzz worker exited with ${code} before it was ready`));
        this.onDeath?.('worker crash', `worker exited with code ${code}`);
      });
    });
  }

  /** Runs one input; resolves with its classification. */
  async run(bytes: Uint8Array, timeoutMs: number): Promise<{ outcome: 'accepted' | 'typed' | 'failure'; code?: string; kind?: string; detail?: string }> {
    if (!this.worker) this.ready = this.start();
    await this.ready;
    const worker = this.worker!;
    return new Promise((done) => {
      const started = performance.now();
      this.lastBeat = started;
      const finish = (r: { outcome: 'accepted' | 'typed' | 'failure'; code?: string; kind?: string; detail?: string }) => {
        clearTimeout(timer);
        this.onReply = null;
        this.onDeath = null;
        done(r);
      };
      const timer = setTimeout(() => {
        // Beats within the last half second: the event loop was idle, waiting on a promise.
        const pending = performance.now() - this.lastBeat < 500;
        this.kill();
        finish({ outcome: 'failure', kind: pending ? 'pending promise' : 'hang (event loop blocked)', detail: `no result after ${timeoutMs} ms` });
      }, timeoutMs);
      this.onReply = (r) => finish({ outcome: r.outcome!, code: r.code, kind: r.kind, detail: r.detail });
      this.onDeath = (kind, detail) => {
        this.worker = null;
        finish({ outcome: 'failure', kind, detail });
      };
      worker.postMessage({ id: 0, bytes });
      void started;
    });
  }

  kill(): void {
    const w = this.worker;
    this.worker = null;
    this.onDeath = null;
    if (w) void w.terminate();
  }
}

/** What one input ended in, and how long it took (ms, wall clock, worker start excluded). */
export interface SingleOutcome {
  outcome: 'accepted' | 'typed' | 'failure';
  code?: string;
  kind?: string;
  detail?: string;
  ms: number;
}

/**
 * Runs inputs through a target file, one at a time in one worker (replaced after a
 * failure), with the same limits as the fuzz run; used by the hostile-fixture check.
 *
 * @example
 * await runInputs('fuzz/targets/csv.ts', [bytes], { timeoutMs: 2000, memoryMb: 256 }) // => [{ outcome: 'typed', code: 'DATA_FORMAT', ms: 41 }]
 */
export async function runInputs(targetFile: string, inputs: readonly Uint8Array[], limits: { timeoutMs?: number; memoryMb?: number } = {}): Promise<SingleOutcome[]> {
  const worker = new TargetWorker(resolve(targetFile), limits.memoryMb ?? 256);
  const out: SingleOutcome[] = [];
  try {
    for (const bytes of inputs) {
      // Start (or restart) the worker on a trivial input first, so the timing is the input's alone.
      await worker.run(new Uint8Array(0), 30_000);
      const started = performance.now();
      const result = await worker.run(bytes, limits.timeoutMs ?? 2000);
      out.push({ ...result, ms: performance.now() - started });
    }
  } finally {
    worker.kill();
  }
  return out;
}

/**
 * Runs seeded mutation fuzzing of the targets, each input in a worker thread with a
 * wall-clock and a heap limit. A case is fine when it ends in a RetailMlError with a code
 * (one-line message) or in an accepted result that passes the target's `check`; anything
 * else is a {@link FuzzFailure} carrying the seed and case index to replay it.
 *
 * @example
 * const reports = await runFuzz({ targets: ['csv'], seed: 15, cases: 300 });
 * reports[0].failures.length // => 0
 */
export async function runFuzz(options: FuzzOptions): Promise<TargetReport[]> {
  const all = await loadTargets(options.dir);
  const wanted = options.targets;
  const unknown = wanted?.filter((n) => !all.some((t) => t.target.name === n)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown fuzz target(s): ${unknown.join(', ')} (known: ${all.map((t) => t.target.name).join(', ')})`);
  const chosen = wanted ? all.filter((t) => wanted.includes(t.target.name)) : all;
  const timeoutMs = options.timeoutMs ?? 2000;
  const log = options.log ?? (() => {});
  const reports: TargetReport[] = [];
  for (const { file, target } of chosen) {
    const seeds = await target.seeds();
    if (seeds.length === 0) throw new Error(`fuzz target ${target.name} has no seeds`);
    const worker = new TargetWorker(file, options.memoryMb ?? 256);
    const report: TargetReport = { name: target.name, cases: 0, accepted: 0, typed: {}, failures: [], seconds: 0 };
    const started = performance.now();
    const indices = options.caseIndex !== undefined ? [options.caseIndex] : Array.from({ length: options.cases }, (_, i) => i);
    let lastLog = started;
    try {
      for (const caseIndex of indices) {
        const input = fuzzInput(seeds, options.seed, caseIndex);
        let result = await worker.run(input, timeoutMs);
        // A seed is a valid file: refusing it means the target (or the library) is wrong.
        if (caseIndex < seeds.length && result.outcome === 'typed') result = { outcome: 'failure', kind: 'seed refused', detail: `typed error ${result.code} on seed ${caseIndex}` };
        report.cases++;
        if (result.outcome === 'accepted') report.accepted++;
        else if (result.outcome === 'typed') report.typed[result.code!] = (report.typed[result.code!] ?? 0) + 1;
        else {
          const failure: FuzzFailure = { target: target.name, seed: options.seed, caseIndex, kind: result.kind ?? 'failure', detail: result.detail ?? '', input };
          report.failures.push(failure);
          log(`FAIL ${target.name} case ${caseIndex}: ${failure.kind}: ${failure.detail}\n     replay: npm run fuzz -- --target ${target.name} --seed ${options.seed} --case ${caseIndex}`);
          if (report.failures.length >= (options.maxFailures ?? 20)) break;
        }
        if (performance.now() - lastLog > 30_000) {
          lastLog = performance.now();
          log(`  ${target.name}: ${report.cases}/${indices.length} cases, ${report.failures.length} failures`);
        }
      }
    } finally {
      worker.kill();
    }
    report.seconds = (performance.now() - started) / 1000;
    reports.push(report);
    log(summaryLine(report));
  }
  return reports;
}

/**
 * One line per target: cases, accepted, typed errors by code, failures, time.
 *
 * @example
 * summaryLine(report) // => 'csv: 20000 cases, 0 failures — 11873 accepted, 8127 typed (DATA_FORMAT 8127) — 61 s'
 */
export function summaryLine(r: TargetReport): string {
  const typed = Object.entries(r.typed).sort((a, b) => b[1] - a[1]);
  const typedCount = typed.reduce((s, [, n]) => s + n, 0);
  return `${r.name}: ${r.cases} cases, ${r.failures.length} failures — ${r.accepted} accepted, ${typedCount} typed (${typed.map(([c, n]) => `${c} ${n}`).join(', ') || 'none'}) — ${r.seconds.toFixed(0)} s`;
}
