import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'adapters/mongodb': 'src/adapters/mongodb/index.ts',
      'adapters/email': 'src/adapters/email/index.ts',
      'adapters/log': 'src/adapters/log/index.ts',
      node: 'src/node/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    external: ['mongodb', 'nodemailer'],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    external: ['mongodb', 'nodemailer'],
  },
]);
