// Every file a bundle names must resolve inside its folder: no `..`, no absolute paths,
// no symlinks pointing out (checked on real paths, after following links).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRelativeName } from '../../src/category/bundle-file-name.js';
import { ModelFormatError } from '../../src/index.js';
import { loadBundle } from '../../src/node/index.js';
import { repoRoot } from '../support/paths.js';

const source = join(repoRoot, 'models/category-recommender');
const manifest = JSON.parse(readFileSync(join(source, 'bundle.json'), 'utf8'));
const root = mkdtempSync(join(tmpdir(), 'bundle-paths-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A bundle folder inside `root` with the real model, a secret model beside it, and `edit` applied to the manifest. */
function bundle(name: string, edit: (m: typeof manifest) => void, prepare?: (dir: string) => void): string {
  const dir = join(root, name, 'bundle');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(source, 'xgb_model_category.json'), join(dir, 'xgb_model_category.json'));
  copyFileSync(join(source, 'xgb_model_category.json'), join(root, name, 'secret-model.json'));
  writeFileSync(join(root, name, 'secret.csv'), 'customer_id,age\nc1,40\n');
  const m = structuredClone(manifest);
  edit(m);
  prepare?.(dir);
  writeFileSync(join(dir, 'bundle.json'), JSON.stringify(m));
  return dir;
}

describe('bundle files stay inside the bundle folder', () => {
  it('the real bundle still loads', async () => {
    const loaded = await loadBundle(bundle('ok', () => {}));
    expect(loaded.features.length).toBe(7);
  });

  for (const [label, file] of [
    ['..', '../secret-model.json'],
    ['.. in the middle', 'sub/../../secret-model.json'],
    ['absolute', '/etc/passwd'],
    ['drive letter', 'C:/secret-model.json'],
    ['backslash', '..\\secret-model.json'],
  ]) {
    it(`model.file with ${label} (${file}) is refused by loadBundle before reading, and by checkRelativeName`, async () => {
      expect(() => checkRelativeName(file, 'model.file')).toThrow(ModelFormatError);
      const dir = bundle(`m-${label.replace(/\W/g, '')}`, (m) => (m.model.file = file));
      await expect(loadBundle(dir)).rejects.toThrow(ModelFormatError);
    });
  }

  it('a feature table named through .. is refused', async () => {
    const dir = bundle('table-dotdot', (m) => m.featureTables.push({ name: 't', file: '../secret.csv', key: 'customer_id', columns: ['age'] }));
    await expect(loadBundle(dir)).rejects.toThrow(/featureTables\[0\]\.file/);
  });

  it('a symlink inside the folder pointing out is refused (realpath check)', async () => {
    const dir = bundle('symlink', (m) => (m.model.file = 'model-link.json'), (d) => symlinkSync(join(d, '..', 'secret-model.json'), join(d, 'model-link.json')));
    await expect(loadBundle(dir)).rejects.toThrow(/resolves outside the bundle folder/);
  });

  it('a symlinked sub-folder pointing out is refused too', async () => {
    const dir = bundle('symlink-dir', (m) => (m.model.file = 'out/secret-model.json'), (d) => symlinkSync(join(d, '..'), join(d, 'out')));
    await expect(loadBundle(dir)).rejects.toThrow(/resolves outside the bundle folder/);
  });

  it('a symlink that stays inside the folder is fine', async () => {
    const dir = bundle('symlink-inside', (m) => (m.model.file = 'link.json'), (d) => symlinkSync(join(d, 'xgb_model_category.json'), join(d, 'link.json')));
    expect((await loadBundle(dir)).features.length).toBe(7);
  });
});
