import { isDeepStrictEqual } from 'node:util';
import { asc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { questions, roles, rounds } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { listJson, writeList } from '../child-lists.js';
import { questionDocument, type QuestionDocument } from '../import-format.js';
import { questionColumnSelection, questionColumnValues, QUESTION_LISTS } from '../question-fields.js';
import type { AggregateKind, Loaded } from './aggregate-write.js';
import { lifecycleView } from './role-aggregate.js';
import { checked } from './validation.js';

/*
 * A question as the write path handles it (aggregate-write.ts): found by its id, loaded with its
 * examples, pitfalls, round name and role slug in one statement. A write reads and locks the
 * question alone, never its whole role.
 */

const { search: _search, ...rowColumns } = getTableColumns(questions);
type QuestionRow = Omit<typeof questions.$inferSelect, 'search'>;

export interface LoadedQuestion extends Loaded<QuestionDocument, QuestionRow> {
  roleSlug: string;
}

/** Where a new question goes: its role, and its place there. */
export interface QuestionPlace {
  roleId: string;
  roleSlug: string;
  position: number;
}

const FIELD_ORDER = Object.keys(questionDocument.shape) as (keyof QuestionDocument)[];
const inQuestionOrder = (doc: QuestionDocument): QuestionDocument =>
  Object.fromEntries(FIELD_ORDER.map((name) => [name, doc[name]])) as QuestionDocument;

const selection = {
  row: rowColumns,
  columns: questionColumnSelection,
  roleSlug: roles.slug,
  round: rounds.name,
  ...Object.fromEntries(Object.entries(QUESTION_LISTS).map(([name, list]) => [name, listJson(list, questions.id)])),
} as const;

type SelectedQuestion = {
  row: QuestionRow;
  columns: Omit<QuestionDocument, 'id' | 'round' | keyof typeof QUESTION_LISTS>;
  roleSlug: string;
  round: string | null;
} & Record<keyof typeof QUESTION_LISTS, string>;

function loadedOf(selected: SelectedQuestion): LoadedQuestion {
  const lists = Object.fromEntries(
    Object.keys(QUESTION_LISTS).map((name) => [name, JSON.parse(selected[name as keyof typeof QUESTION_LISTS])]),
  );
  return {
    row: selected.row,
    roleSlug: selected.roleSlug,
    doc: inQuestionOrder({
      id: selected.row.id,
      round: selected.round,
      ...selected.columns,
      ...lists,
    } as QuestionDocument),
  };
}

const UUID = z.uuid();

/** Questions with their documents (by ids, or every question of a role in interview order), locked when asked. */
export async function loadQuestions(
  tx: Queryable,
  where: { ids: readonly string[] } | { roleId: string },
  lock: boolean,
): Promise<LoadedQuestion[]> {
  let filter: SQL;
  if ('ids' in where) {
    const ids = where.ids.filter((id) => UUID.safeParse(id).success);
    if (ids.length === 0) return [];
    filter = inArray(questions.id, ids);
  } else filter = eq(questions.roleId, where.roleId);
  const query = tx
    .select(selection)
    .from(questions)
    .innerJoin(roles, eq(roles.id, questions.roleId))
    .leftJoin(rounds, eq(rounds.id, questions.roundId))
    .where(filter)
    .orderBy(asc(questions.position), asc(questions.id));
  const rows = (lock ? await query.for('update', { of: questions }) : await query) as unknown as SelectedQuestion[];
  return rows.map(loadedOf);
}

function questionView(loaded: LoadedQuestion) {
  return { ...loaded.doc, role: loaded.roleSlug, position: loaded.row.position, ...lifecycleView(loaded.row) };
}
export type AdminQuestion = ReturnType<typeof questionView>;

async function noSuchRound(tx: Queryable, roleId: string, roleSlug: string, name: string): Promise<never> {
  const names = (await tx.select({ name: rounds.name }).from(rounds).where(eq(rounds.roleId, roleId))).map(
    (r) => r.name,
  );
  throw new AppError('VALIDATION_FAILED', `round: role "${roleSlug}" has no round named "${name}"`, {
    errors: [{ path: 'round', message: `must be one of this role's rounds: ${names.join(', ') || '(none)'}` }],
  });
}

/** A question, for the write path; `place` says where a new one goes. */
export const questionKind: AggregateKind<QuestionDocument, LoadedQuestion, AdminQuestion, QuestionPlace> = {
  type: 'question',
  name: (id) => `Question ${id}`,
  load: async (tx, id, lock) => (await loadQuestions(tx, { ids: [id] }, lock))[0],
  check: (doc) => inQuestionOrder(checked(questionDocument, doc)),
  snapshot: (saved) => ({ role: saved.roleSlug, ...saved.doc }),
  async store(uow, next, before, lifecycle, place) {
    const { tx } = uow;
    const roleId = before?.row.roleId ?? place!.roleId;
    const roleSlug = before?.roleSlug ?? place!.roleSlug;
    const roundChanged = !before || before.doc.round !== next.round;
    // The round is named within the question's own role, so it can never be another role's round.
    const roundId = !roundChanged
      ? before.row.roundId
      : next.round === null
        ? null
        : sql`(select ${rounds.id} from ${rounds} where ${rounds.roleId} = ${roleId} and ${rounds.name} = ${next.round})`;
    const values = { ...questionColumnValues(next), roundId, ...lifecycle };
    const [row] = before
      ? await tx.update(questions).set(values).where(eq(questions.id, before.row.id)).returning(rowColumns)
      : await tx
          .insert(questions)
          .values({ ...values, id: next.id, roleId, position: place!.position })
          .returning(rowColumns);
    if (next.round !== null && row!.roundId === null) await noSuchRound(tx, roleId, roleSlug, next.round);
    for (const [name, list] of Object.entries(QUESTION_LISTS)) {
      const field = name as keyof typeof QUESTION_LISTS;
      if (!before || !isDeepStrictEqual(before.doc[field], next[field]))
        await writeList(tx, list as never, next.id, next[field] as never[]);
    }
    return { saved: { row: row!, doc: next, roleSlug }, refs: { round: row!.roundId } };
  },
  change: (saved) => ({
    entityType: 'question',
    entityId: saved.row.id,
    entityKey: saved.row.id,
    roleKey: saved.roleSlug,
  }),
  view: async (_tx, loaded) => questionView(loaded),
};
