import { InputError } from '../errors.js';

/** One product the hybrid recommender can suggest. */
export interface CatalogueProduct {
  id: string;
  name: string;
  category: string;
  price: number;
  /** Space-separated keywords (as the original backend stored them), or a list joined with spaces. */
  tags: string | readonly string[];
}

/**
 * A catalogue with categories and tags lower-cased once, so scoring a customer does no string
 * allocation per product. Build with {@link prepareCatalogue} and reuse across customers.
 */
export interface PreparedCatalogue {
  readonly products: readonly CatalogueProduct[];
  readonly categoryLower: readonly string[];
  readonly tagsLower: readonly string[];
  /** Product positions per lower-cased category, in catalogue order. */
  readonly byCategory: ReadonlyMap<string, readonly number[]>;
  /** Distinct lower-cased categories and tag strings, and each product's position in them, so a
   * customer's interest is matched once per distinct text rather than once per product. */
  readonly distinctCategories: readonly string[];
  readonly categoryId: Int32Array;
  readonly distinctTags: readonly string[];
  readonly tagsId: Int32Array;
}

/**
 * Validates a catalogue and lower-cases its categories and tags once.
 * Duplicate ids or non-finite prices are an {@link InputError}.
 *
 * @example
 * const catalogue = prepareCatalogue([{ id: '1', name: 'Yoga Block Set', category: 'Yoga', price: 19.99, tags: 'yoga fitness' }]);
 * catalogue.categoryLower // => ['yoga']
 */
export function prepareCatalogue(products: readonly CatalogueProduct[]): PreparedCatalogue {
  const seen = new Set<string>();
  const categoryLower: string[] = [];
  const tagsLower: string[] = [];
  const byCategory = new Map<string, number[]>();
  const tagIds = new Map<string, number>();
  const distinctTags: string[] = [];
  const tagsId = new Int32Array(products.length);
  const categoryId = new Int32Array(products.length);
  const categoryIds = new Map<string, number>();
  products.forEach((p, i) => {
    if (typeof p.id !== 'string' || seen.has(p.id)) throw new InputError(`product ${i}: id must be a unique string`);
    seen.add(p.id);
    if (typeof p.category !== 'string') throw new InputError(`product ${p.id}: category must be a string`);
    if (!Number.isFinite(p.price)) throw new InputError(`product ${p.id}: price must be a finite number`);
    const category = p.category.toLowerCase();
    categoryLower.push(category);
    const tags = (typeof p.tags === 'string' ? p.tags : p.tags.join(' ')).toLowerCase();
    tagsLower.push(tags);
    const list = byCategory.get(category);
    if (list) list.push(i);
    else byCategory.set(category, [i]);
    let c = categoryIds.get(category);
    if (c === undefined) categoryIds.set(category, (c = categoryIds.size));
    categoryId[i] = c;
    let t = tagIds.get(tags);
    if (t === undefined) tagIds.set(tags, (t = distinctTags.push(tags) - 1));
    tagsId[i] = t;
  });
  return { products, categoryLower, tagsLower, byCategory, distinctCategories: [...categoryIds.keys()], categoryId, distinctTags, tagsId };
}
