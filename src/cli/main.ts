import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RetailMlError } from '../errors.js';
import type { CliIO } from './command.js';
import { UsageError } from './args.js';
import { commands } from './commands/index.js';

function helpText(): string {
  const lines = ['usage: retail-ml <command> [options]', '', 'commands:'];
  const width = Math.max(...[...commands.keys()].map((k) => k.length), 8);
  for (const [name, cmd] of commands) lines.push(`  ${name.padEnd(width)}  ${cmd.summary}`);
  return lines.join('\n') + '\n';
}

/**
 * Runs the CLI in-process and resolves to its exit code. Errors become one line on
 * stderr (exit 2 for usage mistakes, 1 for bad input or failures), never a stack trace.
 *
 * @example
 * const code = await runCli(['predict', '--model', 'm.json', '--input', 'rows.csv'], io);
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText());
    return name === undefined ? 2 : 0;
  }
  const command = commands.get(name);
  if (!command) {
    io.stderr(`retail-ml: unknown command '${name}' (try retail-ml --help)\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`retail-ml ${name}: ${error.message}\n${command.usage.trimEnd()}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    // Bad input and unreadable files are the caller's to fix; anything else is our bug.
    const isSystemError = typeof (error as { code?: unknown })?.code === 'string' && /^E[A-Z]+$/.test((error as { code: string }).code);
    const prefix = error instanceof RetailMlError || isSystemError ? '' : 'unexpected error: ';
    io.stderr(`retail-ml ${name}: ${prefix}${message.split('\n')[0]}\n`);
    return 1;
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const io: CliIO = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`retail-ml: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
