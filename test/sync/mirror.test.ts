import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEnv, questionInput, roleInput, send } from '../helpers/admin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import type { SyncPageOut } from '../../src/content/sync-schemas.js';
import { applyPage, publicState, sorted, syncAll, syncOnce, type Mirror } from '../helpers/sync.js';

/*
 * The promise of /v1/sync: a partner that applies every page keeps an exact mirror. fast-check
 * generates long runs of creates, edits, renames, moves, publishes, unpublishes, archives,
 * reorders and deletes, with syncs (whole, partial, and racing a write) at random points; after
 * each run the mirror must equal a fresh full read of the public API.
 */

let t: TestApp;
/** Every question id written so far (some deleted since), for question operations to pick from. */
const questionIds: string[] = [];
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
  const bundle = await send<{ roles: { questions: { id: string }[] }[] }>(t.app, 'GET', '/v1/admin/export');
  questionIds.push(...bundle.body.roles.flatMap((r) => r.questions.map((q) => q.id)));
});
afterAll(() => t?.close());

const CATEGORIES = ['engineering', 'product', 'data', 'design'];

type Op =
  | { kind: 'createRole'; related: number }
  | {
      kind:
        | 'createQuestion'
        | 'publishRole'
        | 'unpublishRole'
        | 'archiveRole'
        | 'deleteRole'
        | 'renameRole'
        | 'reorderRounds'
        | 'renameRound'
        | 'reorderQuestions';
      role: number;
    }
  | { kind: 'editRole'; role: number; text: number }
  | { kind: 'moveRole'; role: number; category: number }
  | { kind: 'relate'; role: number; other: number }
  | {
      kind: 'publishQuestion' | 'unpublishQuestion' | 'archiveQuestion' | 'deleteQuestion' | 'editQuestion';
      question: number;
    }
  | { kind: 'renameCategory'; category: number; text: number }
  | { kind: 'sync'; limit: number; pages: number }
  | { kind: 'syncDuringWrite'; role: number; text: number };

const n = fc.nat({ max: 1000 });
const role = (
  kind: Extract<Op, { role: number; text?: never; category?: never; other?: never; question?: never }>['kind'],
) => fc.record({ kind: fc.constant(kind), role: n });
const question = (kind: Extract<Op, { question: number }>['kind']) =>
  fc.record({ kind: fc.constant(kind), question: n });

// Weighted so content grows and gets published about as fast as it is taken down.
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('createRole' as const), related: n }) },
  { weight: 4, arbitrary: role('createQuestion') },
  { weight: 3, arbitrary: role('publishRole') },
  { weight: 3, arbitrary: question('publishQuestion') },
  { weight: 1, arbitrary: role('unpublishRole') },
  { weight: 1, arbitrary: role('archiveRole') },
  { weight: 1, arbitrary: role('deleteRole') },
  { weight: 1, arbitrary: role('renameRole') },
  { weight: 1, arbitrary: role('reorderRounds') },
  { weight: 1, arbitrary: role('renameRound') },
  { weight: 1, arbitrary: role('reorderQuestions') },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('editRole' as const), role: n, text: n }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('moveRole' as const), role: n, category: n }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('relate' as const), role: n, other: n }) },
  { weight: 1, arbitrary: question('unpublishQuestion') },
  { weight: 1, arbitrary: question('archiveQuestion') },
  { weight: 1, arbitrary: question('deleteQuestion') },
  { weight: 2, arbitrary: question('editQuestion') },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('renameCategory' as const), category: n, text: n }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('sync' as const),
      limit: fc.integer({ min: 1, max: 25 }),
      pages: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('syncDuringWrite' as const), role: n, text: n }) },
);

interface AdminRole {
  slug: string;
  rounds: { name: string }[];
  questions: { id: string }[];
}

let created = 0;
const pick = <T>(list: T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);
const roleSlugs = async () =>
  (await send<{ data: { slug: string }[] }>(t.app, 'GET', '/v1/admin/roles')).body.data.map((r) => r.slug);
const adminRole = async (slug: string) =>
  (await send<{ data: AdminRole }>(t.app, 'GET', `/v1/admin/roles/${slug}`)).body.data;
const rotate = <T>(list: T[], by: number) =>
  list.length ? [...list.slice(by % list.length), ...list.slice(0, by % list.length)] : list;

/** One write, as a content tool would make it. Refusals (409 and the like) are fine: they write nothing. */
async function write(o: Exclude<Op, { kind: 'sync' | 'syncDuringWrite' }>): Promise<number> {
  if (o.kind === 'createRole') {
    created += 1;
    const slug = `mirror-role-${created}`;
    const related = pick(await roleSlugs(), o.related);
    return (
      await send(
        t.app,
        'POST',
        '/v1/admin/roles',
        roleInput(slug, { relatedRoles: related ? [related] : [], title: `Mirror Role ${created}` }),
      )
    ).status;
  }
  if (o.kind === 'renameCategory') {
    return (
      await send(t.app, 'PATCH', `/v1/admin/categories/${pick(CATEGORIES, o.category)}`, { name: `Category ${o.text}` })
    ).status;
  }
  if ('question' in o) {
    const url = `/v1/admin/questions/${pick(questionIds, o.question)}`;
    if (o.kind === 'deleteQuestion') return (await send(t.app, 'DELETE', url)).status;
    if (o.kind === 'editQuestion')
      return (await send(t.app, 'PATCH', url, { prompt: `Edited prompt ${o.question}?`, tags: [`t${o.question % 5}`] }))
        .status;
    return (await send(t.app, 'POST', `${url}/${o.kind.replace('Question', '')}`)).status;
  }
  const slug = pick(await roleSlugs(), o.role);
  if (!slug) return 0;
  const base = `/v1/admin/roles/${slug}`;
  switch (o.kind) {
    case 'createQuestion': {
      const res = await send<{ data: { id: string } }>(
        t.app,
        'POST',
        `${base}/questions`,
        questionInput({ round: null, prompt: `Question ${created}-${o.role}?` }),
      );
      if (res.status === 201) questionIds.push(res.body.data.id);
      return res.status;
    }
    case 'publishRole':
    case 'unpublishRole':
    case 'archiveRole':
      return (await send(t.app, 'POST', `${base}/${o.kind.replace('Role', '')}`)).status;
    case 'deleteRole':
      return (await send(t.app, 'DELETE', `${base}?cascade=true`)).status;
    case 'renameRole':
      created += 1;
      return (await send(t.app, 'PATCH', base, { slug: `mirror-renamed-${created}` })).status;
    case 'editRole':
      return (await send(t.app, 'PATCH', base, { title: `Edited Title ${o.text}` })).status;
    case 'moveRole':
      return (await send(t.app, 'PATCH', base, { category: pick(CATEGORIES, o.category) })).status;
    case 'relate': {
      const other = pick(
        (await roleSlugs()).filter((s) => s !== slug),
        o.other,
      );
      return other ? (await send(t.app, 'PATCH', base, { relatedRoles: [other] })).status : 0;
    }
    case 'reorderRounds': {
      const role = await adminRole(slug);
      return (
        await send(t.app, 'PUT', `${base}/rounds/order`, { names: [...role.rounds].reverse().map((r) => r.name) })
      ).status;
    }
    case 'renameRound':
      created += 1;
      return (await send(t.app, 'PATCH', `${base}/rounds/1`, { name: `Round ${created}` })).status;
    case 'reorderQuestions': {
      const role = await adminRole(slug);
      return (
        await send(t.app, 'PUT', `${base}/questions/order`, {
          ids: rotate(
            role.questions.map((q) => q.id),
            1,
          ),
        })
      ).status;
    }
  }
}

describe('a mirror kept through /v1/sync alone', () => {
  it('equals the published content after any run of writes and syncs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 15, maxLength: 30 }), async (ops) => {
        const mirror: Mirror = new Map();
        // Start from a full mirror, so what follows is carried by deltas.
        let cursor: string | null = (await syncAll(t.app, mirror, null, 40)).cursor;
        for (const o of ops) {
          if (o.kind === 'sync') {
            // Sometimes a whole sync, sometimes a few pages and stop: the next sync goes on from there.
            for (let i = 0; i < o.pages; i++) {
              const page: SyncPageOut = await syncOnce(t.app, cursor, o.limit);
              applyPage(mirror, page);
              cursor = page.page.nextCursor ?? page.page.syncCursor;
              if (!page.page.nextCursor) break;
            }
          } else if (o.kind === 'syncDuringWrite') {
            const [page, status]: [SyncPageOut, number] = await Promise.all([
              syncOnce(t.app, cursor, 5),
              write({ kind: 'editRole', role: o.role, text: o.text }),
            ]);
            expect(status).toBeLessThan(500);
            applyPage(mirror, page);
            cursor = page.page.nextCursor ?? page.page.syncCursor;
          } else {
            expect(await write(o)).toBeLessThan(500);
          }
        }
        await syncAll(t.app, mirror, cursor, 50);
        expect(sorted(mirror)).toEqual(sorted(await publicState(t.app)));
      }),
      { numRuns: 3, seed: 20261129, endOnFailure: true },
    );
    // About 10 s on an idle machine, several times that on a loaded one: a limit for a stuck run.
  }, 300_000);
});
