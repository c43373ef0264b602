/** Where a command writes; tests pass buffers, the binary passes process streams. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Working directory that relative paths resolve against. */
  cwd: string;
  /** Environment variables (MONGODB_URI, SMTP_URL, ...). */
  env: Readonly<Record<string, string | undefined>>;
  /** What `--input -` reads; the binary passes `process.stdin`. Without it `-` is a usage error. */
  stdin?: AsyncIterable<Uint8Array | string>;
  /**
   * Resolves once what was written to stdout has been taken by the reader, so a command
   * that streams (predict) holds one block, not the whole output, when stdout is slow.
   */
  drain?(): Promise<void>;
  /** True when stderr is a terminal, so long commands (score) draw a progress bar there. */
  stderrIsTTY?: boolean;
}

/** One `retail-ml <name>` sub-command. */
export interface Command {
  /** One line for `retail-ml --help`. */
  summary: string;
  /** Full usage text, printed by `retail-ml <name> --help` and on a usage error. */
  usage: string;
  /** Receives argv after the command name; resolves to the process exit code. */
  run(argv: readonly string[], io: CliIO): Promise<number>;
}
