import { z } from 'zod';

// Closed vocabularies shared by the database checks, the API filters and the import format.
const SENIORITIES = ['junior', 'mid', 'senior', 'staff', 'lead', 'manager'] as const;
const TRACKS = ['technical', 'non-technical'] as const;
const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export const STATUSES = ['draft', 'published', 'archived'] as const;

export const seniority = z.enum(SENIORITIES);
export const track = z.enum(TRACKS);
export const difficulty = z.enum(DIFFICULTIES);
export const status = z.enum(STATUSES);

export type Seniority = z.infer<typeof seniority>;
export type Track = z.infer<typeof track>;
export type Difficulty = z.infer<typeof difficulty>;
export type Status = z.infer<typeof status>;

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const slug = z
  .string()
  .min(1)
  .max(80)
  .regex(SLUG_PATTERN, 'must be lowercase letters, digits and single hyphens');

export const tag = z
  .string()
  .min(1)
  .max(40)
  .regex(SLUG_PATTERN, 'must be lowercase letters, digits and single hyphens');

/**
 * A point in time as ISO 8601 with an offset, within years 1970 to 9999: every date the API
 * takes (key expiry, audit filters) is a real one, and PostgreSQL never sees a year it refuses.
 */
export const timestamp = z.iso.datetime({ offset: true }).refine((value) => {
  const year = new Date(value).getUTCFullYear();
  return year >= 1970 && year <= 9999;
}, 'must be between the years 1970 and 9999');

/*
 * Integers with the bounds they really have (what PostgreSQL's integer holds), so a contract
 * generated from these schemas says so, instead of JavaScript's ±2^53.
 */
export const INT32_MAX = 2_147_483_647;
/** How many of something: 0 or more. */
export const count = z.int().min(0).max(INT32_MAX);
/** A position or version: 1 for the first. */
export const ordinal = z.int().min(1).max(INT32_MAX);
