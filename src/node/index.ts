export * from './read-csv-file.js';
export * from './open-file-stream.js';
export * from './read-xlsx-file.js';
export * from './load-xgboost-file.js';
export * from './load-bundle.js';
export * from './read-table-file.js';
export * from './parallel-predict.js';
export * from './shipped-bundle.js';
