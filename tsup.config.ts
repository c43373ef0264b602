import { defineConfig } from 'tsup';

// Entry points of the CommonJS bundles; the ESM build mirrors src/ file for file.
const entries = {
  index: 'src/index.ts',
  node: 'src/node/index.ts',
  'adapters/mongodb': 'src/adapters/mongodb/index.ts',
  'adapters/email': 'src/adapters/email/index.ts',
  'adapters/log': 'src/adapters/log/index.ts',
  'adapters/bullmq': 'src/adapters/bullmq/index.ts',
};
const external = ['mongodb', 'nodemailer', 'bullmq', 'ioredis', 'apache-arrow', 'hyparquet', 'hyparquet-writer'];

export default defineConfig([
  // ESM: one module per source file, so a bundler tree-shakes the package as it would
  // the sources, and every entry point shares one copy of each class. Types: tsc.
  {
    entry: ['src/**/*.ts', '!src/cli/**'],
    format: ['esm'],
    bundle: false,
    target: 'node20',
    sourcemap: true,
  },
  // ESM for Node (the "node" export condition): the same entries bundled with shared
  // chunks. Node pays per module it loads, and the file-per-file build above cost
  // `import 'retail-ml/node'` ~3× the CPU time of these few chunks; bundlers that
  // tree-shake for browsers keep reading the file-per-file build.
  {
    entry: entries,
    format: ['esm'],
    outDir: 'dist/node-esm',
    splitting: true,
    target: 'node20',
    sourcemap: true,
    external,
  },
  // CJS: one bundle per entry with shared chunks (splitting), so `require('retail-ml')`
  // and `require('retail-ml/node')` hand out the same classes.
  {
    entry: entries,
    format: ['cjs'],
    splitting: true,
    // import.meta.url from __filename, for the few modules that find files beside themselves.
    shims: true,
    dts: { only: false },
    target: 'node20',
    sourcemap: true,
    external,
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    external,
  },
]);
