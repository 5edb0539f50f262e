import { roleAlternativeTitles, roleFaqs, roleFormatSegments, roles, roleTips } from '../db/schema.js';
import { objectList, textList } from './child-lists.js';
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
export const roleColumnValues = (doc: RoleColumnValues): RoleColumnValues =>
  Object.fromEntries(ROLE_COLUMNS.map((name) => [name, doc[name]])) as RoleColumnValues;

/** The columns, for a select. */
export const roleColumnSelection = Object.fromEntries(ROLE_COLUMNS.map((name) => [name, roles[name]])) as {
  [K in RoleColumn]: (typeof roles)[K];
};

/**
 * A role's lists kept in child rows, one row per item in order: read and written from this
 * declaration alone (child-lists.ts). A new list of plain items is its table and a line here.
 * Rounds (which questions refer to) and related roles (references to other roles) have code of
 * their own.
 */
export const ROLE_LISTS = {
  formatBreakdown: objectList<RoleDocument['formatBreakdown'][number]>(
    roleFormatSegments,
    roleFormatSegments.roleId,
    roleFormatSegments.position,
    { label: roleFormatSegments.label, percent: roleFormatSegments.percent },
  ),
  tips: textList(roleTips, roleTips.roleId, roleTips.position, roleTips.text),
  faqs: objectList<RoleDocument['faqs'][number]>(roleFaqs, roleFaqs.roleId, roleFaqs.position, {
    question: roleFaqs.question,
    answer: roleFaqs.answer,
  }),
  // In the default locale until content is localized.
  alternativeTitles: textList(
    roleAlternativeTitles,
    roleAlternativeTitles.roleId,
    roleAlternativeTitles.position,
    roleAlternativeTitles.title,
    { column: roleAlternativeTitles.locale, value: 'en' },
  ),
} as const satisfies Partial<Record<keyof RoleDocument, unknown>>;
