import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { published, roleBySlug } from '../helpers/seed-files.js';

/*
 * Drafts through GraphQL: roles, role, questions, question, search, categories and the nested
 * fields (Role.questions, Round.questions, Role.relatedRoles, counts) never show drafts to anonymous
 * readers; X-Preview: true with a content:preview key shows them, privately. Publishing shows them
 * to everyone, unpublishing hides them again.
 */

const WORD = 'zyxquorbit';
const DRAFT = 'zyxquorbit-data-platform-engineer';
const SBD = 'senior-backend-developer';
const sbdSeed = roleBySlug(SBD);
const engineeringCount = published.filter((r) => r.category === 'engineering').length;
const allPublishedIds = published.flatMap((r) => r.questions.filter((q) => q.status === 'published').map((q) => q.id));

let t: TestApp;
let previewKey = '';
const ids = { draft: [] as string[], sbdDraft: '' };

const created = async (url: string, body: unknown) => {
  const res = await send<{ data: { id?: string; token?: string } }>(t.app, 'POST', url, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data;
};

beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  await created(
    '/v1/admin/roles',
    roleInput(DRAFT, {
      title: 'Zyxquorbit Data Platform Engineer',
      summary: 'Zyxquorbit data platform engineers keep the ingestion and warehouse platform healthy.',
      faqs: [
        {
          question: 'Is zyxquorbit tooling covered in the loop?',
          answer: 'Only at the level of concepts, never product trivia.',
        },
      ],
      relatedRoles: [SBD],
    }),
  );
  ids.draft.push(
    (
      await created(
        `/v1/admin/roles/${DRAFT}/questions`,
        questionInput({ prompt: 'How would you scale the zyxquorbit ingestion tier?' }),
      )
    ).id!,
  );
  ids.draft.push(
    (
      await created(
        `/v1/admin/roles/${DRAFT}/questions`,
        questionInput({ prompt: 'Design a zyxquorbit backfill for a year of data.', round: 'Practical' }),
      )
    ).id!,
  );
  ids.sbdDraft = (
    await created(
      `/v1/admin/roles/${SBD}/questions`,
      questionInput({ prompt: 'Walk me through the zyxquorbit migration you led.', round: 'System Design' }),
    )
  ).id!;
  const sbd = await send<{ data: { version: number; relatedRoles: string[] } }>(t.app, 'GET', `/v1/admin/roles/${SBD}`);
  const patched = await send(
    t.app,
    'PATCH',
    `/v1/admin/roles/${SBD}`,
    { relatedRoles: [...sbd.body.data.relatedRoles, DRAFT] },
    { 'if-match': sbd.headers.etag as string },
  );
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  previewKey = (await created('/v1/admin/keys', { name: 'previewer', scopes: ['content:preview'] })).token!;
});
afterAll(() => t?.close());

interface Answer<T> {
  status: number;
  cacheControl: unknown;
  data: T | null;
  errors?: { message: string; path?: string[]; extensions: { code: string } }[];
}

/** A GraphQL query as a client sends it: GET (the cacheable way), optionally with a key and X-Preview. */
async function query<T = Record<string, unknown>>(
  q: string,
  options: { key?: string; preview?: boolean } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.preview) headers['x-preview'] = 'true';
  const res = await t.app.inject({ method: 'GET', url: `/graphql?${new URLSearchParams({ query: q })}`, headers });
  return { status: res.statusCode, cacheControl: res.headers['cache-control'], ...JSON.parse(res.body) };
}

interface RolePage {
  role: {
    questionCount: number;
    questions: { id: string }[];
    rounds: { name: string; questionCount: number; questions: { id: string }[] }[];
    relatedRoles: { slug: string; questionCount: number }[];
  } | null;
}
const ROLE_PAGE = (slug: string) =>
  `{ role(slug: "${slug}") { questionCount questions { id } rounds { name questionCount questions { id } } relatedRoles { slug questionCount } } }`;

/** Every question id on every page of the questions connection. */
async function allQuestionIds(options: { key?: string; preview?: boolean } = {}) {
  const found: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 50; pages += 1) {
    const res: Answer<{
      questions: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    }> = await query(
      `{ questions(first: 20${after ? `, after: "${after}"` : ''}) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
      options,
    );
    expect(res.errors).toBeUndefined();
    found.push(...res.data!.questions.nodes.map((n) => n.id));
    if (!res.data!.questions.pageInfo.hasNextPage) return found;
    after = res.data!.questions.pageInfo.endCursor;
  }
  throw new Error('questions pagination does not end');
}

const LISTS = `{
  roles(first: 100) { nodes { slug } }
  byWord: roles(q: "${WORD}") { nodes { slug } }
  questions(q: "${WORD}", first: 100) { nodes { id } }
  search(q: "${WORD}", first: 100) { nodes { type title role { slug } question { id } } }
  categories { slug roleCount }
}`;
interface Lists {
  roles: { nodes: { slug: string }[] };
  byWord: { nodes: { slug: string }[] };
  questions: { nodes: { id: string }[] };
  search: { nodes: { type: string; title: string; role: { slug: string }; question: { id: string } | null }[] };
  categories: { slug: string; roleCount: number }[];
}
const engineering = (lists: Lists) => lists.categories.find((c) => c.slug === 'engineering')!.roleCount;

describe('anonymous GraphQL readers never see drafts', () => {
  it('leaves the drafts out of roles, questions, search and category counts', async () => {
    const res = await query<Lists>(LISTS);
    expect(res.errors).toBeUndefined();
    expect(res.data!.roles.nodes.map((r) => r.slug).sort()).toEqual(published.map((r) => r.slug).sort());
    expect(res.data!.byWord.nodes).toEqual([]);
    expect(res.data!.questions.nodes).toEqual([]);
    expect(res.data!.search.nodes).toEqual([]);
    expect(engineering(res.data!)).toBe(engineeringCount);
    expect(res.cacheControl).toMatch(/^public/);
  });

  it('walks every page of questions without a draft', async () => {
    expect((await allQuestionIds()).sort()).toEqual([...allPublishedIds].sort());
  });

  it('answers NOT_FOUND for the draft role and for draft questions', async () => {
    const role = await query(`{ role(slug: "${DRAFT}") { slug } }`);
    expect(role.data).toEqual({ role: null });
    expect(role.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    for (const id of [...ids.draft, ids.sbdDraft]) {
      const question = await query(`{ question(id: "${id}") { id } }`);
      expect(question.data).toEqual({ question: null });
      expect(question.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    }
  });

  it('keeps the draft question and the draft link out of nested fields of a published role', async () => {
    const res = await query<RolePage>(ROLE_PAGE(SBD));
    expect(res.errors).toBeUndefined();
    const role = res.data!.role!;
    expect(role.questionCount).toBe(12);
    expect(role.questions.map((q) => q.id)).toEqual(sbdSeed.questions.map((q) => q.id));
    expect(role.rounds.flatMap((r) => r.questions.map((q) => q.id))).not.toContain(ids.sbdDraft);
    expect(role.rounds.map((r) => [r.name, r.questionCount, r.questions.length])).toEqual(
      sbdSeed.rounds.map((r) => {
        const n = sbdSeed.questions.filter((q) => q.round === r.name).length;
        return [r.name, n, n];
      }),
    );
    expect(role.relatedRoles.map((r) => r.slug)).toEqual(sbdSeed.relatedRoles);
  });
});

describe('GraphQL preview', () => {
  it('shows the drafts to a preview key that sends X-Preview: true, privately', async () => {
    const res = await query<Lists>(LISTS, { key: previewKey, preview: true });
    expect(res.errors).toBeUndefined();
    expect(res.cacheControl).toBe('private, no-store');
    expect(res.data!.roles.nodes.map((r) => r.slug)).toContain(DRAFT);
    expect(res.data!.byWord.nodes.map((r) => r.slug)).toEqual([DRAFT]);
    expect(res.data!.questions.nodes.map((q) => q.id).sort()).toEqual([...ids.draft, ids.sbdDraft].sort());
    expect(
      res
        .data!.search.nodes.filter((h) => h.type === 'QUESTION')
        .map((h) => h.question?.id)
        .sort(),
    ).toEqual([...ids.draft, ids.sbdDraft].sort());
    expect(res.data!.search.nodes.some((h) => h.type === 'FAQ' && h.role.slug === DRAFT)).toBe(true);
    expect(engineering(res.data!)).toBe(engineeringCount + 1);
    expect((await allQuestionIds({ key: previewKey, preview: true })).sort()).toEqual(
      [...allPublishedIds, ...ids.draft, ids.sbdDraft].sort(),
    );
  });

  it('shows the draft role, the draft question in the published role and the draft link', async () => {
    const draft = await query<RolePage>(ROLE_PAGE(DRAFT), { key: previewKey, preview: true });
    expect(draft.errors).toBeUndefined();
    expect(draft.data!.role!.questions.map((q) => q.id)).toEqual(ids.draft);
    expect(draft.data!.role!.rounds.map((r) => r.questions.map((q) => q.id))).toEqual([[ids.draft[0]], [ids.draft[1]]]);
    expect(draft.data!.role!.relatedRoles.map((r) => r.slug)).toEqual([SBD]);
    const sbd = await query<RolePage>(ROLE_PAGE(SBD), { key: previewKey, preview: true });
    expect(sbd.cacheControl).toBe('private, no-store');
    expect(sbd.data!.role!.questionCount).toBe(13);
    expect(sbd.data!.role!.questions.map((q) => q.id)).toEqual([...sbdSeed.questions.map((q) => q.id), ids.sbdDraft]);
    const design = sbd.data!.role!.rounds.find((r) => r.name === 'System Design')!;
    expect(design.questions.map((q) => q.id)).toContain(ids.sbdDraft);
    expect(design.questionCount).toBe(design.questions.length);
    expect(sbd.data!.role!.relatedRoles.map((r) => r.slug)).toEqual([...sbdSeed.relatedRoles, DRAFT]);
    const question = await query<{ question: { role: { slug: string } } }>(
      `{ question(id: "${ids.draft[0]}") { role { slug } } }`,
      { key: previewKey, preview: true },
    );
    expect(question.data).toEqual({ question: { role: { slug: DRAFT } } });
  });

  it('shows the same key only published content without X-Preview', async () => {
    const lists = await query<Lists>(LISTS, { key: previewKey });
    expect(lists.data!.roles.nodes.map((r) => r.slug)).not.toContain(DRAFT);
    expect(lists.data!.search.nodes).toEqual([]);
    expect(engineering(lists.data!)).toBe(engineeringCount);
    const sbd = await query<RolePage>(ROLE_PAGE(SBD), { key: previewKey });
    expect(sbd.data!.role!.questionCount).toBe(12);
    expect(sbd.data!.role!.relatedRoles.map((r) => r.slug)).toEqual(sbdSeed.relatedRoles);
    expect((await query(`{ role(slug: "${DRAFT}") { slug } }`, { key: previewKey })).errors?.[0]?.extensions.code).toBe(
      'NOT_FOUND',
    );
  });

  it('refuses X-Preview without a key (401) and with a key lacking content:preview (403), showing nothing', async () => {
    const writer = (await created('/v1/admin/keys', { name: 'writer', scopes: ['content:write'] })).token!;
    for (const [key, status] of [
      [undefined, 401],
      [writer, 403],
    ] as const) {
      const headers: Record<string, string> = {
        'x-preview': 'true',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      };
      const res = await t.app.inject({
        method: 'GET',
        url: `/graphql?${new URLSearchParams({ query: `{ role(slug: "${DRAFT}") { slug } }` })}`,
        headers,
      });
      expect(res.statusCode).toBe(status);
      expect(res.headers['cache-control']).toMatch(/no-store/);
      expect(res.body).not.toContain(DRAFT);
    }
  });
});

describe('GraphQL after publishing and unpublishing', () => {
  const act = async (url: string) => expect((await send(t.app, 'POST', url)).status).toBe(200);

  it('shows published content to everyone and hides it again after unpublish', async () => {
    await act(`/v1/admin/roles/${DRAFT}/publish`);
    for (const id of [...ids.draft, ids.sbdDraft]) await act(`/v1/admin/questions/${id}/publish`);
    const open = await query<RolePage>(ROLE_PAGE(DRAFT));
    expect(open.data!.role!.rounds.map((r) => r.questions.map((q) => q.id))).toEqual([[ids.draft[0]], [ids.draft[1]]]);
    const sbd = (await query<RolePage>(ROLE_PAGE(SBD))).data!.role!;
    expect(sbd.questionCount).toBe(13);
    expect(sbd.relatedRoles.map((r) => r.slug)).toContain(DRAFT);
    expect(engineering((await query<Lists>(LISTS)).data!)).toBe(engineeringCount + 1);

    await act(`/v1/admin/roles/${DRAFT}/unpublish`);
    await act(`/v1/admin/questions/${ids.sbdDraft}/archive`);
    expect((await query(`{ role(slug: "${DRAFT}") { slug } }`)).errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    const lists = await query<Lists>(LISTS);
    expect(lists.data!.roles.nodes.map((r) => r.slug)).not.toContain(DRAFT);
    expect(lists.data!.questions.nodes).toEqual([]);
    expect(lists.data!.search.nodes).toEqual([]);
    expect(engineering(lists.data!)).toBe(engineeringCount);
    const after = (await query<RolePage>(ROLE_PAGE(SBD))).data!.role!;
    expect(after.questionCount).toBe(12);
    expect(after.rounds.flatMap((r) => r.questions.map((q) => q.id))).not.toContain(ids.sbdDraft);
    expect(after.relatedRoles.map((r) => r.slug)).toEqual(sbdSeed.relatedRoles);
    expect((await query(`{ question(id: "${ids.draft[0]}") { id } }`)).errors?.[0]?.extensions.code).toBe('NOT_FOUND');
  });
});
