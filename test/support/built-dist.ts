import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

const OUTPUTS = ['dist/index.js', 'dist/node-esm/node.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/cli.js'];
const INPUTS = ['src', 'package.json', 'tsup.config.ts', 'tsconfig.build.json', 'scripts/clean-dist.mjs'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Whether dist/ was built after every build input last changed, as `make` decides. A fresh
 * clone's `npm ci` builds it (`prepare`), so tests need not rebuild it there: a rebuild
 * empties dist/ first, under the feet of the tests that run the built package beside it.
 */
export function distIsCurrent(): boolean {
  const outputs = OUTPUTS.map((p) => join(repoRoot, p));
  if (!outputs.every((p) => existsSync(p))) return false;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  return INPUTS.every((p) => !existsSync(join(repoRoot, p)) || newestMtime(join(repoRoot, p)) <= built);
}
