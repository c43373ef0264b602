export * from './driver.js';
export * from './score-job.js';
export * from './score-worker.js';
export * from './score-coordinator.js';
