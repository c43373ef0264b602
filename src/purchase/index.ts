export {
  DEFAULT_PURCHASE_FEATURE_CONFIG,
  PURCHASE_TARGET,
  fitPurchaseFeatures,
  parseAppVersion,
  purchaseFeatures,
  transformPurchaseFeatures,
} from './features.js';
export type { OneHotCategories, PurchaseFeatureConfig, PurchaseFeatureSpec, ScreenCategory, UserRows } from './features.js';
export { loadPurchaseModel, purchaseModelJson, scorePurchaseIntent, tableToFloat32Rows } from './model.js';
export type { PurchaseModel, PurchaseModelJson, PurchaseScores } from './model.js';
