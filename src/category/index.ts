export * from './customer-form.js';
export * from './bundle.js';
export * from './recommend.js';
export * from './bundle-from-pickles.js';
export * from './bundle-file-name.js';
