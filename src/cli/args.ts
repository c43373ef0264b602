import { RetailMlError } from '../errors.js';

/** A mistake in how the CLI was called; printed with the usage line, exit code 2. */
export class UsageError extends RetailMlError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/** Parsed command line: positionals in order, options by name (a Map, so no key can pollute a prototype). */
export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

/**
 * Splits argv into positionals, `--name value` / `--name=value` options and boolean `--flag`s.
 * Only names listed in `booleanFlags` are flags; every other `--name` takes a value.
 *
 * @example
 * parseArgs(['fit', '--k', '3', '--json'], ['json'])
 * // => { positionals: ['fit'], options: Map { 'k' => ['3'] }, flags: Set { 'json' } }
 */
export function parseArgs(argv: readonly string[], booleanFlags: readonly string[] = []): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg.length === 2) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (booleanFlags.includes(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      value = argv[++i];
    }
    const list = options.get(name);
    if (list) list.push(value);
    else options.set(name, [value]);
  }
  return { positionals, options, flags };
}

/**
 * The last value given for an option, or `undefined`.
 *
 * @example
 * option(parseArgs(['--k', '3']), 'k') // => '3'
 */
export function option(args: ParsedArgs, name: string): string | undefined {
  const list = args.options.get(name);
  return list ? list[list.length - 1] : undefined;
}

/**
 * Like {@link option} but a missing option is a {@link UsageError}.
 *
 * @example
 * requireOption(parseArgs(['--model', 'm.json']), 'model') // => 'm.json'
 */
export function requireOption(args: ParsedArgs, name: string): string {
  const value = option(args, name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

/**
 * Rejects options the command does not know, so a typo is not silently ignored.
 *
 * @example
 * rejectUnknownOptions(parseArgs(['--modle', 'x']), ['model']) // throws UsageError
 */
export function rejectUnknownOptions(args: ParsedArgs, known: readonly string[]): void {
  for (const name of args.options.keys()) {
    if (!known.includes(name)) throw new UsageError(`unknown option --${name}`);
  }
}
