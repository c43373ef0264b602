export {
  createPredictionRecord,
  checkPredictionRecord,
  newPredictionId,
  redactCredentials,
  redactUrl,
  type PredictionRecord,
  type PredictionRecordInput,
  type RankedLabel,
} from './record.js';
export { backoffDelay, warnReport, type AdapterReport, type PredictionLog, type ReportHandler } from './prediction-log.js';
export { openJsonlPredictionLog, readRecentPredictions, countPredictionsByTopCategory, type JsonlLogOptions } from './jsonl-log.js';
export { repairJsonlTail, forEachJsonLine, JsonlAppender, MAX_JSONL_LINE_BYTES, type TailRepair, type JsonLineCounts } from './jsonl-file.js';
export { registerLogWriter, type LogWriterOptions, type LogWriterSlot } from './writer-registry.js';
export { RecentRecords, TopLabelCounter, sortCounts } from './summary.js';
export { openPredictionLogFromEnv, type PredictionLogFromEnvOptions, type PredictionLogKind } from './from-env.js';
