// Runs seeded xlsx fuzz cases in its own process for xlsx-fuzz.test.ts, which watches the
// time each takes and kills this process on a hang. Case i uses seed base + i, so one case
// replays alone: node --import tsx test/features/xlsx-fuzz.child.ts <base + i> 1
// Prints "start i", then "typed i CODE", "accepted i" or "fail i message"; the last line is
// a JSON summary.
import { RetailMlError } from '../../src/errors.js';
import { target } from '../../fuzz/targets/xlsx.js';
import { caseRandom } from '../../fuzz/xlsx-mutate.js';

const base = Number(process.argv[2]);
const cases = Number(process.argv[3]);
const seeds = await target.seeds();
const counts = { accepted: 0, typed: 0, failed: 0 };
const say = (line: string) => process.stdout.write(`${line}\n`);

for (let i = 0; i < cases; i++) {
  const random = caseRandom(base + i);
  const bytes = target.mutate(seeds[Math.floor(random() * seeds.length)], seeds, random);
  say(`start ${i}`);
  try {
    // A promise left pending would end this loop early with the event loop idle; the parent sees no next line.
    const result = await target.parse(bytes);
    await target.check?.(result);
    counts.accepted++;
    say(`accepted ${i}`);
  } catch (error) {
    if (error instanceof RetailMlError && typeof error.code === 'string' && !error.message.includes('\n')) {
      counts.typed++;
      say(`typed ${i} ${error.code}`);
    } else {
      counts.failed++;
      say(`fail ${i} ${String(error instanceof Error ? error.stack : error).replace(/\n/g, ' | ')}`);
    }
  }
}
say(JSON.stringify(counts));
