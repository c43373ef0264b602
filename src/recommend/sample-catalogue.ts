import type { CatalogueProduct } from './catalogue.js';

/**
 * The original recommendation backend's 16-product sample catalogue, as it shipped (its
 * categories mix "SmartPhone", "Laptop", "Yoga Mat", "Yoga", "fitness" and "fashion"; tags
 * are one space-separated string). Ids are "1" to "16" in catalogue order.
 *
 * @example
 * recommendHybrid(SAMPLE_CATALOGUE, history, now).recommendations[0].name // => 'Smart Treadmill'
 */
export const SAMPLE_CATALOGUE: readonly CatalogueProduct[] = Object.freeze(
  (
    [
      ['Galaxy S22', 'SmartPhone', 799.99, 'samsung phone android camera'],
      ['iPhone 13', 'SmartPhone', 899.99, 'apple phone ios camera'],
      ['Google Pixel 6', 'SmartPhone', 699.99, 'google phone android camera photography'],
      ['MacBook Pro', 'Laptop', 1299.99, 'apple laptop macOS productivity'],
      ['Dell XPS 13', 'Laptop', 999.99, 'dell laptop windows productivity'],
      ['Lenovo ThinkPad', 'Laptop', 1099.99, 'lenovo laptop windows business'],
      ['Premium Yoga Mat', 'Yoga Mat', 45.99, 'yoga fitness exercise mat'],
      ['Yoga Block Set', 'Yoga', 19.99, 'yoga fitness exercise props'],
      ['Premium Resistance Bands', 'fitness', 29.99, 'fitness strength training bands home workout'],
      ['Smart Treadmill', 'fitness', 1499.99, 'fitness cardio treadmill running machine'],
      ['Adjustable Dumbbells', 'fitness', 299.99, 'fitness strength weights dumbbells'],
      ['Running Shoes', 'fashion', 89.99, 'shoes running fitness footwear'],
      ['Casual Sneakers', 'fashion', 59.99, 'shoes casual fashion footwear'],
      ['Formal Shoes', 'fashion', 129.99, 'shoes formal dress footwear'],
      ['Fitness Tracker Watch', 'fashion', 149.99, 'watch smartwatch fitness tracker'],
      ['Designer Jeans', 'fashion', 79.99, 'jeans pants denim fashion'],
    ] as const
  ).map(([name, category, price, tags], i) => Object.freeze({ id: String(i + 1), name, category, price, tags })),
);
