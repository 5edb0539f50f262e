import { roles } from '../db/schema.js';
import type { RoleDocument } from './import-format.js';

/**
 * A role's own fields: each stored as it is, in the column of the same name of `roles`. The import
 * writer writes exactly these and the export reader reads exactly these back (the category, stored
 * as an id, and the lists, stored as child rows, have code of their own). A new field of this kind
 * is a column, a field of the import format, and its name here: TypeScript refuses a name that is
 * not both.
 */
const ROLE_COLUMNS = [
  'slug',
  'title',
  'seniority',
  'track',
  'status',
  'summary',
] as const satisfies readonly (keyof RoleDocument & keyof typeof roles.$inferSelect)[];

type RoleColumn = (typeof ROLE_COLUMNS)[number];
/** What a role's own columns hold; the database's checks keep them to the format's closed lists. */
export type RoleColumnValues = Pick<RoleDocument, RoleColumn>;

/** The values a document gives the columns, for an insert or an update. */
export const roleColumnValues = (doc: RoleDocument): RoleColumnValues =>
  Object.fromEntries(ROLE_COLUMNS.map((name) => [name, doc[name]])) as RoleColumnValues;

/** The columns, for a select. */
export const roleColumnSelection = Object.fromEntries(ROLE_COLUMNS.map((name) => [name, roles[name]])) as {
  [K in RoleColumn]: (typeof roles)[K];
};
