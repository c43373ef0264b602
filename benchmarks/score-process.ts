// What the scoring benchmarks share: one scoring run in a process of its own (so its peak
// RSS is its own), and the Python baseline they time against.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** One scoring run as its process reports it. */
export interface ScoreRun {
  rows: number;
  seconds: number;
  maxRssMB: number;
}

/**
 * Runs `args` (a command and its arguments) and reads the JSON `ScoreRun` it prints last.
 *
 * @example
 * const run = await runScoreProcess(['/usr/bin/python3', '-c', PYTHON_XGBOOST_SCORE, model, 'in.csv', 'out.csv']);
 */
export async function runScoreProcess(args: string[]): Promise<ScoreRun> {
  const proc = spawn(args[0], args.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  const [code] = await once(proc, 'exit');
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

/** The same job in Python: pandas chunked read_csv + XGBoost inplace_predict, one thread. Arguments: model, input CSV, output CSV. */
export const PYTHON_XGBOOST_SCORE = String.raw`
import json, resource, sys, time
import numpy as np, pandas as pd, xgboost as xgb
model, inp, out = sys.argv[1:4]
b = xgb.Booster(model_file=model)
b.set_param({'nthread': 1})
t = time.perf_counter(); n = 0
with open(out, 'w') as f:
    f.write('customer_id,value\n')
    for chunk in pd.read_csv(inp, chunksize=65536):
        p = b.inplace_predict(chunk.iloc[:, :30].to_numpy(dtype=np.float32))
        pd.DataFrame({'customer_id': chunk['customer_id'], 'value': p}).to_csv(f, header=False, index=False, float_format='%.9g')
        n += len(chunk)
print(json.dumps({'rows': n, 'seconds': time.perf_counter() - t, 'maxRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;
