import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ADMIN_KEY, adminEnv, send } from '../helpers/admin.js';

let t: TestApp;
let readerKey: string;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  readerKey = (
    await send<{ data: { token: string } }>(t.app, 'POST', '/v1/admin/keys', {
      name: 'reader',
      scopes: ['content:preview'],
    })
  ).body.data.token;
});
afterAll(() => t?.close());

interface Result<T> {
  status: number;
  data: T | null;
  errors?: { message: string; extensions: { code: string; errors?: { path: string }[] } }[];
}

async function mutate<T = Record<string, unknown>>(
  query: string,
  variables?: Record<string, unknown>,
  key: string | null = ADMIN_KEY,
): Promise<Result<T>> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/graphql',
    payload: { query, variables },
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });
  return { status: res.statusCode, ...JSON.parse(res.body) };
}

const ROLE = {
  slug: 'qa-graph',
  title: 'Quality Engineer',
  category: 'engineering',
  seniority: 'MID',
  track: 'TECHNICAL',
  summary: 'Quality engineering loops test automation design and release judgement.',
  formatBreakdown: [{ label: 'Test Design', percent: 100 }],
  rounds: [{ name: 'Screen', focus: 'Background and test strategy basics.', durationMinutes: 30 }],
};

const QUESTION = {
  prompt: 'How do you decide what to automate first?',
  round: 'Screen',
  competency: 'test strategy',
  whyAsked: 'Interviewers want to see that automation effort follows risk and value.',
  howToAnswer: 'Explain how you weigh risk, frequency and cost, then give one example.',
  difficulty: 'MEDIUM',
  tags: ['automation'],
  starExamples: [
    {
      situation: 'Our release regression took three days of manual work every sprint.',
      task: 'I had to cut that time without letting critical defects through.',
      action: 'I ranked flows by usage and incident history and automated the top ten.',
      result: 'Regression dropped to four hours and escaped defects fell by a third.',
    },
  ],
  pitfalls: ['Automating everything at once', 'Ignoring flaky tests'],
};

describe('GraphQL mutations', () => {
  it('create a draft role and question, publish them, and the public schema shows them', async () => {
    const created = await mutate<{ createRole: { status: string; version: number; seniority: string } }>(
      'mutation($input: RoleInput!) { createRole(input: $input) { status version seniority } }',
      { input: ROLE },
    );
    expect(created.data?.createRole).toEqual({ status: 'DRAFT', version: 1, seniority: 'MID' });
    const question = await mutate<{ createQuestion: { id: string; status: string; round: string } }>(
      'mutation($input: QuestionInput!) { createQuestion(role: "qa-graph", input: $input) { id status round } }',
      { input: QUESTION },
    );
    expect(question.data?.createQuestion).toMatchObject({ status: 'DRAFT', round: 'Screen' });

    const hidden = await mutate('{ role(slug: "qa-graph") { title } }', undefined, null);
    expect(hidden.errors?.[0]?.extensions.code).toBe('NOT_FOUND');

    await mutate('mutation { publishRole(slug: "qa-graph") { status } }');
    await mutate(`mutation { publishQuestion(id: "${question.data!.createQuestion.id}") { status } }`);
    const shown = await mutate<{ role: { questionCount: number } }>(
      '{ role(slug: "qa-graph") { questionCount } }',
      undefined,
      null,
    );
    expect(shown.data?.role.questionCount).toBe(1);
  });

  it('refuse a stale version with PRECONDITION_FAILED and write nothing', async () => {
    const ok = await mutate<{ updateRole: { title: string; version: number } }>(
      'mutation { updateRole(slug: "qa-graph", input: { title: "QA Engineer" }, version: 2) { title version } }',
    );
    expect(ok.data?.updateRole).toEqual({ title: 'QA Engineer', version: 3 });
    const stale = await mutate(
      'mutation { updateRole(slug: "qa-graph", input: { title: "Lost" }, version: 2) { title } }',
    );
    expect(stale.errors?.[0]?.extensions.code).toBe('PRECONDITION_FAILED');
    const now = await send<{ data: { title: string; version: number } }>(t.app, 'GET', '/v1/admin/roles/qa-graph');
    expect(now.body.data).toMatchObject({ title: 'QA Engineer', version: 3 });
  });

  it('validate with the same rules, naming the bad fields', async () => {
    const fields = await mutate(
      'mutation { updateRole(slug: "qa-graph", input: { summary: "short", title: "" }) { title } }',
    );
    expect(fields.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(fields.errors?.[0]?.extensions.errors?.map((e) => e.path).sort()).toEqual(['summary', 'title']);
    const sum = await mutate(
      'mutation { updateRole(slug: "qa-graph", input: { formatBreakdown: [{ label: "Coding", percent: 60 }] }) { title } }',
    );
    expect(sum.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      errors: [{ path: 'formatBreakdown' }],
    });
    const round = await mutate(
      'mutation($input: QuestionInput!) { createQuestion(role: "qa-graph", input: $input) { id } }',
      { input: { ...QUESTION, round: 'Nowhere' } },
    );
    expect(round.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ path: 'round' }] });
  });

  it('need a key with the right scope', async () => {
    const anonymous = await mutate('mutation { archiveRole(slug: "qa-graph") { status } }', undefined, null);
    expect(anonymous.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const reader = await mutate('mutation { archiveRole(slug: "qa-graph") { status } }', undefined, readerKey);
    expect(reader.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const role = await send<{ data: { status: string } }>(t.app, 'GET', '/v1/admin/roles/qa-graph');
    expect(role.body.data.status).toBe('published');
  });

  it('restore a revision and delete with the same guards as REST', async () => {
    const restored = await mutate<{ restoreRoleRevision: { title: string; version: number } }>(
      'mutation { restoreRoleRevision(slug: "qa-graph", revision: 2) { title version } }',
    );
    expect(restored.data?.restoreRoleRevision).toEqual({ title: 'Quality Engineer', version: 4 });
    const refused = await mutate('mutation { deleteRole(slug: "qa-graph") }');
    expect(refused.errors?.[0]?.extensions.code).toBe('CONFLICT');
    expect(
      (await mutate<{ deleteRole: boolean }>('mutation { deleteRole(slug: "qa-graph", cascade: true) }')).data
        ?.deleteRole,
    ).toBe(true);
  });

  it('are refused over GET', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/graphql?query=${encodeURIComponent('mutation { deleteRole(slug: "x") }')}`,
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(res.statusCode).toBe(405);
    expect(JSON.parse(res.body).errors[0].extensions.code).toBe('METHOD_NOT_ALLOWED');
  });
});
