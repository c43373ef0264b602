// The seed's 21-attribute customer segmentation: an application of k-means and the preprocessing steps.
export {
  CUSTOMER_ATTRIBUTES,
  CLIPPED_ATTRIBUTES,
  validateCustomerAttributes,
  deriveCustomerAttributes,
} from './customer-attributes.js';
export type { CustomerAttribute, CustomerAttributes } from './customer-attributes.js';
export { SegmentationModel, segmentCustomer } from './segmentation-model.js';
export type { SegmentationModelJSON, SegmentAssignment } from './segmentation-model.js';
