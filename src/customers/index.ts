export * from './bgnbd.js';
export * from './gamma-gamma.js';
export * from './lifetime-value.js';
export * from './customer-summary.js';
export * from './retail-transactions.js';
export * from './rfm.js';
