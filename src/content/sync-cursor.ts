import { z } from 'zod';
import { badParameter } from '../errors.js';
import { cursorKey } from './pagination.js';

/*
 * A sync cursor says where a client is, as base64url JSON (opaque to clients). During the first,
 * full pass it names the list being walked and the change-log position taken when the pass began;
 * afterwards it is only a change-log position: every change after it is still to be sent.
 */

const innerCursor = z.string().min(1).max(512);

const cursorShape = z.discriminatedUnion('m', [
  z.strictObject({
    m: z.literal('full'),
    s: cursorKey.seq,
    p: z.enum(['roles', 'questions']),
    c: innerCursor.optional(),
  }),
  z.strictObject({ m: z.literal('delta'), s: cursorKey.seq }),
]);
export type SyncCursor = z.infer<typeof cursorShape>;

export function encodeSyncCursor(cursor: SyncCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeSyncCursor(cursor: string): SyncCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badParameter('cursor', 'is not a sync cursor this API issued');
  }
  const result = cursorShape.safeParse(parsed);
  if (!result.success) throw badParameter('cursor', 'is not a sync cursor this API issued');
  return result.data;
}
