// `npm run fuzz`: seeded mutation fuzzing of every parser and loader (fuzz/targets/*.ts).
//   npm run fuzz                                   every target, 20,000 cases each, seed 15
//   npm run fuzz -- --target csv --cases 500       one target (repeat --target for more)
//   npm run fuzz -- --target csv --seed 15 --case 1234 [--save case.bin]   replay one case
// Options: --timeout MS (2000), --memory MB (256), --max-failures N (20).
import { writeFileSync } from 'node:fs';
import { runFuzz } from './runner.js';

function parseArgs(argv: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const [key, inline] = a.slice(2).split('=', 2);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${key} needs a value`);
    (out[key] ??= []).push(value);
  }
  return out;
}

function integer(args: Record<string, string[]>, key: string, fallback: number): number {
  const raw = args[key]?.at(-1);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${key} must be a non-negative integer, got ${raw}`);
  return n;
}

const args = parseArgs(process.argv.slice(2));
const known = new Set(['target', 'seed', 'case', 'cases', 'timeout', 'memory', 'max-failures', 'save']);
for (const k of Object.keys(args)) if (!known.has(k)) throw new Error(`unknown option --${k}`);
const targets = args.target?.flatMap((t) => t.split(','));
const seed = integer(args, 'seed', 15);
const caseIndex = args.case ? integer(args, 'case', 0) : undefined;
const started = Date.now();
const reports = await runFuzz({
  targets,
  seed,
  cases: integer(args, 'cases', 20_000),
  caseIndex,
  timeoutMs: integer(args, 'timeout', 2000),
  memoryMb: integer(args, 'memory', 256),
  maxFailures: integer(args, 'max-failures', 20),
  log: (line) => console.log(line),
});
const failures = reports.flatMap((r) => r.failures);
if (caseIndex !== undefined) {
  for (const r of reports) {
    const typed = Object.keys(r.typed)[0];
    console.log(`${r.name} case ${caseIndex} (seed ${seed}): ${r.failures[0] ? `FAIL ${r.failures[0].kind}: ${r.failures[0].detail}` : r.accepted ? 'accepted, check passed' : `typed error ${typed}`}`);
  }
  const save = args.save?.at(-1);
  if (save && reports[0]) {
    const { fuzzInput, loadTargets } = await import('./runner.js');
    const t = (await loadTargets()).find((x) => x.target.name === reports[0].name)!;
    writeFileSync(save, fuzzInput(await t.target.seeds(), seed, caseIndex));
    console.log(`input written to ${save}`);
  }
}
const total = reports.reduce((s, r) => s + r.cases, 0);
console.log(`${total} cases over ${reports.length} targets in ${((Date.now() - started) / 1000).toFixed(0)} s, seed ${seed}: ${failures.length} failures`);
process.exitCode = failures.length > 0 ? 1 : 0;
