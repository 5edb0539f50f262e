import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../src/access/keys.js';
import { fromDatabaseError } from '../../src/errors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ADMIN_KEY, adminEnv, send } from '../helpers/admin.js';
import { expectProblem } from '../helpers/http.js';

/*
 * Dates outside any sane range are the caller's mistake (400 naming the field), a value the
 * database refuses is too, and a failed statement on API keys never carries key material into
 * the log.
 */

let t: TestApp;
const lines: string[] = [];
beforeAll(async () => {
  t = await startTestApp({
    env: { ...adminEnv, LOG_LEVEL: 'info' },
    seed: false,
    logStream: { write: (line) => lines.push(line) },
  });
});
afterAll(() => t?.close());

describe('dates out of range', () => {
  it.each(['0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '0001-01-01T00:00:00+00:00'])(
    'refuses a key expiring %s, naming expiresAt',
    async (expiresAt) => {
      lines.length = 0;
      const res = await send(t.app, 'POST', '/v1/admin/keys', {
        name: 'ancient',
        scopes: ['content:preview'],
        expiresAt,
      });
      expectProblem(res, 400, 'expiresAt');
      expect(lines.filter((l) => JSON.parse(l).level >= 50)).toEqual([]);
      // Nothing in the log could be a secret's hash.
      expect(lines.join('\n')).not.toMatch(/[0-9a-f]{64}/);
    },
  );

  it('refuses an audit filter from the year 0, naming since', async () => {
    expectProblem(await send(t.app, 'GET', '/v1/admin/audit?since=0000-01-01T00:00:00Z'), 400, 'since');
    expect((await send(t.app, 'GET', '/v1/admin/audit?since=9999-12-31T00:00:00Z')).status).toBe(200);
  });

  it('refuses the same over GraphQL', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      payload: {
        query:
          'mutation { createApiKey(input: { name: "ancient", scopes: [CONTENT_PREVIEW], expiresAt: "0000-01-01T00:00:00Z" }) { token } }',
      },
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      errors: [{ path: 'expiresAt' }],
    });
  });
});

describe('a statement on API keys that the database refuses', () => {
  it('fails with a client error that carries no key material', async () => {
    const token = 'ick_abcdefgh_this-is-a-secret-token-for-the-test-only-0123456789';
    const hash = createHash('sha256').update(token).digest('hex');
    // Past the API's own checks, as a caller of the key store could get it wrong.
    const failure = await createKey(
      t.database.db,
      { name: 'ancient', scopes: ['content:preview'], expiresAt: new Date('0000-06-01T00:00:00Z') },
      token,
    ).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(fromDatabaseError(failure)?.status).toBe(400);
    const everything = `${inspect(failure, { depth: 10, showHidden: true })} ${JSON.stringify(failure)}`;
    expect(everything).not.toContain(hash);
    expect(everything).not.toContain(token.slice(12));
  });
});
