import type { PageOut } from './schemas.js';

/*
 * What public reads answer with: JSON text written by PostgreSQL (json-sql.ts) in the public
 * contract's shape, sent as it is by REST and parsed by GraphQL, plus the surrogate keys naming
 * everything it shows (changes/surrogate-keys.ts), so caches can purge exactly that.
 */

export interface JsonDocument {
  json: string;
  keys: string[];
}

export interface JsonList {
  /** One JSON text per item, in order. */
  items: string[];
  page: PageOut;
  /** One cursor per item (continue after it); GraphQL edges carry them. */
  cursors: string[];
  keys: string[];
}

/** A document's content as an object, with the keys that name it. */
export function dataOf<T>(doc: JsonDocument): { data: T; keys: string[] } {
  return { data: JSON.parse(doc.json) as T, keys: doc.keys };
}

/** `{"data": <item>}` */
export const singleBody = (doc: JsonDocument) => `{"data":${doc.json}}`;

/** `{"data": [items], "page": {...}}` */
export const listBody = (list: JsonList) => `{"data":[${list.items.join(',')}],"page":${JSON.stringify(list.page)}}`;

/** A complete list (rounds, tips, FAQs are short and bounded): one page, no next cursor. */
export function wholeList(json: string, keys: string[]): JsonDocument {
  const count = json === '[]' ? 0 : JSON.parse(json).length;
  return { json: `{"data":${json},"page":{"limit":${count},"nextCursor":null}}`, keys };
}
