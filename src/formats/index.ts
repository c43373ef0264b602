export * from './xgboost/index.js';
export { parseTolerantJson } from './tolerant-json.js';
export { decodeUbjson } from './ubjson.js';
export * from './pickle/index.js';
export * from './sklearn/index.js';
