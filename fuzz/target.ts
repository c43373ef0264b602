/**
 * One fuzz target: a parser or loader, the valid inputs mutations start from, and the
 * consistency check an accepted result must pass. `npm run fuzz` runs every target in
 * `fuzz/targets/`; a result must be a typed `RetailMlError` with a `code`, or an accepted
 * value that passes `check`. Anything else (an untyped throw, a hang, a crash, an
 * out-of-memory, a pending promise, a failed check) fails the run with a seed to replay.
 *
 * @example
 * export const target: FuzzTarget = {
 *   name: 'csv',
 *   seeds: () => [new TextEncoder().encode('a,b\n1,2\n')],
 *   parse: (bytes) => readCsv(new TextDecoder().decode(bytes)),
 * };
 */
export interface FuzzTarget {
  /** Format name, used in reports and `--target`. */
  readonly name: string;
  /** Valid inputs to mutate (read from files in the repo or generated; small). */
  seeds(): Uint8Array[] | Promise<Uint8Array[]>;
  /** Parses/loads one input; throws a RetailMlError on bad input. */
  parse(bytes: Uint8Array): unknown;
  /** Throws when an accepted result is inconsistent (arrays disagree, probabilities outside [0, 1], ...). */
  check?(result: unknown): void | Promise<void>;
}
