export {
  openMongoPredictionLog,
  readRecentFromCollection,
  countTopCategoriesInCollection,
  type MongoLogOptions,
  type MongoLogStats,
  type MongoPredictionLog,
} from './mongo-log.js';
export { readRecentFromMongo, readPredictionsBetweenFromMongo, countTopCategoriesInMongo, type MongoTarget } from './mongo-read.js';
export { toPredictionDocument, fromPredictionDocument, PREDICTION_INDEXES, type PredictionDocument } from './document.js';
export { DEFAULT_DATABASE, DEFAULT_COLLECTION, DEFAULT_SERVER_SELECTION_TIMEOUT_MS, describeMongoTarget, loadMongoDriver } from './driver.js';
export { connectMongoClient, toUnavailableError } from './connect.js';
export {
  classifyCommandError,
  classifyDocumentError,
  RETRYABLE_WRITE_CODES,
  RETRYABLE_LABELS,
  DOCUMENT_ERROR_CODES,
  type WriteErrorClass,
} from './write-error-class.js';
