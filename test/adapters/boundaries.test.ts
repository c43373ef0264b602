import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const SPECIFIER = /(?:^|[^\w.])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module a file imports (static, type-only, dynamic, require), as written. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? m[3]);
}

const files = sourceFiles(SRC).map((f) => ({ file: f, rel: relative(SRC, f), imports: importsOf(f) }));

describe('adapter boundaries (scan of src/ imports)', () => {
  it('finds the imports it scans for (the scanner itself works)', () => {
    const mongo = files.find((f) => f.rel === join('adapters', 'mongodb', 'driver.ts'))!;
    expect(mongo.imports).toContain('mongodb');
    const email = files.find((f) => f.rel === join('adapters', 'email', 'transport.ts'))!;
    expect(email.imports).toContain('nodemailer');
    expect(files.length).toBeGreaterThan(20);
  });

  it('the core never imports an adapter, mongodb or nodemailer', () => {
    const core = files.filter((f) => !/^(adapters|cli|node)[/\\]/.test(f.rel));
    const offenders: string[] = [];
    for (const f of core) {
      for (const spec of f.imports) {
        const target = spec.startsWith('.') ? relative(SRC, resolve(dirname(f.file), spec)) : spec;
        if (/^(mongodb|nodemailer|bson)(\/|$)/.test(spec) || /^adapters([/\\]|$)/.test(target)) offenders.push(`${f.rel} -> ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('mongodb is imported only in src/adapters/mongodb, nodemailer only in src/adapters/email', () => {
    const offenders: string[] = [];
    for (const f of files) {
      for (const spec of f.imports) {
        if (/^mongodb(\/|$)/.test(spec) && !f.rel.startsWith(join('adapters', 'mongodb'))) offenders.push(`${f.rel} -> ${spec}`);
        if (/^nodemailer(\/|$)/.test(spec) && !f.rel.startsWith(join('adapters', 'email'))) offenders.push(`${f.rel} -> ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the drivers are only ever loaded lazily, so importing an adapter subpath never needs them', () => {
    for (const f of files) {
      const text = readFileSync(f.file, 'utf8');
      expect(text, f.rel).not.toMatch(/^\s*import\s+(?!type\b)[^;]*from\s*['"](mongodb|nodemailer)['"]/m);
    }
  });
});
