import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { target } from '../../fuzz/targets/xlsx.js';
import { repoRoot } from '../support/paths.js';

// CI replays one fixed base seed; set XLSX_FUZZ_SEED to explore others.
const base = Number(process.env.XLSX_FUZZ_SEED ?? 20261206);
const CASES = 400;
// Cases are a few KB and take milliseconds; the limit is generous because 2 cores are shared.
const CASE_LIMIT_MS = 5000;

interface Run {
  lines: string[];
  exit: number | null;
  hung?: string;
}

function runCases(seed: number, cases: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=512', '--import', 'tsx', 'test/features/xlsx-fuzz.child.ts', String(seed), String(cases)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let pending = '';
    let hung: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    // Each line must follow the one before within the limit: a silent child is a hang or a pending promise.
    const watch = (limit: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        hung = lines[lines.length - 1] ?? '(no case started)';
        child.kill('SIGKILL');
      }, limit);
    };
    watch(60_000); // startup under tsx
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      pending += text;
      const parts = pending.split('\n');
      pending = parts.pop()!;
      lines.push(...parts);
      watch(CASE_LIMIT_MS);
    });
    let stderr = '';
    child.stderr.on('data', (t) => (stderr += t));
    child.on('close', (exit) => {
      clearTimeout(timer);
      if (stderr) lines.push(`stderr: ${stderr}`);
      resolve({ lines, exit, hung });
    });
  });
}

describe('xlsx fuzzing (zip and XML level)', () => {
  it('the seeds are valid workbooks the target accepts', async () => {
    const seeds = await target.seeds();
    expect(seeds.length).toBeGreaterThanOrEqual(4);
    for (const s of seeds) await target.check!(await target.parse(s));
  });

  it(`${CASES} seeded mutations each end in a typed error or a consistent table within ${CASE_LIMIT_MS} ms`, async () => {
    const run = await runCases(base, CASES);
    const replay = (line: string) => {
      const i = Number(line.split(' ')[1]);
      return `${line} — replay: node --import tsx test/features/xlsx-fuzz.child.ts ${base + i} 1`;
    };
    expect(run.hung, run.hung && `hung or left pending: ${replay(run.hung)}`).toBeUndefined();
    expect(run.lines.filter((l) => l.startsWith('fail ') || l.startsWith('stderr')).map(replay)).toEqual([]);
    expect(run.exit).toBe(0);
    const counts = JSON.parse(run.lines[run.lines.length - 1]);
    expect(counts.failed).toBe(0);
    expect(counts.accepted + counts.typed).toBe(CASES);
    // Mutations that never reach the reader's depths would prove little: both outcomes must occur.
    expect(counts.accepted).toBeGreaterThan(CASES / 20);
    expect(counts.typed).toBeGreaterThan(CASES / 4);
  }, 300_000);
});
