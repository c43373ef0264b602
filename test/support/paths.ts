import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** ../shared/data beside the checkout: real data and models, read in place. */
export const sharedData = resolve(repoRoot, '../shared/data');
export const hasShared = existsSync(sharedData);
export const xgbModels = resolve(sharedData, 'xgboost-models');
export const generatedFixtures = resolve(repoRoot, 'models/xgboost/fixtures');
