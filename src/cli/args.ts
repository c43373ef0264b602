import { parseArgs as parseNodeArgs } from 'node:util';
import { RetailMlError } from '../errors.js';

/** A mistake in how the CLI was called; printed with the usage line, exit code 2. */
export class UsageError extends RetailMlError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/**
 * Thrown when `--help`/`-h` is on the command line; the CLI prints the command's usage
 * to stdout and exits 0. Not an error, so not a {@link RetailMlError}.
 *
 * @example
 * try { parseArgs(['--help'], { options: ['model'] }); } catch (e) { e instanceof HelpRequested } // => true
 */
export class HelpRequested extends Error {
  constructor() {
    super('help requested');
    this.name = 'HelpRequested';
  }
}

/** Parsed command line: positionals in order, options by name (a Map, so no key can pollute a prototype). */
export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

/** What a command accepts: `options` take a value (`--name v` or `--name=v`, repeatable), `flags` take none. */
export interface ArgsSpec {
  options?: readonly string[];
  flags?: readonly string[];
}

/**
 * True when argv asks for help (`--help` or `-h` before any `--`), whatever else it holds,
 * so `retail-ml predict --help` works without the required options.
 *
 * @example
 * wantsHelp(['--model', 'm.json', '-h']) // => true
 * wantsHelp(['--', '--help'])            // => false
 */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/**
 * Parses argv with `node:util` `parseArgs` in strict mode: an undeclared option is a
 * {@link UsageError} that lists the valid ones, `--help`/`-h` throws {@link HelpRequested}.
 * Giving a list of flag names instead of a spec (the older form) accepts any `--name value`
 * and leaves unknown names to {@link rejectUnknownOptions}.
 *
 * @example
 * parseArgs(['fit', '--k', '3', '--json'], { options: ['k'], flags: ['json'] })
 * // => { positionals: ['fit'], options: Map { 'k' => ['3'] }, flags: Set { 'json' } }
 */
export function parseArgs(argv: readonly string[], spec: ArgsSpec | readonly string[] = {}): ParsedArgs {
  if (wantsHelp(argv)) throw new HelpRequested();
  const flags = isFlagList(spec) ? spec : (spec.flags ?? []);
  // The older form names only its flags; every other --name seen takes a value.
  const valued = isFlagList(spec) ? namesIn(argv).filter((n) => !flags.includes(n)) : (spec.options ?? []);
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = Object.create(null);
  for (const name of valued) options[name] = { type: 'string', multiple: true };
  for (const name of flags) options[name] = { type: 'boolean' };
  let parsed;
  try {
    parsed = parseNodeArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorFrom(error, [...valued, ...flags]);
  }
  const result: ParsedArgs = { positionals: parsed.positionals, options: new Map(), flags: new Set() };
  for (const [name, value] of Object.entries(parsed.values)) {
    if (Array.isArray(value)) result.options.set(name, value as string[]);
    else if (value === true) result.flags.add(name);
  }
  return result;
}

function isFlagList(spec: ArgsSpec | readonly string[]): spec is readonly string[] {
  return Array.isArray(spec);
}

function namesIn(argv: readonly string[]): string[] {
  const names: string[] = [];
  for (const arg of argv) {
    if (arg === '--') break;
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      names.push(arg.slice(2, eq === -1 ? undefined : eq));
    }
  }
  return names;
}

// node:util's messages are several lines and talk about its own API; ours are one line.
function usageErrorFrom(error: unknown, valid: readonly string[]): unknown {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  const name = /'(-{1,2}[^' <]*)/.exec(message)?.[1] ?? '';
  const list = valid.length ? `valid: ${[...valid].sort().map((n) => `--${n}`).join(', ')}` : 'this command takes no options';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown option ${name} (${list})`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(message)) return new UsageError(`${name} takes no value`);
    if (/ambiguous/.test(message)) return new UsageError(`${name} needs a value (write ${name}=-… for a value starting with -)`);
    return new UsageError(`${name} needs a value`);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new UsageError(message.split('\n')[0]);
  return error;
}

/**
 * The last value given for an option, or `undefined`.
 *
 * @example
 * option(parseArgs(['--k', '3'], { options: ['k'] }), 'k') // => '3'
 */
export function option(args: ParsedArgs, name: string): string | undefined {
  const list = args.options.get(name);
  return list ? list[list.length - 1] : undefined;
}

/**
 * Like {@link option} but a missing option is a {@link UsageError}.
 *
 * @example
 * requireOption(parseArgs(['--model', 'm.json'], { options: ['model'] }), 'model') // => 'm.json'
 */
export function requireOption(args: ParsedArgs, name: string): string {
  const value = option(args, name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

/**
 * For the older `parseArgs(argv, flags)` form: rejects options the command does not know,
 * listing the valid ones, so a typo is not silently ignored. A spec given to
 * {@link parseArgs} already does this.
 *
 * @example
 * rejectUnknownOptions(parseArgs(['--modle', 'x'], []), ['model']) // throws UsageError
 */
export function rejectUnknownOptions(args: ParsedArgs, known: readonly string[], flags: readonly string[] = [...args.flags]): void {
  for (const name of args.options.keys()) {
    if (!known.includes(name)) throw new UsageError(`unknown option --${name} (valid: ${[...known, ...flags].sort().map((n) => `--${n}`).join(', ')})`);
  }
}
