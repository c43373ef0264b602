import { ModelFormatError } from '../errors.js';

/**
 * The textual check on a file name in `bundle.json`, before `loadBundle` reads it (a realpath
 * check follows): a relative path with no `..` segment, no drive letter or leading slash, no
 * backslash, no NUL. Browser-safe, for callers that fetch bundle files themselves.
 *
 * @example
 * checkRelativeName('tables/recency.csv', 'featureTables[0].file') // ok
 * checkRelativeName('../secret-model.json', 'model.file') // throws ModelFormatError
 */
export function checkRelativeName(file: string, where: string): void {
  if (typeof file !== 'string' || file === '') throw new ModelFormatError(where, 'must be a file name');
  if (file.includes('\0')) throw new ModelFormatError(where, 'contains a NUL character');
  if (file.includes('\\')) throw new ModelFormatError(where, `${JSON.stringify(file)}: use '/' between folders`);
  if (file.startsWith('/') || /^[A-Za-z]:/.test(file)) throw new ModelFormatError(where, `${JSON.stringify(file)} is absolute; name a file inside the bundle folder`);
  if (file.split('/').includes('..')) throw new ModelFormatError(where, `${JSON.stringify(file)} leaves the bundle folder`);
}
