import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { questionInput, roleInput } from '../helpers/admin.js';
import { freePort, startServer, until, type ServerProcess } from '../helpers/process.js';

/*
 * The whole content-tool story over real HTTP against `npm start`'s process, with the key the
 * README tells a new install to make (BOOTSTRAP_ADMIN_KEY): create drafts, preview, publish, edit
 * with conflict detection, roll back a bad edit.
 */

const KEY = 'e2e-bootstrap-key-5d1f0b7c2a9e4c3b8a6f';
let dir: string;
let base: string;
let server: ServerProcess;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ica-e2e-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = startServer({
    PORT: String(port),
    HOST: '127.0.0.1',
    PGLITE_DATA_DIR: dir,
    LOG_LEVEL: 'warn',
    BOOTSTRAP_ADMIN_KEY: KEY,
  });
  await until(async () => (await fetch(`${base}/readyz`).catch(() => null))?.ok === true, 'the server to be ready');
});

afterAll(async () => {
  if (server?.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await rm(dir, { recursive: true, force: true });
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  key: string | null = KEY,
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

describe('a content tool, end to end', () => {
  it('creates drafts, previews, publishes, edits with conflict detection and rolls back', async () => {
    expect((await call('POST', '/v1/admin/roles', roleInput('e2e-role'), {}, null)).status).toBe(401);

    expect((await call('POST', '/v1/admin/roles', roleInput('e2e-role'))).status).toBe(201);
    const question = await call('POST', '/v1/admin/roles/e2e-role/questions', questionInput());
    expect(question.status).toBe(201);
    const id = question.body.data.id as string;

    expect((await call('GET', '/v1/roles/e2e-role', undefined, {}, null)).status).toBe(404);
    const preview = await call('GET', '/v1/roles/e2e-role?include=questions&preview=true');
    expect(preview.status).toBe(200);
    expect(preview.headers.get('cache-control')).toBe('private, no-store');
    expect(preview.body.data.questions.map((q: { id: string }) => q.id)).toEqual([id]);

    expect((await call('POST', '/v1/admin/roles/e2e-role/publish')).status).toBe(200);
    expect((await call('POST', `/v1/admin/questions/${id}/publish`)).status).toBe(200);
    const live = await call('GET', '/v1/roles/e2e-role?include=questions', undefined, {}, null);
    expect(live.body.data.questionCount).toBe(1);
    expect(live.headers.get('cache-control')).toMatch(/^public/);

    const read = await call('GET', '/v1/admin/roles/e2e-role');
    const etag = read.headers.get('etag')!;
    const bad = await call(
      'PATCH',
      '/v1/admin/roles/e2e-role',
      { title: 'A Bad Title', summary: 'A summary someone regrets writing here.' },
      { 'if-match': etag },
    );
    expect(bad.status).toBe(200);
    const lost = await call('PATCH', '/v1/admin/roles/e2e-role', { title: 'Another Edit' }, { 'if-match': etag });
    expect(lost.status).toBe(412);
    expect(lost.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const revisions = await call('GET', '/v1/admin/roles/e2e-role/revisions');
    const beforeBadEdit = revisions.body.data.at(-2).version as number;
    expect((await call('POST', `/v1/admin/roles/e2e-role/revisions/${beforeBadEdit}/restore`)).status).toBe(200);
    const restored = await call('GET', '/v1/roles/e2e-role', undefined, {}, null);
    expect(restored.body.data).toMatchObject({ title: roleInput('x').title, summary: roleInput('x').summary });
  });
});
