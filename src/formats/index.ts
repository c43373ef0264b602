export * from './xgboost/index.js';
export { parseTolerantJson } from './tolerant-json.js';
export { decodeUbjson } from './ubjson.js';
export * from './sklearn/index.js';
