// Removes dist/ before a build: tsup's own `clean` would race between its parallel configs.
import { rmSync } from 'node:fs';
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
