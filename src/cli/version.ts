import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The installed package's version, read from its package.json: one folder up from the
 * built `dist/cli.js`, two up from `src/cli/` when run from a checkout.
 *
 * @example
 * packageVersion() // => '0.1.0'
 */
export function packageVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'retail-ml' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not this one: try the next place
    }
  }
  return 'unknown';
}
