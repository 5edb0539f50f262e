import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { adminEnv, roleInput, send } from '../helpers/admin.js';
import { expectProblem } from '../helpers/http.js';

/*
 * Admin routes check the key before they read a body, and every route reads only as much body as
 * its largest valid request needs.
 */

let t: TestApp;
let weakKey = '';
beforeAll(async () => {
  t = await startTestApp({ env: adminEnv, seed: false });
  weakKey = (
    await send<{ data: { token: string } }>(t.app, 'POST', '/v1/admin/keys', {
      name: 'reader',
      scopes: ['content:preview'],
    })
  ).body.data.token;
});
afterAll(() => t?.close());

/** A body that starts like a large import and never ends: only a server that does not read it can answer. */
function endlessBody() {
  let sent = 0;
  return new Readable({
    read() {
      if (sent++ < 4) this.push(`{"roles":[${'{"slug":"x"},'.repeat(1000)}`);
    },
  });
}

async function answerWithoutBody(headers: Record<string, string>) {
  const body = endlessBody();
  const answer = t.app.inject({
    method: 'POST',
    url: '/v1/admin/import',
    headers: { 'content-type': 'application/json', 'content-length': String(18 * 1024 * 1024), ...headers },
    payload: body,
  });
  // Bounded: a server that waits for the body never answers; fail then instead of hanging.
  const gaveUp = new Promise<'no answer'>((resolve) => setTimeout(() => resolve('no answer'), 20_000).unref());
  const res = await Promise.race([answer, gaveUp]);
  body.destroy();
  expect(res, 'the server waited for the whole body').not.toBe('no answer');
  return res as Awaited<typeof answer>;
}

describe('admin routes', () => {
  it('refuse a caller without a key before reading its body', async () => {
    const res = await answerWithoutBody({});
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuse a key without the scope before reading its body', async () => {
    const res = await answerWithoutBody({ authorization: `Bearer ${weakKey}` });
    expect(res.statusCode).toBe(403);
  });
});

describe('body limits', () => {
  it.each([
    ['POST', '/v1/admin/keys', { name: 'x'.repeat(100 * 1024), scopes: ['content:preview'] }],
    ['POST', '/v1/admin/categories', { slug: 'big', name: 'x'.repeat(100 * 1024) }],
    ['POST', '/v1/admin/roles', roleInput('big', { summary: 'x'.repeat(300 * 1024) })],
    ['POST', '/graphql', { query: `{ categories { slug } } #${'x'.repeat(1100 * 1024)}` }],
  ] as const)('%s %s answers 413 to a body far over what it takes', async (method, url, body) => {
    const res = await send(t.app, method, url, body);
    expect(res.status).toBe(413);
  });

  it('reads a large import, and a role page with every list full', async () => {
    const full = roleInput('full-page', {
      category: 'nowhere',
      tips: Array.from({ length: 30 }, (_, i) => `${i} ${'t'.repeat(990)}`),
      faqs: Array.from({ length: 30 }, (_, i) => ({ question: `Question ${i}?`, answer: 'a'.repeat(2990) })),
    });
    expect(JSON.stringify(full).length).toBeGreaterThan(64 * 1024);
    // Refused for its unknown category, after being read whole.
    expectProblem(await send(t.app, 'POST', '/v1/admin/roles', full), 400, 'category');
    const bundle = {
      categories: [],
      roles: Array.from({ length: 100 }, () => ({ ...full, slug: 'x', questions: [] })),
    };
    expect(JSON.stringify(bundle).length).toBeGreaterThan(5 * 1024 * 1024);
    expectProblem(await send(t.app, 'POST', '/v1/admin/import?dryRun=true', bundle), 400);
  });
});
