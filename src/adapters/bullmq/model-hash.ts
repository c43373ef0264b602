import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * SHA-256 of a model: a file's bytes, or for a folder (an MLflow model) every file's
 * relative path and bytes, in name order. Workers cache models by it and refuse a model
 * that changed since the run started.
 *
 * @example
 * const sha = await modelSha256('models/churn.pkl');
 */
export async function modelSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  if (!(await stat(path)).isDirectory()) return hash.update(await readFile(path)).digest('hex');
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = prefix + entry.name;
      if (entry.isDirectory()) await walk(join(dir, entry.name), rel + '/');
      else if (entry.isFile()) {
        const bytes = await readFile(join(dir, entry.name));
        // Length-prefixed, so no two different folders hash the same stream of bytes.
        hash.update(`${rel}\0${bytes.length}\0`).update(bytes);
      }
    }
  };
  await walk(path, '');
  return hash.digest('hex');
}
