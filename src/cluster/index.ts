export { fitKMeans, fitKMeansAsync, predictKMeans } from './kmeans.js';
export type { KMeansOptions, KMeansResult } from './kmeans.js';
export { assignNearest } from './assign.js';
export { NumpyRandomState } from './random.js';
export { silhouetteSamples, silhouetteScore, daviesBouldinScore, calinskiHarabaszScore, clusterInertia } from './quality.js';
export { encodeLabels } from './labels.js';
export { evaluateK } from './chooseK.js';
export type { KEvaluation } from './chooseK.js';
export { clusterProfiles, formatProfiles } from './profiles.js';
export type { ClusterProfile, AttributeProfile } from './profiles.js';
export {
  CUSTOMER_ATTRIBUTES,
  CLIPPED_ATTRIBUTES,
  validateCustomerAttributes,
  deriveCustomerAttributes,
} from './customerAttributes.js';
export type { CustomerAttribute, CustomerAttributes } from './customerAttributes.js';
export { SegmentationModel, segmentCustomer } from './segmentation.js';
export type { SegmentationModelJSON, SegmentAssignment } from './segmentation.js';
export { KMeansEstimator } from './kmeans-estimator.js';
export type { KMeansEstimatorJSON } from './kmeans-estimator.js';
