import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';

/** A service started as a user would (`examples/service/main.ts` importing the built package). */
export interface RunningService {
  url: string;
  child: ChildProcess;
  /** Moves the service's clock forward (only with RETAIL_ML_TEST_CLOCK=1). */
  advanceClock(ms: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The example imports `retail-ml` by name, i.e. dist/: build it once if a checkout has none. */
export function ensureBuilt(): void {
  if (!existsSync(join(repoRoot, 'dist/index.js')) || !existsSync(join(repoRoot, 'dist/adapters/log/index.js'))) {
    execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' });
  }
}

/**
 * Starts the service on a free loopback port with its data in `dataDir`, and resolves once it
 * listens. `env` adds to (or, with undefined values, removes from) the environment.
 */
export function startService(dataDir: string, env: Record<string, string | undefined> = {}): Promise<RunningService> {
  ensureBuilt();
  const child = fork(join(repoRoot, 'examples/service/main.ts'), [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, RETAIL_ML_TEST_CLOCK: '1', SMTP_URL: undefined, MONGODB_URI: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`service exited (${code}) before listening:\n${output}`)));
    child.on('message', (m: { listening?: string }) => {
      if (!m?.listening) return;
      child.removeAllListeners('exit');
      resolve({
        url: m.listening,
        child,
        advanceClock: (ms) =>
          new Promise((done) => {
            child.once('message', () => done());
            child.send({ advanceMs: ms });
          }),
        stop: (signal = 'SIGTERM') =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
            child.once('exit', (code) => done(code));
            child.kill(signal);
          }),
      });
    });
  });
}
