import { z } from 'zod';
import { badParameter } from '../errors.js';
import { hasControlCharacters } from './filters.js';
import type { PageOut } from './schemas.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** Parts of a cursor key, as strict as the columns they stand for, so a forged cursor is a 400. */
export const cursorKey = {
  text: z
    .string()
    .max(300)
    .refine((v) => !hasControlCharacters(v)),
  position: z.int().min(0).max(2_147_483_647),
  id: z.uuid(),
  seq: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
};

/**
 * Cursors are opaque to clients: base64url JSON naming the list they belong to and where to
 * continue. Sorted lists continue after a key (stable under inserts); ranked search results,
 * whose order has no stable key, continue at an offset.
 */
const cursorPayload = z.object({
  l: z.string(),
  k: z.array(z.union([z.string(), z.number()])).optional(),
  o: z.int().min(0).max(1_000_000).optional(),
});
type CursorPayload = z.infer<typeof cursorPayload>;

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

function encodeCursor(payload: CursorPayload): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

function decode(list: string, cursor: string): CursorPayload {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badParameter('cursor', 'is not a cursor this API issued');
  }
  const result = cursorPayload.safeParse(parsed);
  if (!result.success || result.data.l !== list)
    throw badParameter('cursor', 'is not a cursor this API issued for this list');
  return result.data;
}

/** The key to continue after, checked against the shape the list expects. */
export function keysetAfter<T extends z.ZodTuple>(
  list: string,
  cursor: string | undefined,
  shape: T,
): z.infer<T> | undefined {
  if (!cursor) return undefined;
  const payload = decode(list, cursor);
  const key = shape.safeParse(payload.k);
  if (!key.success) throw badParameter('cursor', 'is not a cursor this API issued for this list');
  return key.data;
}

export function offsetAfter(list: string, cursor: string | undefined): number {
  if (!cursor) return 0;
  const payload = decode(list, cursor);
  if (payload.o === undefined) throw badParameter('cursor', 'is not a cursor this API issued for this list');
  return payload.o;
}

/**
 * Queries fetch limit + 1 rows; the extra row only tells whether a next page exists. `keyAfter`
 * says where to continue after a row (at index i of this page), which also gives every row its own
 * cursor for GraphQL edges.
 */
export function pageOf<Row>(
  rows: Row[],
  limit: number,
  keyAfter: (row: Row, index: number) => CursorPayload,
): { rows: Row[]; page: PageOut; cursors: string[] } {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const cursors = pageRows.map((row, i) => encodeCursor(keyAfter(row, i)));
  return { rows: pageRows, page: { limit, nextCursor: more ? (cursors[cursors.length - 1] ?? null) : null }, cursors };
}
