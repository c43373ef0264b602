import { realpathSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { RetailMlError } from '../errors.js';
import type { CliIO } from './command.js';
import { HelpRequested, UsageError, wantsHelp } from './args.js';
import { commands } from './commands/index.js';
import { describeSystemError, isSystemError } from './system-error.js';
import { packageVersion } from './version.js';

function helpText(): string {
  const lines = [
    'usage: retail-ml <command> [options]',
    '       retail-ml <command> --help     usage of one command',
    '       retail-ml --version',
    '',
    'commands:',
  ];
  const width = Math.max(...[...commands.keys()].map((k) => k.length), 8);
  for (const [name, cmd] of commands) lines.push(`  ${name.padEnd(width)}  ${cmd.summary}`);
  lines.push('', 'A table --input of - reads CSV from stdin. Exit codes: 0 done, 1 bad input or failure, 2 usage mistake.');
  return lines.join('\n') + '\n';
}

/**
 * Runs the CLI in-process and resolves to its exit code. `--help`/`-h` (alone or after a
 * command) prints usage to stdout with exit 0, `--version` the package version. Errors
 * become one line on stderr (exit 2 for usage mistakes, 1 for bad input or failures),
 * never a stack trace; system errors (a missing file, a directory) are put in words.
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
  if (name === '--version') {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  const command = commands.get(name);
  if (!command) {
    io.stderr(`retail-ml: unknown ${name.startsWith('-') ? 'option' : 'command'} '${name}' (try retail-ml --help)\n`);
    return 2;
  }
  // Help wins over everything else on the line, so it works without the required options.
  if (wantsHelp(rest)) {
    io.stdout(command.usage.trimEnd() + '\n');
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof HelpRequested) {
      io.stdout(command.usage.trimEnd() + '\n');
      return 0;
    }
    if (error instanceof UsageError) {
      io.stderr(`retail-ml ${name}: ${error.message}\n${command.usage.trimEnd()}\n`);
      return 2;
    }
    io.stderr(`retail-ml ${name}: ${failureLine(error)}\n`);
    return 1;
  }
}

/** Bad input and unreadable files are the caller's to fix; anything else is our bug, and says so. */
function failureLine(error: unknown): string {
  if (isSystemError(error)) return describeSystemError(error);
  const message = error instanceof Error ? error.message : String(error);
  const prefix = error instanceof RetailMlError ? '' : 'unexpected error: ';
  return `${prefix}${message.split('\n')[0]}`;
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
  // A reader that went away (`retail-ml predict … | head`) is the normal end of a pipe, as for
  // any Unix tool: stop quietly with 0, no EPIPE stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    process.stderr.write(`retail-ml: ${isSystemError(error) ? describeSystemError(error) : error.message}\n`);
    process.exit(1);
  });
  const io: CliIO = {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    stderrIsTTY: process.stderr.isTTY === true,
    // A getter: touching process.stdin opens it, which only commands reading `-` should do.
    get stdin() {
      return process.stdin;
    },
    drain: async () => {
      if (process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
    },
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`retail-ml: ${failureLine(error)}\n`);
      process.exitCode = 1;
    },
  );
}
