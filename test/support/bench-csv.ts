import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { float32Text } from '../../src/features/float32-text.js';

/** The checkout's root, found upward from here: this file also runs bundled into benchmarks/. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, 'models/bench/manifest.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const repoRoot = findRoot();

export const benchModelPath = resolve(repoRoot, 'models/bench/binary_150x5_30f.json');
/** The benchmark model's 10,000 committed input rows (30 float32 features each). */
export const benchRows = new Float32Array(new Uint8Array(readFileSync(resolve(repoRoot, 'models/bench/binary_150x5_30f.rows.f32'))).buffer);
/** XGBoost 1.7.4's predictions (committed by models/bench/train.py) for the first 1,000 rows. */
export const benchExpected = new Float32Array(new Uint8Array(readFileSync(resolve(repoRoot, 'models/bench/binary_150x5_30f.expected.f32'))).buffer);
export const BENCH_FEATURES = 30;

/**
 * Writes `count` rows cycling through the committed rows: f0..f29 as float32 text (exact),
 * then customer_id = c<row>. Row i (0-based) holds committed row i % 10,000.
 */
export async function writeBenchCsv(path: string, count: number, edit?: (row: number, cells: string[]) => void): Promise<void> {
  const out = createWriteStream(path);
  const header = [...Array.from({ length: BENCH_FEATURES }, (_, f) => `f${f}`), 'customer_id'];
  let text = header.join(',') + '\n';
  for (let i = 0; i < count; i++) {
    const base = (i % 10000) * BENCH_FEATURES;
    const cells: string[] = [];
    for (let f = 0; f < BENCH_FEATURES; f++) {
      const x = benchRows[base + f];
      cells.push(Number.isNaN(x) ? '' : float32Text(x));
    }
    cells.push(`c${i + 1}`);
    edit?.(i + 1, cells);
    text += cells.join(',') + '\n';
    if (text.length > 1 << 20) {
      if (!out.write(text)) await once(out, 'drain');
      text = '';
    }
  }
  out.end(text);
  await once(out, 'close');
}
