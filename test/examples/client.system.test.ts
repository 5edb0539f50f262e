import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoleOut } from '../../src/content/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/*
 * What a partner does with the committed contracts: generate TypeScript types from openapi.yaml
 * (openapi-typescript) and typed documents from schema.graphql (GraphQL Code Generator), compile
 * the example client under --strict with no edits, and run it against a server on a real port.
 * Generated once per run, into examples/client/generated/ (ignored by git).
 */

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name: string) => `${ROOT}node_modules/.bin/${name}`;

// What the test uses of the example. Its real types are generated at run time, so the
// project's own type-check never depends on them; tsc checks the example itself below.
type FullRolePage = Required<RoleOut>;
interface Client {
  restRolePage(
    base: string,
    slug: string,
    etag?: string,
  ): Promise<{ status: 200; data: FullRolePage; etag: string | null } | { status: 304; etag: string }>;
  graphqlRolePage(
    base: string,
    slug: string,
  ): Promise<{
    title: string;
    seniority: string;
    updatedAt: string;
    questions: { prompt: string }[];
    rounds: { name: string }[];
    relatedRoles: unknown[];
  }>;
  ProblemError: new (...args: never[]) => Error & { problem: { status: number; code: string; type: string } };
  GraphqlErrors: new (...args: never[]) => Error & { errors: { extensions?: { code?: string } }[] };
}
const CLIENT = new URL('../../examples/client/client.ts', import.meta.url).href;
let client: Client;
let t: TestApp;
let base: string;

beforeAll(async () => {
  const [app] = await Promise.all([startTestApp(), run('npm', ['run', '-s', 'client:generate'], { cwd: ROOT })]);
  t = app;
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  client = (await import(/* @vite-ignore */ CLIENT)) as Client;
});
afterAll(() => t?.close());

const SLUG = 'senior-backend-developer';

describe('a client generated from the committed contracts', () => {
  it('compiles under --strict with no hand edits', async () => {
    const result = await run(bin('tsc'), ['-p', 'examples/client/tsconfig.json'], { cwd: ROOT }).catch(
      (err: { stdout: string }) => ({ stdout: err.stdout }),
    );
    expect(result.stdout).toBe('');
  });

  it('fetches a full role page over REST, then a 304 with its ETag', async () => {
    const first = await client.restRolePage(base, SLUG);
    if (first.status !== 200) throw new Error('expected a page');
    const expected = JSON.parse(
      (await t.app.inject(`/v1/roles/${SLUG}?include=rounds,questions,tips,faqs,related`)).body,
    ).data;
    expect(first.data).toEqual(expected);
    expect(first.data.questions.length).toBe(first.data.questionCount);
    expect(first.etag).toBeTruthy();
    const again = await client.restRolePage(base, SLUG, first.etag!);
    expect(again).toEqual({ status: 304, etag: first.etag });
  });

  it('fetches the same page over GraphQL', async () => {
    const [rest, role] = await Promise.all([client.restRolePage(base, SLUG), client.graphqlRolePage(base, SLUG)]);
    if (rest.status !== 200) throw new Error('expected a page');
    expect(role.title).toBe(rest.data.title);
    expect(role.seniority).toBe(rest.data.seniority.toUpperCase());
    expect(role.updatedAt).toBe(rest.data.updatedAt);
    expect(role.questions.map((q) => q.prompt)).toEqual(rest.data.questions.map((q) => q.prompt));
    expect(role.rounds.map((r) => r.name)).toEqual(rest.data.rounds.map((r) => r.name));
    expect(role.relatedRoles).toEqual(rest.data.relatedRoles);
  });

  it('turns problem+json into a typed error, and GraphQL errors into their codes', async () => {
    const problem = await client.restRolePage(base, 'no-such-role').catch((err: unknown) => err);
    expect(problem).toBeInstanceOf(client.ProblemError);
    expect((problem as InstanceType<Client['ProblemError']>).problem).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      type: '/problems/not-found',
    });
    const errors = await client.graphqlRolePage(base, 'no-such-role').catch((err: unknown) => err);
    expect(errors).toBeInstanceOf(client.GraphqlErrors);
    expect((errors as InstanceType<Client['GraphqlErrors']>).errors[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
