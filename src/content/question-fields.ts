import { questionPitfalls, questionStarExamples, questions } from '../db/schema.js';
import { objectList, textList } from './child-lists.js';
import type { QuestionDocument } from './import-format.js';

/*
 * A question's fields, declared once: the import format (import-format.ts) says what each may
 * hold; this says where each is stored. The write path (admin/question-aggregate.ts), the export
 * reader and the GraphQL admin types (graphql/sdl-admin.ts) derive from these lists, so a new
 * field is a column or a table, a field of the format, and a line here; TypeScript refuses a name
 * that is not both. `id` is the row's own id and `round` a reference to one of the role's rounds
 * (stored as its id, written by name); both have code of their own.
 */

/** Stored as they are, in the column of the same name of `questions`. */
const QUESTION_COLUMNS = [
  'prompt',
  'competency',
  'whyAsked',
  'howToAnswer',
  'difficulty',
  'tags',
  'status',
] as const satisfies readonly (keyof QuestionDocument & keyof typeof questions.$inferSelect)[];

type QuestionColumn = (typeof QUESTION_COLUMNS)[number];
export type QuestionColumnValues = Pick<QuestionDocument, QuestionColumn>;

export const questionColumnValues = (doc: QuestionColumnValues): QuestionColumnValues =>
  Object.fromEntries(QUESTION_COLUMNS.map((name) => [name, doc[name]])) as QuestionColumnValues;

export const questionColumnSelection = Object.fromEntries(QUESTION_COLUMNS.map((name) => [name, questions[name]])) as {
  [K in QuestionColumn]: (typeof questions)[K];
};

/** Kept in child rows, one per item, in order (child-lists.ts). */
export const QUESTION_LISTS = {
  starExamples: objectList<QuestionDocument['starExamples'][number]>(
    questionStarExamples,
    questionStarExamples.questionId,
    questionStarExamples.position,
    {
      situation: questionStarExamples.situation,
      task: questionStarExamples.task,
      action: questionStarExamples.action,
      result: questionStarExamples.result,
    },
  ),
  pitfalls: textList(questionPitfalls, questionPitfalls.questionId, questionPitfalls.position, questionPitfalls.text),
} as const satisfies Partial<Record<keyof QuestionDocument, unknown>>;

/** Every field of the format lives in exactly one place: a column, a list, or the id and round. */
export const QUESTION_FIELD_HOMES = {
  ...Object.fromEntries(QUESTION_COLUMNS.map((name) => [name, 'column'])),
  ...Object.fromEntries(Object.keys(QUESTION_LISTS).map((name) => [name, 'list'])),
  id: 'row id',
  round: 'reference to a round',
} as Record<keyof QuestionDocument, string>;
