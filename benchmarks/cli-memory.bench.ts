// CLI memory benchmark (issue 21 item 4): peak RSS of `retail-ml predict` scoring 100 MB and
// 1 GB of CSV piped to `--input -`. The input is generated on the fly into the pipe, never
// written to disk; the CLI is bundled to plain JavaScript first and run by plain `node`, as
// installed. Flat memory means the 1 GB run peaks near the 100 MB run, not ten times higher.
// Usage: npm run bench -- cli-memory (or node --import tsx benchmarks/cli-memory.bench.ts)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const model = join(root, 'models/xgboost/fixtures/base_score_binary_logistic_0p2.json');
const header = 'age,last_login_days,orders_12m,avg_basket,discount_share,sessions_30d,returns_12m,tenure_days';

/** About 1 MiB of rows with varied values and some missing cells, repeated to the wanted size. */
function block(): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < 1 << 20; i++) {
    const cells = [18 + (i % 60), (i * 7) % 365, (i * 13) % 40, ((i * 37) % 10000) / 100, ((i * 11) % 100) / 100, (i * 3) % 90, i % 5, (i * 17) % 3000].map((v, j) => ((i + j) % 23 === 0 ? '' : String(v)));
    const line = cells.join(',') + '\n';
    lines.push(line);
    size += line.length;
  }
  return Buffer.from(lines.join(''));
}

async function run(cli: string, bytes: number): Promise<{ seconds: number; maxRssMB: number; rows: number; outMB: number }> {
  // The child reports its own peak RSS on exit through fd 3 (resourceUsage covers the whole process).
  const preload = `data:text/javascript,import{writeSync}from'node:fs';process.on('exit',()=>writeSync(3,String(process.resourceUsage().maxRSS)))`;
  const child = spawn(process.execPath, ['--import', preload, cli, 'predict', '--model', model, '--input', '-'], { stdio: ['pipe', 'pipe', 'inherit', 'pipe'] });
  let rss = '';
  child.stdio[3]!.on('data', (d) => (rss += d));
  let outBytes = 0;
  let outLines = 0;
  child.stdout!.on('data', (d: Buffer) => {
    outBytes += d.length;
    for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) outLines++;
  });
  const started = performance.now();
  const done = new Promise<number | null>((r) => child.on('close', r));
  const chunk = block();
  const stdin = child.stdin!;
  // A child that died mid-input shows as its exit code below, not as an EPIPE here.
  stdin.on('error', () => undefined);
  stdin.write(header + '\n');
  for (let sent = 0; sent < bytes && !stdin.destroyed; sent += chunk.length) {
    if (!stdin.write(chunk)) await Promise.race([once(stdin, 'drain'), done]);
  }
  stdin.end();
  const code = await done;
  if (code !== 0) throw new Error(`retail-ml predict exited ${code}`);
  return { seconds: (performance.now() - started) / 1000, maxRssMB: Number(rss) / 1024, rows: outLines - 1, outMB: outBytes / 2 ** 20 };
}

// Next to this file, so the bundle finds the packages in node_modules as the built dist/cli.js does.
const cli = join(root, 'benchmarks', 'cli-memory.cli.built.mjs');
try {
  buildSync({ entryPoints: [join(root, 'src/cli/main.ts')], outfile: cli, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
  console.log('| input piped to `predict --input -` | rows scored | peak RSS | time | throughput |');
  console.log('|---|---|---|---|---|');
  for (const mb of (process.env.CLI_BENCH_MB ?? "100,1024").split(",").map(Number)) {
    const r = await run(cli, mb * 2 ** 20);
    console.log(`| ${mb >= 1024 ? `${mb / 1024} GiB` : `${mb} MiB`} | ${r.rows.toLocaleString('en-US')} | ${r.maxRssMB.toFixed(0)} MB | ${r.seconds.toFixed(1)} s | ${(mb / r.seconds).toFixed(0)} MiB/s |`);
  }
  console.log('');
} finally {
  rmSync(cli, { force: true });
}
