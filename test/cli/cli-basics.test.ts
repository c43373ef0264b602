import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { commands } from '../../src/cli/commands/index.js';
import { cli } from '../support/cli.js';
import { generatedFixtures, hasShared, repoRoot, sharedData } from '../support/paths.js';

const scratch = mkdtempSync(join(tmpdir(), 'retail-ml-cli-'));
const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version;

async function withStdin(argv: string[], input: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: scratch, env: {}, stdin: Readable.from([Buffer.from(input)]) });
  return { code, stdout, stderr };
}

describe('retail-ml help and version', () => {
  it.each([['--help'], ['-h'], ['help']])('%s prints the command list to stdout with exit 0', async (flag) => {
    const r = await cli([flag]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const name of commands.keys()) expect(r.stdout).toContain(`  ${name}`);
  });
  it('--version prints the package version', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
  it.each([...commands.keys()].flatMap((name) => [[name, '--help'], [name, '-h']]))('%s %s prints its usage to stdout with exit 0', async (name, flag) => {
    const r = await cli([name, flag]);
    expect(r).toEqual({ code: 0, stdout: commands.get(name)!.usage.trimEnd() + '\n', stderr: '' });
  });
  it('help after a sub-command and other options still wins', async () => {
    const r = await cli(['forest', 'train', '--trees', '3', '-h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: retail-ml forest train/);
  });
});

describe('retail-ml usage errors', () => {
  it('an unknown option is exit 2 and lists the valid ones', async () => {
    const r = await cli(['predict', '--modle', 'm.json']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      'retail-ml predict: unknown option --modle (valid: --best-iteration, --categories, --input, --iteration-range, --model, --output)',
    );
  });
  it.each([
    [['rfm', '--input'], 'retail-ml rfm: --input needs a value'],
    [['rfm', '--json=yes'], 'retail-ml rfm: --json takes no value'],
    [['clv', '--summary', 'x.csv', '--discount', '-0.5'], 'retail-ml clv: --discount needs a value (write --discount=-… for a value starting with -)'],
    [['kmeans', 'fit', '--k', '3', '--bogus', '1'], 'retail-ml kmeans: unknown option --bogus (valid: --columns, --delimiter, --input, --k, --max-iter, --n-init, --out, --seed)'],
  ])('%j is exit 2: %s', async (argv, line) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(line);
  });
  it('an unknown command or top-level option is exit 2', async () => {
    expect((await cli(['--verbose'])).code).toBe(2);
    expect((await cli(['frobnicate'])).stderr).toBe("retail-ml: unknown command 'frobnicate' (try retail-ml --help)\n");
  });
});

describe('retail-ml inputs', () => {
  const expected = JSON.parse(readFileSync(join(generatedFixtures, 'obj_multi_softprob.expected.json'), 'utf8'));
  const header: string[] = expected.feature_names ?? expected.rows[0].map((_: unknown, i: number) => `f${i}`);
  const csv = [header.join(','), ...expected.rows.map((r: (number | null)[]) => r.map((v) => (v === null ? '' : v)).join(','))].join('\n') + '\n';
  const model = join(generatedFixtures, 'obj_multi_softprob.json');

  it('predict --input - reads stdin and prints what the same file gives', async () => {
    const path = join(scratch, 'rows.csv');
    writeFileSync(path, csv);
    const fromFile = await cli(['predict', '--model', model, '--input', path]);
    const fromStdin = await withStdin(['predict', '--model', model, '--input', '-'], csv);
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
    expect(fromStdin.stdout.trim().split('\n')).toHaveLength(expected.rows.length + 1);
  });
  it('every table-reading command accepts - for stdin', async () => {
    if (hasShared) {
      const cdnow = join(sharedData, 'cdnow/cdnow_customers_summary.csv');
      const piped = await withStdin(['clv', '--summary', '-', '--json'], readFileSync(cdnow, 'utf8'));
      expect(piped.code, piped.stderr).toBe(0);
      expect(piped.stdout).toBe((await cli(['clv', '--summary', cdnow, '--json'])).stdout);
    }
    const points = 'x,y\n0,0\n0,1\n10,10\n10,11\n';
    const fit = await withStdin(['kmeans', 'fit', '--input', '-', '--k', '2', '--out', join(scratch, 'km.json')], points);
    expect(fit.code, fit.stderr).toBe(0);
    const merged = await withStdin(['merge', '-', join(scratch, 'b.csv'), '--on', 'id'], 'id,a\n1,x\n');
    expect(merged.stderr).toMatch(/b\.csv: no such file or directory/);
    writeFileSync(join(scratch, 'b.csv'), 'id,b\n1,y\n');
    expect((await withStdin(['merge', '-', join(scratch, 'b.csv'), '--on', 'id'], 'id,a\n1,x\n')).stdout).toBe('id,a,b\n1,x,y\n');
  });
  it('- without a stdin (in-process callers) is a usage error', async () => {
    const r = await cli(['predict', '--model', model, '--input', '-']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('retail-ml predict: - (stdin) is not available here');
  });
  it('a missing file or a directory is one line in words, without the raw system error', async () => {
    const missing = await cli(['predict', '--model', model, '--input', join(scratch, 'nope.csv')]);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: `retail-ml predict: ${join(scratch, 'nope.csv')}: no such file or directory\n` });
    const dir = join(scratch, 'a-dir');
    mkdirSync(dir, { recursive: true });
    for (const argv of [['predict', '--model', model, '--input', dir], ['forest', 'evaluate', '--model', dir, '--input', dir, '--target', 'y'], ['clv', '--summary', dir]]) {
      const r = await cli(argv);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`retail-ml ${argv[0]}: ${dir}: is a directory, not a file\n`);
    }
  });
  it('a bad value names the row (from 1) and the column', async () => {
    const bad = `${header.join(',')}\n${header.map(() => '1').join(',')}\n${header.map((_, i) => (i === 1 ? 'x' : '1')).join(',')}\n`;
    const r = await withStdin(['predict', '--model', model, '--input', '-'], bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`retail-ml predict: row 2, column '${header[1]}': 'x' is not a number\n`);
    const summary = await withStdin(['clv', '--summary', '-'], 'frequency,recency,T\n1,2,3\n1,oops,3\n');
    expect(summary.stderr).toBe("retail-ml clv: row 2, column recency: 'oops' is not a number\n");
    const kmeans = await withStdin(['kmeans', 'fit', '--input', '-', '--k', '2', '--out', join(scratch, 'k.json')], 'x,y\n1,2\n3,\n5,6\n');
    expect(kmeans.stderr).toBe('retail-ml kmeans: row 2, column y: missing value (k-means needs every cell)\n');
    const target = await withStdin(['forest', 'train', '--input', '-', '--target', 't', '--out', join(scratch, 'f.json')], 'x,t\n1,0\n2,\n');
    expect(target.stderr).toBe('retail-ml forest: row 2, column t: the target is missing\n');
    const typed = await withStdin(['purchase-features', '--input', '-', '--out', join(scratch, 'p.csv')], 'user_id,signup_date\n1,2020-01-01\n');
    expect(typed.stderr.split('\n')).toHaveLength(2);
    const types = await withStdin(['merge', '-', '-', '--on', 'id'], 'id\n1\n');
    expect(types.stderr.split('\n')[0]).toBe('retail-ml merge: only one file can be - (stdin)');
  });
});

describe('retail-ml as a process', () => {
  it('predict piped into a reader that stops early (| head) ends quietly with exit 0', async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => header0.map((_, j) => ((i * 7 + j) % 13) / 3).join(',')).join('\n');
    const input = join(scratch, 'many.csv');
    writeFileSync(input, header0.join(',') + '\n' + rows + '\n');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'predict', '--model', join(generatedFixtures, 'obj_multi_softprob.json'), '--input', input], { cwd: repoRoot });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Like `head -n 1`: read one chunk, then close the pipe.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
  it('--version and a stdin pipe work from the binary', () => {
    expect(spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--version'], { cwd: repoRoot, encoding: 'utf8' }).stdout).toBe(`${version}\n`);
    // Through a shell pipe: Node gives a child a socket, not a pipe, and /dev/stdin cannot open a socket.
    const rows = join(scratch, 'one-row.csv');
    writeFileSync(rows, header0.join(',') + '\n' + header0.map(() => '1').join(',') + '\n');
    const command = `cat '${rows}' | '${process.execPath}' --import tsx src/cli/main.ts predict --model '${join(generatedFixtures, 'obj_multi_softprob.json')}' --input /dev/stdin`;
    const r = spawnSync('sh', ['-c', command], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });
});

const header0: string[] = (() => {
  const e = JSON.parse(readFileSync(join(generatedFixtures, 'obj_multi_softprob.expected.json'), 'utf8'));
  return e.feature_names ?? e.rows[0].map((_: unknown, i: number) => `f${i}`);
})();
