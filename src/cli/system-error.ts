import { readFile } from 'node:fs/promises';

/** Plain words for the system error codes a CLI user meets, instead of Node's `ENOENT: …, open '…'`. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EIO: 'input/output error',
  EPIPE: 'the reader closed the pipe',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  ETIMEDOUT: 'timed out',
};

/** What a Node system error carries besides its message. */
interface SystemErrorLike {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
  address?: string;
  port?: number;
}

/**
 * True for Node's system errors (`code` like `ENOENT`): the caller's environment is at
 * fault, not retail-ml.
 *
 * @example
 * isSystemError(Object.assign(new Error('x'), { code: 'ENOENT' })) // => true
 */
export function isSystemError(error: unknown): error is Error & SystemErrorLike {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}

/**
 * One readable line for a system error: the path (or address) and the reason in words.
 *
 * @example
 * describeSystemError(Object.assign(new Error("ENOENT: no such file or directory, open '/x.csv'"), { code: 'ENOENT', syscall: 'open', path: '/x.csv' }))
 * // => "/x.csv: no such file or directory"
 */
export function describeSystemError(error: Error & SystemErrorLike): string {
  const reason = REASONS[error.code] ?? error.message.replace(/^E[A-Z0-9]+: /, '').split(/[,\n]/)[0];
  // `open` serves reading and writing alike, so the line names the path and the reason, not a verb.
  if (error.path) return `${error.path}: ${reason}`;
  if (error.address) return `cannot connect to ${error.address}${error.port ? `:${error.port}` : ''}: ${reason}`;
  return `${error.syscall ? `${error.syscall} failed` : 'system error'}: ${reason}`;
}

/**
 * Reads a whole file named on the command line; a system error that lacks the path
 * (`EISDIR` from a read does) gets it, so the CLI can say which file.
 *
 * @example
 * const text = await readNamedFile('/abs/model.json');
 */
export async function readNamedFile(path: string): Promise<string> {
  return readFile(path, 'utf8').catch((error: unknown) => {
    throw withPath(error, path);
  });
}

/**
 * Adds `path` to a system error that has none; returns other errors unchanged.
 *
 * @example
 * try { loadXGBoostFile(path); } catch (e) { throw withPath(e, path); }
 */
export function withPath(error: unknown, path: string): unknown {
  if (isSystemError(error) && !error.path) (error as { path?: string }).path = path;
  return error;
}
