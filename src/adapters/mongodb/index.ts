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
export { DEFAULT_DATABASE, DEFAULT_COLLECTION, describeMongoTarget, loadMongoDriver } from './driver.js';
