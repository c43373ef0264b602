import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { checkRelativeName } from '../category/bundle-file-name.js';
import { ModelFormatError } from '../errors.js';

/**
 * Resolves `file` (as named in a manifest) inside `dir` and proves it stays there after
 * following symlinks: the real path of the file must lie under the real path of the
 * folder. `..`, absolute paths and links pointing out are {@link ModelFormatError}s
 * naming `where`, so a hostile `bundle.json` cannot read `../secret-model.json`.
 *
 * @example
 * await resolveInside('models/category-recommender', 'xgb_model_category.json', 'model.file')
 * // => '/…/models/category-recommender/xgb_model_category.json'
 */
export async function resolveInside(dir: string, file: string, where: string): Promise<string> {
  checkRelativeName(file, where);
  const root = await realpath(dir).catch((error: Error) => {
    throw new ModelFormatError(where, `cannot read the bundle folder: ${(error as NodeJS.ErrnoException).code ?? error.message}`, { cause: error });
  });
  const real = await realpath(resolve(root, file)).catch((error: Error) => {
    throw new ModelFormatError(where, `cannot read ${JSON.stringify(file)}: ${(error as NodeJS.ErrnoException).code ?? error.message}`, { cause: error });
  });
  const rel = relative(root, real);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    throw new ModelFormatError(where, `${JSON.stringify(file)} resolves outside the bundle folder`);
  }
  return real;
}
