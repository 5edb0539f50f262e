import { z } from 'zod';
import { Category, Question, SyncRole } from './schemas.js';

/* The delta sync feed's contract: items in the public shapes, and tombstones for what went away. */

const SYNC_TYPES = ['category', 'role', 'question'] as const;
export type SyncType = (typeof SYNC_TYPES)[number];

const TOMBSTONE_REASONS = ['deleted', 'renamed', 'unpublished', 'archived', 'out-of-scope'] as const;
export type TombstoneReason = (typeof TOMBSTONE_REASONS)[number];

const SyncItem = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('category'), key: z.string().describe('The category slug'), category: Category }),
    z.object({
      type: z.literal('role'),
      key: z.string().describe('The role slug'),
      role: SyncRole.describe(
        'With rounds, tips, faqs and relatedRoles, as GET /v1/roles/{slug}?include=rounds,tips,faqs,related answers',
      ),
    }),
    z.object({ type: z.literal('question'), key: z.uuid().describe('The question id'), question: Question }),
  ])
  .meta({
    id: 'SyncItem',
    description: 'The current published state of an item: store it under (type, key), replacing what you had.',
  });

const SyncTombstone = z
  .object({
    type: z.enum(SYNC_TYPES),
    key: z.string(),
    reason: z.enum(TOMBSTONE_REASONS).describe('renamed: the item lives on under a new key, sent as an item'),
    deletedAt: z.iso.datetime().nullable().describe('Set when the item was deleted or renamed'),
    unpublishedAt: z.iso
      .datetime()
      .nullable()
      .describe('Set when the item was unpublished, archived, or left the categories your key may read'),
  })
  .meta({
    id: 'SyncTombstone',
    description: 'Remove (type, key) from your mirror if you hold it. It may name an item you never received.',
  });

export const SyncPage = z
  .object({
    data: z.object({
      items: z.array(SyncItem).describe('Categories, then roles, then questions: upsert each'),
      tombstones: z.array(SyncTombstone).describe('Apply after the items'),
    }),
    page: z.object({
      limit: z.int().min(1).max(500),
      nextCursor: z
        .string()
        .nullable()
        .describe('More is waiting: call again with cursor= this at once. Null when you are up to date'),
      syncCursor: z.string().describe('Where you are: store it with your mirror and pass it as cursor= next time'),
    }),
  })
  .meta({ id: 'SyncPage' });

export type SyncItemOut = z.infer<typeof SyncItem>;
export type SyncTombstoneOut = z.infer<typeof SyncTombstone>;
export type SyncPageOut = z.infer<typeof SyncPage>;
