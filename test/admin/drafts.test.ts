import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminRole } from '../../src/content/admin/schemas.js';
import { Category, list, Question, Role, RolePage, Round, SearchHit, single } from '../../src/content/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { expectProblem, get, getOk, walk } from '../helpers/http.js';
import { published, roleBySlug } from '../helpers/seed-files.js';

/*
 * Drafts through every public REST path: anonymous readers never see them, a key with
 * content:preview sees them only when it asks (?preview=true), privately; publishing shows them,
 * unpublishing and archiving hide them again. The made-up word lets search find the drafts.
 */

const WORD = 'zyxquorbit';
const DRAFT = 'zyxquorbit-platform-engineer';
const SBD = 'senior-backend-developer';
const sbdSeed = roleBySlug(SBD);
const engineeringCount = published.filter((r) => r.category === 'engineering').length;
const allPublishedIds = published.flatMap((r) => r.questions.filter((q) => q.status === 'published').map((q) => q.id));

let t: TestApp;
let previewKey = '';
let publishKey = '';
const ids = { draft: [] as string[], sbdDraft: '' };

const created = async (url: string, body: unknown) => {
  const res = await send<{ data: { id?: string; token?: string } }>(t.app, 'POST', url, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data;
};
const adminRole = async (slug: string) =>
  single(AdminRole).parse((await send(t.app, 'GET', `/v1/admin/roles/${slug}`)).body).data;

beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  await created(
    '/v1/admin/roles',
    roleInput(DRAFT, {
      title: 'Zyxquorbit Platform Engineer',
      summary: 'Zyxquorbit platform engineers run the internal build and deploy platform for product teams.',
      tips: ['Bring one zyxquorbit story about a platform migration you led.'],
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
        questionInput({ prompt: 'How would you scale the zyxquorbit build farm?' }),
      )
    ).id!,
  );
  ids.draft.push(
    (
      await created(
        `/v1/admin/roles/${DRAFT}/questions`,
        questionInput({ prompt: 'Design a zyxquorbit rollout for fifty teams.', round: 'Practical' }),
      )
    ).id!,
  );
  ids.sbdDraft = (
    await created(
      `/v1/admin/roles/${SBD}/questions`,
      questionInput({ prompt: 'Walk me through the zyxquorbit migration you led.', round: 'System Design' }),
    )
  ).id!;
  const sbd = await adminRole(SBD);
  const patched = await send(
    t.app,
    'PATCH',
    `/v1/admin/roles/${SBD}`,
    { relatedRoles: [...sbd.relatedRoles, DRAFT] },
    { 'if-match': `"${sbd.version}"` },
  );
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  previewKey = (await created('/v1/admin/keys', { name: 'previewer', scopes: ['content:preview'] })).token!;
  publishKey = (await created('/v1/admin/keys', { name: 'publisher', scopes: ['content:publish'] })).token!;
});
afterAll(() => t?.close());

/** GET with a key (the preview key unless told), parsed with the schema; must answer 200. */
async function keyed<T>(url: string, schema: { parse(v: unknown): T }, key = previewKey) {
  const res = await send(t.app, 'GET', url, undefined, {}, key);
  expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(200);
  return { body: schema.parse(res.body), cacheControl: res.headers['cache-control'] };
}

/** What anonymous readers see of the drafts, across every REST path. */
async function publicView() {
  const roles = (await walk(t.app, '/v1/roles?limit=3', list(Role))).items.map((r) => r.slug);
  const rolesByWord = (await getOk(t.app, `/v1/roles?q=${WORD}`, list(Role))).data.map((r) => r.slug);
  const draftRole = await get(t.app, `/v1/roles/${DRAFT}?include=questions`);
  const sbd = (await getOk(t.app, `/v1/roles/${SBD}?include=questions,related`, single(RolePage))).data;
  const questions = (await walk(t.app, '/v1/questions?limit=20', list(Question))).items.map((q) => q.id);
  const search = (await getOk(t.app, `/v1/search?q=${WORD}`, list(SearchHit))).data;
  const engineering = (await getOk(t.app, '/v1/categories', list(Category))).data.find(
    (c) => c.slug === 'engineering',
  )!.roleCount;
  return { roles, rolesByWord, draftRole, sbd, questions, search, engineering };
}

describe('anonymous readers never see drafts', () => {
  it('leaves the draft role out of role lists, search by word and category filters', async () => {
    const { items } = await walk(t.app, '/v1/roles?limit=3', list(Role));
    expect(items.map((r) => r.slug).sort()).toEqual(published.map((r) => r.slug).sort());
    expect((await getOk(t.app, `/v1/roles?q=${WORD}`, list(Role))).data).toEqual([]);
    const engineering = await getOk(t.app, '/v1/roles?category=engineering&limit=100', list(Role));
    expect(engineering.data.map((r) => r.slug)).not.toContain(DRAFT);
  });

  it.each(['', '/rounds', '/questions', '/tips', '/faqs'])('answers 404 for /v1/roles/{draft}%s', async (part) => {
    expectProblem(await get(t.app, `/v1/roles/${DRAFT}${part}`), 404);
  });

  it('keeps the draft question and the draft link out of a published role page', async () => {
    const { data } = await getOk(t.app, `/v1/roles/${SBD}?include=rounds,questions,related`, single(RolePage));
    expect(data.questionCount).toBe(12);
    expect(data.questions!.map((q) => q.id)).toEqual(sbdSeed.questions.map((q) => q.id));
    expect(data.relatedRoles!.map((r) => r.slug)).toEqual(sbdSeed.relatedRoles);
    expect(data.rounds!.reduce((n, r) => n + r.questionCount, 0)).toBe(12);
  });

  it("keeps the draft question out of the role's question list and round counts", async () => {
    const { items } = await walk(t.app, `/v1/roles/${SBD}/questions?limit=5`, list(Question));
    expect(items.map((q) => q.id)).toEqual(sbdSeed.questions.map((q) => q.id));
    const rounds = await getOk(t.app, `/v1/roles/${SBD}/rounds`, list(Round));
    expect(rounds.data.map((r) => [r.name, r.questionCount])).toEqual(
      sbdSeed.rounds.map((r) => [r.name, sbdSeed.questions.filter((q) => q.round === r.name).length]),
    );
  });

  it('keeps draft questions out of /v1/questions on every page, out of q= and out of one-question reads', async () => {
    const { items, pages } = await walk(t.app, '/v1/questions?limit=20', list(Question));
    expect(pages).toBeGreaterThan(1);
    expect(items.map((q) => q.id).sort()).toEqual([...allPublishedIds].sort());
    expect((await getOk(t.app, `/v1/questions?q=${WORD}`, list(Question))).data).toEqual([]);
    expectProblem(await get(t.app, `/v1/questions?role=${DRAFT}`), 400, 'role');
    for (const id of [...ids.draft, ids.sbdDraft]) expectProblem(await get(t.app, `/v1/questions/${id}`), 404);
  });

  it('finds nothing of the drafts in search and does not count the draft role in its category', async () => {
    expect((await getOk(t.app, `/v1/search?q=${WORD}`, list(SearchHit))).data).toEqual([]);
    expectProblem(await get(t.app, `/v1/search?q=${WORD}&role=${DRAFT}`), 400, 'role');
    const categories = await getOk(t.app, '/v1/categories', list(Category));
    expect(categories.data.find((c) => c.slug === 'engineering')!.roleCount).toBe(engineeringCount);
  });
});

describe('preview', () => {
  it('shows the draft role with its questions, links and FAQ to a preview key, privately', async () => {
    const rolesList = await keyed(`/v1/roles?preview=true&limit=100`, list(Role));
    expect(rolesList.body.data.map((r) => r.slug)).toContain(DRAFT);
    expect(rolesList.cacheControl).toBe('private, no-store');
    expect((await keyed(`/v1/roles?preview=true&q=${WORD}`, list(Role))).body.data.map((r) => r.slug)).toEqual([DRAFT]);
    const role = await keyed(`/v1/roles/${DRAFT}?preview=true&include=questions,related,faqs`, single(RolePage));
    expect(role.cacheControl).toBe('private, no-store');
    expect(role.body.data).toMatchObject({ slug: DRAFT, questionCount: 2, publishedAt: null });
    expect(role.body.data.questions!.map((q) => q.id)).toEqual(ids.draft);
    expect(role.body.data.relatedRoles!.map((r) => r.slug)).toEqual([SBD]);
    const question = await keyed(`/v1/questions/${ids.draft[1]}?preview=true`, single(Question));
    expect(question.body.data).toMatchObject({ role: { slug: DRAFT }, round: { name: 'Practical', position: 2 } });
    expect(question.cacheControl).toBe('private, no-store');
  });

  it('shows the draft question and the draft link in the published role, counted', async () => {
    const sbd = await keyed(`/v1/roles/${SBD}?preview=true&include=questions,related`, single(RolePage));
    expect(sbd.cacheControl).toBe('private, no-store');
    expect(sbd.body.data.questionCount).toBe(13);
    expect(sbd.body.data.questions!.map((q) => q.id)).toEqual([...sbdSeed.questions.map((q) => q.id), ids.sbdDraft]);
    expect(sbd.body.data.relatedRoles!.map((r) => r.slug)).toEqual([...sbdSeed.relatedRoles, DRAFT]);
    const rounds = await keyed(`/v1/roles/${SBD}/rounds?preview=true`, list(Round));
    expect(rounds.body.data.find((r) => r.name === 'System Design')!.questionCount).toBe(
      sbdSeed.questions.filter((q) => q.round === 'System Design').length + 1,
    );
    const questions = await keyed(`/v1/roles/${SBD}/questions?preview=true&limit=100`, list(Question));
    expect(questions.body.data.map((q) => q.id)).toContain(ids.sbdDraft);
  });

  it('finds the drafts in search and counts the draft role in its category', async () => {
    const hits = await keyed(`/v1/search?preview=true&q=${WORD}&limit=100`, list(SearchHit));
    expect(hits.cacheControl).toBe('private, no-store');
    expect(new Set(hits.body.data.map((h) => h.type))).toEqual(new Set(['role', 'question', 'faq']));
    expect(
      hits.body.data
        .filter((h) => h.type === 'question')
        .map((h) => h.id)
        .sort(),
    ).toEqual([...ids.draft, ids.sbdDraft].sort());
    const questions = await keyed(`/v1/questions?preview=true&q=${WORD}&limit=100`, list(Question));
    expect(questions.body.data.map((q) => q.id).sort()).toEqual([...ids.draft, ids.sbdDraft].sort());
    const categories = await keyed('/v1/categories?preview=true', list(Category));
    expect(categories.body.data.find((c) => c.slug === 'engineering')!.roleCount).toBe(engineeringCount + 1);
  });

  it('shows the same key only published content when it does not ask for preview', async () => {
    expectProblem(await send(t.app, 'GET', `/v1/roles/${DRAFT}`, undefined, {}, previewKey), 404);
    const sbd = await keyed(`/v1/roles/${SBD}?include=questions,related`, single(RolePage));
    expect(sbd.body.data.questionCount).toBe(12);
    expect(sbd.body.data.questions!.map((q) => q.id)).not.toContain(ids.sbdDraft);
    expect(sbd.body.data.relatedRoles!.map((r) => r.slug)).not.toContain(DRAFT);
    expect((await keyed(`/v1/search?q=${WORD}`, list(SearchHit))).body.data).toEqual([]);
    expect((await keyed(`/v1/roles?q=${WORD}`, list(Role))).body.data).toEqual([]);
    expectProblem(await send(t.app, 'GET', `/v1/questions/${ids.sbdDraft}`, undefined, {}, previewKey), 404);
  });

  it('refuses preview without a key (401) and with a key lacking content:preview (403)', async () => {
    expectProblem(await get(t.app, `/v1/roles/${DRAFT}?preview=true`), 401);
    expectProblem(await send(t.app, 'GET', `/v1/roles/${DRAFT}?preview=true`, undefined, {}, publishKey), 403);
  });
});

describe('publishing, unpublishing and archiving', () => {
  const act = async (url: string, key = publishKey) => {
    const res = await send(t.app, 'POST', url, undefined, {}, key);
    expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(200);
  };

  it('refuses to publish a role whose breakdown does not add up to 100, changing nothing', async () => {
    await created(
      '/v1/admin/roles',
      roleInput('zyxquorbit-broken', { formatBreakdown: [{ label: 'Only', percent: 70 }] }),
    );
    const before = await adminRole('zyxquorbit-broken');
    const res = await send(t.app, 'POST', '/v1/admin/roles/zyxquorbit-broken/publish', undefined, {}, publishKey);
    expectProblem(res, 400, 'formatBreakdown');
    const after = await adminRole('zyxquorbit-broken');
    expect(after).toMatchObject({ status: 'draft', version: before.version, publishedAt: null });
    expectProblem(await get(t.app, '/v1/roles/zyxquorbit-broken'), 404);
  });

  it('refuses to publish with a key that lacks content:publish', async () => {
    expectProblem(await send(t.app, 'POST', `/v1/admin/roles/${DRAFT}/publish`, undefined, {}, previewKey), 403);
    expect((await adminRole(DRAFT)).status).toBe('draft');
  });

  it('shows the role and its questions to everyone once published', async () => {
    await act(`/v1/admin/roles/${DRAFT}/publish`);
    for (const id of [...ids.draft, ids.sbdDraft]) await act(`/v1/admin/questions/${id}/publish`);
    const view = await publicView();
    expect(view.roles).toContain(DRAFT);
    expect(view.rolesByWord).toEqual([DRAFT]);
    expect(view.draftRole.status).toBe(200);
    expect(view.draftRole.headers['cache-control']).toMatch(/^public/);
    expect(
      single(RolePage)
        .parse(view.draftRole.body)
        .data.questions!.map((q) => q.id),
    ).toEqual(ids.draft);
    expect(view.sbd.questionCount).toBe(13);
    expect(view.sbd.questions!.map((q) => q.id)).toContain(ids.sbdDraft);
    expect(view.sbd.relatedRoles!.map((r) => r.slug)).toContain(DRAFT);
    expect(view.questions).toEqual(expect.arrayContaining([...ids.draft, ids.sbdDraft]));
    expect(
      view.search
        .filter((h) => h.type === 'question')
        .map((h) => h.id)
        .sort(),
    ).toEqual([...ids.draft, ids.sbdDraft].sort());
    expect(view.search.some((h) => h.type === 'faq' && h.role.slug === DRAFT)).toBe(true);
    expect(view.engineering).toBe(engineeringCount + 1);
  });

  it('hides them again after unpublish, even questions that stay published in an unpublished role', async () => {
    await act(`/v1/admin/roles/${DRAFT}/unpublish`);
    await act(`/v1/admin/questions/${ids.sbdDraft}/unpublish`);
    expect((await adminRole(DRAFT)).questions.map((q) => q.status)).toEqual(['published', 'published']);
    const view = await publicView();
    expect(view.roles).not.toContain(DRAFT);
    expect(view.rolesByWord).toEqual([]);
    expect(view.draftRole.status).toBe(404);
    expect(view.sbd.questionCount).toBe(12);
    expect(view.sbd.questions!.map((q) => q.id)).not.toContain(ids.sbdDraft);
    expect(view.sbd.relatedRoles!.map((r) => r.slug)).toEqual(sbdSeed.relatedRoles);
    expect(view.questions.sort()).toEqual([...allPublishedIds].sort());
    expect(view.search).toEqual([]);
    expect(view.engineering).toBe(engineeringCount);
    for (const id of [...ids.draft, ids.sbdDraft]) expectProblem(await get(t.app, `/v1/questions/${id}`), 404);
  });

  it('hides archived content from everyone, keeping it for content tools', async () => {
    await act(`/v1/admin/roles/${DRAFT}/publish`);
    await act(`/v1/admin/questions/${ids.sbdDraft}/publish`);
    expect((await get(t.app, `/v1/roles/${DRAFT}`)).status).toBe(200);
    await act(`/v1/admin/roles/${DRAFT}/archive`);
    await act(`/v1/admin/questions/${ids.sbdDraft}/archive`);
    const view = await publicView();
    expect(view.roles).not.toContain(DRAFT);
    expect(view.draftRole.status).toBe(404);
    expect(view.sbd.questionCount).toBe(12);
    expect(view.sbd.relatedRoles!.map((r) => r.slug)).toEqual(sbdSeed.relatedRoles);
    expect(view.questions.sort()).toEqual([...allPublishedIds].sort());
    expect(view.search).toEqual([]);
    expect(view.engineering).toBe(engineeringCount);
    expect((await adminRole(DRAFT)).status).toBe('archived');
  });
});
