export { sklearnEstimatorFromPython, SUPPORTED_SKLEARN_CLASSES } from './from-python.js';
export type { FromPythonOptions } from './from-python.js';
export { PyState } from './py-read.js';
