// What a user's bundler ships for one import from the built package: esbuild bundles
// `import { name } from 'retail-ml'` from dist/ (tree-shaken, minified) and this prints
// the gzip size. Run after `npm run build`: `npm run size [-- name ...]`.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Minified + gzipped bytes of a bundle that imports `names` from `entry` (a file in dist/).
 *
 * @example
 * await importCost(['RetailMlError']) // => 201
 */
export async function importCost(names, entry = 'dist/index.js') {
  const result = await build({
    stdin: { contents: `import { ${names.join(', ')} } from './${entry}'; globalThis.__keep = [${names.join(', ')}];`, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    logLevel: 'error',
  });
  return gzipSync(result.outputFiles[0].contents, { level: 9 }).length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  for (const name of names.length > 0 ? names : ['RetailMlError', 'loadXGBoost', 'readCsv', 'fitKMeans', 'recommendCategories']) {
    console.log(`${name.padEnd(22)} ${((await importCost([name])) / 1024).toFixed(1)} KB min+gzip`);
  }
}
