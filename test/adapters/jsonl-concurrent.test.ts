import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkPredictionRecord, forEachJsonLine, openJsonlPredictionLog } from '../../src/adapters/log/index.js';
import { UnavailableError } from '../../src/errors.js';
import { sampleRecord } from './support/records.js';

const SCRIPT = new URL('./support/log-process.ts', import.meta.url).pathname;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retail-ml-jsonl-conc-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(mode: 'writer' | 'opener' | 'tail', path: string, ms: number): Promise<{ acked: string[]; opens: number; code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, mode, path, String(ms)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      const lines = stdout.split('\n');
      resolve({
        acked: lines.filter((l) => l.startsWith('ack ')).map((l) => l.slice(4)),
        opens: Number(lines.find((l) => l.startsWith('opens '))?.slice(6) ?? 0),
        code,
        stderr,
      });
    });
  });
}

async function storedIds(path: string): Promise<Set<string>> {
  const ids = new Set<string>();
  await forEachJsonLine(path, (value) => {
    if (checkPredictionRecord(value).length === 0) ids.add((value as { id: string }).id);
  });
  return ids;
}

describe('a prediction log shared by live processes (issue #15)', () => {
  it('processes that open the log while another appends never cut an acknowledged record', { timeout: 60_000 }, async () => {
    const path = join(dir, 'predictions.jsonl');
    const [writer, ...others] = await Promise.all([run('writer', path, 3000), run('opener', path, 2500), run('opener', path, 2500), run('tail', path, 2500)]);
    for (const r of [writer, ...others]) expect(r.code, r.stderr).toBe(0);
    const acked = [writer, ...others].flatMap((r) => r.acked);
    const opens = others.reduce((n, r) => n + r.opens, 0);
    const stored = await storedIds(path);
    const lost = acked.filter((id) => !stored.has(id));
    console.log(`concurrent log: ${acked.length} acknowledged (${writer.acked.length} by the long-lived writer), ${opens} opens by other processes, ${lost.length} lost`);
    expect(writer.acked.length).toBeGreaterThan(100);
    expect(others[0].opens + others[1].opens).toBeGreaterThan(10);
    expect(lost).toEqual([]);
    // nothing left locked, and the registry is empty once every writer has closed
    await expect(readFile(`${path}.lock`)).rejects.toThrow(/ENOENT/);
    await expect(readFile(`${path}.writers`)).rejects.toThrow(/ENOENT/);
  });

  it('a writer killed mid-line while another lives: its torn tail is left alone, every record after it stays whole', { timeout: 60_000 }, async () => {
    const path = join(dir, 'p.jsonl');
    const live = await openJsonlPredictionLog(path, { sync: false, onReport: () => undefined });
    const first = sampleRecord(1);
    live.append(first);
    expect(await live.flush()).toBe(true);
    // the killed writer's registry entry stays, its pid dead; its torn fragment ends the file
    const killed = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    await new Promise((r) => killed.once('spawn', r));
    const { appendFile } = await import('node:fs/promises');
    await appendFile(`${path}.writers`, `${killed.pid} deadbeef\n`);
    await appendFile(path, JSON.stringify(sampleRecord(2)).slice(0, 50));
    killed.kill('SIGKILL');
    await new Promise((r) => killed.once('exit', r));

    const reports: string[] = [];
    const second = await openJsonlPredictionLog(path, { sync: false, onReport: (r) => reports.push(r.message) });
    expect(reports).toEqual([]); // `live` is alive: the tail may be its write in progress, so no repair
    const next = sampleRecord(3);
    second.append(next);
    live.append(sampleRecord(4));
    await second.close();
    await live.close();
    expect([...(await storedIds(path))]).toEqual([first.id, next.id, expect.any(String)]);

    const third = await openJsonlPredictionLog(path, { onReport: (r) => reports.push(r.message) });
    await third.close();
    expect(reports).toEqual([]); // the fragment was already closed off by the next append's leading newline
    const text = await readFile(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('the lock: a dead holder\'s lock is broken, a live holder\'s is waited for and then named in an UnavailableError, an old one is stale', async () => {
    const path = join(dir, 'locked.jsonl');
    const { hostname } = await import('node:os');
    const { writeFile } = await import('node:fs/promises');
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.once('exit', r));
    const lock = (pid: number, at = Date.now()) => writeFile(`${path}.lock`, JSON.stringify({ pid, host: hostname(), at, token: 'x' }));

    await lock(dead.pid!);
    const log = await openJsonlPredictionLog(path, { onReport: () => undefined, lockTimeoutMs: 2000 });
    await log.close();
    await expect(readFile(`${path}.lock`)).rejects.toThrow(/ENOENT/);

    await lock(process.pid); // alive: must not be broken
    const started = Date.now();
    const error = await openJsonlPredictionLog(path, { lockTimeoutMs: 200 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toBe(`lock at ${path}.lock: held by process ${process.pid} on ${hostname()} for more than 200 ms`);
    expect(JSON.parse(await readFile(`${path}.lock`, 'utf8')).pid).toBe(process.pid);

    await lock(process.pid, Date.now() - 120_000); // older than staleLockMs (60 s): nobody holds a lock that long on purpose
    const again = await openJsonlPredictionLog(path, { onReport: () => undefined, lockTimeoutMs: 2000 });
    await again.close();
    await expect(readFile(`${path}.lock`)).rejects.toThrow(/ENOENT/);
  });
});
