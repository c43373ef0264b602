import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UnavailableError } from '../../errors.js';

/** Options of {@link registerLogWriter}. */
export interface LogWriterOptions {
  /** How long to wait for another process's lock before giving up (default 10 s). */
  lockTimeoutMs?: number;
  /** A lock older than this is stale whoever holds it: nothing holds it that long on purpose (default 60 s). */
  staleLockMs?: number;
}

/** This process's entry among the live writers of a log. */
export interface LogWriterSlot {
  /** Writers of the same file that were alive when this one registered (other processes, or other logs in this one). */
  readonly otherLiveWriters: number;
  /**
   * Runs `fn` under the lock only when no other writer is alive, and says whether it ran:
   * for operations that rewrite the file (emptying a delivered outbox) rather than append.
   */
  ifAlone(fn: () => Promise<void>): Promise<boolean>;
  /** Removes this writer from the registry (call once, when the file is closed). */
  release(): Promise<void>;
}

interface Entry {
  pid: number;
  token: string;
}

const POLL_MS = 15;

/**
 * Registers the caller as a writer of the append-only file `path`, under an exclusive
 * lock (`<path>.lock`, created atomically, holding this process's pid and host). The
 * registry (`<path>.writers`) lists each writer's pid; entries whose process is gone
 * (a crash, SIGKILL) are dropped. `underLock` runs while the lock is held, before this
 * writer is added, and learns how many other writers are alive: with none, whatever the
 * file ends with is provably torn and stale, and can be repaired; with any, the tail may
 * be a write still in progress and must be left alone. Pid liveness is checked on this
 * host only: the file must not be shared over a network file system.
 *
 * @example
 * const slot = await registerLogWriter('predictions.jsonl', async (others) => {
 *   if (others === 0) await repairJsonlTail('predictions.jsonl');
 * });
 * // … append …
 * await slot.release();
 */
export async function registerLogWriter(
  path: string,
  underLock: (otherLiveWriters: number) => Promise<void>,
  options: LogWriterOptions = {},
): Promise<LogWriterSlot> {
  const token = randomBytes(8).toString('hex');
  const others = await withLock(path, options, async () => {
    const alive = (await readRegistry(path)).filter((e) => isAlive(e.pid));
    await underLock(alive.length);
    await writeRegistry(path, [...alive, { pid: process.pid, token }]);
    return alive.length;
  });
  let released = false;
  return {
    otherLiveWriters: others,
    ifAlone(fn) {
      return withLock(path, options, async () => {
        const alive = (await readRegistry(path)).filter((e) => e.token !== token && isAlive(e.pid));
        if (alive.length > 0) return false;
        await fn();
        return true;
      });
    },
    async release() {
      if (released) return;
      released = true;
      // A registry entry left behind is harmless once this process exits (its pid is dead then).
      await withLock(path, options, async () => {
        const rest = (await readRegistry(path)).filter((e) => e.token !== token && isAlive(e.pid));
        if (rest.length === 0) await unlink(registryPath(path)).catch(() => undefined);
        else await writeRegistry(path, rest);
      }).catch(() => undefined);
    },
  };
}

/**
 * Runs `fn` while holding `<path>.lock` exclusively; waits for another holder, breaks a
 * lock whose process is gone or that is older than `staleLockMs`, and throws an
 * `UnavailableError` after `lockTimeoutMs`.
 *
 * @example
 * await withLock('predictions.jsonl', {}, async () => repairJsonlTail('predictions.jsonl'));
 */
export async function withLock<T>(path: string, options: LogWriterOptions, fn: () => Promise<T>): Promise<T> {
  const lockPath = `${path}.lock`;
  const timeoutMs = options.lockTimeoutMs ?? 10_000;
  const staleMs = options.staleLockMs ?? 60_000;
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now(), token: randomBytes(8).toString('hex') });
  await mkdir(dirname(lockPath), { recursive: true });
  // Written aside and linked into place, so the lock never exists without its owner's pid.
  const draft = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, mine);
  const deadline = Date.now() + timeoutMs;
  let holder = '';
  try {
    for (;;) {
      try {
        await link(draft, lockPath);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      holder = await readFile(lockPath, 'utf8').catch(() => '');
      if (holder !== '' && isStale(holder, staleMs)) {
        await breakStaleLock(lockPath, holder);
        continue;
      }
      if (Date.now() >= deadline) {
        throw new UnavailableError('lock', lockPath, `held by ${describeHolder(holder)} for more than ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    await unlink(draft).catch(() => undefined);
  }
  try {
    return await fn();
  } finally {
    const current = await readFile(lockPath, 'utf8').catch(() => '');
    if (current === mine) await unlink(lockPath).catch(() => undefined);
  }
}

// Renaming first makes breaking atomic: of several processes that judged the same lock
// stale, one renames it; if what it renamed is not the lock it judged (a new holder got
// in between), it puts that one back.
async function breakStaleLock(lockPath: string, judged: string): Promise<void> {
  const aside = `${lockPath}.stale.${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return;
  }
  const taken = await readFile(aside, 'utf8').catch(() => '');
  if (taken !== judged) await link(aside, lockPath).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

function isStale(holder: string, staleMs: number): boolean {
  let parsed: { pid?: unknown; host?: unknown; at?: unknown };
  try {
    parsed = JSON.parse(holder) as typeof parsed;
  } catch {
    return true;
  }
  if (typeof parsed.at === 'number' && Date.now() - parsed.at > staleMs) return true;
  if (parsed.host !== hostname()) return false;
  return typeof parsed.pid !== 'number' || !isAlive(parsed.pid);
}

function describeHolder(holder: string): string {
  try {
    const { pid, host } = JSON.parse(holder) as { pid?: unknown; host?: unknown };
    return `process ${String(pid)} on ${String(host)}`;
  } catch {
    return 'another process';
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function registryPath(path: string): string {
  return `${path}.writers`;
}

async function readRegistry(path: string): Promise<Entry[]> {
  const text = await readFile(registryPath(path), 'utf8').catch(() => '');
  const entries: Entry[] = [];
  for (const line of text.split('\n')) {
    const [pid, token] = line.trim().split(' ');
    if (pid && token && /^\d+$/.test(pid)) entries.push({ pid: Number(pid), token });
  }
  return entries;
}

async function writeRegistry(path: string, entries: readonly Entry[]): Promise<void> {
  const target = registryPath(path);
  const draft = `${target}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, entries.map((e) => `${e.pid} ${e.token}\n`).join(''));
  await rename(draft, target);
}
