import { useSimdKernels } from '../../src/cluster/fit-memory.js';

/** Runs `run` on the JavaScript k-means kernels, then restores whichever kernels were in use. */
export function withoutSimd<T>(run: () => T): T {
  const before = useSimdKernels(false);
  try {
    return run();
  } finally {
    useSimdKernels(before);
  }
}
