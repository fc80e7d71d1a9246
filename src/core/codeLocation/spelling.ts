/** One spelling of names written many ways: `Product-Catalog`, `product_catalog`, `productcatalog`. */

/** `Product-Catalog`, `product_catalog`, `productcatalog` → `productcatalog`. */
export function squash(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}
