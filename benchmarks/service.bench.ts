// Load on the example service (examples/service) next to the same requests served the way the
// seed systems serve them (FastAPI + uvicorn, one worker, XGBoost / scikit-learn / pandas /
// SQLite: benchmarks/peers/fastapi_service.py), in the same run: autocannon, 50 connections,
// with the prediction log and the e-mail outbox on. Correctness first: both services give
// XGBoost's probabilities for the seed customer, the same top recommendation for a seeded
// customer, and agree on most purchase decisions of a 100-user batch (their forests are
// trained alike, by different libraries, so not identically).
import autocannon from 'autocannon';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const PYTHON = '/usr/bin/python3';
const DURATION = Number(process.env.BENCH_SERVICE_SECONDS ?? 10);
const CONNECTIONS = 50;

interface Target {
  name: string;
  url: string;
  pid: number;
  stop(): void;
}

function waitForHealth(url: string, path: string, child: ChildProcess, log: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = async () => {
      if (child.exitCode !== null) return reject(new Error(`exited: ${log()}`));
      try {
        if ((await fetch(url + path)).status < 500) return resolve();
      } catch {}
      if (Date.now() - started > 120_000) return reject(new Error(`no answer after 120 s: ${log()}`));
      setTimeout(poll, 250);
    };
    void poll();
  });
}

async function startOurs(dataDir: string): Promise<Target> {
  const child = fork(join(root, 'examples/service/main.ts'), [], { cwd: root, execArgv: ['--import', 'tsx'], env: { ...process.env, PORT: '3811', DATA_DIR: dataDir }, stdio: 'pipe' });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await waitForHealth('http://127.0.0.1:3811', '/health', child, () => out);
  return { name: 'retail-ml (node:http)', url: 'http://127.0.0.1:3811', pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

async function startPeer(dataDir: string): Promise<Target | string> {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const child = spawn(PYTHON, [join(root, 'benchmarks/peers/fastapi_service.py'), '3812', dataDir], { env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  try {
    await waitForHealth('http://127.0.0.1:3812', '/docs', child, () => out);
  } catch (e) {
    return `FastAPI peer did not start (apt-get install python3-fastapi python3-uvicorn): ${(e as Error).message.split('\n').slice(-3).join(' ')}`;
  }
  return { name: 'FastAPI + uvicorn (1 worker)', url: 'http://127.0.0.1:3812', pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
const customer = { name: 'Asha', email: 'asha@example.com', age: 35, location: 'Delhi', last_login_days: 30, prefers_discount: 'No' };
const appData = readFileSync(join(root, '../shared/data/purchase-prediction/retail_app_data.csv'), 'utf8').trim().split('\n');
const header = appData[0].split(',');
function parseLine(line: string): Record<string, string | number> {
  const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'));
  // As a client sends it: counts and flags as JSON numbers, ids, dates and versions as text.
  const numeric = new Set(['age', 'session_count', 'total_screens_viewed', 'used_search_feature', 'wrote_review', 'added_to_wishlist']);
  return Object.fromEntries(header.map((h, i) => [h, numeric.has(h) ? Number(cells[i]) : cells[i]]));
}
const users = appData.slice(1, 101).map(parseLine).map(({ purchase_date, made_purchase, ...u }) => u);

async function seed(t: Target): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await post(`${t.url}/customer/create`, { customer_id: `b${i}`, name: 'B', email: `b${i}@example.com` }); // e-mails are unique per customer
    await post(`${t.url}/recommendations/process-purchase`, { customer_id: `b${i}`, product_id: String((i % 16) + 1) });
  }
}

/** Waits until the backlog of the previous load is drained (a health check answers quickly). */
async function settle(t: Target): Promise<void> {
  const path = t.url.endsWith('3812') ? '/docs' : '/health';
  for (let i = 0; i < 600; i++) {
    const started = performance.now();
    await fetch(t.url + path);
    if (performance.now() - started < 50) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function load(t: Target, request: { method: 'GET' | 'POST'; path: string; body?: unknown; paths?: string[] }) {
  let i = 0;
  const result = await autocannon({
    url: t.url,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [
      request.paths
        ? { method: 'GET', setupRequest: (req: any) => ({ ...req, path: request.paths![i++ % request.paths!.length] }) }
        : { method: request.method, path: request.path, headers: { 'content-type': 'application/json' }, body: request.body === undefined ? undefined : JSON.stringify(request.body) },
    ],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

const dir = mkdtempSync(join(os.tmpdir(), 'service-bench-'));
const ours = await startOurs(join(dir, 'ours'));
const peer = await startPeer(join(dir, 'peer'));
try {
  const targets = typeof peer === 'string' ? [ours] : [ours, peer];
  for (const t of targets) await seed(t);
  // Correctness before timing.
  const a = await post(`${ours.url}/category-recommendations`, customer);
  const expected = [0.77770525, 0.09853294, 0.06188915]; // XGBoost 1.7.4 (../shared/README.md)
  a.top.forEach((t: { probability: number }, k: number) => {
    if (Math.abs(t.probability - expected[k]) > 1e-6) throw new Error(`retail-ml category probabilities ${JSON.stringify(a.top)}`);
  });
  const oursBatch = await post(`${ours.url}/predict/batch`, { users });
  const oursRec = (await (await fetch(`${ours.url}/recommendations/b9`)).json()) as { recommendations: { category: string }[] };
  let agreement = NaN;
  if (typeof peer !== 'string') {
    const b = await post(`${peer.url}/category-recommendations`, customer);
    b.top.forEach((t: { probability: number }, k: number) => {
      if (Math.abs(t.probability - expected[k]) > 1e-6) throw new Error(`peer category probabilities ${JSON.stringify(b.top)}`);
    });
    const peerBatch = await post(`${peer.url}/predict/batch`, { users });
    const pOurs = oursBatch.predictions.map((p: { probability: number }) => p.probability >= 0.5);
    const pPeer = peerBatch.predictions.map((p: { probability: number }) => p.probability >= 0.5);
    agreement = pOurs.filter((v: boolean, i: number) => v === pPeer[i]).length / pOurs.length;
    if (agreement < 0.9) throw new Error(`purchase decisions agree on only ${agreement}`);
    const peerRec = (await (await fetch(`${peer.url}/recommendations/b9`)).json()) as { recommendations: { category: string }[] };
    if (peerRec.recommendations[0].category !== oursRec.recommendations[0].category) throw new Error('top recommended category differs');
  }
  console.log(`Correctness checked first: both give XGBoost's probabilities for the seed customer (1e-6); purchase decisions at 0.5 agree on ${(agreement * 100).toFixed(0)}% of 100 users (each side's forest: 60 trees, balanced, min leaf 2, seed 42); the same top category for a seeded customer.\n`);
  console.log(`autocannon: ${CONNECTIONS} connections, ${DURATION} s per request type, after seeding 100 customers; log and .eml outbox on. Machine: ${os.cpus()[0]?.model}, ${os.cpus().length} cores.\n`);
  console.log('| request | service | requests/s | p50 ms | p99 ms | errors | peak RSS MB |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  const requests = [
    { label: 'POST /category-recommendations (JSON)', method: 'POST' as const, path: '/category-recommendations', body: customer },
    { label: 'POST /predict/batch (100 users)', method: 'POST' as const, path: '/predict/batch', body: { users } },
    { label: 'GET /recommendations/{id} (stored, 100 customers)', method: 'GET' as const, path: '', paths: Array.from({ length: 100 }, (_, i) => `/recommendations/b${i}`) },
  ];
  for (const r of requests) {
    for (const t of targets) {
      await settle(t);
      const m = await load(t, r);
      console.log(`| ${r.label} | ${t.name} | ${m.rps.toFixed(0)} | ${m.p50} | ${m.p99} | ${m.errors} | ${peakRssMb(t.pid).toFixed(0)} |`);
    }
  }
  if (typeof peer === 'string') console.log(`\nFastAPI peer skipped: ${peer}`);
} finally {
  ours.stop();
  if (typeof peer !== 'string') peer.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  rmSync(dir, { recursive: true, force: true });
}
