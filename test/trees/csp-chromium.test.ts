/**
 * Content-Security-Policy in a real browser: Debian's Chromium (playwright-core, no
 * download) loads `loadXGBoost`, bundled from the sources, on pages served with a CSP
 * header or <meta> tag, and counts the violations the browser reports, both as
 * `securitypolicyviolation` events and as reports POSTed to the policy's report-uri.
 * A model never calls `new Function`; WebAssembly is compiled where 'wasm-unsafe-eval'
 * allows it, tried once where only a header (unreadable by script) forbids it, and not
 * tried where a <meta> policy says it is forbidden. Margins are XGBoost's in every case.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedFixtures, repoRoot } from '../support/paths.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`CSP browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);

const name = 'early_stopping_binary';
const modelBytes = readFileSync(join(generatedFixtures, `${name}.json`));
const expected = JSON.parse(readFileSync(join(generatedFixtures, `${name}.expected.json`), 'utf8')) as { rows: (number | null)[][]; margin: number[][] };

// Loads the model twice (the second load shows whether a refusal was remembered) and
// reports engines, margins and the violation events seen.
const PAGE_SCRIPT = `
import { loadXGBoost } from '/retail-ml.js';
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(e.blockedURI + ' ' + e.violatedDirective));
try {
  const bytes = await (await fetch('/model.json')).arrayBuffer();
  const rows = await (await fetch('/rows.json')).json();
  const first = loadXGBoost(bytes);
  const second = loadXGBoost(bytes);
  const margins = Array.from(second.predict(rows, { output: 'margin' }));
  const one = rows.map((r) => second.predictRow(r, new Float32Array(1), 'margin')[0]);
  // Events are dispatched asynchronously: let them arrive.
  await new Promise((resolve) => setTimeout(resolve, 300));
  window.__result = { engines: [first.rowEngine, first.batchEngine, second.rowEngine, second.batchEngine], margins, one, violations };
} catch (error) {
  window.__result = { error: String(error && error.stack || error) };
}
`;

interface PageResult {
  engines: string[];
  margins: number[];
  one: number[];
  violations: string[];
  error?: string;
}

describe.skipIf(!hasChromium)('loadXGBoost under a Content-Security-Policy, in Chromium', () => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  const reports: string[] = [];

  beforeAll(async () => {
    const bundle = await build({
      stdin: { contents: `export { loadXGBoost } from './src/index.ts';`, resolveDir: repoRoot, loader: 'ts' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'error',
    });
    const library = bundle.outputFiles[0].contents;
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'POST' && url.pathname === '/csp-report') {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          reports.push(`${url.searchParams.get('page')}: ${body}`);
          res.writeHead(204).end();
        });
        return;
      }
      const page = url.searchParams.get('page') ?? '';
      const html = (meta: string) => `<!doctype html><html><head>${meta}<script type="module" src="/page.js"></script></head><body></body></html>`;
      const reportUri = ` report-uri /csp-report?page=${page}`;
      switch (url.pathname) {
        case '/page':
          if (page === 'wasm-header') {
            res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': `script-src 'self' 'wasm-unsafe-eval';${reportUri}` }).end(html(''));
          } else if (page === 'strict-header') {
            res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': `script-src 'self';${reportUri}` }).end(html(''));
          } else {
            // A <meta> policy cannot carry report-uri, so only events count here.
            res.writeHead(200, { 'content-type': 'text/html' }).end(html(`<meta http-equiv="Content-Security-Policy" content="script-src 'self'">`));
          }
          return;
        case '/page.js':
          res.writeHead(200, { 'content-type': 'text/javascript' }).end(PAGE_SCRIPT);
          return;
        case '/retail-ml.js':
          res.writeHead(200, { 'content-type': 'text/javascript' }).end(library);
          return;
        case '/model.json':
          res.writeHead(200, { 'content-type': 'application/json' }).end(modelBytes);
          return;
        case '/rows.json':
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(expected.rows));
          return;
        default:
          res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  async function run(page: string): Promise<PageResult> {
    const tab = await browser.newPage();
    try {
      await tab.goto(`${origin}/page?page=${page}`);
      await tab.waitForFunction(() => (globalThis as unknown as { __result?: unknown }).__result !== undefined, undefined, { timeout: 30_000 });
      const result = (await tab.evaluate(() => (globalThis as unknown as { __result: unknown }).__result)) as PageResult;
      // Reports are POSTed in the background: give them time before counting.
      await tab.waitForTimeout(500);
      return result;
    } finally {
      await tab.close();
    }
  }

  function expectXGBoostMargins(result: PageResult): void {
    expect(result.error).toBeUndefined();
    const want = expected.margin.flat();
    // Float32 margins survive the JSON round trip exactly.
    expect(result.margins).toEqual(want.map((m) => Math.fround(m)));
    expect(result.one).toEqual(want.map((m) => Math.fround(m)));
  }

  it("'wasm-unsafe-eval' without 'unsafe-eval' (header): rows and batches on WebAssembly, no violation at all", async () => {
    const result = await run('wasm-header');
    expectXGBoostMargins(result);
    expect(result.engines).toEqual(['webassembly', 'webassembly', 'webassembly', 'webassembly']);
    expect(result.violations).toEqual([]);
    expect(reports.filter((r) => r.startsWith('wasm-header'))).toEqual([]);
  });

  it("a header that forbids WebAssembly too: the first load tries once (one report), the second remembers; the interpreter gives the same margins", async () => {
    const result = await run('strict-header');
    expectXGBoostMargins(result);
    expect(result.engines).toEqual(['interpreter', 'interpreter', 'interpreter', 'interpreter']);
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]).toMatch(/wasm-eval script-src/);
    expect(reports.filter((r) => r.startsWith('strict-header'))).toHaveLength(1);
  });

  it('a <meta> policy that forbids WebAssembly: read first, nothing tried, no violation', async () => {
    const result = await run('strict-meta');
    expectXGBoostMargins(result);
    expect(result.engines).toEqual(['interpreter', 'interpreter', 'interpreter', 'interpreter']);
    expect(result.violations).toEqual([]);
  });
});
