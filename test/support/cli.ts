import { runCli } from '../../src/cli/main.js';
import { repoRoot } from './paths.js';

/** Runs the CLI in-process and collects what it printed. */
export async function cli(argv: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: repoRoot, env });
  return { code, stdout, stderr };
}
