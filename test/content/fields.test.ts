import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminQuestion } from '../../src/content/admin/schemas.js';
import { questionDocument } from '../../src/content/import-format.js';
import { QUESTION_FIELD_HOMES } from '../../src/content/question-fields.js';
import { adminEnv, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/*
 * A question's fields are declared once (src/content/question-fields.ts); every surface that shows
 * or takes a question derives them from there. This names the surface that lacks a field.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
});
afterAll(() => t?.close());

const FIELDS = Object.keys(questionDocument.shape).sort();

describe("a question's fields", () => {
  it('each have exactly one home in the database', () => {
    expect(Object.keys(QUESTION_FIELD_HOMES).sort()).toEqual(FIELDS);
  });

  it('are all in the admin REST shape, GraphQL types and inputs, and the export', async () => {
    const type = (name: string) =>
      Object.keys((t.app.graphql.schema.getType(name) as { getFields(): object }).getFields());
    const surfaces: Record<string, string[]> = {
      'REST AdminQuestion': Object.keys(AdminQuestion.shape),
      'GraphQL AdminQuestion': type('AdminQuestion'),
      'GraphQL QuestionUpdateInput': [...type('QuestionUpdateInput'), 'id', 'status'],
      'GraphQL QuestionInput': [...type('QuestionInput'), 'id', 'status'],
    };
    const exported = await send<{ roles: { questions: Record<string, unknown>[] }[] }>(
      t.app,
      'GET',
      '/v1/admin/export?role=senior-backend-developer',
    );
    surfaces.export = Object.keys(exported.body.roles[0]!.questions[0]!);
    for (const [surface, fields] of Object.entries(surfaces))
      expect(
        FIELDS.filter((f) => !fields.includes(f)),
        `${surface} lacks these question fields`,
      ).toEqual([]);
  });
});
