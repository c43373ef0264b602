// `npm run fuzz:hostile`: every hand-made hostile input (fuzz/hostile-inputs.ts), each in a
// fresh worker with the fuzz limits (2 s wall clock, 256 MB heap); each must end in a typed
// error. Prints one line per input with the code and the time it took.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOSTILE_INPUTS } from './hostile-inputs.js';
import { runInputs } from './runner.js';

const targets = join(fileURLToPath(new URL('.', import.meta.url)), 'targets');
let failures = 0;
for (const name of [...new Set(HOSTILE_INPUTS.map((h) => h.target))]) {
  const group = HOSTILE_INPUTS.filter((h) => h.target === name);
  const inputs = group.map((h) => h.bytes());
  const results = await runInputs(join(targets, `${name}.ts`), inputs, { timeoutMs: 2000, memoryMb: 256 });
  results.forEach((r, i) => {
    const ok = r.outcome === 'typed';
    if (!ok) failures++;
    const n = inputs[i].length;
    const size = n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${n} B`;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${group[i].name.padEnd(42)} ${size.padStart(9)}  ${ok ? r.code : `${r.outcome} ${r.kind ?? ''} ${r.detail ?? ''}`}  ${r.ms.toFixed(0)} ms`);
  });
}
console.log(`${HOSTILE_INPUTS.length} hostile inputs, ${failures} failures`);
process.exitCode = failures ? 1 : 0;
