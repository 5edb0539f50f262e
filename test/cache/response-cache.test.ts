import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { list, Question, RolePage, single } from '../../src/content/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ADMIN_KEY, adminEnv } from '../helpers/admin.js';
import { getOk } from '../helpers/http.js';
import { roleBySlug } from '../helpers/seed-files.js';

/* The published read model: repeated public reads come from memory, never from the database. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv });
});
afterAll(() => t?.close());

const sbd = 'senior-backend-developer';
const rolePage = `/v1/roles/${sbd}?include=rounds,questions,tips,faqs,related`;

async function statementsOf(read: () => Promise<unknown>): Promise<number> {
  t.database.statements.length = 0;
  await read();
  return t.database.statements.length;
}

describe('the response cache', () => {
  it('answers a repeated public read from memory: the same bytes and ETag, no SQL', async () => {
    const first = await t.app.inject(rolePage);
    expect(first.statusCode).toBe(200);
    let again = first;
    expect(await statementsOf(async () => (again = await t.app.inject(rolePage)))).toBe(0);
    expect(again.statusCode).toBe(200);
    expect(again.body).toBe(first.body);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.headers['cache-control']).toBe(first.headers['cache-control']);
    expect(single(RolePage).parse(JSON.parse(again.body)).data.questions).toHaveLength(
      roleBySlug(sbd).questions.length,
    );
  });

  it('shares one entry between orderings of the same query parameters', async () => {
    await getOk(t.app, '/v1/questions?limit=4&difficulty=hard', list(Question));
    expect(await statementsOf(() => getOk(t.app, '/v1/questions?difficulty=hard&limit=4', list(Question)))).toBe(0);
  });

  it('answers If-None-Match with 304 before any SQL runs', async () => {
    const { headers } = await t.app.inject(rolePage);
    let res = await t.app.inject(rolePage);
    expect(
      await statementsOf(
        async () => (res = await t.app.inject({ url: rolePage, headers: { 'if-none-match': String(headers.etag) } })),
      ),
    ).toBe(0);
    expect(res.statusCode).toBe(304);
    expect(res.body).toBe('');
    expect(res.headers.etag).toBe(headers.etag);
    // A list of tags, weak or strong, as browsers and CDNs send them.
    const listed = await t.app.inject({ url: rolePage, headers: { 'if-none-match': `"old", W/${headers.etag}` } });
    expect(listed.statusCode).toBe(304);
  });

  it('builds a cold key once however many ask for it at the same moment', async () => {
    const url = `/v1/roles/${sbd}/questions?limit=7`;
    let bodies: string[] = [];
    const n = await statementsOf(async () => {
      const answers = await Promise.all(Array.from({ length: 12 }, () => t.app.inject(url)));
      bodies = answers.map((a) => (expect(a.statusCode).toBe(200), a.body));
    });
    expect(n).toBe(1);
    expect(new Set(bodies).size).toBe(1);
  });

  it('lets every caller build its own answer when a key fails, instead of queueing them', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.app.inject('/v1/roles/no-such-role')));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(6).fill(404));
    expect(answers.every((a) => a.headers['cache-control'] === 'no-store')).toBe(true);
  });

  it('never stores an answer given to a key, or a preview', async () => {
    const url = `/v1/roles/${sbd}?include=faqs`;
    const before = t.app.responseCache!.stats().entries;
    for (let i = 0; i < 2; i++) {
      let res = await t.app.inject(url);
      expect(
        await statementsOf(
          async () => (res = await t.app.inject({ url, headers: { authorization: `Bearer ${ADMIN_KEY}` } })),
        ),
      ).toBeGreaterThan(0);
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(
        await statementsOf(() =>
          t.app.inject({ url: `${url}&preview=true`, headers: { authorization: `Bearer ${ADMIN_KEY}` } }),
        ),
      ).toBeGreaterThan(0);
    }
    // Only the anonymous answer was stored.
    expect(t.app.responseCache!.stats().entries).toBe(before + 1);
  });

  it('answers a repeated GraphQL query sent by POST from memory, never a mutation', async () => {
    const query = { query: '{ role(slug: "senior-backend-developer") { title questions { prompt } } }' };
    const first = await t.app.inject({ method: 'POST', url: '/graphql', payload: query });
    let again = first;
    expect(
      await statementsOf(async () => (again = await t.app.inject({ method: 'POST', url: '/graphql', payload: query }))),
    ).toBe(0);
    expect(again.body).toBe(first.body);
    const entries = t.app.responseCache!.stats().entries;
    const mutation = { query: 'mutation { deleteCategory(slug: "no-such-category") }' };
    for (let i = 0; i < 2; i++)
      expect(
        (await t.app.inject({ method: 'POST', url: '/graphql', payload: mutation })).json().errors[0].extensions.code,
      ).toBe('UNAUTHENTICATED');
    expect(t.app.responseCache!.stats().entries).toBe(entries);
  });

  it('names what each public response shows in Surrogate-Key and Cache-Tag', async () => {
    const role = await t.app.inject(rolePage);
    const keys = String(role.headers['surrogate-key']).split(' ');
    expect(keys).toEqual(
      expect.arrayContaining([
        `role:${sbd}`,
        'category:engineering',
        ...roleBySlug(sbd).relatedRoles.map((r) => `role:${r}`),
      ]),
    );
    expect(String(role.headers['cache-tag']).split(',')).toEqual(keys);
    const question = roleBySlug(sbd).questions[0]!;
    expect(
      String((await t.app.inject(`/v1/questions/${question.id}`)).headers['surrogate-key'])
        .split(' ')
        .sort(),
    ).toEqual([`question:${question.id}`, `role:${sbd}`].sort());
    expect((await t.app.inject('/v1/roles')).headers['surrogate-key']).toBe('roles');
    expect((await t.app.inject('/v1/search?q=incident')).headers['surrogate-key']).toBe('search');
    expect((await t.app.inject('/v1/categories')).headers['surrogate-key']).toBe('categories');
    expect(
      (await t.app.inject(`/graphql?query=${encodeURIComponent('{ categories { slug } }')}`)).headers['surrogate-key'],
    ).toBe('graphql');
    // Nothing private is labelled for a shared cache.
    expect(
      (await t.app.inject({ url: rolePage, headers: { authorization: `Bearer ${ADMIN_KEY}` } })).headers[
        'surrogate-key'
      ],
    ).toBeUndefined();
  });
});

describe('a small byte budget', () => {
  let small: TestApp;
  beforeAll(async () => {
    small = await startTestApp({ env: { CACHE_MAX_BYTES: '1000000' } });
  });
  afterAll(() => small?.close());

  it('stays within it, dropping the least recently used answers first', async () => {
    const urls = Array.from({ length: 30 }, (_, i) => `/v1/questions?limit=${70 + i}`);
    for (const url of urls) expect((await small.app.inject(url)).statusCode).toBe(200);
    const stats = small.app.responseCache!.stats();
    expect(stats.evicted).toBeGreaterThan(0);
    expect(stats.bytes).toBeLessThanOrEqual(stats.maxBytes);
    small.database.statements.length = 0;
    await small.app.inject(urls[urls.length - 1]!);
    expect(small.database.statements).toHaveLength(0);
    await small.app.inject(urls[0]!);
    expect(small.database.statements).toHaveLength(1);
  });
});
