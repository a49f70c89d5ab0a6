/**
 * Ids in Unicode code point order, which is SQLite's byte order over UTF-8, so paging walks items
 * in the same order on every backend (plain `<` compares UTF-16 units and differs above U+FFFF).
 */
export function byCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
