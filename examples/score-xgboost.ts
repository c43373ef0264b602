// Scores the real category-recommender model (../shared) or the copy shipped in
// models/category-recommender with margins, probabilities, leaf ids and SHAP contributions.
// Run: npx tsx examples/score-xgboost.ts
import { existsSync } from 'node:fs';
import { explainXGBoost } from '../src/index.js';
import { loadXGBoostFile } from '../src/node/index.js';

const shipped = new URL('../models/category-recommender/xgb_model_category.json', import.meta.url).pathname;
const shared = new URL('../../shared/data/category-recommender/xgb_model_category.json', import.meta.url).pathname;
const model = loadXGBoostFile(existsSync(shipped) ? shipped : shared);

const customer = { age: 35, last_login_days: 30, prefers_discount: 0, location_Bangalore: 0, location_Delhi: 1, location_Hyderabad: 0, location_Mumbai: 0 };
const classes = ['Books', 'Clothing', 'Electronics', 'Home'];

const probabilities = model.predict([customer]);
const margins = model.predict([customer], { output: 'margin' });
console.log(`${model.objective}, ${model.numRounds} rounds × ${model.treesPerRound} trees, features: ${model.featureNames?.join(', ')}`);
classes.forEach((label, k) => console.log(`${label.padEnd(12)} p = ${probabilities[k].toFixed(4)}   margin = ${margins[k]}`));
console.log('leaf per tree (first 8):', [...model.predict([customer], { output: 'leaf' }).slice(0, 8)].join(' '));

// Why Home? TreeSHAP contributions per feature for the top class, as XGBoost's pred_contribs=True gives them.
const contributions = explainXGBoost(model, [customer]);
const width = model.numFeatures + 1;
const home = contributions.subarray(3 * width, 4 * width);
const names = [...(model.featureNames ?? []), 'bias'];
console.log('Home, contributions to the margin:', names.map((name, j) => `${name} ${home[j] >= 0 ? '+' : ''}${home[j].toFixed(4)}`).join(', '));
