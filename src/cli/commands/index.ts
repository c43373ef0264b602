import type { Command } from '../command.js';
import { clvCommand } from './clv.js';
import { recommendItemsCommand } from './recommend-items.js';
import { rfmCommand } from './rfm.js';
import { predictCommand } from './predict.js';
import { logCommand } from './log.js';
import { forestCommand } from './forest.js';
import { purchaseFeaturesCommand } from './purchase-features.js';
import { startCommand } from './start.js';
import { recommendCommand } from './recommend.js';
import { mergeCommand } from './merge.js';
import { kmeansCommand } from './kmeans.js';
import { driftCommand } from './drift.js';
import { checkCommand } from './check.js';
import { scoreCommand } from './score.js';
import { workerCommand } from './worker.js';

/**
 * Every sub-command, by name. Each lives in its own file beside this one;
 * add one import and one entry per command.
 */
export const commands: ReadonlyMap<string, Command> = new Map<string, Command>([
  ['clv', clvCommand],
  ['recommend-items', recommendItemsCommand],
  ['rfm', rfmCommand],
  ['predict', predictCommand],
  ['log', logCommand],
  ['forest', forestCommand],
  ['purchase-features', purchaseFeaturesCommand],
  ['start', startCommand],
  ['recommend', recommendCommand],
  ['merge', mergeCommand],
  ['kmeans', kmeansCommand],
  ['drift', driftCommand],
  ['check', checkCommand],
  ['score', scoreCommand],
  ['worker', workerCommand],
]);
