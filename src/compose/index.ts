export { Pipeline } from './pipeline.js';
export type { PipelineJSON, PipelineStep } from './pipeline.js';
export { ColumnTransformer } from './column-transformer.js';
export type { ColumnPart, ColumnTransformerJSON } from './column-transformer.js';
export { estimatorFromJSON } from './estimator-from-json.js';
