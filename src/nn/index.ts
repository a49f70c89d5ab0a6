/** Tensor backend wrapper (tfjs on wasm, offline, with kernel fixes) and ops the models share. */
export {
  type BackendInfo,
  type BackendName,
  backendInfo,
  initBackend,
  runOnBackend,
  useBackend,
  wasmBinaryDirectory,
} from './backend.js';
export { DropoutMasks } from './dropout.js';
export {
  type CheckedInput,
  compareGradients,
  type GradientComparison,
  maxAbsDifference,
  type ScalarFunction,
  seededInput,
  seededValues,
} from './grad-check.js';
export { gatherAtPositions, logSigmoid, matMulBroadcast, matMulLastAxis } from './safe-ops.js';
export {
  isBatchMatMulFixed,
  registerBatchMatMulFix,
  unregisterBatchMatMulFix,
} from './tfjs-overrides/index.js';
